import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcOnSignalEnv, healthOf, liveHeapOf, marketFeedPath, startCluster, streamView, symbolFeedPath, type Cluster } from '@/tests/support/cluster';
import { rssFeed, type FeedBehaviour, type FeedItem } from '@/tests/support/feed-server';
import { openSse, type SseStream } from '@/tests/support/sse-client';
import { sleep, waitUntil } from '@/tests/support/wait';

/**
 * Upstream faults and a soak on the two-instance cluster (tests/support/cluster.ts). Each fault is
 * injected on its own symbol's feed, so the faults run side by side, one per feed, while the
 * market feed keeps delivering.
 */
let cluster: Cluster;
const PERIOD = 1000;
const MB = 1024 * 1024;

const item = (prefix: string, i: number, published = new Date()): FeedItem => ({
  id: `${prefix}-${i}`,
  title: `${prefix} story number ${i} in the fault test`,
  link: `https://news.example/${prefix}/${i}`,
  published,
});

beforeAll(async () => {
  // A 2 s fetch timeout and the default 5 MB body cap.
  cluster = await startCluster({ env: gcOnSignalEnv });
  cluster.feeds.set(marketFeedPath, rssFeed('Market', [item('mkt', 0, new Date(Date.now() - 60_000))]));
});

afterAll(async () => {
  await cluster?.stop();
});

const faults: Record<string, FeedBehaviour> = {
  FHANG: { kind: 'hang' },
  FRESET: { kind: 'reset' },
  F500: { kind: 'status', status: 500 },
  F429: { kind: 'status', status: 429, retryAfter: '5' },
  FHTML: { kind: 'feed', body: '<!doctype html><html><body><h1>Access denied</h1></body></html>', contentType: 'text/html; charset=utf-8' },
  FGARB: { kind: 'feed', body: '\u0000\u0001garbage{{{<<rss' + 'x'.repeat(5000), contentType: 'application/rss+xml' },
  FHUGE: { kind: 'huge', bytes: 30 * MB },
  FDRIP: { kind: 'drip', body: rssFeed('Drip', [item('drip', 0)]), bytesPerChunk: 4, everyMs: 200 },
};

describe('upstream faults while streams run on both instances', () => {
  it('hang, reset, 500, 429, HTML, garbage, 30 MB, slow drip: streams carry on with warnings, the feed is backed off, memory stays flat', async () => {
    const rssBefore = await Promise.all(cluster.apps.map(async (app) => (await healthOf(app)).memory.rssBytes));
    for (const [symbol, behaviour] of Object.entries(faults)) cluster.feeds.set(symbolFeedPath(symbol), behaviour);
    cluster.feeds.resetCounts();
    const started = Date.now();
    const symbols = Object.keys(faults);
    const streams: Array<{ symbol: string; stream: SseStream }> = [];
    for (const symbol of symbols) {
      for (const app of cluster.apps) {
        streams.push({ symbol, stream: await openSse(`${app.url}/api/mcp/stream-news?symbol=${symbol}&interval=${PERIOD}&duration=8000&limit=50`) });
      }
    }
    await sleep(3000);
    const fresh = item('mkt', 1);
    cluster.feeds.set(marketFeedPath, rssFeed('Market', [fresh, item('mkt', 0, new Date(Date.now() - 60_000))]));
    await Promise.all(streams.map((s) => s.stream.done));
    const elapsed = Date.now() - started;

    for (const { symbol, stream } of streams) {
      const view = streamView(stream.events);
      expect(view.final, symbol).toMatchObject({ isError: false });
      // A news event every period despite the fault (8 s stream; allow a slow start).
      expect(view.newsEvents.length, symbol).toBeGreaterThanOrEqual(5);
      expect(view.warnings.length, `${symbol} shows the failing feed as a warning`).toBeGreaterThan(0);
      expect(view.articleIds.filter((id) => id === fresh.id), `${symbol} still gets market news, once`).toHaveLength(1);
    }
    for (const symbol of symbols) {
      const count = cluster.feeds.count(symbolFeedPath(symbol));
      // Backoff doubles from one period (1, 2, 4 s) and is shared by both instances: at most ~4
      // attempts in 8 s for the whole deployment, where two instances polling every second would make ~16.
      expect(count, `${symbol}: ${count} requests in ${elapsed} ms`).toBeLessThanOrEqual(symbol === 'F429' ? 3 : 5);
      expect(count, symbol).toBeGreaterThanOrEqual(1);
    }
    const rssAfter = await Promise.all(cluster.apps.map(async (app) => (await healthOf(app)).memory.rssBytes));
    rssAfter.forEach((rss, i) => expect(rss - rssBefore[i]!, 'RSS growth').toBeLessThan(150 * MB));
    for (const app of cluster.apps) {
      const health = await healthOf(app);
      const failing = health.feeds.filter((f) => symbols.some((s) => f.feed.endsWith(symbolFeedPath(s))));
      expect(failing.length).toBeGreaterThan(0);
      expect(failing.every((f) => f.consecutiveFailures > 0)).toBe(true);
    }
  });
});

