import { z } from 'zod';
import { DEFAULT_SYMBOL, MAX_SYMBOLS, SYMBOL_PATTERN } from '@/lib/contract/symbols';
import { checkFilter } from './filter-input';

/**
 * What the user is watching: the tickers and the applied filter. It lives in the address bar
 * (`?symbols=TSLA,AAPL&q=earnings`, so a view can be shared) and in localStorage (so a plain
 * `/dashboard` opens the last one used in this browser).
 */
export interface WatchView {
  symbols: string[];
  /** The applied filter in the `q` syntax; '' for none. */
  q: string;
}

export const VIEW_KEY = 'market-pulse.watchlist';

const storedView = z.object({
  symbols: z.array(z.string().regex(SYMBOL_PATTERN)).min(1).max(MAX_SYMBOLS),
  q: z.string().refine((q) => checkFilter(q).ok),
});

/** localStorage is user-editable and may be unavailable (private mode): anything odd reads as nothing. */
export function loadView(storage: Pick<Storage, 'getItem'> | undefined): WatchView | null {
  try {
    const raw = storage?.getItem(VIEW_KEY);
    if (!raw) return null;
    const parsed = storedView.safeParse(JSON.parse(raw));
    return parsed.success ? { symbols: [...new Set(parsed.data.symbols)], q: parsed.data.q } : null;
  } catch {
    return null;
  }
}

export function saveView(storage: Pick<Storage, 'setItem'> | undefined, view: WatchView): void {
  try {
    storage?.setItem(VIEW_KEY, JSON.stringify(view));
  } catch {
    // Quota or privacy mode: remembering the list is a convenience, never worth an error.
  }
}

/**
 * The address for `view`, keeping every other parameter (interval, duration). The canonical form is
 * `symbols=` (the older `symbol=` is dropped once the list changes) and `q` only when a filter is set.
 * Returns `href` itself when the address already spells exactly this view, so nothing is rewritten
 * needlessly. Compared as text: a link whose symbols or filter the page could not use as given
 * (invalid entries dropped, a list cut to 25, a filter refused) is corrected to what the page shows.
 */
export function urlWithView(href: string, view: WatchView): string {
  const url = new URL(href);
  const spelled = url.searchParams.get('symbols') ?? url.searchParams.get('symbol') ?? DEFAULT_SYMBOL;
  if ((url.searchParams.get('q') ?? '') === view.q && spelled === view.symbols.join(',')) return href;
  url.searchParams.delete('symbol');
  url.searchParams.set('symbols', view.symbols.join(','));
  if (view.q) url.searchParams.set('q', view.q);
  else url.searchParams.delete('q');
  // URLSearchParams writes "," as %2C; tickers never contain a comma, so the readable form is safe.
  return url.toString().replace(/(symbols=[^&#]*)/, (m) => m.replace(/%2C/gi, ','));
}
