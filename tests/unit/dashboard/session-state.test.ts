import { describe, expect, it } from 'vitest';
import { initialSessionState, isActive, sessionReducer, type SessionAction, type SessionState } from '@/lib/dashboard/session-state';
import type { StreamMessage } from '@/lib/dashboard/stream-messages';
import { received } from './fixtures';

const T = Date.parse('2026-11-25T10:00:02.000Z');
const connected: StreamMessage = { kind: 'connected', token: 't', symbols: ['TSLA'], endsAt: '2026-11-25T10:01:00.000Z', timestamp: '2026-11-25T10:00:00.000Z', demo: false, resumed: false };
const news = (progress: number, ids: string[], extra: Partial<Extract<StreamMessage, { kind: 'news' }>> = {}): Extract<StreamMessage, { kind: 'news' }> => ({
  kind: 'news',
  token: 't',
  progress,
  symbols: ['TSLA'],
  timestamp: 'x',
  articles: ids.map((id, i) => received(id, i)),
  warnings: [],
  truncated: false,
  ...extra,
});
const msg = (message: Exclude<StreamMessage, { kind: 'final' }>, now = T): SessionAction => ({ type: 'message', message, now });
const run = (...actions: SessionAction[]): SessionState => actions.reduce(sessionReducer, initialSessionState);
const start = (openEnded = true): SessionAction => ({ type: 'start', openEnded, now: T - 2_000 });

