import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCursor } from '@/tests/support/cursors';
import { streamDriver } from '@/tests/support/news-stream';
import type { StreamEvent } from '@/lib/stream/events';
import { rssFeed, startFeedServer, type FeedItem, type FeedServer } from '@/tests/support/feed-server';
import { sleep } from '@/tests/support/wait';

/**
 * streamMarketNews, the typed event sequence behind both the SSE route and the MCP tool, against a
 * local feed server. Each test uses its own symbol (its own per-symbol feed); the market feed is
 * shared and holds only old items so it never competes for "latest".
 */
let feeds: FeedServer;
let tool: typeof import('@/lib/stream/news-stream');
let driver: ReturnType<typeof streamDriver>;
let hub: typeof import('@/lib/stream/hub');

const MIN = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MIN);
const items = (prefix: string, count: number, newestMinutesAgo = 1): FeedItem[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    title: `${prefix} headline number ${i} for the stream test`,
    link: `https://news.example/${prefix}/${i}`,
    published: ago(newestMinutesAgo + i),
  }));

beforeAll(async () => {
  feeds = await startFeedServer();
  process.env.NEWS_FEEDS = `${feeds.url}/sym/{symbol}.xml ${feeds.url}/market.xml`;
  process.env.NEWS_MIN_POLL_MS = '250';
  process.env.NEWS_FETCH_TIMEOUT_MS = '1000';
  // Every feed here is on 127.0.0.1, and the concurrent tests' first fetches must not queue behind
  // one another's for seconds under the default 4 requests a second per host.
  process.env.NEWS_HOST_MAX_RPS = '50';
  process.env.LOG_LEVEL = 'error';
  (await import('@/lib/config/settings')).resetSettings();
  tool = await import('@/lib/stream/news-stream');
  driver = streamDriver(tool, await import('@/lib/stream/snapshot'));
  hub = await import('@/lib/stream/hub');
  feeds.set('/market.xml', rssFeed('Market', items('mkt', 3, 3 * 24 * 60)));
});
afterAll(async () => {
  await feeds.close();
});


type Received = { event: StreamEvent; at: number };

/** Runs a stream to its end, recording when each event arrived. */
async function collect(gen: AsyncGenerator<StreamEvent>, onEvent?: (r: Received, all: Received[]) => void | Promise<void>) {
  const all: Received[] = [];
  for await (const event of gen) {
    const r = { event, at: Date.now() };
    all.push(r);
    await onEvent?.(r, all);
  }
  return all;
}

/**
 * Reads a stream until the news event that brings `id` (the first news event, unless the symbol's
 * own feed answered after the market feed's and came in a follow-up, as it may on a busy machine).
 */
async function newsWith(gen: AsyncGenerator<StreamEvent>, id: string): Promise<StreamEvent & { type: 'news' }> {
  for (;;) {
    const { value, done } = await gen.next();
    if (done) throw new Error(`the stream ended before ${id} arrived`);
    if (value.type === 'news' && value.articles.some((a) => a.id === id)) return value;
  }
}

const news = (events: Received[]) => events.flatMap((r) => (r.event.type === 'news' ? [r.event] : []));
const ids = (events: Received[]) => news(events).flatMap((e) => e.articles.map((a) => a.id));
/** Subscribers of per-symbol pollers in the process-wide hub (meaningful only when no other stream runs). */
const symbolSubscribers = () =>
  hub.newsHub().feedHealth().filter((h) => h.scope === 'symbol').reduce((n, h) => n + h.subscribers, 0);

