import { describe, expect, it } from 'vitest';
import type { Story } from '@/lib/news/hub/merge-stories';
import { tagSymbols } from '@/lib/news/hub/tag-symbols';

const story = (feeds: string[], title: string, summary = ''): Story => ({
  item: { article: { id: title, title, url: 'https://x.example/a', source: 's', scope: 'market', summary }, seq: 1, sortTime: 0, firstSeen: 0 },
  feeds: new Set(feeds),
  keys: new Set(),
});
const owners: Record<string, string | undefined> = { 'yahoo/TSLA': 'TSLA', 'yahoo/AAPL': 'AAPL', cnbc: undefined };
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
});
