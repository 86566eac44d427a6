import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCursorCodec } from '@/lib/stream/cursor';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { followWithSince, repeated } from '@/tests/support/chain';
import { readCursor, TEST_CURSOR_SECRET } from '@/tests/support/cursors';
import { rssFeed, startFeedServer, type FeedItem, type FeedServer } from '@/tests/support/feed-server';
import { isFinal, openSse, progressBody, type SseEvent } from '@/tests/support/sse-client';
import { sleep } from '@/tests/support/wait';

/**
 * `since` (contract §6.2): a new stream or snapshot that continues an old one with exactly what
 * was missed, the history that makes that possible, and chained streams that stay live for longer
 * than STREAM_MAX_DURATION_MS with no article lost or repeated.
 */

const INTERVAL = 1000;
const POLL_FLOOR = 1000;
let feeds: FeedServer;
let app: AppServer;

const at = (msAgo: number) => new Date(Date.now() - msAgo);
const item = (id: string, published = new Date()): FeedItem => ({ id, title: `Story ${id} moves the market`, link: `https://news.example/${id}`, published });

/** A per-symbol feed the test publishes to; newest first, as feeds list. */
function publisher(symbol: string) {
  const items: FeedItem[] = [];
  const publish = (...more: FeedItem[]) => {
    items.unshift(...more);
    feeds.set(`/sym/${symbol}.xml`, rssFeed(symbol, items.slice(0, 20)));
  };
  return { items, publish };
}

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.set('/market.xml', rssFeed('Market', [item('mkt-old', at(2 * 86_400_000))]));
  app = await startApp({
    NEWS_FEEDS: `${feeds.url}/sym/{symbol}.xml ${feeds.url}/market.xml`,
    NEWS_MIN_POLL_MS: String(POLL_FLOOR),
    NEWS_FETCH_TIMEOUT_MS: '1500',
    STREAM_MAX_DURATION_MS: '5000',
    STREAM_CURSOR_SECRET: TEST_CURSOR_SECRET,
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_STREAMS_PER_CLIENT: '0',
  });
});
afterAll(async () => {
  await app?.stop();
  await feeds?.close();
});

const stream = (query: string) => `${app.url}/api/mcp/stream-news?interval=${INTERVAL}&${query}`;
const newsOf = (events: SseEvent[]) =>
  events.flatMap((e) => {
    const body = progressBody(e) as { news?: { count: number; articles: Array<{ id: string; publishedAt?: string }>; truncated?: boolean } } | undefined;
    return body?.news ? [body.news] : [];
  });

/** Runs one stream to its end and returns its events and final id. */
async function runToEnd(url: string): Promise<{ events: SseEvent[]; lastId: string }> {
  const s = await openSse(url);
  expect(s.status).toBe(200);
  await s.done;
  expect(s.events.some(isFinal)).toBe(true);
  return { events: s.events, lastId: [...s.events].reverse().find((e) => e.id)!.id! };
}