describe('streamMarketNews', () => {
  it.concurrent('connected → news every interval → complete at endsAt, progress strictly increasing', async () => {
    feeds.set('/sym/ORD.xml', rssFeed('ORD', items('ord', 5)));
    const started = Date.now();
    const events = await collect(driver.stream({ symbol: 'ORD', interval: 1000, duration: 3500, limit: 10 }, { signal: new AbortController().signal }));
    const types = events.map((r) => r.event.type);
    expect(types[0]).toBe('connected');
    expect(types.at(-1)).toBe('complete');
    expect(types.slice(1, -1).every((t) => t === 'news')).toBe(true);
    expect(types.length - 2).toBeGreaterThanOrEqual(3); // news at ~0, 1000, 2000, 3000 ms

    const connected = events[0]!.event;
    if (connected.type !== 'connected') throw new Error('unreachable');
    expect(connected).toMatchObject({ symbols: ['ORD'], watchlist: false, resumed: false, demo: false, progress: 0 });
    const endsAt = Date.parse(connected.endsAt);
    expect(Math.abs(endsAt - (started + 3500))).toBeLessThan(200);
    expect(events[0]!.at - started).toBeLessThan(200); // before any feed I/O

    const progress = events.map((r) => r.event.progress);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    const middle = progress.slice(1, -1);
    for (let i = 0; i < middle.length; i++) {
      expect(middle[i]).toBeGreaterThan(i === 0 ? 0 : middle[i - 1]!);
      expect(middle[i]).toBeLessThan(1);
    }

    // Final on time: at endsAt, not an interval late (generous bound for a loaded 2-core machine).
    const complete = events.at(-1)!;
    expect(complete.at).toBeGreaterThanOrEqual(endsAt - 5);
    expect(complete.at - endsAt).toBeLessThan(1000);
    // First news: everything (5 symbol + 3 market, under the limit), newest first; then nothing new.
    // (On a busy machine the symbol's own feed may answer after the first event's grace: its
    // articles then follow at once in a second event, before the interval.)
    const batches = news(events);
    const first = batches[0]!.articles.map((a) => a.id);
    if (first.length === 8) {
      expect(first).toEqual(['ord-0', 'ord-1', 'ord-2', 'ord-3', 'ord-4', 'mkt-0', 'mkt-1', 'mkt-2']);
      expect(events[2]!.at - started).toBeGreaterThanOrEqual(900); // the second news event waits for the interval
    }
    expect(ids(events).sort()).toEqual(['mkt-0', 'mkt-1', 'mkt-2', 'ord-0', 'ord-1', 'ord-2', 'ord-3', 'ord-4']);
    expect(complete.event).toMatchObject({ type: 'complete', delivered: 8 });

    // Every event id is a cursor of this stream.
    const decoded = events.map((r) => readCursor(r.event.cursor));
    expect(decoded.every((c) => c?.streamId === connected.streamId && c.endsAt === endsAt)).toBe(true);
  });

  it.concurrent('first news carries at most `limit` latest articles; later ones only new articles, never repeats', async () => {
    const path = '/sym/LIM.xml';
    const base = items('lim', 8, 10);
    feeds.set(path, rssFeed('LIM', base));
    const added: string[] = [];
    const events = await collect(
      driver.stream({ symbol: 'LIM', interval: 1000, duration: 3500, limit: 3 }, { signal: new AbortController().signal }),
      (r, all) => {
        if (r.event.type === 'news' && news(all).length === 1) {
          // Two newer items and one older-dated item the feed only now carries: all three are new.
          const fresh = [
            { id: 'lim-new-1', title: 'LIM brand new headline one', link: 'https://news.example/lim/new1', published: ago(0.5) },
            { id: 'lim-new-2', title: 'LIM brand new headline two', link: 'https://news.example/lim/new2', published: ago(0.2) },
            { id: 'lim-late', title: 'LIM late-indexed older story', link: 'https://news.example/lim/late', published: ago(600) },
          ];
          added.push(...fresh.map((f) => f.id));
          feeds.set(path, rssFeed('LIM', [...fresh, ...base]));
        }
      },
    );
    // The latest three of what the feed held, whether they came in the first event or (the feed
    // answering late) right after it; then exactly the three new ones.
    const all = ids(events);
    expect(all.filter((id) => id.startsWith('lim-') && !added.includes(id))).toEqual(['lim-0', 'lim-1', 'lim-2']);
    expect(all.filter((id) => added.includes(id)).sort()).toEqual([...added].sort());
    expect(new Set(all).size).toBe(all.length);
    expect(events.at(-1)!.event).toMatchObject({ type: 'complete', delivered: all.length });
  });

  it.concurrent('aborting the signal ends the stream promptly and releases the feed subscription', async () => {
    const path = '/sym/ABT.xml';
    feeds.set(path, rssFeed('ABT', items('abt', 2)));
    const controller = new AbortController();
    const gen = driver.stream({ symbol: 'ABT', interval: 1000, duration: 60_000, limit: 10 }, { signal: controller.signal });
    expect((await gen.next()).value?.type).toBe('connected');
    expect((await gen.next()).value?.type).toBe('news');
    const pending = gen.next(); // now sleeping until the next tick
    await sleep(100);
    const abortedAt = Date.now();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(Date.now() - abortedAt).toBeLessThan(1000); // contract: all work stops within one second
    const stoppedAt = feeds.count(path);
    await sleep(1500);
    expect(feeds.count(path)).toBe(stoppedAt); // nobody polls ABT any more
  });

  it.concurrent('aborting while waiting for a hanging feed ends the stream promptly', async () => {
    feeds.set('/sym/ABH.xml', { kind: 'hang' });
    const controller = new AbortController();
    const gen = driver.stream({ symbol: 'ABH', interval: 1000, duration: 60_000, limit: 10 }, { signal: controller.signal });
    expect((await gen.next()).value?.type).toBe('connected');
    const pending = gen.next();
    await sleep(100);
    const abortedAt = Date.now();
    controller.abort();
    expect((await pending).done).toBe(true);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });

  it.concurrent('resume from a cursor: same stream and endsAt, no repeats, progress continues, ends on time', async () => {
    const path = '/sym/RSM.xml';
    feeds.set(path, rssFeed('RSM', items('rsm', 3)));
    const params = { symbol: 'RSM', interval: 1000, duration: 4000, limit: 10 };
    const first = driver.stream(params, { signal: new AbortController().signal });
    const connected = (await first.next()).value as StreamEvent & { type: 'connected' };
    const news1 = await newsWith(first, 'rsm-0');
    await first.return(undefined); // the client went away

    feeds.set(path, rssFeed('RSM', [{ id: 'rsm-new', title: 'RSM fresh headline after the drop', link: 'https://news.example/rsm/new', published: ago(0.1) }, ...items('rsm', 3)]));
    await sleep(1200);
    const resume = readCursor(news1.cursor);
    const events = await collect(driver.stream(params, { signal: new AbortController().signal, resume }));
    const again = events[0]!.event;
    expect(again).toMatchObject({ type: 'connected', resumed: true, streamId: connected.streamId, endsAt: connected.endsAt });
    expect(again.progress).toBeGreaterThan(0);
    expect(ids(events)).toEqual(['rsm-new']);
    const progress = events.slice(1, -1).map((r) => r.event.progress);
    expect(progress[0]).toBeGreaterThan(news1.progress);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]!);
    const complete = events.at(-1)!;
    expect(complete.event.type).toBe('complete');
    expect(Math.abs(complete.at - Date.parse(connected.endsAt))).toBeLessThan(1000);
  });

  it.concurrent('`since` (a cursor or an ISO time) starts a new stream that skips what was delivered', async () => {
    const path = '/sym/SNC.xml';
    feeds.set(path, rssFeed('SNC', items('snc', 3, 30)));
    // Long enough for a catch-up to wait out a slow fetch on a busy machine (it waits for every feed).
    const params = { symbol: 'SNC', interval: 1000, duration: 4000, limit: 10 };
    const first = driver.stream(params, { signal: new AbortController().signal });
    const delivered = await newsWith(first, 'snc-0');
    await first.return(undefined);
    feeds.set(path, rssFeed('SNC', [{ id: 'snc-new', title: 'SNC headline the first call missed', link: 'https://news.example/snc/new', published: ago(1) }, ...items('snc', 3, 30)]));
    await sleep(600);

    const byCursor = await collect(driver.stream(params, { signal: new AbortController().signal, since: delivered.cursor }));
    expect(byCursor[0]!.event).toMatchObject({ type: 'connected', resumed: false });
    expect(ids(byCursor)).toEqual(['snc-new']);

    // An ISO time: only articles published after it (snc-0 is 30 minutes old, snc-new 1 minute).
    const byTime = await collect(driver.stream(params, { signal: new AbortController().signal, since: ago(10).toISOString() }));
    expect(ids(byTime)).toEqual(['snc-new']);
  }, 15_000);

  // RSS stamps publication in whole seconds, and an article often reaches the server after the
  // time it is stamped with: one that arrived after a `connected` cursor was taken must not be
  // judged by that stamp (it was lost when it fell before the cursor's time).
  it.concurrent('`since` a connected event: what arrived after it comes, even when stamped before it', async () => {
    const path = '/sym/SCN.xml';
    feeds.set(path, rssFeed('SCN', items('scn', 2, 30)));
    const params = { symbol: 'SCN', interval: 1000, duration: 4000, limit: 10 };
    const warm = driver.stream(params, { signal: new AbortController().signal });
    await newsWith(warm, 'scn-0');
    const dropped = driver.stream(params, { signal: new AbortController().signal });
    const connected = (await dropped.next()).value as StreamEvent & { type: 'connected' };
    await dropped.return(undefined);
    await warm.return(undefined);
    const stampedBefore = new Date(Date.parse(connected.timestamp) - 5_000);
    feeds.set(path, rssFeed('SCN', [{ id: 'scn-late', title: 'SCN story stamped before the cursor', link: 'https://news.example/scn/late', published: stampedBefore }, ...items('scn', 2, 30)]));
    await sleep(1_200); // past the feed's period (the interval): the catch-up fetches it again

    const caughtUp = await collect(driver.stream(params, { signal: new AbortController().signal, since: connected.cursor }));
    expect(news(caughtUp)[0]!.articles.map((a) => a.id)).toEqual(['scn-late']);
    expect(ids(caughtUp)).toEqual(['scn-late']);
  }, 15_000);

  // The same for an ISO time (an agent passing the timestamp of the last event it saw), as far as
  // the server knows when an article arrived: not for what a feed held when it was first read.
  it.concurrent('`since` an ISO time: what arrived after it comes, even when stamped before it; a feed first read after it goes by stamps', async () => {
    const path = '/sym/SIT.xml';
    feeds.set(path, rssFeed('SIT', items('sit', 2, 30)));
    feeds.set('/sym/SIU.xml', rssFeed('SIU', items('siu', 2, 30)));
    const params = { symbol: 'SIT', interval: 1000, duration: 4000, limit: 10 };
    const warm = driver.stream(params, { signal: new AbortController().signal });
    const seen = await newsWith(warm, 'sit-0');
    await warm.return(undefined);
    const since = new Date(Date.parse(seen.timestamp) + 1_000);
    const stampedBefore = new Date(since.getTime() - 5_000);
    await sleep(since.getTime() - Date.now() + 50);
    const late = { id: 'sit-late', title: 'SIT story stamped before the since time', link: 'https://news.example/sit/late', published: stampedBefore };
    feeds.set(path, rssFeed('SIT', [late, ...items('sit', 2, 30)]));
    feeds.set('/sym/SIU.xml', rssFeed('SIU', [{ ...late, id: 'siu-late', link: 'https://news.example/siu/late' }, ...items('siu', 2, 30)]));
    await sleep(1_200); // past the feed's period (the interval): the catch-up fetches it again

    const caughtUp = await collect(driver.stream(params, { signal: new AbortController().signal, since: since.toISOString() }));
    expect(ids(caughtUp)).toEqual(['sit-late']);
    // SIU's first fetch comes after `since`: nothing says when its articles arrived, so its stamp decides.
    const firstRead = await collect(driver.stream({ ...params, symbol: 'SIU' }, { signal: new AbortController().signal, since: since.toISOString() }));
    expect(ids(firstRead)).toEqual([]);
  }, 15_000);

  // Another process without the shared state compares an id by its time. A final event carries no
  // articles: its id's time is that of the last news event, or what was published in between was lost.
  it.concurrent("a final event's id says delivery is complete up to the last news event, not up to the end", async () => {
    feeds.set('/sym/SFX.xml', rssFeed('SFX', items('sfx', 2, 30)));
    const events = await collect(driver.stream({ symbol: 'SFX', interval: 1000, duration: 2500, limit: 10 }, { signal: new AbortController().signal }));
    const final = events.at(-1)!.event;
    expect(final.type).toBe('complete');
    const lastNews = readCursor(news(events).at(-1)!.cursor);
    expect(readCursor(final.cursor)).toMatchObject({ at: lastNews.at, seq: lastNews.seq });
    expect(Date.parse(final.timestamp)).toBeGreaterThan(lastNews.at);
  }, 10_000);

  it.concurrent('a failing feed is a warning on news events and never ends the stream early', async () => {
    feeds.set('/sym/FLR.xml', { kind: 'status', status: 500 });
    const events = await collect(driver.stream({ symbol: 'FLR', interval: 1000, duration: 2000, limit: 10 }, { signal: new AbortController().signal }));
    expect(events.at(-1)!.event.type).toBe('complete');
    // The first news event may go out before the failing feed's first attempt: the concurrent
    // tests share 127.0.0.1's request budget, and the first event waits for one feed, not all.
    const warned = news(events).filter((e) => e.warnings.length > 0);
    expect(warned.length).toBeGreaterThan(0);
    for (const e of warned) expect(e.warnings).toEqual([{ source: '127.0.0.1', error: 'feed answered HTTP 500' }]);
    expect(ids(events)).toEqual(['mkt-0', 'mkt-1', 'mkt-2']);
  });

  it.concurrent('a hanging feed cannot delay the final event past endsAt', async () => {
    feeds.set('/sym/SLW.xml', { kind: 'hang' });
    const started = Date.now();
    const events = await collect(driver.stream({ symbol: 'SLW', interval: 1000, duration: 1500, limit: 10 }, { signal: new AbortController().signal }));
    expect(events.at(-1)!.event.type).toBe('complete');
    expect(events.at(-1)!.at - (started + 1500)).toBeLessThan(1000);
    for (let i = 2; i < events.length; i++) expect(events[i]!.event.progress).toBeGreaterThan(events[i - 1]!.event.progress);
  });

  // A client that drops after `connected` (feeds slow: ready() may wait NEWS_FETCH_TIMEOUT_MS + 1 s)
  // reconnects with the connected event's id: nothing was delivered, so the stream's first news
  // event is still "the first" and carries at most `limit` articles.
  it.concurrent('a stream resumed before its first news event still honours `limit`', async () => {
    feeds.set('/sym/RBF.xml', rssFeed('RBF', items('rbf', 8)));
    const params = { symbol: 'RBF', interval: 1000, duration: 2500, limit: 3 };
    const first = driver.stream(params, { signal: new AbortController().signal });
    const connected = (await first.next()).value as StreamEvent & { type: 'connected' };
    await first.return(undefined);
    const resume = readCursor(connected.cursor);
    const events = await collect(driver.stream(params, { signal: new AbortController().signal, resume }));
    // The latest `limit` of the symbol's articles, even when its feed answered after the market feed.
    expect(ids(events).filter((id) => id.startsWith('rbf-'))).toEqual(['rbf-0', 'rbf-1', 'rbf-2']);
  });
});

