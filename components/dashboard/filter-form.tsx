'use client';

import { useState, type FormEvent, type Ref } from 'react';
import { checkFilter } from '@/lib/dashboard/filter-input';
import { secondaryButton } from './styles';
import { settleInput, TextField } from './text-field';

/**
 * The "Filter" box, in the API's `q` syntax. Applied with Enter or the button (not per keystroke:
 * each change of a live filter opens a new stream); a filter the API would refuse is explained
 * here and never sent.
 */
export function FilterForm({
  applied,
  initialDraft,
  onApply,
  inputRef,
}: {
  applied: string;
  /** Text from the link that could not be applied (an invalid `q`), shown with its explanation. */
  initialDraft: string | null;
  onApply(q: string): void;
  inputRef: Ref<HTMLInputElement>;
}) {
  // null: the box shows the applied filter; text: the user is editing.
  const [draft, setDraft] = useState<string | null>(initialDraft);
  const complaint = useState<string | null>(() => {
    if (initialDraft === null) return null;
    const check = checkFilter(initialDraft);
    return check.ok ? null : check.message;
  });
  const setError = complaint[1];
  const value = draft ?? applied;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    settleInput(checkFilter(value), setError, (check) => {
      setDraft(null);
      onApply(check.q);
    });
  };

  return (
    <form onSubmit={apply} noValidate className="flex flex-col gap-2" aria-label="Filter articles">
      <TextField
        label="Filter"
        complaint={complaint}
        hint={<>Whole words in titles and summaries; &quot;a phrase&quot; in double quotes; -word excludes.</>}
        inputRef={inputRef}
        // A basis, not flex-1: on a phone its buttons wrap below it instead of squeezing it to a word.
        className="w-64 grow basis-48 sm:flex-none"
        name="q"
        type="text"
        enterKeyHint="search"
        value={value}
        onText={setDraft}
        maxLength={400}
        placeholder='earnings "price target" -rumor'
        aria-keyshortcuts="/"
      >
        <button type="submit" className={secondaryButton}>
          Apply filter
        </button>
        {applied && (
          <button
            type="button"
            className={secondaryButton}
            onClick={(e) => {
              setError(null);
              setDraft(null);
              onApply('');
              // This button goes away with the filter: keep keyboard focus in the form, on the box.
              const box = e.currentTarget.form?.elements.namedItem('q');
              if (box instanceof HTMLInputElement) box.focus();
            }}
          >
            Clear filter
          </button>
        )}
      </TextField>
    </form>
  );
}
