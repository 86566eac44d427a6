'use client';

import { useId } from 'react';

/** The "Notify me" switch; `note` explains the outcome (or why notifications are unavailable). */
export function NotifyToggle({ enabled, note, onToggle }: { enabled: boolean; note: string | null; onToggle(on: boolean): void }) {
  const id = useId();
  const noteId = useId();
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={enabled}
          onChange={(e) => onToggle(e.target.checked)}
          aria-describedby={noteId}
          className="h-5 w-5 accent-blue-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:accent-blue-400 dark:focus-visible:outline-blue-300"
        />
        <label htmlFor={id} className="text-sm font-medium">
          Notify me
        </label>
      </div>
      <p id={noteId} aria-live="polite" data-testid="notify-note" className="text-xs text-slate-600 dark:text-slate-400">
        {note ?? 'Browser notifications for new articles while this page is hidden.'}
      </p>
    </div>
  );
}