describe('streamMarketNews: delivery edge cases', () => {
  // A stream remembers only the highest seq it passed. A story that leaves the feed that delivered it
  // and later shows up in another feed (same canonical URL) must keep its number, or it is sent again.
  // Not concurrent: it changes the shared market feed.
  it('a delivered story that moves to another feed is not sent again', async () => {
    const marketBase = items('mkt', 3, 3 * 24 * 60);
    const story = { title: 'RSF agrees to be acquired by a larger rival', link: 'https://news.example/rsf/deal', published: ago(2 * 24 * 60) };
    feeds.set('/sym/RSF.xml', rssFeed('RSF', [{ id: 'yahoo-rsf-deal', ...story }]));
    let droppedAt = 0;
    let moved = false;
    try {
      const events = await collect(
        driver.stream({ symbol: 'RSF', interval: 1000, duration: 5500, limit: 10 }, { signal: new AbortController().signal }),
        async (r) => {
          if (r.event.type !== 'news') return;
          if (!droppedAt) {
            feeds.set('/sym/RSF.xml', rssFeed('RSF', [])); // the story leaves the symbol feed…
            droppedAt = feeds.count('/sym/RSF.xml');
          } else if (!moved && feeds.count('/sym/RSF.xml') > droppedAt) {
            await sleep(200); // …that drop has been polled…
            feeds.set('/market.xml', rssFeed('Market', [{ id: 'cnbc-rsf-deal', ...story, link: `${story.link}?utm_source=rss` }, ...marketBase]));
            moved = true; // …and then a market feed carries it
          }
        },
      );
      expect(moved).toBe(true);
      const urls = news(events).flatMap((e) => e.articles.map((a) => a.url));
      expect(urls.filter((u) => u === story.link)).toHaveLength(1);
    } finally {
      feeds.set('/market.xml', rssFeed('Market', marketBase));
    }
  }, 15_000);
});

