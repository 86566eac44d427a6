import { beforeAll, describe, expect, it } from 'vitest';
import { formatSseEvent } from '@/lib/api/sse-events';
import { streamDriver } from '@/tests/support/news-stream';
import type { StreamEvent } from '@/lib/stream/events';

/** The offline path the README's first command shows: NEWS_FEEDS=demo, no network at all. */
let tool: typeof import('@/lib/stream/news-stream');
let driver: ReturnType<typeof streamDriver>;
beforeAll(async () => {
  process.env.NEWS_FEEDS = 'demo';
  process.env.LOG_LEVEL = 'error';
  (await import('@/lib/config/settings')).resetSettings();
  tool = await import('@/lib/stream/news-stream');
  driver = streamDriver(tool, await import('@/lib/stream/snapshot'));
});


describe('streamMarketNews with NEWS_FEEDS=demo', () => {
  it('runs the seed\'s sequence offline: connected (labelled demo), demo news within limit, Stream complete', async () => {
    const events: StreamEvent[] = [];
    const started = Date.now();
    for await (const event of driver.stream({ symbol: 'TSLA', interval: 1000, duration: 2500, limit: 5 }, { signal: new AbortController().signal })) {
      events.push(event);
    }
    expect(Date.now() - started).toBeLessThan(4000);
    expect(events[0]).toMatchObject({ type: 'connected', demo: true, symbols: ['TSLA'] });
    expect(events.at(-1)!.type).toBe('complete');
    const news = events.filter((e): e is StreamEvent & { type: 'news' } => e.type === 'news');
    expect(news.length).toBeGreaterThanOrEqual(2);
    expect(news[0]!.articles).toHaveLength(5);
    for (const article of news.flatMap((n) => n.articles)) {
      expect(article.title.startsWith('[Demo]')).toBe(true);
      expect(article.source).toMatch(/demo/i);
    }
    // The wire form says so too.
    expect(formatSseEvent(events[0]!, 'tok')).toContain('\\"demo\\":true');
  });

  it('getMarketNews answers at once with labelled demo articles', async () => {
    const started = Date.now();
    const result = await driver.latest('NVDA', 7);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.demo).toBe(true);
    expect(result.articles).toHaveLength(7);
    expect(result.articles.every((a) => a.title.startsWith('[Demo]'))).toBe(true);
    expect(result.articles.some((a) => a.scope === 'symbol' && a.title.includes('NVDA'))).toBe(true);
  });
});
