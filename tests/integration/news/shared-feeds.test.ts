import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { FeedPoller as FeedPollerClass } from '@/lib/news/poll/feed-poller';
import type { FeedSpec } from '@/lib/news/feeds';
import type { RedisLink } from '@/lib/news/shared/redis-link';
import { rssFeed, startFeedServer, type FeedItem, type FeedServer } from '@/tests/support/feed-server';
import { startRedis, type RedisServer } from '@/tests/support/redis-server';
import { sleep, waitFor } from '@/tests/support/wait';

/**
 * Shared polling with two "instances" in one process: two FeedPollers, each with its own article
 * registry and its own Redis link (own lease owner id), against a real redis-server and a local
 * feed server. The cluster tests (tests/integration/cluster-*.test.ts) do the same with real
 * `next start` processes; these are the fast, focused version.
 */
let redis: RedisServer;
let feeds: FeedServer;
let FeedPoller: typeof FeedPollerClass;
let ArticleRegistry: typeof import('@/lib/news/hub/article-registry').ArticleRegistry;
let SharedFeeds: typeof import('@/lib/news/shared/shared-feeds').SharedFeeds;
let createLink: typeof import('@/lib/news/shared/redis-link').createLink;
const links: RedisLink[] = [];

beforeAll(async () => {
  process.env.NEWS_FETCH_TIMEOUT_MS = '1000';
  process.env.LOG_LEVEL = 'error';
  [redis, feeds] = await Promise.all([startRedis(), startFeedServer()]);
  (await import('@/lib/config/settings')).resetSettings();
  ({ FeedPoller } = await import('@/lib/news/poll/feed-poller'));
  ({ ArticleRegistry } = await import('@/lib/news/hub/article-registry'));
  ({ SharedFeeds } = await import('@/lib/news/shared/shared-feeds'));
  ({ createLink } = await import('@/lib/news/shared/redis-link'));
});
afterAll(async () => {
  await Promise.all(links.map((l) => l.close()));
  await Promise.all([redis?.stop(), feeds?.close()]);
});

const item = (i: number): FeedItem => ({ id: `id-${i}`, title: `Shared headline number ${i}`, link: `https://news.example/${i}`, published: new Date(Date.UTC(2025, 10, 25, 10, i)) });

let n = 0;
/** Two instances' pollers of one feed. */
function pair({ onTestFinished }: Pick<TestContext, 'onTestFinished'>, interval = 500) {
  const path = `/shared-${++n}.xml`;
  const spec: FeedSpec = { key: `${feeds.url}${path}`, url: `${feeds.url}${path}`, source: `Feed ${n}`, scope: 'symbol' };
  const pollers = [0, 1].map(() => {
    const link = createLink({ kind: 'redis', url: redis.url })!;
    links.push(link);
    return new FeedPoller(spec, { registry: new ArticleRegistry(), minPollMs: 250, shared: new SharedFeeds(link) });
  });
  const start = () => pollers.forEach((p) => onTestFinished(p.subscribe(interval)));
  return { path, pollers, start, count: () => feeds.count(path) };
}

describe('shared feed polling through Redis', () => {
  it('two instances fetch a feed once per period between them and see the same deployment-wide numbers', async (ctx) => {
    const { path, pollers, start, count } = pair(ctx);
    feeds.set(path, rssFeed('f', [item(1), item(2)]));
    start();
    expect(await waitFor(() => pollers.every((p) => p.articles.length === 2), 3000)).toBe(true);
    const before = count();
    await sleep(3000);
    // ~6 rounds in 3 s at 500 ms; each instance alone would make ~12 together.
    expect(count() - before).toBeLessThanOrEqual(8);
    expect(count() - before).toBeGreaterThanOrEqual(3);

    feeds.set(path, rssFeed('f', [item(3), item(1), item(2)]));
    expect(await waitFor(() => pollers.every((p) => p.articles.length === 3), 3000)).toBe(true);
    const [a, b] = pollers.map((p) => p.articles.map((x) => ({ id: x.article.id, copies: x.copies })));
    expect(a).toEqual(b);
    expect(a!.find((x) => x.id === 'id-3')!.copies![0]!.n).toBe(3); // numbered after the first two
    expect(pollers[0]!.mark).toEqual(pollers[1]!.mark);
    expect(pollers.every((p) => p.health().mode === 'shared')).toBe(true);
  });

  it('a hanging feed is fetched by one instance at a time (the lease outlives the period while the fetch runs)', async (ctx) => {
    const { path, pollers, start, count } = pair(ctx, 250);
    feeds.set(path, { kind: 'hang' });
    start();
    await sleep(2600);
    // One fetch hangs for the 1 s timeout, then backoff (250, 500, 1000 ms): 2 or 3 in total.
    // Without the lease each instance would run its own: 4 to 6.
    expect(count()).toBeGreaterThanOrEqual(1);
    expect(count()).toBeLessThanOrEqual(3);
    expect(pollers.every((p) => p.failing)).toBe(true);
  });

  // Not concurrent: stops the shared redis-server.
  it('Redis down: each instance polls locally and keeps its articles; Redis back: shared again', async (ctx) => {
    const { path, pollers, start, count } = pair(ctx);
    feeds.set(path, rssFeed('f', [item(1)]));
    start();
    expect(await waitFor(() => pollers.every((p) => p.health().mode === 'shared' && p.articles.length === 1), 3000)).toBe(true);
    await redis.stop();
    feeds.set(path, rssFeed('f', [item(2), item(1)]));
    expect(await waitFor(() => pollers.every((p) => p.articles.length === 2 && p.health().mode === 'local'), 5000)).toBe(true);
    const during = count();
    await sleep(1500);
    expect(count()).toBeGreaterThan(during); // still polling, each on its own
    await redis.restart();
    expect(await waitFor(() => pollers.every((p) => p.health().mode === 'shared'), 8000)).toBe(true);
    expect(pollers.every((p) => p.articles.length === 2 && !p.failing)).toBe(true);
  });
});
