import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentSecret, readCursor } from '@/tests/support/cursors';
import { duplicates, healthOf, liveFeed, marketFeedPath, startCluster, streamView, symbolFeedPath, type Cluster } from '@/tests/support/cluster';
import { rssFeed } from '@/tests/support/feed-server';
import { openSse, type SseStream } from '@/tests/support/sse-client';
import { sleep } from '@/tests/support/wait';

/**
 * The same two-instance deployment, but reaching Redis only through the Upstash REST protocol (the
 * bridge in tests/support/upstash-rest-bridge.ts runs each command on the real redis-server). REST
 * cannot hold a subscription: instances read the shared result once per period instead of being
 * pushed it. Sharing, exactly-once delivery and resume on the other instance must hold all the same.
 */
let cluster: Cluster;
const PERIOD = 1000;

beforeAll(async () => {
  cluster = await startCluster({ upstash: true });
  cluster.feeds.set(marketFeedPath, rssFeed('Market', []));
});

afterAll(async () => {
  await cluster?.stop();
});

describe('two instances sharing state over Upstash REST', () => {
  it('one upstream fetch per feed per period in total; every stream gets a new article once; a stream moved to the other instance continues exactly', async () => {
    const feed = liveFeed(cluster, symbolFeedPath('UPS'), 'ups');
    const [a, b] = cluster.apps as [(typeof cluster.apps)[0], (typeof cluster.apps)[0]];
    const url = (base: string) => `${base}/api/mcp/stream-news?symbol=UPS&interval=${PERIOD}&duration=10000&limit=50`;
    const streams = await Promise.all(Array.from({ length: 20 }, (_, i) => openSse(url((i % 2 ? b : a).url))));
    await Promise.all(streams.map((s) => s.waitFor((ev) => streamView(ev).newsEvents.length >= 1, 15_000)));

    cluster.feeds.resetCounts();
    const windowStart = Date.now();
    await sleep(1500);
    const added = feed.add();
    // Four of A's clients drop and reconnect to B with their last event id.
    await sleep(1000);
    const moved = [0, 2, 4, 6];
    const resumed = new Map<number, SseStream>();
    for (const i of moved) {
      streams[i]!.close();
      await streams[i]!.done;
      resumed.set(i, await openSse(url(b.url), { 'Last-Event-ID': streamView(streams[i]!.events).lastId! }));
    }
    const late = feed.add();
    await sleep(2500);
    const windowMs = Date.now() - windowStart;
    const count = cluster.feeds.count(symbolFeedPath('UPS'));
    await Promise.all([...streams, ...resumed.values()].map((s) => s.done));

    expect(count, `${count} fetches in ${windowMs} ms`).toBeLessThanOrEqual(Math.ceil(windowMs / PERIOD) + 1);
    expect(count).toBeGreaterThanOrEqual(2);
    const secret = await deploymentSecret(cluster.redis.url);
    streams.forEach((s, i) => {
      const again = resumed.get(i);
      const ids = [...streamView(s.events).articleIds, ...(again ? streamView(again.events).articleIds : [])];
      expect(duplicates(ids), `stream ${i}`).toEqual([]);
      expect(new Set(ids), `stream ${i}`).toEqual(new Set(feed.items.map((x) => x.id)));
      expect(ids.filter((id) => id === added.id || id === late.id)).toHaveLength(2);
      expect(streamView((again ?? s).events).final, `stream ${i}`).toMatchObject({ isError: false });
      if (again) {
        const before = readCursor(streamView(s.events).lastId!, secret);
        expect(before.shared, 'the id carries deployment-wide numbers').toBeDefined();
        expect(again.events.filter((e) => e.id).every((e) => readCursor(e.id!, secret).endsAt === before.endsAt)).toBe(true);
      }
    });

    const commands = new Set(cluster.bridge!.commands());
    for (const command of ['EVAL', 'GET', 'SET']) expect(commands.has(command), command).toBe(true);
    for (const app of cluster.apps) {
      const ups = (await healthOf(app)).feeds.find((f) => f.feed.endsWith(symbolFeedPath('UPS')));
      expect(ups?.mode).toBe('shared');
    }
  });
});
