import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  duplicates,
  healthOf,
  liveFeed as makeLiveFeed,
  marketFeedPath,
  startCluster,
  streamView,
  symbolFeedPath,
  type Cluster,
} from '@/tests/support/cluster';
import { deploymentSecret, readCursor } from '@/tests/support/cursors';
import { sleep, waitUntil } from '@/tests/support/wait';
import { openSse, type SseStream } from '@/tests/support/sse-client';

/**
 * Two `next start` instances, one redis-server, one feed server (tests/support/cluster.ts): shared
 * polling, fan-out, Redis outage and resume on the other instance after a SIGKILL.
 * Tests run in order and share the cluster; the kill comes last.
 */
let cluster: Cluster;
const PERIOD = 1000;

const liveFeed = (path: string, prefix: string) => makeLiveFeed(cluster, path, prefix);

const streamUrl = (base: string, symbol: string, duration: number) =>
  `${base}/api/mcp/stream-news?symbol=${symbol}&interval=${PERIOD}&duration=${duration}&limit=50`;

const firstNews = (streams: SseStream[]) => Promise.all(streams.map((s) => s.waitFor((ev) => streamView(ev).newsEvents.length >= 1, 15_000)));

let market: ReturnType<typeof liveFeed>;

beforeAll(async () => {
  cluster = await startCluster();
  market = liveFeed(marketFeedPath, 'mkt');
});

afterAll(async () => {
  await cluster?.stop();
});

