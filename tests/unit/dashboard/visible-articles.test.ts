import { describe, expect, it } from 'vitest';
import { parseQuery, type ParsedQuery } from '@/lib/contract/filters';
import { mergeArticles } from '@/lib/dashboard/articles';
import { arrivedSince, belongsToWatchlist, newArticleCounts, shownSymbols, visibleArticles } from '@/lib/dashboard/visible-articles';
import { received } from './fixtures';

const q = (text: string): ParsedQuery => {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.query;
};

const list = mergeArticles(
  [],
  [
    received('t', 1, { symbols: ['TSLA'], title: 'Tesla earnings beat' }),
    received('a', 2, { symbols: ['AAPL'], title: 'Apple recall' }),
    received('ta', 3, { symbols: ['TSLA', 'AAPL'], title: 'Tesla and Apple earnings' }),
    received('m', 4, { scope: 'market', symbols: [], title: 'Stocks open higher' }),
    received('mt', 5, { scope: 'market', symbols: ['TSLA'], title: 'Why TSLA moved' }),
  ],
  1_000,
).list;

describe('what the page shows', () => {
  it('shows articles of watched tickers and market-wide news, hides removed tickers’ own news', () => {
    expect(visibleArticles(list, ['TSLA', 'AAPL'], null).map((a) => a.id)).toEqual(['mt', 'm', 'ta', 'a', 't']);
    expect(visibleArticles(list, ['AAPL'], null).map((a) => a.id)).toEqual(['mt', 'm', 'ta', 'a']);
  });

  it('badges only watched tickers; market news naming none of them shows as Market-wide', () => {
    const watched = new Set(['AAPL']);
    expect(shownSymbols(list.find((a) => a.id === 'ta')!, watched)).toEqual(['AAPL']);
    expect(shownSymbols(list.find((a) => a.id === 'mt')!, watched)).toEqual([]);
    expect(belongsToWatchlist({ scope: 'symbol', symbols: [] }, watched)).toBe(true);
  });

  it('applies the filter to what is already listed', () => {
    expect(visibleArticles(list, ['TSLA', 'AAPL'], q('earnings')).map((a) => a.id)).toEqual(['ta', 't']);
    expect(visibleArticles(list, ['TSLA', 'AAPL'], q('-apple')).map((a) => a.id)).toEqual(['mt', 'm', 't']);
  });

  it('counts new arrivals per watched ticker since Start', () => {
    const shown = visibleArticles(list, ['TSLA', 'AAPL', 'NVDA'], null);
    expect(newArticleCounts(shown, ['TSLA', 'AAPL', 'NVDA'], 1_000)).toEqual({ total: 5, bySymbol: { TSLA: 3, AAPL: 2, NVDA: 0 } });
    expect(newArticleCounts(shown, ['TSLA'], 2_000)).toEqual({ total: 0, bySymbol: { TSLA: 0 } });
    expect(newArticleCounts(shown, ['TSLA'], null)).toEqual({ total: 0, bySymbol: { TSLA: 0 } });
  });

  it('marks New exactly what it counts: a restart (a later Start) unmarks the earlier session\'s arrivals', () => {
    const shown = visibleArticles(list, ['TSLA', 'AAPL', 'NVDA'], null);
    for (const since of [null, 1_000, 2_000]) {
      const marked = shown.filter((a) => arrivedSince(a, since)).length;
      expect(marked).toBe(newArticleCounts(shown, ['TSLA', 'AAPL', 'NVDA'], since).total);
    }
    expect(shown.filter((a) => arrivedSince(a, 1_000)).length).toBeGreaterThan(0);
    expect(shown.filter((a) => arrivedSince(a, 2_000))).toEqual([]);
  });
});
