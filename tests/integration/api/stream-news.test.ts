import pkg from '@/package.json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { atomFeed, rssFeed, startFeedServer, type FeedItem, type FeedServer } from '@/tests/support/feed-server';
import { isFinal, message, openSse, progressBody, type SseEvent } from '@/tests/support/sse-client';
import { sleep, waitUntil } from '@/tests/support/wait';

let feeds: FeedServer;
let app: AppServer;

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const item = (id: string, title: string, published?: Date): FeedItem => ({
  id,
  title,
  link: `https://news.example.com/${id}?utm_source=rss&mod=mw_rss_topstories`,
  published,
  summary: `<p>${title} <b>in detail</b></p>`,
});

interface NewsBody {
  symbol: string;
  news: { count: number; articles: Array<{ id: string; title: string; url: string; source: string; publishedAt?: string; firstSeenAt?: string; scope: string; summary: string }> };
  warnings?: Array<{ source: string; error: string }>;
}
const newsBodies = (events: SseEvent[]) =>
  events.filter((e) => e.data && !isFinal(e)).map(progressBody).filter((b): b is Record<string, unknown> => !!b && 'news' in b) as unknown as NewsBody[];
const progressOf = (e: SseEvent) => (message(e) as { params?: { progress: number } }).params?.progress;
const health = async () => (await (await fetch(`${app.url}/api/health`)).json()) as { activeStreams: number };

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.set('/market.xml', rssFeed('Market', [item('m-1', 'Stocks open higher', minutesAgo(30))]));
  feeds.set('/sec/TSLA.atom', {
    kind: 'feed',
    body: atomFeed('SEC', [item('urn:tag:sec.gov,2008:accession-number=1', '8-K - Current report', minutesAgo(90))]),
    contentType: 'application/atom+xml',
  });
  app = await startApp({
    NEWS_FEEDS: `${feeds.url}/sym/{symbol}.xml, ${feeds.url}/sec/{symbol}.atom ${feeds.url}/market.xml`,
    NEWS_MIN_POLL_MS: '1000',
    NEWS_FETCH_TIMEOUT_MS: '1500',
    STREAM_HEARTBEAT_MS: '1500',
    STREAM_MAX_DURATION_MS: '120000',
    NEWS_USER_AGENT: 'MarketPulseTest/1.0 (ops@example.com)',
    // This file is about the stream itself; the guard's limits have their own tests.
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_STREAMS_PER_CLIENT: '0',
  });
});

afterAll(async () => {
  await app?.stop();
  await feeds?.close();
});