describe('two instances sharing Redis', () => {
  it('100 streams on 3 symbols across both instances: one upstream fetch per feed per period in total; a new article reaches every stream exactly once', async () => {
    const symbols = ['AAA', 'BBB', 'CCC'];
    const feeds = Object.fromEntries(symbols.map((s) => [s, liveFeed(symbolFeedPath(s), s.toLowerCase())]));
    const streams = await Promise.all(
      Array.from({ length: 100 }, (_, i) => openSse(streamUrl(cluster.apps[i % 2]!.url, symbols[i % 3]!, 12_000))),
    );
    const symbolOf = (i: number) => symbols[i % 3]!;
    expect(streams.every((s) => s.status === 200)).toBe(true);
    await firstNews(streams);

    cluster.feeds.resetCounts();
    const windowStart = Date.now();
    await sleep(1500);
    const added = Object.fromEntries(symbols.map((s) => [s, feeds[s]!.add()]));
    const marketItem = market.add();
    await sleep(4500);
    const windowMs = Date.now() - windowStart;
    const counts = Object.fromEntries([...symbols.map(symbolFeedPath), marketFeedPath].map((p) => [p, cluster.feeds.count(p)]));
    await Promise.all(streams.map((s) => s.done));

    // Each instance polling on its own would make about two fetches per feed per period.
    const perPeriod = windowMs / PERIOD;
    for (const [path, count] of Object.entries(counts)) {
      expect(count, `${path}: ${count} fetches in ${windowMs} ms`).toBeLessThanOrEqual(Math.ceil(perPeriod) + 1);
      expect(count, path).toBeGreaterThanOrEqual(2);
    }

    streams.forEach((s, i) => {
      const view = streamView(s.events);
      expect(view.final, `stream ${i}`).toMatchObject({ isError: false });
      expect(duplicates(view.articleIds), `stream ${i}`).toEqual([]);
      // Initial items (limit 50 takes them all), then the two new ones, each exactly once.
      const expected = [...feeds[symbolOf(i)]!.items.map((x) => x.id), ...market.items.map((x) => x.id)];
      expect(new Set(view.articleIds), `stream ${i}`).toEqual(new Set(expected));
      expect(view.articleIds.filter((id) => id === added[symbolOf(i)]!.id || id === marketItem.id)).toHaveLength(2);
    });
  });

  it('Redis stopped mid-run and started again: streams carry on without gaps or repeats, each instance logs the switch once, shared polling resumes', async () => {
    const feed = liveFeed(symbolFeedPath('RDS'), 'rds');
    const duration = 15_000;
    const streams = await Promise.all(Array.from({ length: 6 }, (_, i) => openSse(streamUrl(cluster.apps[i % 2]!.url, 'RDS', duration))));
    await firstNews(streams);
    const endsAt = Date.parse(streamView(streams[0]!.events).connected[0]!.endsAt);
    const adder = setInterval(() => feed.add(), 800);
    try {
      await sleep(1500);
      await cluster.redis.stop();
      await sleep(4000);
      await cluster.redis.restart();
      // Reconnects back off up to 2 s; then one round to take the lease again.
      await sleep(3500);
      cluster.feeds.resetCounts();
      const windowStart = Date.now();
      await sleep(4000);
      const count = cluster.feeds.count(symbolFeedPath('RDS'));
      const windowMs = Date.now() - windowStart;
      expect(count, `${count} fetches in ${windowMs} ms after Redis returned`).toBeLessThanOrEqual(Math.ceil(windowMs / PERIOD) + 1);
      await Promise.all(streams.map((s) => s.done));
    } finally {
      clearInterval(adder);
    }

    // Items added up to two periods before the end must have been delivered.
    const due = feed.items.filter((x) => x.addedAt < endsAt - 2 * PERIOD - 500).map((x) => x.id);
    streams.forEach((s, i) => {
      const view = streamView(s.events);
      expect(view.final, `stream ${i}`).toMatchObject({ isError: false });
      expect(duplicates(view.articleIds), `stream ${i}`).toEqual([]);
      expect(due.filter((id) => !view.articleIds.includes(id)), `stream ${i} missed`).toEqual([]);
    });
    for (const app of cluster.apps) {
      expect(app.output().match(/news\.shared_unavailable/g) ?? [], 'logged once per outage').toHaveLength(1);
      expect(app.output()).toContain('news.shared_restored');
      const rds = (await healthOf(app)).feeds.find((f) => f.feed.endsWith(symbolFeedPath('RDS')));
      expect(rds?.mode).toBe('shared');
    }
  });

  it('instance A killed (SIGKILL) mid-stream: its clients resume on B with Last-Event-ID, no gap, no repeat, same endsAt, progress continuing', async () => {
    const [a, b] = cluster.apps as [typeof cluster.apps[0], typeof cluster.apps[0]];
    const feed = liveFeed(symbolFeedPath('KIL'), 'kil');
    const duration = 9000;
    // B also serves the symbol, as in a real deployment; A's clients are the ones that move.
    const onB = await openSse(streamUrl(b.url, 'KIL', duration));
    const streams = await Promise.all(Array.from({ length: 10 }, () => openSse(streamUrl(a.url, 'KIL', duration))));
    await firstNews([...streams, onB]);
    const adder = setInterval(() => feed.add(), 700);
    let resumed: SseStream[];
    try {
      await sleep(2500);
      await a.stop('SIGKILL');
      await Promise.all(streams.map((s) => s.done));
      resumed = await Promise.all(streams.map((s) => openSse(streamUrl(b.url, 'KIL', duration), { 'Last-Event-ID': streamView(s.events).lastId! })));
      await Promise.all(resumed.map((s) => s.done));
      onB.close();
    } finally {
      clearInterval(adder);
    }

    const before = streamView(streams[0]!.events);
    const endsAt = Date.parse(before.connected[0]!.endsAt);
    const due = feed.items.filter((x) => x.addedAt < endsAt - 2 * PERIOD - 500).map((x) => x.id);
    const secret = await deploymentSecret(cluster.redis.url);
    streams.forEach((s, i) => {
      const first = streamView(s.events);
      const second = streamView(resumed[i]!.events);
      expect(resumed[i]!.status).toBe(200);
      expect(first.final, 'the first connection was cut').toBeUndefined();
      // A resumed stream sends no second `connected`; its event ids name the same stream and end,
      // signed with the deployment's secret, and carry deployment-wide per-feed marks.
      const ids0 = readCursor(first.lastId!, secret);
      expect(ids0.shared).toBeDefined();
      const idsAfter = resumed[i]!.events.filter((e) => e.id).map((e) => readCursor(e.id!, secret));
      expect(idsAfter.length).toBeGreaterThan(0);
      const ownEnd = Date.parse(first.connected[0]!.endsAt);
      expect(ids0.endsAt).toBe(ownEnd);
      expect(idsAfter.every((c) => c.streamId === ids0.streamId && c.endsAt === ownEnd)).toBe(true);
      expect(second.final, `stream ${i}`).toMatchObject({ isError: false });
      // Ends on the original schedule (generous bound for a loaded 2-core machine).
      expect(Math.abs(resumed[i]!.events.at(-1)!.receivedAt - ownEnd)).toBeLessThan(3000);
      const ids = [...first.articleIds, ...second.articleIds];
      expect(duplicates(ids), `stream ${i} repeated`).toEqual([]);
      expect(due.filter((id) => !ids.includes(id)), `stream ${i} missed`).toEqual([]);
      // Progress continues from where the first connection stopped (news events only).
      const last = Math.max(...first.progress);
      expect(second.progress.length).toBeGreaterThan(0);
      expect(second.progress.every((p) => p > last)).toBe(true);
      expect(second.progress).toEqual([...second.progress].sort((x, y) => x - y));
    });
    // Sanity: the resume really went through new articles (else "no gap" would be trivial).
    expect(due.length).toBeGreaterThan(feed.items.length - 6);
    expect(streams.map((_, i) => streamView(resumed[i]!.events).articleIds.length).every((n) => n >= 3)).toBe(true);
    await waitUntil(async () => (await healthOf(b)).activeStreams === 0, 5000, 'B idle');
  });
});