/** Streams per soak cycle: 200 keeps the file within CI's few minutes on 2 shared cores; SOAK_STREAMS=500 for the full soak. */
const SOAK_STREAMS = Number(process.env.SOAK_STREAMS ?? 200);

describe('soak', () => {
  it(`20 cycles of ${SOAK_STREAMS} streams opened and dropped across both instances: activeStreams back to 0 each time, memory not growing`, async () => {
    cluster.feeds.set(symbolFeedPath('SOAK'), rssFeed('Soak', [item('soak', 0, new Date(Date.now() - 60_000))]));
    const samples: number[][] = cluster.apps.map(() => []);
    const heaps: number[][] = cluster.apps.map(() => []);
    for (let cycle = 0; cycle < 20; cycle++) {
      const cycleStart = Date.now();
      const streams = await Promise.all(
        Array.from({ length: SOAK_STREAMS }, (_, i) => openSse(`${cluster.apps[i % 2]!.url}/api/mcp/stream-news?symbol=SOAK&interval=5000&duration=60000`)),
      );
      await Promise.all(streams.map((s) => s.waitFor((ev) => ev.length >= 1, 20_000)));
      for (const s of streams) s.close();
      for (const [i, app] of cluster.apps.entries()) {
        await waitUntil(async () => (await healthOf(app)).activeStreams === 0, 10_000, `cycle ${cycle}: instance ${i} back to 0 streams`);
        const memory = await liveHeapOf(app);
        samples[i]!.push(memory.rssBytes);
        heaps[i]!.push(memory.heapUsedBytes);
      }
      if (process.env.SOAK_VERBOSE) console.log(`soak cycle ${cycle}: ${Date.now() - cycleStart} ms, RSS ${samples.map((x) => Math.round(x.at(-1)! / MB)).join('/')} MB, heap ${heaps.map((x) => Math.round(x.at(-1)! / MB)).join('/')} MB`);
    }
    // Heap measured after a forced full GC is the live heap. After warm-up (JIT, pools, caches) it
    // must stay level: 8 MB over the ~1 500 streams each instance sees after cycle 4 would mean a
    // leak of ~5 KB per stream. RSS only as a loose sanity bound (the allocator keeps freed pages).
    samples.forEach((series, i) => {
      const heap = heaps[i]!;
      const mb = (xs: number[]) => xs.map((b) => Math.round(b / MB)).join(' ');
      expect(heap.at(-1)! - heap[4]!, `instance ${i} live heap MB per cycle: ${mb(heap)}`).toBeLessThan(8 * MB);
      expect(series.at(-1)! - series[4]!, `instance ${i} RSS MB per cycle: ${mb(series)}`).toBeLessThan(64 * MB);
    });
  }, 180_000);
});
