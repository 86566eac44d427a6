import { afterAll, beforeAll, describe, expect, it, vi, type TestContext } from 'vitest';
import type { FeedPoller as FeedPollerClass } from '@/lib/news/poll/feed-poller';
import type { FeedSpec } from '@/lib/news/feeds';
import { rssFeed, startFeedServer, type FeedItem, type FeedServer } from '@/tests/support/feed-server';
import { sleep, waitFor } from '@/tests/support/wait';

/**
 * FeedPoller against a real local feed server. Env is set before the modules load (settings are read once),
 * and each test uses its own feed path and poller so counts never mix and the slow (timing-based)
 * tests can run concurrently.
 */
let feeds: FeedServer;
let FeedPoller: typeof FeedPollerClass;
let ArticleRegistry: typeof import('@/lib/news/hub/article-registry').ArticleRegistry;

beforeAll(async () => {
  process.env.NEWS_FETCH_TIMEOUT_MS = '1000';
  process.env.LOG_LEVEL = 'error';
  feeds = await startFeedServer();
  const env = await import('@/lib/config/settings');
  env.resetSettings();
  ({ FeedPoller } = await import('@/lib/news/poll/feed-poller'));
  ({ ArticleRegistry } = await import('@/lib/news/hub/article-registry'));
});
afterAll(async () => {
  await feeds.close();
});

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

let n = 0;
function setup({ onTestFinished }: Pick<TestContext, 'onTestFinished'>, minPollMs = 250, path = `/feed-${++n}.xml`) {
  const spec: FeedSpec = { key: `${feeds.url}${path}`, url: `${feeds.url}${path}`, source: `Feed ${n}`, scope: 'symbol' };
  const poller = new FeedPoller(spec, { registry: new ArticleRegistry(), minPollMs });
  const subscribe = (interval: number) => {
    const off = poller.subscribe(interval);
    onTestFinished(off);
    return off;
  };
  return { spec, path, poller, subscribe, changes: () => poller.changes, count: () => feeds.count(path) };
}

const item = (i: number, extra: Partial<FeedItem> = {}): FeedItem => ({
  id: `id-${i}`, title: `Headline number ${i} about the market`, link: `https://news.example/${i}`, published: new Date(Date.UTC(2025, 10, 25, 10, i)), ...extra,
});

describe('FeedPoller: one upstream fetch per period however many subscribers', () => {
  it.concurrent('20 subscribers at the same interval cause one fetch per period', async (ctx) => {
    const { path, poller, subscribe, count } = setup(ctx);
    feeds.set(path, rssFeed('f', [item(1)]));
    for (let i = 0; i < 20; i++) subscribe(1000);
    await sleep(2500); // fetches at ~0, ~1000, ~2000 ms
    expect(count()).toBeGreaterThanOrEqual(2);
    expect(count()).toBeLessThanOrEqual(4); // 20 independent pollers would have made ~60
    expect(poller.health().subscribers).toBe(20);
  });

  it.concurrent('the shortest wanted interval sets the period, never below the politeness floor', async (ctx) => {
    const fast = setup(ctx, 250);
    fast.subscribe(60_000);
    fast.subscribe(300);
    feeds.set(fast.path, rssFeed('f', [item(1)]));
    await sleep(1600);
    expect(fast.count()).toBeGreaterThanOrEqual(3); // every ~300 ms, not every 60 s

    const floored = setup(ctx, 1000);
    feeds.set(floored.path, rssFeed('f', [item(1)]));
    floored.subscribe(100); // asks for 10/s; the floor (NEWS_MIN_POLL_MS) allows 1/s
    await sleep(1600);
    expect(floored.count()).toBeGreaterThanOrEqual(1);
    expect(floored.count()).toBeLessThanOrEqual(3);
  });

  it.concurrent('the first fetch happens at once on the first subscribe', async (ctx) => {
    const { path, subscribe, count } = setup(ctx);
    feeds.set(path, rssFeed('f', [item(1)]));
    subscribe(60_000);
    expect(await waitFor(() => count() === 1, 2000)).toBe(true);
  });

  it.concurrent('what the first fetch finds has not `arrived`; an article new in a later fetch has, even when stamped earlier', async (ctx) => {
    const { path, poller, subscribe, count } = setup(ctx);
    feeds.set(path, rssFeed('f', [item(1)]));
    subscribe(300);
    expect(await waitFor(() => poller.articles.length === 1, 2000)).toBe(true);
    feeds.set(path, rssFeed('f', [item(1), item(0)]));
    expect(await waitFor(() => poller.articles.length === 2, 3000)).toBe(true);
    expect(count()).toBeGreaterThanOrEqual(2);
    expect(poller.articles.map((a) => [a.article.id, a.arrived]).sort()).toEqual([['id-0', true], ['id-1', false]]);
  });

  it.concurrent('unsubscribing during a fetch aborts it and records nothing', async (ctx) => {
    const { path, poller, subscribe, count, changes } = setup(ctx);
    feeds.set(path, { kind: 'hang' });
    const off = subscribe(300);
    await waitFor(() => count() === 1, 2000);
    off();
    await sleep(1500); // past NEWS_FETCH_TIMEOUT_MS: a fetch that was not aborted would have failed by now
    expect(count()).toBe(1);
    expect(poller.attempted).toBe(false);
    expect(poller.health().state).toBe('pending');
    expect(changes()).toBe(0);
  });

  // Regression: a subscriber arriving while the aborted fetch of the previous last subscriber was
  // still settling got no timer and no fetch (e.g. a page reload racing a close).
  it.concurrent('a subscriber arriving while an aborted fetch is still settling is polled', async (ctx) => {
    const { path, subscribe, count } = setup(ctx);
    feeds.set(path, { kind: 'hang' });
    const off = subscribe(300);
    await waitFor(() => count() === 1, 2000);
    off();
    subscribe(300);
    feeds.set(path, rssFeed('f', [item(1)]));
    expect(await waitFor(() => count() >= 2, 2000)).toBe(true);
  });
});