describe('GET /api/mcp/stream-news', () => {
  it('sends connected at once, news on the interval with only new articles, and the final result on time', async () => {
    feeds.set('/sym/TSLA.xml', rssFeed('Yahoo TSLA', [item('t-1', 'Tesla one', minutesAgo(10)), item('t-2', 'Tesla two', minutesAgo(5))]));
    const started = Date.now();
    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=tsla&interval=1000&duration=5000&limit=2`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('content-encoding')).toBeNull();

    await stream.waitFor((events) => events.length >= 1);
    const connected = stream.events[0]!;
    expect(connected.retry).toBeGreaterThan(0);
    const connectedMsg = message(connected) as { jsonrpc: string; method: string; params: { progressToken: string; progress: number; total: number } };
    expect(connectedMsg).toMatchObject({ jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 0, total: 1 } });
    const token = connectedMsg.params.progressToken;
    const body = progressBody(connected)!;
    expect(body).toMatchObject({ status: 'connected', symbol: 'TSLA' });
    const endsAt = Date.parse(body.endsAt as string);
    expect(endsAt - started).toBeGreaterThan(4000);
    expect(endsAt - started).toBeLessThan(8000);

    // An article published mid-stream arrives in a later event, exactly once.
    await stream.waitFor((events) => newsBodies(events).length >= 1);
    feeds.set(
      '/sym/TSLA.xml',
      rssFeed('Yahoo TSLA', [item('t-3', 'Tesla three', minutesAgo(0)), item('t-1', 'Tesla one', minutesAgo(10)), item('t-2', 'Tesla two', minutesAgo(5))]),
    );
    await stream.done;

    const events = stream.events.filter((e) => e.data);
    const last = events.at(-1)!;
    expect(isFinal(last)).toBe(true);
    expect(message(last)).toEqual({ jsonrpc: '2.0', result: { content: [{ type: 'text', text: 'Stream complete' }], isError: false }, id: token });
    // Finished at endsAt, not an interval early or late (generous: shared CI machines).
    expect(Math.abs(last.receivedAt - endsAt)).toBeLessThan(1500);

    const news = newsBodies(events);
    expect(news.length).toBeGreaterThanOrEqual(3);
    expect(news[0]!.news.count).toBe(2); // limit applies to the first event only
    for (const n of news) expect(n.news.count).toBe(n.news.articles.length);
    const ids = news.flatMap((n) => n.news.articles.map((a) => a.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('t-3');

    const progress = events.slice(1, -1).map(progressOf) as number[];
    for (const p of progress) expect(p > 0 && p < 1).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
    for (const e of events) expect(e.id).toMatch(/\S/);
  });

  it('normalises articles: feed dates, canonical links, plain-text summaries, scope', async () => {
    const published = minutesAgo(42);
    feeds.set('/sym/NVDA.xml', rssFeed('Yahoo NVDA', [item('n-1', 'Nvidia &amp; AI', published), item('n-nodate', 'Undated Nvidia story')]));
    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=NVDA&interval=1000&duration=1500&limit=50`);
    await stream.done;
    const articles = newsBodies(stream.events).flatMap((n) => n.news.articles);
    const dated = articles.find((a) => a.id === 'n-1')!;
    expect(dated.publishedAt).toBe(new Date(Math.floor(published.getTime() / 1000) * 1000).toISOString());
    expect(dated.url).toBe('https://news.example.com/n-1');
    expect(dated.summary).toBe('Nvidia & AI in detail');
    expect(dated.scope).toBe('symbol');
    const undated = articles.find((a) => a.id === 'n-nodate')!;
    expect(undated.publishedAt).toBeUndefined();
    expect(undated.firstSeenAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(articles.find((a) => a.id === 'm-1')?.scope).toBe('market');
  });

  it('keeps streaming with a warning when a feed fails, and sends the configured User-Agent', async () => {
    feeds.set('/sym/AMD.xml', { kind: 'status', status: 500 });
    feeds.set('/sec/AMD.atom', '<html><body>Request Rate Threshold Exceeded</body></html>');
    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=AMD&interval=1000&duration=2500`);
    await stream.done;
    const news = newsBodies(stream.events);
    expect(news.length).toBeGreaterThanOrEqual(2);
    expect(news[0]!.news.articles.map((a) => a.id)).toContain('m-1');
    const warnings = news[0]!.warnings ?? [];
    expect(warnings.length).toBe(2);
    for (const w of warnings) expect(w.error).not.toMatch(/at .*\.js|Error:/);
    expect(isFinal(stream.events.at(-1)!)).toBe(true);
    // An honest product token, then the operator's contact as a comment (its own parentheses removed).
    expect(feeds.lastHeaders('/sym/AMD.xml')?.['user-agent']).toBe(`market-pulse/${pkg.version} (MarketPulseTest/1.0 ops@example.com)`);
  });

  it('does not hold up the stream for a feed that hangs', async () => {
    feeds.set('/sym/HANG.xml', { kind: 'hang' });
    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=HANG&interval=1000&duration=4000`);
    await stream.done;
    const news = newsBodies(stream.events);
    expect(news.length).toBeGreaterThanOrEqual(2);
    expect(news.flatMap((n) => n.news.articles.map((a) => a.id))).toContain('m-1');
    expect(news.some((n) => (n.warnings ?? []).some((w) => /within/.test(w.error)))).toBe(true);
  });

  it('resumes from Last-Event-ID without repeats and ends at the original endsAt; 204 once ended', async () => {
    feeds.set('/sym/AAPL.xml', rssFeed('Yahoo AAPL', [item('a-1', 'Apple one', minutesAgo(3))]));
    const first = await openSse(`${app.url}/api/mcp/stream-news?symbol=AAPL&interval=1000&duration=6000`);
    await first.waitFor((events) => newsBodies(events).length >= 2);
    const endsAt = progressBody(first.events[0]!)!.endsAt;
    const lastSeen = first.events.filter((e) => e.id).at(-1)!;
    const lastProgress = progressOf(lastSeen)!;
    first.close();

    feeds.set('/sym/AAPL.xml', rssFeed('Yahoo AAPL', [item('a-2', 'Apple two', minutesAgo(0)), item('a-1', 'Apple one', minutesAgo(3))]));
    const second = await openSse(`${app.url}/api/mcp/stream-news?symbol=AAPL&interval=1000&duration=6000`, { 'Last-Event-ID': lastSeen.id! });
    expect(second.status).toBe(200);
    await second.done;
    expect(second.events[0]!.comments).toContain('resumed');
    const resumedIds = newsBodies(second.events).flatMap((n) => n.news.articles.map((a) => a.id));
    expect(resumedIds).toEqual(['a-2']);
    const progress = second.events.filter((e) => e.data && !isFinal(e)).map(progressOf) as number[];
    expect(progress[0]!).toBeGreaterThan(lastProgress);
    const final = second.events.at(-1)!;
    expect(isFinal(final)).toBe(true);
    expect(Math.abs(final.receivedAt - Date.parse(endsAt as string))).toBeLessThan(1500);

    const after = await fetch(`${app.url}/api/mcp/stream-news?symbol=AAPL&lastEventId=${encodeURIComponent(final.id!)}`);
    expect(after.status).toBe(204);
  });

  it('rejects a malformed Last-Event-ID with 400', async () => {
    const res = await fetch(`${app.url}/api/mcp/stream-news?symbol=TSLA`, { headers: { 'Last-Event-ID': 'not-an-id' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toMatch(/Last-Event-ID/);
  });

  it('sends a heartbeat comment after a silence', async () => {
    feeds.set('/sym/BEAT.xml', rssFeed('Yahoo BEAT', []));
    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=BEAT&interval=5000&duration=4000`);
    await stream.done;
    expect(stream.events.some((e) => e.comments.includes('keep-alive'))).toBe(true);
  });

  it.each([
    ['symbol', 'symbol=TSLA$'],
    ['symbol', 'symbol=TOOLONGSYMBOL123'],
    ['symbol', `symbol=${'A'.repeat(5000)}`],
    ['interval', 'interval=0'],
    ['interval', 'interval=-5'],
    ['interval', 'interval=1e12'],
    ['interval', 'interval=999'],
    ['interval', 'interval=300001'],
    ['interval', 'interval=10.5'],
    ['duration', 'duration=120001'],
    ['limit', 'limit=0'],
    ['limit', 'limit=51'],
    ['limit', 'limit=abc'],
    ['colour', 'colour=blue'],
  ])('answers a bad %s with a 400 JSON-RPC error naming it (case %#)', async (field, query) => {
    const res = await fetch(`${app.url}/api/mcp/stream-news?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { jsonrpc: string; id: unknown; error: { code: number; message: string } };
    expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32602 } });
    expect(body.error.message).toContain(field);
  });

  it('answers other methods with a 405 JSON-RPC error', async () => {
    const res = await fetch(`${app.url}/api/mcp/stream-news?symbol=TSLA`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toMatch(/GET/);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/GET/);
  });

  it('stops all work for a stream within a second of the client leaving', async () => {
    feeds.set('/sym/LEAVE.xml', rssFeed('Yahoo LEAVE', [item('l-1', 'Leaving', minutesAgo(1))]));
    const stream = await openSse(`${app.url}/api/mcp/stream-news?symbol=LEAVE&interval=1000&duration=60000`);
    await stream.waitFor((events) => newsBodies(events).length >= 1);
    expect((await health()).activeStreams).toBe(1);
    stream.close();
    // Contract: within one second; the bound is generous because CI machines are shared.
    await waitUntil(async () => (await health()).activeStreams === 0, 3000);
    // The per-symbol poller stopped: no more fetches of its feed.
    await sleep(1500);
    const count = feeds.count('/sym/LEAVE.xml');
    await sleep(2500);
    expect(feeds.count('/sym/LEAVE.xml')).toBe(count);
  });

  it('fetches each feed once per period however many streams watch it', async () => {
    feeds.set('/sym/MANY.xml', rssFeed('Yahoo MANY', [item('x-1', 'Many one', minutesAgo(1))]));
    feeds.resetCounts();
    const streams = await Promise.all(
      Array.from({ length: 50 }, () => openSse(`${app.url}/api/mcp/stream-news?symbol=MANY&interval=1000&duration=6000`)),
    );
    await Promise.all(streams.map((s) => s.done));
    for (const s of streams) {
      expect(s.status).toBe(200);
      expect(isFinal(s.events.at(-1)!)).toBe(true);
      expect(newsBodies(s.events)[0]!.news.articles.map((a) => a.id)).toContain('x-1');
    }
    // About 6 periods of 1 s; 50 streams fetching per tick would be ~300. Conditional GETs count too.
    expect(feeds.count('/sym/MANY.xml')).toBeGreaterThanOrEqual(2);
    expect(feeds.count('/sym/MANY.xml')).toBeLessThanOrEqual(9);
    expect(feeds.notModifiedCount('/sym/MANY.xml')).toBeGreaterThanOrEqual(1);
    await waitUntil(async () => (await health()).activeStreams === 0, 3000);
  });
});

