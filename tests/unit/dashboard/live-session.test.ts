import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseQuery } from '@/lib/contract/filters';
import { LiveSession, SWITCH_DEBOUNCE_MS, type SessionSettings } from '@/lib/dashboard/live-session';
import { SEAM_JITTER_MS } from '@/lib/dashboard/session-plan';
import type { StreamOptions } from '@/lib/dashboard/stream-options';
import { fakeServer, type FakeRequest } from './fake-stream-server';
import { finalData, progressData, wireArticle } from './fixtures';

const T0 = Date.parse('2026-11-25T14:05:00.000Z');
const OPEN: StreamOptions = { interval: 1000, duration: null, maxDuration: 60_000, heartbeat: 15_000 };
const FIXED: StreamOptions = { ...OPEN, duration: 10_000 };

const iso = (ms: number) => new Date(ms).toISOString();
const filter = (q: string) => {
  const parsed = parseQuery(q);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.query;
};

function connected(req: FakeRequest, id: string, endsIn = 60_000, symbols: string[] = ['TSLA']) {
  const now = Date.now();
  req.event(id, progressData(id, 0, { status: 'connected', timestamp: iso(now), symbols, endsAt: iso(now + endsIn) }));
}

function news(req: FakeRequest, id: string, progress: number, ids: string[], extra: object = {}) {
  const articles = ids.map((a) => wireArticle(a, { symbols: ['TSLA'] }));
  req.event(id, progressData('t', progress, { timestamp: iso(Date.now()), symbols: ['TSLA'], news: { count: articles.length, articles, ...extra } }));
}

/** Lets fetch promises and the stream pipes run (they use real microtasks and setImmediate). */
async function settle() {
  for (let i = 0; i < 5; i += 1) {
    await vi.advanceTimersByTimeAsync(0);
    await new Promise((r) => setImmediate(r));
  }
}

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}

let server: ReturnType<typeof fakeServer>;
let online: boolean;
let random: number;

function session(options: StreamOptions = OPEN, settings: Partial<SessionSettings> = {}) {
  const s = new LiveSession(
    { symbols: ['TSLA'], query: null, options, ...settings },
    {
      fetch: server.fetch,
      now: () => Date.now(),
      random: () => random,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
      isOnline: () => online,
    },
  );
  const phases: string[] = [];
  s.subscribe(() => {
    if (phases.at(-1) !== s.getState().phase) phases.push(s.getState().phase);
  });
  return Object.assign(s, { phases, ids: () => s.getState().articles.map((a) => a.id) });
}

/** Starts and brings the first stream to its connected event, before any news. */
async function startedFresh(s: ReturnType<typeof session>, endsIn = 60_000) {
  s.start();
  await settle();
  const req = server.last().open();
  connected(req, 'c0', endsIn);
  return req;
}

/** Starts and brings the first stream live with one article. */
async function live(s: ReturnType<typeof session>, endsIn = 60_000) {
  const req = await startedFresh(s, endsIn);
  news(req, 'n1', 0.01, ['a1']);
  await settle();
  return req;
}

/** The ids each event (or catch-up) added, one list per event, as arrival listeners hear them. */
function arrivalsOf(s: LiveSession) {
  const seen: string[][] = [];
  s.onArrivals((added) => seen.push(added.map((a) => a.id)));
  return seen;
}

