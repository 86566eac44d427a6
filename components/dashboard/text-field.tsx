'use client';

import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { fieldError, textInput } from './styles';

type Checked = { ok: true } | { ok: false; message: string };

/** Shows a refusal next to the field, or clears the complaint and carries the change out. */
export function settleInput<T extends Checked>(result: T, setError: (e: string | null) => void, apply: (ok: Extract<T, { ok: true }>) => void): void {
  if (!result.ok) return setError(result.message);
  setError(null);
  apply(result as Extract<T, { ok: true }>);
}

/**
 * A labelled text box with its buttons, its complaint (announced, and tied to the box with
 * aria-describedby and aria-invalid) and a hint. The watchlist and the filter share it, so both
 * explain refused input the same way.
 */
export function TextField({
  label,
  complaint: [error, setError],
  hint,
  inputRef,
  className,
  onText,
  children,
  ...input
}: {
  label: string;
  /** The complaint about the current text, as a state pair; any edit clears it. */
  complaint: readonly [string | null, (error: string | null) => void];
  hint: ReactNode;
  inputRef: Ref<HTMLInputElement>;
  className: string;
  onText(text: string): void;
  /** The buttons beside the box. */
  children: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'children' | 'onChange'>) {
  const inputId = useId();
  const errorId = useId();
  const hintId = useId();
  return (
    <>
      <label htmlFor={inputId} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          {...input}
          ref={inputRef}
          id={inputId}
          onChange={(e) => {
            onText(e.target.value);
            setError(null);
          }}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${hintId}` : hintId}
          className={`${className} ${textInput}`}
        />
        {children}
      </div>
      {error && (
        <p id={errorId} role="alert" className={fieldError}>
          {error}
        </p>
      )}
      <p id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
        {hint}
      </p>
    </>
  );
}