describe('FeedPoller: conditional GET, errors, backoff, Retry-After', () => {
  it.concurrent('sequences articles; a 304 keeps them; undated items get firstSeenAt, dated ones keep publishedAt', async (ctx) => {
    const { path, poller, subscribe, count } = setup(ctx);
    feeds.set(path, rssFeed('f', [item(1), item(2, { published: undefined })]));
    subscribe(300);
    await waitFor(() => feeds.notModifiedCount(path) >= 1, 3000);
    expect(count()).toBeGreaterThanOrEqual(2);
    expect(poller.health()).toMatchObject({ state: 'healthy', consecutiveFailures: 0, validators: { etag: true } });
    const [dated, undated] = poller.articles;
    expect(dated!.article.publishedAt).toBe('2025-11-25T10:01:00.000Z');
    expect(dated!.article).not.toHaveProperty('firstSeenAt');
    expect(undated!.article).not.toHaveProperty('publishedAt');
    expect(Date.parse(undated!.article.firstSeenAt!)).toBeGreaterThan(Date.now() - 10_000);
    expect(undated!.sortTime).toBe(Date.parse(undated!.article.firstSeenAt!));
    const seqs = poller.articles.map((a) => a.seq);

    // The feed changes: old items keep their seq (and first-seen time), the new one gets a higher seq.
    const firstSeen = undated!.article.firstSeenAt;
    feeds.set(path, rssFeed('f', [item(3), item(1), item(2, { published: undefined })]));
    await waitFor(() => poller.articles.length === 3, 3000);
    expect(poller.articles.map((a) => a.article.id)).toEqual(['id-3', 'id-1', 'id-2']);
    expect(poller.articles[1]!.seq).toBe(seqs[0]);
    expect(poller.articles[2]!.seq).toBe(seqs[1]);
    expect(poller.articles[2]!.article.firstSeenAt).toBe(firstSeen);
    expect(poller.articles[0]!.seq).toBeGreaterThan(Math.max(...seqs));
  });

  it.concurrent('a refetch keeps the objects of unchanged articles (their tagged copies and JSON stay valid); an edited one is new', async (ctx) => {
    const { path, poller, subscribe } = setup(ctx);
    feeds.set(path, rssFeed('f', [item(1), item(2, { published: undefined })]));
    subscribe(300);
    await waitFor(() => poller.articles.length === 2, 3000);
    const [first, undated] = poller.articles;

    feeds.set(path, rssFeed('f', [item(3), item(1), item(2, { published: undefined })]));
    await waitFor(() => poller.articles.length === 3, 3000);
    expect(poller.articles[1]).toBe(first);
    expect(poller.articles[2]).toBe(undated);

    feeds.set(path, rssFeed('f', [item(3), item(1, { title: 'Headline number 1, corrected by the desk' }), item(2, { published: undefined })]));
    await waitFor(() => poller.articles[1] !== first, 3000);
    expect(poller.articles[1]!.article.title).toBe('Headline number 1, corrected by the desk');
    expect(poller.articles[1]!.seq).toBe(first!.seq);
    expect(poller.articles[2]).toBe(undated);
  });

  it.concurrent('a failing feed: warning shown, articles kept, exponential backoff, recovery clears it', async (ctx) => {
    const { path, poller, subscribe, count } = setup(ctx, 250);
    feeds.set(path, rssFeed('f', [item(1)]));
    subscribe(250);
    await waitFor(() => poller.articles.length === 1, 2000);
    feeds.set(path, { kind: 'status', status: 500 });
    const okFetches = count();
    await sleep(3000);
    const failed = count() - okFetches;
    // Backoff doubles from the period: retries at ~+250, +500, +1000, +2000 ms. Without backoff: ~12.
    expect(failed).toBeGreaterThanOrEqual(2);
    expect(failed).toBeLessThanOrEqual(5);
    expect(poller.warning).toBe('feed answered HTTP 500');
    expect(poller.health().consecutiveFailures).toBe(failed);
    expect(poller.articles).toHaveLength(1); // a failed round does not erase what was known
    feeds.set(path, rssFeed('f', [item(1), item(2)]));
    expect(await waitFor(() => !poller.failing, 5000)).toBe(true);
    expect(poller.warning).toBeUndefined();
    expect(poller.articles).toHaveLength(2);
    expect(poller.health()).toMatchObject({ state: 'healthy', consecutiveFailures: 0, lastErrorKind: 'http' });
  });

  it.concurrent('a parse failure is a warning, not a crash', async (ctx) => {
    const { path, poller, subscribe } = setup(ctx);
    feeds.set(path, { kind: 'feed', body: '<html><body>Please enable cookies</body></html>', contentType: 'text/html' });
    subscribe(1000);
    await waitFor(() => poller.attempted, 2000);
    expect(poller.warning).toMatch(/HTML page/);
    expect(poller.health()).toMatchObject({ lastErrorKind: 'parse', consecutiveFailures: 1 });
  });

  it.concurrent('Retry-After (seconds) on 503 is honoured even when the period is shorter', async (ctx) => {
    const { path, poller, subscribe, count } = setup(ctx, 250);
    feeds.set(path, { kind: 'status', status: 503, retryAfter: '2' });
    const started = Date.now();
    subscribe(250);
    await waitFor(() => count() === 1, 2000);
    await sleep(1200);
    expect(count()).toBe(1);
    expect(poller.health().state).toBe('backed-off');
    feeds.set(path, rssFeed('f', [item(1)]));
    expect(await waitFor(() => count() === 2, 5000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(await waitFor(() => poller.articles.length === 1, 2000)).toBe(true);
  });

  it.concurrent('Retry-After as an HTTP date on 429 is honoured', async (ctx) => {
    const { path, subscribe, count } = setup(ctx, 250);
    feeds.set(path, { kind: 'status', status: 429, retryAfter: new Date(Date.now() + 3000).toUTCString() });
    subscribe(250);
    await waitFor(() => count() === 1, 2000);
    await sleep(1000);
    expect(count()).toBe(1);
  });

  // Regression: a Retry-After beyond 2^31-1 ms (~24.8 days) overflowed Node's timer, which then fired
  // after 1 ms and polled the feed in a tight loop.
  it('a very long Retry-After does not turn into a tight retry loop', async (ctx) => {
    const { path, subscribe, count } = setup(ctx, 250);
    feeds.set(path, { kind: 'status', status: 429, retryAfter: '3000000' });
    // Each overflowing setTimeout prints a TimeoutOverflowWarning; keep them out of the test output.
    const printers = process.listeners('warning');
    process.removeAllListeners('warning');
    ctx.onTestFinished(() => printers.forEach((listener) => process.on('warning', listener)));
    subscribe(250);
    await waitFor(() => count() >= 1, 2000);
    await sleep(500);
    expect(count()).toBe(1);
  });
});

describe('FeedPoller: checks that cannot share the process with other pollers', () => {
  // Not concurrent: it counts the process's active timers.
  it('the last unsubscribe stops polling and leaves no timer behind', async (ctx) => {
    const { path, poller, subscribe, count } = setup(ctx);
    feeds.set(path, rssFeed('f', [item(1)]));
    const before = timers();
    const offs = [subscribe(300), subscribe(300), subscribe(500)];
    await waitFor(() => count() >= 2, 3000);
    offs[0]!();
    offs[1]!();
    const afterSome = count();
    await sleep(700);
    expect(count()).toBeGreaterThan(afterSome); // one subscriber left: still polling
    offs[2]!();
    offs[2]!(); // unsubscribing twice must not drive the count negative
    expect(poller.health().subscribers).toBe(0);
    const stoppedAt = count();
    await sleep(1200);
    expect(count()).toBe(stoppedAt);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  // Not concurrent: it counts the process's calls to setTimeout.
  it('subscribers that leave the period as it was do not re-arm the poll timer; a shorter interval does', async (ctx) => {
    const { path, poller, subscribe } = setup(ctx);
    feeds.set(path, rssFeed('f', [item(1)]));
    subscribe(60_000);
    await waitFor(() => poller.attempted, 3000);
    await sleep(50); // the round has ended and armed the next one
    const armed = vi.spyOn(globalThis, 'setTimeout');
    try {
      const offs = Array.from({ length: 100 }, () => subscribe(60_000));
      for (const off of offs) off();
      expect(armed).not.toHaveBeenCalled();
      const faster = subscribe(1000);
      expect(armed).toHaveBeenCalledTimes(1);
      faster();
      expect(armed).toHaveBeenCalledTimes(2);
    } finally {
      armed.mockRestore();
    }
  });
});
