import { MAX_SYMBOLS } from '@/lib/contract/symbols';
import { checkSymbol, DEFAULT_SYMBOL } from './symbol';

/**
 * The watchlist: 1 to MAX_SYMBOLS distinct, valid tickers in the order the user added them. Every
 * refusal comes with a sentence for the user, shown next to the control; nothing refused is sent.
 */
export type WatchlistChange = { ok: true; symbols: string[]; added: string[] } | { ok: false; message: string };

/** Adds what the user typed: one ticker, or several separated by commas or spaces ("aapl, nvda"). */
export function addToWatchlist(list: readonly string[], input: string): WatchlistChange {
  const parts = input.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, message: 'Enter a ticker symbol, e.g. TSLA.' };
  const typo = shareClassWithSpace(input);
  if (typo) return { ok: false, message: `"${typo.typed}" looks like one ticker with its share class: write it ${typo.symbol}. To add several symbols, separate them with commas.` };
  const wanted: string[] = [];
  for (const part of parts) {
    const check = checkSymbol(part);
    if (!check.ok) return { ok: false, message: parts.length === 1 ? check.message : `"${part}" is not a ticker. ${check.message}` };
    if (!wanted.includes(check.symbol)) wanted.push(check.symbol);
  }
  const added = wanted.filter((s) => !list.includes(s));
  if (added.length === 0) {
    const [first] = wanted;
    return { ok: false, message: wanted.length === 1 ? `${first} is already on your watchlist.` : 'Those symbols are already on your watchlist.' };
  }
  if (list.length + added.length > MAX_SYMBOLS) {
    const room = MAX_SYMBOLS - list.length;
    return {
      ok: false,
      message:
        room === 0
          ? `A watchlist holds at most ${MAX_SYMBOLS} symbols: remove one before adding ${added.join(', ')}.`
          : `A watchlist holds at most ${MAX_SYMBOLS} symbols: there is room for ${room} more.`,
    };
  }
  return { ok: true, symbols: [...list, ...added], added };
}

/**
 * "BRK B" is how Berkshire's class B shares are often written, but split at the space it would add
 * BRK and B, two other companies, without a word. A ticker followed by one letter is asked about
 * instead, with the dotted form (BRK.B) the feeds use.
 */
function shareClassWithSpace(input: string): { typed: string; symbol: string } | null {
  for (const chunk of input.split(',')) {
    const words = chunk.trim().split(/\s+/);
    if (words.length !== 2 || !/^[a-z]$/i.test(words[1]!) || words[0]!.length < 2) continue;
    const check = checkSymbol(words.join('.'));
    if (check.ok) return { typed: words.join(' '), symbol: check.symbol };
  }
  return null;
}

export function removeFromWatchlist(list: readonly string[], symbol: string): WatchlistChange {
  if (!list.includes(symbol)) return { ok: true, symbols: [...list], added: [] };
  if (list.length === 1) return { ok: false, message: `A watchlist needs at least one symbol: add another before removing ${symbol}.` };
  return { ok: true, symbols: list.filter((s) => s !== symbol), added: [] };
}

/** A link's tickers as given: the distinct valid ones in order, and the entries that are not tickers. */
function readLinkTickers(symbols: string | undefined, symbol: string | undefined): { valid: string[]; invalid: string[] } | null {
  const raw = symbols ?? symbol;
  if (raw === undefined) return null;
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const part of raw.split(',')) {
    const check = checkSymbol(part);
    if (check.ok) {
      if (!valid.includes(check.symbol)) valid.push(check.symbol);
    } else if (part.trim() !== '') invalid.push(part.trim());
  }
  return { valid, invalid };
}

/**
 * Tickers from a link: `symbols=TSLA,AAPL` or the older `symbol=TSLA`. Invalid entries and repeats
 * are dropped and at most MAX_SYMBOLS kept, so a hand-edited link still opens; null when the link
 * names no usable symbol (the page then restores the list saved in this browser).
 */
export function watchlistFromParams(symbols: string | undefined, symbol: string | undefined): string[] | null {
  const list = readLinkTickers(symbols, symbol)?.valid.slice(0, MAX_SYMBOLS) ?? [];
  return list.length > 0 ? list : null;
}

/**
 * What the page says about a link's tickers it could not use as written (watchlistFromParams drops
 * them without a word): invalid entries, and a list longer than a watchlist holds.
 */
export function watchlistNotices(symbols: string | undefined, symbol: string | undefined): string[] {
  const tickers = readLinkTickers(symbols, symbol);
  if (!tickers) return [];
  const { valid, invalid } = tickers;
  const notices: string[] = [];
  if (invalid.length > 0) {
    const shown = invalid.slice(0, 3).map((part) => `"${part.slice(0, 20)}"`).join(', ') + (invalid.length > 3 ? ' …' : '');
    const fallback = valid.length === 0 ? ` It names no ticker the page can use, so it shows your last watchlist (or ${DEFAULT_SYMBOL}) instead.` : '';
    notices.push(`The link's ${shown} ${invalid.length === 1 ? 'is not a ticker and was' : 'are not tickers and were'} left out.${fallback}`);
  }
  if (valid.length > MAX_SYMBOLS) notices.push(`The link lists ${valid.length} symbols; a watchlist holds ${MAX_SYMBOLS}, so the first ${MAX_SYMBOLS} are shown.`);
  return notices;
}
