'use client';

import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react';
import { MAX_SYMBOLS } from '@/lib/contract/symbols';
import { addToWatchlist, removeFromWatchlist } from '@/lib/dashboard/watchlist';
import { focusRing, secondaryButton } from './styles';
import { settleInput, TextField } from './text-field';

/**
 * The watchlist: an "Add symbol" box (one ticker, or several separated by commas) and one chip per
 * ticker with its count of new articles and a "Remove TSLA" button. Input the API would refuse
 * (invalid, duplicate, a 26th symbol, removing the last) is explained next to the box and never sent.
 */
export function WatchlistForm({
  symbols,
  newBySymbol,
  onChange,
  inputRef,
}: {
  symbols: readonly string[];
  /** New articles per ticker since Start; null before any stream. */
  newBySymbol: Record<string, number> | null;
  onChange(symbols: string[]): void;
  inputRef: Ref<HTMLInputElement>;
}) {
  const [draft, setDraft] = useState('');
  const complaint = useState<string | null>(null);
  const setError = complaint[1];

  const add = (e: FormEvent) => {
    e.preventDefault();
    settleInput(addToWatchlist(symbols, draft), setError, (change) => {
      setDraft('');
      onChange(change.symbols);
    });
  };
  // A removed chip takes its focused button with it: focus moves to the chip that takes its place
  // (or the new last one), so a keyboard or screen-reader user keeps their place in the list.
  const list = useRef<HTMLUListElement>(null);
  const refocus = useRef<number | null>(null);
  useEffect(() => {
    const index = refocus.current;
    if (index === null) return;
    refocus.current = null;
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('button');
    buttons?.[Math.min(index, buttons.length - 1)]?.focus();
  }, [symbols]);
  const remove = (symbol: string, index: number) =>
    settleInput(removeFromWatchlist(symbols, symbol), setError, (change) => {
      refocus.current = index;
      onChange(change.symbols);
    });

  return (
    <form onSubmit={add} noValidate className="flex flex-col gap-2" aria-label="Watchlist">
      <TextField
        label="Add symbol"
        complaint={complaint}
        hint={`${symbols.length} of ${MAX_SYMBOLS} symbols. Separate several with commas.`}
        inputRef={inputRef}
        className="w-40 flex-1 font-mono uppercase placeholder:normal-case sm:flex-none"
        name="symbol"
        value={draft}
        onText={setDraft}
        autoCapitalize="characters"
        maxLength={200}
        placeholder="e.g. AAPL"
        aria-keyshortcuts="a"
      >
        <button type="submit" className={secondaryButton}>
          Add
        </button>
      </TextField>
      <ul ref={list} className="flex flex-wrap gap-2" aria-label="Watched symbols">
        {symbols.map((s, index) => {
          const fresh = newBySymbol?.[s] ?? 0;
          return (
            <li
              key={s}
              data-symbol={s}
              className="flex items-center gap-2 rounded-full border border-blue-300 bg-blue-50 py-0.5 pr-0.5 pl-3 text-sm text-blue-950 dark:border-blue-700 dark:bg-blue-950 dark:text-blue-100"
            >
              <span className="font-mono font-semibold">{s}</span>
              {newBySymbol && (
                <span data-testid={`new-count-${s}`} className="rounded-full bg-white px-1.5 text-xs font-semibold text-blue-900 dark:bg-slate-900 dark:text-blue-200">
                  {fresh} new
                </span>
              )}
              <button
                type="button"
                aria-label={`Remove ${s}`}
                title={`Remove ${s}`}
                onClick={() => remove(s, index)}
                className={`flex h-7 w-7 items-center justify-center rounded-full text-base leading-none hover:bg-blue-100 dark:hover:bg-blue-900 ${focusRing}`}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          );
        })}
      </ul>
    </form>
  );
}