describe('marketNewsStream: the sink', () => {
  /** Runs a stream into a sink that records what it is told, in order, until its end. */
  async function told(symbol: string, options: { stopOnConnected?: boolean; failFirstNews?: boolean } = {}) {
    const { createCursorCodec, scopeOf } = await import('@/lib/stream/cursor');
    const { TEST_CURSOR_SECRET } = await import('@/tests/support/cursors');
    const signing = createCursorCodec(TEST_CURSOR_SECRET);
    let failed = false;
    const codec = {
      ...signing,
      encode: (cursor: Parameters<typeof signing.encode>[0]) => {
        if (options.failFirstNews && cursor.seq > 0 && !failed) {
          failed = true;
          throw new Error('cursor signing failed');
        }
        return signing.encode(cursor);
      },
    };
    const log: string[] = [];
    const params = { symbols: [symbol], watchlist: false, interval: 1000, duration: 1500, limit: 5 };
    await new Promise<void>((resolve) => {
      const stream = tool.marketNewsStream(params, tool.planStream(params.duration), { codec, scope: scopeOf(params.symbols) }, {
        event: (event) => {
          log.push(`event ${event.type}`);
          // Stopping from inside the push, as a transport whose client left in that write does.
          if (options.stopOnConnected) stream.stop();
        },
        end: (outcome) => {
          log.push(`end ${outcome}`);
          resolve();
        },
      });
      stream.start();
    });
    await sleep(1800); // past the stream's whole window: nothing more may arrive after its end
    return log;
  }

  it('is told each event in order, then once of a stream that completes', async () => {
    feeds.set('/sym/LIFE.xml', rssFeed('LIFE', items('life', 2)));
    const log = await told('LIFE');
    expect(log[0]).toBe('event connected');
    expect(log[1]).toBe('event news');
    expect(log.slice(-2)).toEqual(['event complete', 'end complete']);
    expect(log.filter((line) => line.startsWith('end'))).toHaveLength(1);
  });

  it('is told client-gone when the stream is stopped during a push, and error after an error event', async () => {
    feeds.set('/sym/LIFX.xml', rssFeed('LIFX', items('lifx', 2)));
    expect(await told('LIFX', { stopOnConnected: true })).toEqual(['event connected', 'end client-gone']);
    expect(await told('LIFX', { failFirstNews: true })).toEqual(['event connected', 'event error', 'end error']);
  });
});

