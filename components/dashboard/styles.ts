/** Class lists shared by the dashboard's controls: one visible focus style everywhere. */
export const focusRing =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300';

export const textInput =
  'min-w-0 rounded-md border border-slate-400 bg-white px-3 py-2 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-700 aria-invalid:border-red-700 dark:border-slate-600 dark:bg-slate-900 dark:focus-visible:outline-blue-300 dark:aria-invalid:border-red-400';

export const secondaryButton = `rounded-md border border-slate-400 bg-slate-100 px-3 py-2 text-sm font-semibold hover:bg-slate-200 dark:border-slate-600 dark:bg-slate-800 dark:hover:bg-slate-700 ${focusRing}`;

export const fieldError = 'text-sm text-red-800 dark:text-red-300';