/** A new session, live with one article on its first stream. */
async function liveSession(options: StreamOptions = OPEN, endsIn = 60_000, settings: Partial<SessionSettings> = {}) {
  const s = session(options, settings);
  return { s, req: await live(s, endsIn) };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(T0);
  server = fakeServer();
  online = true;
  random = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveSession: live until Stop', () => {
  it('asks for the server maximum (shaved at random) and goes live', async () => {
    random = 1;
    const { s, req } = await liveSession();
    expect(req.param('symbol')).toBe('TSLA');
    expect(req.param('duration')).toBe(String(60_000 - 3_000)); // 5% of 60 s, at most 5 s
    expect(req.param('since')).toBeNull();
    expect(s.getState()).toMatchObject({ phase: 'live', openEnded: true, liveSince: T0 });
    expect(s.ids()).toEqual(['a1']);
  });

  it('chains the next stream with since= within the jitter, invisibly and without repeats', async () => {
    random = 0.9;
    const { s, req: first } = await liveSession();
    news(first, 'n2', 0.5, ['a2']);
    first.event('f1', finalData('t'));
    await settle();
    expect(first.aborted).toBe(true);
    expect(server.streams()).toHaveLength(1);
    await advance(SEAM_JITTER_MS);
    const second = server.last();
    expect(second.param('since')).toBe('f1');
    expect(second.headers['Last-Event-ID']).toBeUndefined();
    second.open();
    connected(second, 'c1');
    news(second, 'n3', 0.01, ['a2', 'a3']); // the seam overlaps: a2 again
    await settle();
    expect([...s.ids()].sort()).toEqual(['a1', 'a2', 'a3']);
    expect(s.phases).toEqual(['connecting', 'live']);
    expect(s.getState().liveSince).toBe(T0);
  });

  it('a fixed-length stream ends with Stream complete and nothing after it', async () => {
    const { s, req } = await liveSession(FIXED, 10_000);
    expect(req.param('duration')).toBe('10000');
    req.event('f', finalData('t'));
    await settle();
    expect(s.getState()).toMatchObject({ phase: 'complete', progress: 1, message: null });
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(server.streams()).toHaveLength(1);
  });

  it('a stream failure ends a fixed stream in error, and is retried with since in an open-ended one', async () => {
    const { s: fixed, req } = await liveSession(FIXED, 10_000);
    req.event('f', finalData('t', true, 'Error: all feeds failed'));
    await settle();
    expect(fixed.getState()).toMatchObject({ phase: 'error', message: 'all feeds failed' });

    const { s: open, req: r } = await liveSession();
    r.event('f9', finalData('t', true, 'Error: all feeds failed'));
    await settle();
    expect(open.getState()).toMatchObject({ phase: 'reconnecting', message: 'The stream failed (all feeds failed). Reconnecting…' });
    await advance(1_000);
    expect(server.last().param('since')).toBe('f9');
  });

  it('Stop ends everything for good: connection, timers, ticker', async () => {
    const { s, req } = await liveSession();
    s.stop();
    expect(req.aborted).toBe(true);
    expect(s.getState().phase).toBe('stopped');
    expect(vi.getTimerCount()).toBe(0);
    s.online();
    s.visibility(false);
    await advance(120_000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('LiveSession: absence', () => {
  it('after a drop, resumes the same stream with Last-Event-ID and reports what arrived meanwhile', async () => {
    const { s, req } = await liveSession();
    req.fail();
    await settle();
    expect(s.getState().phase).toBe('reconnecting');
    await advance(1_000);
    const resume = server.last();
    expect(resume.url.href).toBe(req.url.href);
    expect(resume.headers['Last-Event-ID']).toBe('n1');
    resume.open().comment('resumed');
    await settle();
    expect(s.getState()).toMatchObject({ phase: 'live', reconnects: 1 });
    news(resume, 'n2', 0.2, ['a1', 'a2', 'a3']);
    await settle();
    expect(s.ids()).toHaveLength(3);
    expect(s.getState().awayNotice).toMatchObject({ count: 2, tooOld: false });
  });

  it('after a drop past the stream end, continues with since', async () => {
    const { s, req } = await liveSession(OPEN, 5_000);
    req.fail();
    online = false;
    await settle();
    expect(s.getState().phase).toBe('offline');
    vi.setSystemTime(Date.now() + 10_000);
    online = true;
    s.online();
    await settle();
    expect(server.last().param('since')).toBe('n1');
    expect(server.last().headers['Last-Event-ID']).toBeUndefined();
  });

  it('offline aborts the stream at once; online reconnects at once', async () => {
    const { s, req } = await liveSession();
    s.offline();
    expect(req.aborted).toBe(true);
    expect(s.getState().phase).toBe('offline');
    s.online();
    await settle();
    expect(server.last().headers['Last-Event-ID']).toBe('n1');
  });

  it('offline before the first news event: its resume lists the latest headlines, and what was published while away as arrivals', async () => {
    const s = session();
    const req = await startedFresh(s);
    await advance(1_000);
    const lostAt = Date.now();
    s.offline();
    expect(req.aborted).toBe(true);
    await advance(5_000);
    s.online();
    await settle();
    const resumed = server.last();
    expect(resumed.headers['Last-Event-ID']).toBe('c0');
    resumed.open();
    const article = (id: string, publishedAt: number) => wireArticle(id, { symbols: ['TSLA'], publishedAt: iso(publishedAt) });
    const articles = [article('while-away', lostAt + 2_000), article('headline', lostAt - 3_600_000)];
    resumed.event('n1', progressData('t', 0.1, { timestamp: iso(Date.now()), symbols: ['TSLA'], news: { count: 2, articles } }));
    await settle();
    expect(s.getState().articles.filter((a) => a.arrivedAt !== undefined).map((a) => a.id)).toEqual(['while-away']);
    expect(s.getState().awayNotice).toMatchObject({ count: 1 });
  });

  it('notices a sleep from the wall-clock jump of the 1 s ticker', async () => {
    const s = session();
    await live(s);
    // Timers frozen for 30 s (the laptop lid closed), the socket silently dead.
    vi.setSystemTime(Date.now() + 30_000);
    await advance(1_000);
    expect(s.getState().away).toMatchObject({ since: T0, needsCatchUp: true });
    const resume = server.last();
    expect(server.streams()).toHaveLength(2);
    expect(resume.headers['Last-Event-ID']).toBe('n1');
    resume.open();
    news(resume, 'n2', 0.6, ['a4']);
    await settle();
    expect(s.getState().awayNotice).toMatchObject({ count: 1, since: T0 });
    expect(s.getState().phase).toBe('live');
  });

  it('a live stream that only sends heartbeats is healthy; one silent past the deadline is replaced', async () => {
    const { req } = await liveSession();
    for (let i = 0; i < 12; i += 1) {
      await advance(5_000);
      req.comment();
    }
    await settle();
    expect(server.streams()).toHaveLength(1);
    // Deadline: max(interval 1 s, heartbeat 15 s) + 5 s.
    await advance(21_000);
    expect(server.streams()).toHaveLength(2);
    expect(req.aborted).toBe(true);
  });

  it('a background tab ticking late while bytes keep arriving is not mistaken for sleep', async () => {
    const { s, req } = await liveSession();
    s.visibility(true);
    // The ticker is throttled to once a minute, but events keep coming.
    for (let i = 0; i < 6; i += 1) {
      vi.setSystemTime(Date.now() + 10_000);
      news(req, `h${i}`, 0.1 + i / 100, [`h${i}`]);
      await settle();
    }
    await advance(1_000);
    expect(server.streams()).toHaveLength(1);
    s.visibility(false);
    expect(s.getState().awayNotice).toMatchObject({ count: 6 });
  });

  it('a resume of a stream that already ended: 204 completes a fixed stream, continues an open one', async () => {
    const { s: fixed, req } = await liveSession(FIXED, 10_000);
    req.fail();
    await advance(1_000);
    server.last().refuse(204);
    await settle();
    expect(fixed.getState()).toMatchObject({ phase: 'complete', message: 'The stream ended while the connection was down.' });

    const { req: r } = await liveSession(OPEN, 30_000);
    r.fail();
    await advance(1_000);
    server.last().refuse(204);
    await settle();
    expect(server.last().param('since')).toBe('n1');
  });

  it('a cursor too old for the history: latest snapshot as catch-up, then live from its cursor', async () => {
    const { s, req } = await liveSession(OPEN, 2_000);
    req.fail();
    await advance(5_000);
    server.last().refuse(400, { jsonrpc: '2.0', error: { code: -32602, message: 'since is too old', data: { reason: 'since-too-old', fields: { since: 'too old' } } }, id: null });
    await settle();
    const snapshot = server.last();
    expect(snapshot.path).toBe('/api/news');
    expect(snapshot.param('symbol')).toBe('TSLA');
    snapshot.json({ symbol: 'TSLA', fetchedAt: iso(Date.now()), articles: [wireArticle('a1'), wireArticle('s1'), wireArticle('s2')], warnings: [], cursor: 'snap-1' });
    await settle();
    expect(s.getState().awayNotice).toMatchObject({ tooOld: true, count: 2 });
    expect(s.getState().liveSince).toBeNull();
    expect(server.last().param('since')).toBe('snap-1');
    server.last().open();
    connected(server.last(), 'c2');
    await settle();
    expect(s.getState().liveSince).toBe(Date.now());
  });

  it('back on the tab after articles arrived while hidden: says how many', async () => {
    const { s, req } = await liveSession();
    s.visibility(true);
    news(req, 'n2', 0.1, ['b1', 'b2']);
    await settle();
    expect(s.getState().awayNotice).toBeNull();
    s.visibility(false);
    expect(s.getState().awayNotice).toMatchObject({ count: 2 });
  });
});

describe('LiveSession: refusals', () => {
  const body = (message: string, data?: object) => ({ jsonrpc: '2.0', error: { code: -32000, message, ...(data ? { data } : {}) }, id: null });

  it('a 429 at Start is an error the user sees, with the wait', async () => {
    const s = session();
    s.start();
    await settle();
    server.last().refuse(429, body('Too many open streams'), { 'Retry-After': '30' });
    await settle();
    expect(s.getState()).toMatchObject({ phase: 'error', retryAfterSeconds: 30 });
    expect(s.getState().message).toMatch(/Too many streams right now.*Try again in 30 seconds/);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a 429 or 503 at a seam waits out Retry-After and carries on', async () => {
    const { s, req } = await liveSession();
    req.event('f', finalData('t'));
    await advance(SEAM_JITTER_MS);
    server.last().refuse(503, body('Busy'), { 'Retry-After': '5' });
    await settle();
    expect(s.getState().phase).toBe('reconnecting');
    // One reason, no advice to act: the page counts down to its own retry instead.
    expect(s.getState().message).toBe('The server is busy right now. Busy.');
    const retryAt = s.getState().retryAt!;
    expect(retryAt - Date.now()).toBeGreaterThanOrEqual(5_000);
    expect(retryAt - Date.now()).toBeLessThanOrEqual(6_000);
    await advance(4_000);
    expect(server.streams()).toHaveLength(2);
    await advance(2_000);
    expect(server.streams()).toHaveLength(3);
    expect(server.last().param('since')).toBe('f');
  });

  it('a switch the limit refuses waits out Retry-After without counting a dropped connection', async () => {
    const { s } = await liveSession();
    s.update({ symbols: ['TSLA', 'AAPL'], query: null, options: OPEN });
    await advance(SWITCH_DEBOUNCE_MS);
    server.last().refuse(429, body('Too many stream starts: at most 10 per minute per client; retry after 10 s'), { 'Retry-After': '10' });
    await settle();
    expect(s.getState()).toMatchObject({ phase: 'reconnecting', message: 'Too many stream starts: at most 10 per minute per client.' });
    // Changes during the wait are held for its end (sent at once they would only be refused again).
    const before = server.streams().length;
    s.update({ symbols: ['TSLA', 'AAPL', 'NVDA'], query: null, options: OPEN });
    await advance(SWITCH_DEBOUNCE_MS + 1_000);
    expect(server.streams()).toHaveLength(before);
    await advance(10_000);
    expect(server.streams()).toHaveLength(before + 1);
    // One request, the switch again with the newest list: a fresh stream, not a resume with the
    // old stream's id (which the server would refuse for the new URL).
    const retried = server.last();
    expect(retried.param('symbols')).toBe('TSLA,AAPL,NVDA');
    expect(retried.param('since')).toBeNull();
    expect(retried.headers['Last-Event-ID']).toBeUndefined();
    connected(retried.open(), 'r0');
    await settle();
    expect(s.getState()).toMatchObject({ phase: 'live', reconnects: 0, retryAt: null, message: null });
  });

  it('a refused cursor (another symbol set, another secret) starts fresh', async () => {
    const { s, req } = await liveSession();
    req.event('f', finalData('t'));
    await advance(SEAM_JITTER_MS);
    server.last().refuse(400, body('since is for another symbol set', { fields: { since: 'other symbols' } }));
    await settle();
    expect(server.last().param('since')).toBeNull();
    expect(s.getState().phase).toBe('live');
  });

  it('a 401 ends the session with the reason and no timers', async () => {
    const { s, req } = await liveSession();
    req.fail();
    await advance(1_000);
    server.last().refuse(401, body('API key required'));
    await settle();
    expect(s.getState()).toMatchObject({ phase: 'error', message: 'This server requires an API key. API key required.' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps retrying an unreachable server with a capped backoff', async () => {
    const s = session();
    await live(s);
    server.last().fail();
    await settle();
    for (let i = 0; i < 8; i += 1) {
      await advance(10_000);
      server.last().networkError();
      await settle();
    }
    expect(server.streams().length).toBeGreaterThanOrEqual(9);
    expect(s.getState().phase).toBe('reconnecting');
  });
});

describe('LiveSession: switching while live', () => {
  it('a new watchlist opens a fresh stream (coalescing quick changes); a new filter opens none', async () => {
    const { s, req } = await liveSession();
    s.update({ symbols: ['TSLA', 'AAPL'], query: null, options: OPEN });
    s.update({ symbols: ['TSLA', 'AAPL', 'NVDA'], query: null, options: OPEN });
    await advance(SWITCH_DEBOUNCE_MS);
    expect(req.aborted).toBe(true);
    const switched = server.last();
    expect(server.streams()).toHaveLength(2);
    expect(switched.param('symbols')).toBe('TSLA,AAPL,NVDA');
    expect(switched.param('since')).toBeNull();
    switched.open();
    connected(switched, 'w0', 60_000, ['TSLA', 'AAPL', 'NVDA']);
    news(switched, 'w1', 0.01, ['a1', 'x1']);
    await settle();
    expect(s.ids()).toHaveLength(2);

    // The page filters what it lists: the stream carries the whole watchlist, and a filter
    // change spends none of the client's stream starts.
    s.update({ symbols: ['TSLA', 'AAPL', 'NVDA'], query: filter('earnings'), options: OPEN });
    await advance(SWITCH_DEBOUNCE_MS + 1_000);
    expect(server.streams()).toHaveLength(2);
    expect(switched.aborted).toBe(false);
    expect(server.streams().map((r) => r.param('q'))).toEqual([null, null]);
    expect(s.phases).toEqual(['connecting', 'live']);
  });

  it('with a filter applied, every arrival is listed but an absence counts only those the filter shows', async () => {
    const { s, req } = await liveSession(OPEN, 60_000, { query: filter('earnings -rumor') });
    s.visibility(true);
    const article = (id: string, title: string) => wireArticle(id, { symbols: ['TSLA'], title });
    const articles = [article('e1', 'TSLA earnings beat'), article('e2', 'Earnings rumor denied'), article('m1', 'TSLA opens a plant')];
    req.event('n2', progressData('t', 0.1, { timestamp: iso(Date.now()), symbols: ['TSLA'], news: { count: 3, articles } }));
    await settle();
    s.visibility(false);
    expect(s.ids()).toEqual(expect.arrayContaining(['e1', 'e2', 'm1']));
    expect(s.getState().awayNotice).toMatchObject({ count: 1 });
    // A new filter applies to what arrives next, with no request.
    s.update({ symbols: ['TSLA'], query: filter('plant'), options: OPEN });
    s.visibility(true);
    req.event('n3', progressData('t', 0.2, { timestamp: iso(Date.now()), symbols: ['TSLA'], news: { count: 2, articles: [article('p1', 'Plant output up'), article('x1', 'Other news')] } }));
    await settle();
    s.visibility(false);
    expect(s.getState().awayNotice).toMatchObject({ count: 1 });
    expect(server.streams()).toHaveLength(1);
  });

  it('after a watchlist switch, the fresh stream’s latest articles are new only if published since the last news', async () => {
    const { s } = await liveSession();
    const lastNewsAt = Date.now();
    const seen = arrivalsOf(s);
    await advance(2_000);
    s.update({ symbols: ['TSLA', 'AAPL'], query: null, options: OPEN });
    await advance(SWITCH_DEBOUNCE_MS);
    const switched = server.last().open();
    connected(switched, 'w0', 60_000, ['TSLA', 'AAPL']);
    const article = (id: string, publishedAt: number) => wireArticle(id, { symbols: ['AAPL'], publishedAt: iso(publishedAt) });
    // AAPL's older headlines, and a TSLA story published between the old stream's last news and the switch.
    const articles = [article('aapl-old', lastNewsAt - 3_600_000), article('aapl-edge', lastNewsAt), article('tsla-new', lastNewsAt + 1_000)];
    switched.event('w1', progressData('t', 0.01, { timestamp: iso(Date.now()), symbols: ['TSLA', 'AAPL'], news: { count: 3, articles } }));
    await settle();
    expect(s.ids()).toEqual(expect.arrayContaining(['aapl-old', 'aapl-edge', 'tsla-new']));
    expect(seen).toEqual([['tsla-new']]);
    expect(s.getState().articles.filter((a) => a.arrivedAt !== undefined).map((a) => a.id)).toEqual(['tsla-new']);
  });

  it('does nothing before Start, and a switch while offline waits for the network', async () => {
    const s = session();
    s.update({ symbols: ['AAPL'], query: null, options: OPEN });
    await advance(1_000);
    expect(server.requests).toHaveLength(0);
    await live(s);
    s.offline();
    s.update({ symbols: ['AAPL', 'NVDA'], query: null, options: OPEN });
    await advance(SWITCH_DEBOUNCE_MS);
    expect(server.streams()).toHaveLength(1);
    s.online();
    await settle();
    expect(server.last().param('symbols')).toBe('AAPL,NVDA');
  });
});

describe('LiveSession: arrivals', () => {
  it('tells listeners about each event’s new articles only', async () => {
    const s = session();
    const seen = arrivalsOf(s);
    const req = await live(s);
    news(req, 'n2', 0.1, ['a1', 'a2']);
    news(req, 'n3', 0.2, ['a2', 'a3']);
    await settle();
    expect(seen).toEqual([['a2'], ['a3']]);
  });

  it('a fresh stream’s first news is the latest articles, listed like a snapshot, even when Start beat the snapshot', async () => {
    const s = session();
    const seen = arrivalsOf(s);
    const req = await startedFresh(s);
    news(req, 'n1', 0.01, ['a1', 'a2']);
    await settle();
    expect(s.ids().sort()).toEqual(['a1', 'a2']);
    expect(s.getState().articles.every((a) => a.arrivedAt === undefined)).toBe(true);
    expect(seen).toEqual([]);
    news(req, 'n2', 0.02, ['a3']);
    await settle();
    expect(seen).toEqual([['a3']]);
    expect(s.getState().articles.find((a) => a.id === 'a3')?.arrivedAt).toBe(Date.now());
  });

  it('a resume before the first news keeps it the latest; a since stream’s first news (its catch-up) is arrivals', async () => {
    const s = session();
    const seen = arrivalsOf(s);
    const first = await startedFresh(s);
    await settle();
    first.fail();
    await advance(5_000);
    const resumed = server.last();
    expect(resumed.headers['Last-Event-ID']).toBe('c0');
    resumed.open();
    news(resumed, 'n1', 0.01, ['a1']);
    await settle();
    expect(seen).toEqual([]);
    resumed.event('f1', finalData('t'));
    await advance(SEAM_JITTER_MS);
    const next = server.last();
    expect(next.param('since')).toBe('f1');
    next.open();
    connected(next, 'c1');
    news(next, 'm1', 0.01, ['a2']);
    await settle();
    expect(seen).toEqual([['a2']]);
  });

  it('snapshot articles join the list without counting as arrivals', async () => {
    const s = session();
    const seen: unknown[] = [];
    s.onArrivals((a) => seen.push(a));
    s.addSnapshot([{ ...wireArticle('s1'), scope: 'symbol', symbols: ['TSLA'] }]);
    expect(s.ids()).toEqual(['s1']);
    expect(s.getState().articles[0]?.arrivedAt).toBeUndefined();
    expect(seen).toEqual([]);
  });
});

describe('LiveSession: a snapshot read while live', () => {
  it('lists what the stream has yet to deliver, and the stream’s copy still arrives: marked, counted, announced', async () => {
    const { s, req } = await liveSession();
    const seen = arrivalsOf(s);
    // A new filter or a reload reads the snapshot, which can answer before the stream's next event.
    s.addSnapshot([wireArticle('a1', { symbols: ['TSLA'] }), wireArticle('a2', { symbols: ['TSLA'] })]);
    expect(s.getState().articles.find((a) => a.id === 'a2')).toMatchObject({ provisional: true });
    news(req, 'n2', 0.1, ['a2']);
    await settle();
    expect(seen).toEqual([['a2']]);
    expect(s.getState().articles.find((a) => a.id === 'a2')).toMatchObject({ arrivedAt: Date.now() });
    // What the stream had delivered before stays as it was.
    expect(s.getState().articles.find((a) => a.id === 'a1')).not.toHaveProperty('provisional');
  });
});

describe('LiveSession: continued after a reload', () => {
  it('the next page load continues the stream after its last event, keeps "live since", and counts what came meanwhile as new', async () => {
    const { s: before, req } = await liveSession();
    const { liveSince, startedAt } = before.getState();
    news(req, 'n2', 0.05, ['a2']);
    await settle();
    const arrivedAt = Date.now();
    await advance(3_000);
    const point = before.resumePoint()!;
    expect(point).toMatchObject({ symbols: ['TSLA'], cursor: 'n2', openEnded: true, liveSince, startedAt, backlogDue: false });
    expect(point.arrivals.map((a) => [a.id, a.arrivedAt])).toEqual([['a2', arrivedAt]]);
    before.dispose();
    expect(req.aborted).toBe(true);

    const after = session();
    const seen = arrivalsOf(after);
    expect(after.continueFrom(point)).toBe(true);
    await settle();
    // The stream still runs: resumed with Last-Event-ID on its own URL, as EventSource would.
    const resumed = server.last();
    expect(resumed.url.toString()).toBe(req.url.toString());
    expect(resumed.headers['Last-Event-ID']).toBe('n2');
    // The session's arrivals are listed again with their own times: their marks and counts go on.
    expect(after.getState()).toMatchObject({ startedAt });
    expect(after.getState().articles.map((a) => [a.id, a.arrivedAt])).toEqual([['a2', arrivedAt]]);
    resumed.open();
    news(resumed, 'n3', 0.1, ['a3']);
    await settle();
    expect(after.getState()).toMatchObject({ phase: 'live', liveSince });
    expect(seen).toEqual([['a3']]);
  });

  it('continues only the same watchlist and kind of session; mid-switch, the new list starts fresh', async () => {
    const { s: before } = await liveSession();
    const point = before.resumePoint()!;
    before.dispose();
    const other = session(OPEN, { symbols: ['AAPL'] });
    expect(other.continueFrom(point)).toBe(false);
    expect(session(FIXED).continueFrom(point)).toBe(false);
    await settle();
    expect(server.streams()).toHaveLength(1);

    const { s: switching } = await liveSession();
    switching.update({ symbols: ['TSLA', 'AAPL'], query: null, options: OPEN });
    const mid = switching.resumePoint()!;
    switching.dispose();
    expect(mid).toMatchObject({ symbols: ['TSLA', 'AAPL'], cursor: null });
    const next = session(OPEN, { symbols: ['TSLA', 'AAPL'] });
    expect(next.continueFrom(mid)).toBe(true);
    await settle();
    expect(server.last().param('symbols')).toBe('TSLA,AAPL');
    expect(server.last().param('since')).toBeNull();
    expect(server.last().headers['Last-Event-ID']).toBeUndefined();
  });

  it('a stopped session leaves nothing to continue', async () => {
    const { s } = await liveSession();
    s.stop();
    expect(s.resumePoint()).toBeNull();
  });
});