describe('sessionReducer', () => {
  it('goes connecting → live on the connected event, measures clock skew and says since when', () => {
    const connecting = run(start());
    expect(connecting).toMatchObject({ phase: 'connecting', openEnded: true, startedAt: T - 2_000 });
    expect(isActive(connecting.phase)).toBe(true);
    const live = sessionReducer(connecting, msg(connected));
    // Server clock 2 s behind: its endsAt lands 2 s later on the client's clock.
    expect(live).toMatchObject({ phase: 'live', skewMs: -2_000, liveSince: T, endsAt: Date.parse(connected.endsAt) + 2_000 });
  });

  it('merges news, never listing an article twice, and remembers the arrivals', () => {
    const state = run(start(), msg(connected), msg(news(0.1, ['a', 'b'])), msg(news(0.2, ['b', 'c'])));
    expect(state.articles.map((a) => a.id).sort()).toEqual(['a', 'b', 'c']);
    expect(state.arrivals).toMatchObject({ seq: 2 });
    expect(state.arrivals.articles.map((a) => a.id)).toEqual(['c']);
    expect(state.lastNewsAt).toBe(T);
  });

  it('a backlog event (a fresh stream’s first) is listed unflagged, except what was published since the last news, on the server’s clock', () => {
    const backlog = (message: Extract<StreamMessage, { kind: 'news' }>, now = T): SessionAction => ({ type: 'message', message, now, backlog: true });
    const at = (id: string, ms: number) => received(id, 0, { publishedAt: new Date(ms).toISOString() });
    // Start: nothing came before, so the whole first batch is the latest news.
    const first = run(start(), msg(connected), backlog(news(0.1, ['a', 'b'])));
    expect(first.articles.map((a) => a.id).sort()).toEqual(['a', 'b']);
    expect(first.articles.every((a) => a.arrivedAt === undefined)).toBe(true);
    expect(first.arrivals.seq).toBe(0);
    expect(first.lastNewsAt).toBe(T);
    // A switch: the server's clock is 2 s behind the page's (skew −2 s), the last news came at T.
    const serverT = T - 2_000;
    const switched = sessionReducer(first, msg(connected));
    const next = sessionReducer(switched, backlog(news(0.1, [], { articles: [at('before', serverT - 500), at('after', serverT + 500), at('b', serverT + 900)] }), T + 3_000));
    expect(next.arrivals.articles.map((a) => a.id)).toEqual(['after']);
    expect(next.articles.find((a) => a.id === 'before')?.arrivedAt).toBeUndefined();
    // Already listed: a resent copy is never flagged, whatever its time.
    expect(next.articles.find((a) => a.id === 'b')?.arrivedAt).toBeUndefined();
  });

  it('lets progress only move forward within a stream, and restarts it for a new one', () => {
    const state = run(start(false), msg(connected), msg(news(0.4, [])), msg(news(0.3, [])));
    expect(state.progress).toBe(0.4);
    expect(sessionReducer(state, msg(connected)).progress).toBe(0);
    expect(run(start(), msg(news(7, []))).progress).toBe(1);
    expect(run(start(), msg(news(Number.NaN, []))).progress).toBe(0);
  });

  it('keeps the list across sessions but starts each session’s counts and status afresh', () => {
    const old = run(start(), msg(connected), msg(news(0.5, ['a'])), { type: 'stop' });
    const again = sessionReducer(old, { type: 'start', openEnded: false, now: T + 60_000 });
    expect(again).toMatchObject({ phase: 'connecting', openEnded: false, startedAt: T + 60_000, liveSince: null, reconnects: 0 });
    expect(again.articles.map((a) => a.id)).toEqual(['a']);
  });

  it('a lost connection is an absence that ends with the first news after reconnecting', () => {
    const lost = run(start(), msg(connected), msg(news(0.1, ['a'])), { type: 'lost', since: T + 1_000, offline: false });
    expect(lost).toMatchObject({ phase: 'reconnecting', away: { since: T + 1_000, needsCatchUp: true } });
    const reopened = sessionReducer(lost, { type: 'opened' });
    expect(reopened).toMatchObject({ phase: 'live', reconnects: 1, awayNotice: null });
    const caughtUp = sessionReducer(reopened, msg(news(0.3, ['b', 'c']), T + 9_000));
    expect(caughtUp.away).toBeNull();
    expect(caughtUp.awayNotice).toEqual({ count: 2, since: T + 1_000, until: T + 9_000, tooOld: false, truncated: false });
    // Even with nothing new, an absence that needed a reconnect is reported ("0 new articles").
    const quiet = run(start(), msg(connected), { type: 'lost', since: T, offline: true }, { type: 'opened' }, msg(news(0.3, [])));
    expect(quiet).toMatchObject({ awayNotice: { count: 0 } });
  });

  it('an article published while away that arrives after the catch-up is counted too; later ones are not', () => {
    const MIN = 60_000;
    // The server's clock is 2 s behind the page's (connected): 10:04 on the server is 10:04:02 here.
    const caughtUp = run(start(), msg(connected), { type: 'lost', since: T + MIN, offline: true }, { type: 'opened' }, msg(news(0.2, ['b'], { articles: [received('b', 2)] }), T + 5 * MIN));
    expect(caughtUp.awayNotice).toMatchObject({ count: 1, since: T + MIN, until: T + 5 * MIN });
    const straggler = sessionReducer(caughtUp, msg(news(0.3, [], { articles: [received('c', 4)] }), T + 6 * MIN));
    expect(straggler.awayNotice).toMatchObject({ count: 2 });
    // Published after the return, or before the absence began: not "while you were away".
    const later = sessionReducer(straggler, msg(news(0.4, [], { articles: [received('d', 7), received('e', 0)] }), T + 8 * MIN));
    expect(later.awayNotice).toMatchObject({ count: 2 });
    // Server 10:04:59 is the page's 10:05:01, before the return at 10:05:02: counted. Server
    // 10:05:00.5 is the page's 10:05:02.5, after it: not counted (read as the page's clock, it would be).
    const edges = [received('f', 5, { publishedAt: '2026-11-25T10:04:59.000Z' }), received('g', 5, { publishedAt: '2026-11-25T10:05:00.500Z' })];
    expect(sessionReducer(caughtUp, msg(news(0.3, [], { articles: edges }), T + 6 * MIN)).awayNotice).toMatchObject({ count: 2 });
  });

  it('says when a catch-up was truncated', () => {
    const state = run(start(), msg(connected), { type: 'lost', since: T, offline: false }, msg(connected), msg(news(0.1, ['a'], { truncated: true })));
    expect(state.awayNotice).toMatchObject({ count: 1, truncated: true });
  });

  it('a hidden tab is an absence; articles meanwhile are reported on return, none means no notice', () => {
    const hidden = run(start(), msg(connected), { type: 'hidden', now: T + 1 });
    expect(hidden.away).toMatchObject({ needsCatchUp: false });
    expect(sessionReducer(hidden, { type: 'visible', now: T + 2 }).awayNotice).toBeNull();
    const withNews = sessionReducer(hidden, msg(news(0.2, ['x', 'y'])));
    expect(withNews.awayNotice).toBeNull();
    expect(sessionReducer(withNews, { type: 'visible', now: T + 5 }).awayNotice).toMatchObject({ count: 2 });
  });

  it('hidden and disconnected: the notice waits for both the catch-up and the return', () => {
    const s = run(start(), msg(connected), { type: 'hidden', now: T }, { type: 'lost', since: T + 5, offline: false }, { type: 'opened' }, msg(news(0.4, ['z'])));
    expect(s.awayNotice).toBeNull();
    expect(sessionReducer(s, { type: 'visible', now: T + 10 }).awayNotice).toMatchObject({ count: 1, since: T });
  });

  it('a too-old cursor: the snapshot counts as the catch-up, and "live since" starts over', () => {
    const s = run(start(), msg(connected), msg(news(0.1, ['a'])), { type: 'lost', since: T, offline: false }, { type: 'too-old-catch-up', articles: [received('a', 0), received('n', 1)], now: T + 9 });
    expect(s).toMatchObject({ liveSince: null, away: null, awayNotice: { count: 1, tooOld: true } });
    expect(s.arrivals.articles.map((a) => a.id)).toEqual(['n']);
  });

  it('ignores everything but visibility and snapshots once the session ended', () => {
    const stopped = run(start(), msg(connected), { type: 'stop' });
    expect(stopped.phase).toBe('stopped');
    for (const action of [msg(news(0.5, ['late'])), { type: 'lost', since: T, offline: true }, { type: 'opened' }, { type: 'complete' }] as SessionAction[]) {
      expect(sessionReducer(stopped, action)).toBe(stopped);
    }
    expect(sessionReducer(stopped, { type: 'snapshot', articles: [received('s', 1)] }).articles.map((a) => a.id)).toEqual(['s']);
    const failed = run(start(), { type: 'failed', message: 'Too many streams right now.', retryAfterSeconds: 30 });
    expect(failed).toMatchObject({ phase: 'error', message: 'Too many streams right now.', retryAfterSeconds: 30 });
    expect(run(start(false), msg(connected), { type: 'complete', message: 'ended' })).toMatchObject({ phase: 'complete', progress: 1, message: 'ended' });
  });

  it('waiting to reconnect shows the reason; only a lost connection counts as a drop when it returns', () => {
    const refused = run(start(), msg(connected), { type: 'opened' }, { type: 'waiting', message: 'The server is busy right now.', retryAt: T + 5_000, refused: true });
    expect(refused).toMatchObject({ phase: 'reconnecting', message: 'The server is busy right now.', retryAt: T + 5_000 });
    expect(sessionReducer(refused, { type: 'opened' })).toMatchObject({ phase: 'live', message: null, retryAt: null, reconnects: 0 });
    const failed = run(start(), msg(connected), { type: 'opened' }, { type: 'waiting', message: 'The stream failed (x). Reconnecting…' });
    expect(sessionReducer(failed, { type: 'opened' })).toMatchObject({ phase: 'live', reconnects: 1 });
    // Lost, then refused on the way back: still one drop.
    const lostThenRefused = run(start(), msg(connected), { type: 'opened' }, { type: 'lost', since: T, offline: false }, { type: 'waiting', message: 'busy', refused: true });
    expect(sessionReducer(lostThenRefused, { type: 'opened' })).toMatchObject({ phase: 'live', reconnects: 1 });
  });
});
