import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followWithSince, repeated } from '@/tests/support/chain';
import { liveFeed, marketFeedPath, startCluster, streamView, symbolFeedPath, type Cluster } from '@/tests/support/cluster';
import { rssFeed } from '@/tests/support/feed-server';
import { openSse } from '@/tests/support/sse-client';
import { sleep } from '@/tests/support/wait';

/**
 * Two instances sharing Redis: watchlists still fetch each feed once per period for the whole
 * deployment, and a client chaining streams with `since` across both instances loses nothing and
 * sees nothing twice, even when the instance it was on is killed.
 */
let cluster: Cluster;
const PERIOD = 1000;

beforeAll(async () => {
  cluster = await startCluster({ env: { STREAM_MAX_DURATION_MS: '5000' } });
  cluster.feeds.set(marketFeedPath, rssFeed('Market', []));
});
afterAll(async () => {
  await cluster?.stop();
});

describe('watchlists across two instances', () => {
  it('20 watchlists of 5 symbols from a pool of 8 fetch each feed once per period for the deployment', async () => {
    const pool = ['WA', 'WB', 'WC', 'WD', 'WE', 'WF', 'WG', 'WH'];
    for (const symbol of pool) liveFeed(cluster, symbolFeedPath(symbol), symbol.toLowerCase(), 2);
    const lists = Array.from({ length: 20 }, (_, i) => Array.from({ length: 5 }, (_, j) => pool[(i + j * 3) % pool.length]!));
    const streams = await Promise.all(
      lists.map((list, i) => openSse(`${cluster.apps[i % 2]!.url}/api/mcp/stream-news?symbols=${list.join(',')}&interval=${PERIOD}&duration=5000&limit=50`)),
    );
    try {
      expect(streams.every((s) => s.status === 200)).toBe(true);
      await Promise.all(streams.map((s) => s.waitFor((ev) => streamView(ev).newsEvents.length >= 1, 15_000)));
      cluster.feeds.resetCounts();
      const started = Date.now();
      await sleep(3000);
      const periods = (Date.now() - started) / PERIOD;
      for (const path of [...pool.map(symbolFeedPath), marketFeedPath]) {
        // One per period for the deployment (a round may straddle the window's edges); each of the
        // 20 streams on its own would make 20.
        expect(cluster.feeds.count(path), path).toBeLessThanOrEqual(Math.ceil(periods) + 1);
      }
    } finally {
      streams.forEach((s) => s.close());
    }
  });
});

// Before the chained streams below: they kill instance A for good.
describe('since a connected event of the other instance', () => {
  // The reconnect of a page that saw only `connected` lands on any instance. Feeds stamp whole
  // seconds, often before the article reaches the deployment: compared by that stamp, an article
  // that arrived after the cursor but was stamped before it was lost.
  it('brings what reached the deployment after it, even when stamped before it', async () => {
    const feed = liveFeed(cluster, symbolFeedPath('SCX'), 'scx', 2);
    const [a, b] = cluster.apps as [Cluster['apps'][0], Cluster['apps'][0]];
    const query = `symbol=SCX&interval=${PERIOD}&duration=5000&limit=50`;
    // The feed is followed before the cursor is taken, so what it already held arrived before it.
    const warm = await openSse(`${a.url}/api/mcp/stream-news?${query}`);
    let dropped: Awaited<ReturnType<typeof openSse>> | undefined;
    try {
      await warm.waitFor((ev) => streamView(ev).newsEvents.length >= 1, 15_000);
      dropped = await openSse(`${a.url}/api/mcp/stream-news?${query}`);
      await dropped.waitFor((ev) => streamView(ev).connected.length === 1, 15_000);
    } finally {
      warm.close();
      dropped?.close();
    }
    const connected = dropped!.events.find((e) => e.id)!;
    const { timestamp } = streamView([connected]).connected[0]!;
    const late = feed.add(new Date(Date.parse(timestamp) - 5_000));
    await sleep(PERIOD + 500); // past the feed's period: the catch-up fetches it again

    const caughtUp = await openSse(`${b.url}/api/mcp/stream-news?${query.replace('duration=5000', 'duration=3000')}&since=${encodeURIComponent(connected.id!)}`);
    try {
      expect(caughtUp.status).toBe(200);
      await caughtUp.waitFor((ev) => streamView(ev).newsEvents.length >= 1, 15_000);
      expect(streamView(caughtUp.events).newsEvents[0]!.news.articles.map((x) => x.id)).toEqual([late.id]);
    } finally {
      caughtUp.close();
    }
  }, 45_000);
});

describe('chained streams across two instances', () => {
  it('a client alternating instances with since gets every article once, also after its instance is killed', async () => {
    const feed = liveFeed(cluster, symbolFeedPath('CHX'), 'chx', 1);
    const ticker = setInterval(() => feed.add(), 1000);
    const [a, b] = cluster.apps as [Cluster['apps'][0], Cluster['apps'][0]];
    const until = Date.now() + 30_000;
    // A load balancer: streams alternate between the instances until A is killed (mid-stream, at
    // 12 s); from then on only B answers.
    let killed = false;
    const kill = sleep(12_000).then(async () => {
      killed = true;
      await a.stop('SIGKILL');
    });
    let chain;
    try {
      chain = await followWithSince((i) => (i % 2 === 0 && !killed ? a.url : b.url), `symbol=CHX&interval=${PERIOD}&duration=5000&limit=50`, until);
    } finally {
      clearInterval(ticker);
      await kill;
    }
    expect(chain.statuses.every((s) => s === 200)).toBe(true);
    expect(chain.urls.some((u) => u.startsWith(a.url))).toBe(true);
    expect(repeated(chain.received)).toEqual([]);
    const got = new Set(chain.received.map((r) => r.id));
    const due = feed.items.filter((x) => x.addedAt < until - 3 * PERIOD).map((x) => x.id);
    expect(due.filter((id) => !got.has(id))).toEqual([]);
  }, 60_000);
});
