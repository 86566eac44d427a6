import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { rssFeed, startFeedServer, type FeedServer } from '@/tests/support/feed-server';
import { openSse, type SseStream } from '@/tests/support/sse-client';
import { sleep } from '@/tests/support/wait';

/**
 * NEWS_HOST_MAX_RPS (contract §6.5): every feed of this test lives on one host (the local feed
 * server). Ten feeds wanting a fetch every second each, with a budget of 3 a second: the host is
 * never asked more than 3 times in any one-second window, and the feeds' periods stretch instead,
 * as /api/health?detail=1 shows.
 */
let feeds: FeedServer;
let app: AppServer;
const symbols = Array.from({ length: 9 }, (_, i) => `HB${i}`);

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.setFallback(() => ({ kind: 'feed', body: rssFeed('Feed', []) }));
  app = await startApp({
    NEWS_FEEDS: `${feeds.url}/sym/{symbol}.xml ${feeds.url}/market.xml`,
    NEWS_MIN_POLL_MS: '1000',
    NEWS_HOST_MAX_RPS: '3',
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_STREAMS_PER_CLIENT: '0',
  });
});
afterAll(async () => {
  await app?.stop();
  await feeds?.close();
});

describe('per-host request budget', () => {
  it('never exceeds NEWS_HOST_MAX_RPS in any one-second window; periods stretch and health says by how much', async () => {
    const streams: SseStream[] = await Promise.all(symbols.map((s) => openSse(`${app.url}/api/mcp/stream-news?symbol=${s}&interval=1000&duration=15000`)));
    try {
      expect(streams.every((s) => s.status === 200)).toBe(true);
      await sleep(2000);
      feeds.resetCounts();
      await sleep(8000);
      const times = feeds.arrivals();
      // Ten feeds at one fetch a second would be ~80 requests in 8 s; the budget allows ~24.
      expect(times.length).toBeGreaterThan(15);
      for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!, `request ${i}`).toBeGreaterThanOrEqual(1000);
      const health = (await (await fetch(`${app.url}/api/health?detail=1`)).json()) as {
        feeds: Array<{ feed: string; periodMs?: number; effectivePeriodMs?: number }>;
      };
      const watched = health.feeds.filter((f) => f.periodMs !== undefined);
      expect(watched).toHaveLength(10);
      expect(watched.every((f) => f.periodMs === 1000)).toBe(true);
      // The market feed, watched by all nine streams, goes first; the nine per-symbol feeds share the
      // rest of three turns a second, so each waits about four seconds instead of one.
      const perSymbol = watched.filter((f) => f.feed.includes('/sym/')).map((f) => f.effectivePeriodMs ?? 0);
      expect(Math.min(...perSymbol)).toBeGreaterThan(1500);
    } finally {
      streams.forEach((s) => s.close());
    }
  });
});