describe('since on the stream and the snapshot', () => {
  it('delivers exactly the articles that arrived after the cursor, oldest first, and nothing else', async () => {
    const feed = publisher('SNC');
    feed.publish(item('snc-1', at(60_000)), item('snc-0', at(120_000)));
    const first = await runToEnd(stream('symbol=SNC&duration=2000'));
    expect(newsOf(first.events)[0]!.articles.map((a) => a.id)).toEqual(['snc-1', 'snc-0', 'mkt-old']);
    // While nobody listens, three more arrive (one of them backdated: arrival, not publication, counts).
    feed.publish(item('snc-2', at(30_000)));
    await sleep(POLL_FLOOR + 200);
    feed.publish(item('snc-4'), item('snc-3', at(10_000)));
    const next = await runToEnd(stream(`symbol=SNC&duration=2000&since=${encodeURIComponent(first.lastId)}`));
    const catchUp = newsOf(next.events)[0]!;
    expect(catchUp.articles.map((a) => a.id)).toEqual(['snc-2', 'snc-3', 'snc-4']);
    expect(catchUp.count).toBe(3);
    expect(catchUp.truncated).toBeUndefined();
    expect(newsOf(next.events).slice(1).every((n) => n.count === 0)).toBe(true);
    // A new stream: its own token and `connected`.
    expect((progressBody(next.events[0]!) as { status: string }).status).toBe('connected');

    const snapshot = (await (await fetch(`${app.url}/api/news?symbol=SNC&since=${encodeURIComponent(first.lastId)}`)).json()) as {
      articles: Array<{ id: string }>;
      cursor: string;
    };
    expect(snapshot.articles.map((a) => a.id)).toEqual(['snc-2', 'snc-3', 'snc-4']);
    // The snapshot's cursor continues after it.
    feed.publish(item('snc-5'));
    await sleep(POLL_FLOOR + 200);
    const after = (await (await fetch(`${app.url}/api/news?symbol=SNC&since=${encodeURIComponent(snapshot.cursor)}`)).json()) as { articles: Array<{ id: string }> };
    expect(after.articles.map((a) => a.id)).toEqual(['snc-5']);
  });

  it('caps a catch-up at the 50 most recent, oldest first, with truncated: true', async () => {
    const feed = publisher('TRN');
    feed.publish(item('trn-base', at(3_600_000)));
    const first = await runToEnd(stream('symbol=TRN&duration=1500'));
    feed.items.length = 0;
    const burst = Array.from({ length: 60 }, (_, i) => item(`trn-${String(i).padStart(2, '0')}`, at((60 - i) * 1000)));
    // Feeds list at most 20: publish in three rounds so the history has to hold the rest.
    for (let i = 0; i < 60; i += 20) {
      feed.publish(...burst.slice(i, i + 20).reverse());
      await sleep(POLL_FLOOR + 300);
      await fetch(`${app.url}/api/news?symbol=TRN&limit=1`);
    }
    const body = (await (await fetch(`${app.url}/api/news?symbol=TRN&since=${encodeURIComponent(first.lastId)}`)).json()) as {
      articles: Array<{ id: string }>;
      truncated?: boolean;
    };
    expect(body.truncated).toBe(true);
    expect(body.articles.map((a) => a.id)).toEqual(burst.slice(10).map((b) => b.id));
  });

  it('refuses a cursor of other symbols, a tampered one and one the history no longer covers, each with a 400 naming since', async () => {
    const feed = publisher('OLD');
    feed.publish(item('old-1', at(60_000)));
    const first = await runToEnd(stream('symbol=OLD&duration=1500'));
    const other = await fetch(stream(`symbol=NEWX&since=${encodeURIComponent(first.lastId)}`));
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(/^since belongs to a stream of other symbols/);
    // The last MAC digit changed to another one (never to itself, which would leave the id intact).
    const last = first.lastId.at(-1) === '0' ? '1' : '0';
    const tampered = await fetch(stream(`symbol=OLD&since=${encodeURIComponent(`${first.lastId.slice(0, -1)}${last}`)}`));
    expect(tampered.status).toBe(400);
    // 25 hours old, correctly signed: beyond the 24-hour history.
    const cursor = readCursor(first.lastId);
    const dayOld = createCursorCodec(TEST_CURSOR_SECRET).encode({ ...cursor, startedAt: cursor.startedAt - 90_000_000, endsAt: cursor.endsAt - 90_000_000, at: cursor.at - 90_000_000 });
    for (const url of [stream(`symbol=OLD&since=${encodeURIComponent(dayOld)}`), `${app.url}/api/news?symbol=OLD&since=${encodeURIComponent(dayOld)}`]) {
      const res = await fetch(url);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: number; message: string; data: { reason: string; fields: Record<string, string> } } };
      expect(body.error.code).toBe(-32602);
      expect(body.error.data.reason).toBe('since-too-old');
      expect(Object.keys(body.error.data.fields)).toEqual(['since']);
    }
    // The feed turned over completely since the cursor: what was published in between may be lost.
    await sleep(POLL_FLOOR + 200);
    feed.items.length = 0;
    feed.publish(...Array.from({ length: 20 }, (_, i) => item(`old-new-${i}`, at(i * 10))));
    const turned = await fetch(stream(`symbol=OLD&since=${encodeURIComponent(first.lastId)}`));
    expect(turned.status).toBe(400);
    expect(((await turned.json()) as { error: { data: { reason: string } } }).error.data.reason).toBe('since-too-old');
  });
});

describe('chained streams', () => {
  it(`stay live for a minute across 5 s streams while a feed publishes every second: every article once, within two intervals plus the poll floor`, async () => {
    const feed = publisher('CHN');
    feed.publish(item('chn-seed', at(600_000)));
    const published = new Map<string, number>();
    let n = 0;
    const ticker = setInterval(() => {
      const id = `chn-${n++}`;
      published.set(id, Date.now());
      feed.publish(item(id));
    }, 1000);
    const until = Date.now() + 60_000;
    let chain;
    try {
      chain = await followWithSince(() => app.url, `symbol=CHN&interval=${INTERVAL}&duration=5000`, until);
    } finally {
      clearInterval(ticker);
    }
    expect(chain.statuses.every((s) => s === 200)).toBe(true);
    expect(chain.urls.length).toBeGreaterThanOrEqual(11);
    expect(chain.urls.slice(1).every((u) => u.includes('since='))).toBe(true);
    expect(repeated(chain.received)).toEqual([]);
    const got = new Map(chain.received.map((r) => [r.id, r.receivedAt]));
    // Everything published up to two intervals plus the poll floor before the chain stopped arrived.
    const due = [...published].filter(([, t]) => t < until - 2 * INTERVAL - POLL_FLOOR - 1000);
    expect(due.filter(([id]) => !got.has(id)).map(([id]) => id)).toEqual([]);
    const late = due.map(([id, t]) => got.get(id)! - t);
    const allowance = 2 * INTERVAL + POLL_FLOOR;
    // A shared 2-core machine stalls now and then: 1.5 s of slack, and every late arrival is printed.
    console.log(`chained: ${chain.urls.length} streams, ${got.size} articles, lateness max ${Math.max(...late)} ms (allowance ${allowance} ms)`);
    expect(Math.max(...late)).toBeLessThanOrEqual(allowance + 1500);
  }, 90_000);
});
