import { matchesArticle, type ParsedQuery } from '@/lib/contract/filters';
import type { ListedArticle } from './articles';

/*
 * The page keeps one list of everything it received this visit and shows the part that belongs to
 * the current watchlist and filter. Hiding instead of deleting means that removing a symbol and
 * adding it back, or clearing a filter, shows those articles again without flagging them new.
 */

/** The watched tickers an article's badges show; none means it shows as Market-wide. */
export function shownSymbols(article: Pick<ListedArticle, 'symbols'>, watched: ReadonlySet<string>): string[] {
  return article.symbols.filter((s) => watched.has(s));
}

/**
 * Whether an article belongs on the page: it concerns a watched ticker, or it is market-wide news
 * (from a market feed, or tagged with no ticker at all). A per-symbol feed's item for a ticker that
 * was removed from the watchlist goes.
 */
export function belongsToWatchlist(article: Pick<ListedArticle, 'symbols' | 'scope'>, watched: ReadonlySet<string>): boolean {
  return article.scope === 'market' || article.symbols.length === 0 || article.symbols.some((s) => watched.has(s));
}

export function visibleArticles(list: readonly ListedArticle[], watchlist: readonly string[], query: ParsedQuery | null): ListedArticle[] {
  const watched = new Set(watchlist);
  return list.filter((a) => belongsToWatchlist(a, watched) && (query === null || matchesArticle(query, a)));
}

/** Articles that arrived over the live stream since `since` (the Start press), per watched ticker and in all. */
/**
 * Whether an article arrived during the session that started at `since` (null: none has). One rule
 * for the counts and the rows' "New" marks, so a restart clears both together.
 */
export function arrivedSince(article: ListedArticle, since: number | null): article is ListedArticle & { arrivedAt: number } {
  return since !== null && article.arrivedAt !== undefined && article.arrivedAt >= since;
}

export function newArticleCounts(
  visible: readonly ListedArticle[],
  watchlist: readonly string[],
  since: number | null,
): { total: number; bySymbol: Record<string, number> } {
  const bySymbol: Record<string, number> = Object.fromEntries(watchlist.map((s) => [s, 0]));
  let total = 0;
  for (const a of visible) {
    if (!arrivedSince(a, since)) continue;
    total += 1;
    for (const s of a.symbols) if (Object.hasOwn(bySymbol, s)) bySymbol[s] = (bySymbol[s] ?? 0) + 1;
  }
  return { total, bySymbol };
}
