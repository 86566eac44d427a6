import { afterEach, describe, expect, it, vi } from 'vitest';

const saved = { NEWS_FEEDS: process.env.NEWS_FEEDS, LOG_LEVEL: process.env.LOG_LEVEL };
afterEach(() => {
  vi.restoreAllMocks();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** Loads feeds.ts afresh under `NEWS_FEEDS` (env() and feedConfig() both cache), capturing log lines. */
async function loadWith(newsFeeds: string) {
  process.env.NEWS_FEEDS = newsFeeds;
  process.env.LOG_LEVEL = 'debug';
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
  vi.spyOn(console, 'warn').mockImplementation((line: unknown) => void lines.push(String(line)));
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  vi.resetModules();
  (await import('@/lib/config/settings')).resetSettings();
  const feeds = await import('@/lib/news/feeds');
  return { feeds, lines };
}

describe('NEWS_FEEDS from the environment', () => {
  it('valid per-symbol and market URLs become the symbol\'s feeds', async () => {
    const { feeds } = await loadWith('https://a.example/{symbol}.xml https://b.example/market.xml');
    expect(feeds.isDemoMode()).toBe(false);
    expect(feeds.feedsForSymbol('TSLA').map((f) => [f.url, f.scope])).toEqual([
      ['https://a.example/TSLA.xml', 'symbol'],
      ['https://b.example/market.xml', 'market'],
    ]);
  });

  // A NEWS_FEEDS typo (a URL without its scheme) skips that feed; the operator must be told which.
  it('an invalid entry is reported by name in the logs', async () => {
    const { feeds, lines } = await loadWith('www.example.com/rss.xml https://ok.example/{symbol}.xml');
    expect(feeds.feedsForSymbol('TSLA')).toHaveLength(1);
    expect(lines.join('\n')).toContain('www.example.com/rss.xml');
  });
});