describe('GET /api/news', () => {
  it('returns the latest articles for a symbol', async () => {
    feeds.set('/sym/MSFT.xml', rssFeed('Yahoo MSFT', [item('ms-1', 'Microsoft one', minutesAgo(2)), item('ms-2', 'Microsoft two', minutesAgo(1))]));
    const res = await fetch(`${app.url}/api/news?symbol=msft&limit=2`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { symbol: string; fetchedAt: string; articles: Array<{ id: string }>; warnings: unknown[] };
    expect(body.symbol).toBe('MSFT');
    expect(body.articles.map((a) => a.id)).toEqual(['ms-2', 'ms-1']);
    expect(Array.isArray(body.warnings)).toBe(true);
    expect(Number.isNaN(Date.parse(body.fetchedAt))).toBe(false);
  });

  it('validates its query like the stream', async () => {
    const res = await fetch(`${app.url}/api/news?symbol=TSLA&limit=99`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('limit');
  });
});

describe('GET /api/health', () => {
  it('reports status, version, uptime and open streams, nothing else', async () => {
    const res = await fetch(`${app.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['activeStreams', 'status', 'uptimeSeconds', 'version']);
    expect(body.status).toBe('ok');
    expect(JSON.stringify(body)).not.toContain(feeds.url);
  });
});