describe('getMarketNews', () => {
  it('returns at most `limit` latest articles at once, then releases its subscription', async () => {
    feeds.set('/sym/GMN.xml', rssFeed('GMN', items('gmn', 6)));
    const result = await driver.latest('GMN', 4);
    expect(result).toMatchObject({ symbols: ['GMN'], demo: false, warnings: [] });
    expect(result.articles.map((a) => a.id)).toEqual(['gmn-0', 'gmn-1', 'gmn-2', 'gmn-3']);
    const count = feeds.count('/sym/GMN.xml');
    await sleep(800);
    expect(feeds.count('/sym/GMN.xml')).toBe(count);
    expect(symbolSubscribers()).toBe(0); // runs after the concurrent streams above: every one released its feeds
  });
  // getMarketNews subscribes, and ready() resolves at once because the feed's poller was "attempted"
  // long ago; it returns that old snapshot and closes, which stops the poller before its (overdue)
  // timer fires. So once no stream is running, GET /api/news and get_market_news keep serving what
  // was fetched when the last subscriber left, without ever fetching again, until the idle poller
  // is swept (news-hub.ts IDLE_POLLER_TTL_MS, 15 min).
  it('a later snapshot reflects the feed as it is now, not as it was at the previous call', async () => {
    const path = '/sym/GMF.xml';
    feeds.set(path, rssFeed('GMF', items('gmf', 2, 5)));
    expect((await driver.latest('GMF', 10)).articles.map((a) => a.id)).toContain('gmf-0');
    feeds.set(path, rssFeed('GMF', [{ id: 'gmf-new', title: 'GMF headline published since the last call', link: 'https://news.example/gmf/new', published: ago(1) }, ...items('gmf', 2, 5)]));
    await sleep(1000); // several NEWS_MIN_POLL_MS periods: the poller is due again
    const later = await driver.latest('GMF', 10);
    expect(later.articles.map((a) => a.id)).toContain('gmf-new');
  });
});
