import { describe, expect, it } from 'vitest';
import type { Story } from '@/lib/news/hub/merge-stories';
import { tagSymbols } from '@/lib/news/hub/tag-symbols';

const owners: Record<string, string | undefined> = { 'yahoo/TSLA': 'TSLA', 'yahoo/AAPL': 'AAPL', cnbc: undefined };
/** The story as the hub has it: its article carries the first feed's own tags (article-registry.ts). */
const story = (feeds: string[], title: string, summary = ''): Story => {
  const owner = owners[feeds[0]!];
  const article = { id: title, title, url: 'https://x.example/a', source: 's', scope: owner ? 'symbol' as const : 'market' as const, summary, symbols: owner ? [owner] : [] };
  return { item: { article, seq: 1, sortTime: 0, firstSeen: 0, arrived: false }, feeds: new Set(feeds), keys: new Set() };
};
const tags = (s: Story, symbols = ['TSLA', 'AAPL', 'NVDA']) => tagSymbols(s, symbols, (f) => owners[f]).article.symbols;

describe('which watched symbols an article concerns (contract §6.3)', () => {
  it('a per-symbol feed names exactly its symbol, even when the text names another watched ticker', () => {
    expect(tags(story(['yahoo/TSLA'], 'Tesla and AAPL suppliers meet'))).toEqual(['TSLA']);
  });

  it('a market-wide item names the watched tickers it mentions as whole words or $TICKER, else none', () => {
    expect(tags(story(['cnbc'], 'Chip stocks rally; $NVDA leads', 'AAPL flat'))).toEqual(['AAPL', 'NVDA']);
    expect(tags(story(['cnbc'], 'TSLAX fund outflows continue'))).toEqual([]);
    expect(tags(story(['cnbc'], 'Stocks open higher'))).toEqual([]);
  });

  it('a story in several feeds names each owner plus the mentions, in watchlist order', () => {
    expect(tags(story(['yahoo/AAPL', 'cnbc', 'yahoo/TSLA'], 'NVDA and Apple earnings'))).toEqual(['TSLA', 'AAPL', 'NVDA']);
  });

  it("a story tagged as its feed tags it goes out as it is; otherwise one copy per tag list, shared by every selection", () => {
    const own = story(['yahoo/TSLA'], 'Tesla deliveries beat estimates');
    expect(tagSymbols(own, ['TSLA', 'AAPL'], (f) => owners[f])).toBe(own.item);
    const quiet = story(['cnbc'], 'Stocks open higher');
    expect(tagSymbols(quiet, ['TSLA'], (f) => owners[f])).toBe(quiet.item);

    const named = story(['cnbc'], 'AAPL and $NVDA lead the rally');
    const forOne = tagSymbols(named, ['AAPL', 'NVDA'], (f) => owners[f]);
    expect(forOne).not.toBe(named.item);
    expect(forOne.article).toEqual({ ...named.item.article, symbols: ['AAPL', 'NVDA'] });
    expect(Object.keys(forOne.article)).toEqual(Object.keys(named.item.article));
    expect(tagSymbols(named, ['AAPL', 'NVDA', 'TSLA'], (f) => owners[f])).toBe(forOne);
    expect(named.item.article.symbols).toEqual([]);
  });
});
