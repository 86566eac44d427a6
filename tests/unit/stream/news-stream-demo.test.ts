import { beforeAll, describe, expect, it } from 'vitest';
import { formatSseEvent } from '@/lib/api/sse-events';
import type { StreamParams } from '@/lib/contract/query';
import { createCursorCodec, scopeOf, type StreamCursor } from '@/lib/stream/cursor';
import { readCursor, TEST_CURSOR_SECRET } from '@/tests/support/cursors';
import type { StreamEvent } from '@/lib/stream/events';

/** The offline path the README's first command shows: NEWS_FEEDS=demo, no network at all. */
let tool: typeof import('@/lib/stream/news-stream');
let snapshot: typeof import('@/lib/stream/snapshot');
beforeAll(async () => {
  process.env.NEWS_FEEDS = 'demo';
  process.env.LOG_LEVEL = 'error';
  (await import('@/lib/config/settings')).resetSettings();
  tool = await import('@/lib/stream/news-stream');
  snapshot = await import('@/lib/stream/snapshot');
});

/** A single-symbol request as the query parser gives it. */
type OneSymbol = Omit<StreamParams, 'symbols' | 'watchlist'> & { symbol: string };
const asParams = ({ symbol, ...rest }: OneSymbol): StreamParams => ({ ...rest, symbols: [symbol], watchlist: false });

/** A stream as the session runs it: planned (new, or resumed from a cursor), signed, then iterated. */
function stream(request: OneSymbol, options: { signal: AbortSignal; resume?: StreamCursor; since?: string }) {
  const { since, signal } = options;
  const params = asParams(request);
  const after = since === undefined ? undefined : since.startsWith('v3.') ? { cursor: readCursor(since) } : { time: Date.parse(since) };
  const plan = tool.planStream(params.duration, options.resume);
  return tool.streamMarketNews(params, plan, { signal, codec: createCursorCodec(TEST_CURSOR_SECRET), scope: scopeOf(params.symbols), after });
}

/** A snapshot as /api/news serves it (no request: no limits). */
async function latest(symbol: string, limit: number) {
  const outcome = await snapshot.marketNewsFor(undefined, 'news', { symbols: [symbol], watchlist: false, limit }, undefined, new AbortController().signal);
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return outcome.news;
}

describe('streamMarketNews with NEWS_FEEDS=demo', () => {
  it('runs the seed\'s sequence offline: connected (labelled demo), demo news within limit, Stream complete', async () => {
    const events: StreamEvent[] = [];
    const started = Date.now();
    for await (const event of stream({ symbol: 'TSLA', interval: 1000, duration: 2500, limit: 5 }, { signal: new AbortController().signal })) {
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
    const result = await latest('NVDA', 7);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.demo).toBe(true);
    expect(result.articles).toHaveLength(7);
    expect(result.articles.every((a) => a.title.startsWith('[Demo]'))).toBe(true);
    expect(result.articles.some((a) => a.scope === 'symbol' && a.title.includes('NVDA'))).toBe(true);
  });
});
