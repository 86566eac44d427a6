'use client';

import { useId, useState, type FormEvent } from 'react';
import { checkSymbol } from '@/lib/dashboard/symbol';

const button =
  'rounded-md px-3 py-2 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300';

/** Symbol entry: invalid input is explained next to the field and never sent. */
export function SymbolForm({
  symbol,
  initialDraft,
  recent,
  onChoose,
}: {
  symbol: string;
  initialDraft: string;
  recent: readonly string[];
  onChoose(symbol: string): void;
}) {
  const [draft, setDraft] = useState(initialDraft);
  const [error, setError] = useState<string | null>(() => {
    const check = checkSymbol(initialDraft);
    return check.ok ? null : check.message;
  });
  const inputId = useId();
  const errorId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const check = checkSymbol(draft);
    if (!check.ok) return setError(check.message);
    setError(null);
    setDraft(check.symbol);
    onChoose(check.symbol);
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-2" aria-label="Choose a symbol">
      <label htmlFor={inputId} className="text-sm font-medium">
        Symbol
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={inputId}
          name="symbol"
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            if (error) setError(null);
          }}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={20}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className="w-36 rounded-md border border-slate-400 bg-white px-3 py-2 font-mono uppercase focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-700 aria-invalid:border-red-700 dark:border-slate-600 dark:bg-slate-900 dark:focus-visible:outline-blue-300 dark:aria-invalid:border-red-400"
        />
        <button type="submit" className={`${button} border border-slate-400 bg-slate-100 hover:bg-slate-200 dark:border-slate-600 dark:bg-slate-800 dark:hover:bg-slate-700`}>
          Show news
        </button>
      </div>
      {error && (
        <p id={errorId} role="alert" className="text-sm text-red-800 dark:text-red-300">
          {error}
        </p>
      )}
      {recent.length > 0 && (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-slate-600 dark:text-slate-400">Recent:</span>
          <ul className="flex flex-wrap gap-2" aria-label="Recent symbols">
            {recent.map((s) => (
              <li key={s}>
                <button
                  type="button"
                  aria-pressed={s === symbol}
                  onClick={() => {
                    setDraft(s);
                    setError(null);
                    onChoose(s);
                  }}
                  className={`${button} border border-slate-300 px-2 py-1 font-mono font-normal hover:bg-slate-100 aria-pressed:border-blue-700 aria-pressed:bg-blue-50 dark:border-slate-700 dark:hover:bg-slate-800 dark:aria-pressed:border-blue-400 dark:aria-pressed:bg-blue-950`}
                >
                  {s}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
