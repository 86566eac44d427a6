import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '@/lib/dashboard/stream-messages';
import { initialStreamState, isStreaming, streamReducer, type StreamAction, type StreamState } from '@/lib/dashboard/stream-state';
import type { Article } from '@/lib/news/types';

const article = (id: string, minute: number, url = `https://x.example/${id}`): Article => ({
  id,
  title: id,
  url,
  source: 'Wire',
  publishedAt: new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString(),
  scope: 'symbol',
  summary: '',
});
const connected: StreamMessage = { kind: 'connected', token: 't', symbol: 'TSLA', endsAt: '2026-11-25T10:01:00.000Z', timestamp: '2026-11-25T10:00:00.000Z', demo: false, resumed: false };
const news = (progress: number, articles: Article[], warnings = [] as Array<{ source: string; error: string }>): StreamMessage => ({
  kind: 'news', token: 't', progress, symbol: 'TSLA', timestamp: 'x', articles, warnings,
});
const run = (...actions: StreamAction[]): StreamState => actions.reduce(streamReducer, initialStreamState);
const msg = (message: StreamMessage, receivedAt = Date.parse('2026-11-25T10:00:02.000Z')): StreamAction => ({ type: 'message', message, receivedAt });

describe('streamReducer', () => {
  it('goes connecting → live on the connected event and measures clock skew', () => {
    const connecting = run({ type: 'start', symbol: 'TSLA' });
    expect(connecting.status).toBe('connecting');
    expect(isStreaming(connecting.status)).toBe(true);
    const live = streamReducer(connecting, msg(connected));
    expect(live).toMatchObject({ status: 'live', endsAt: connected.kind === 'connected' && connected.endsAt, skewMs: -2000 });
  });

  it('merges news newest first, never listing an article twice (same id or same URL)', () => {
    const state = run(
      { type: 'start', symbol: 'TSLA' },
      msg(connected),
      msg(news(0.1, [article('a', 1), article('b', 5)])),
      msg(news(0.2, [article('c', 3), article('a', 1), article('b-copy', 9, 'https://x.example/b')])),
    );
    expect(state.articles.map((a) => a.id)).toEqual(['b', 'c', 'a']);
    expect(state.articles.every((a) => a.arrivedAt !== undefined)).toBe(true);
  });

  it('lets progress only move forward and keeps the latest warnings', () => {
    const state = run(
      { type: 'start', symbol: 'TSLA' },
      msg(connected),
      msg(news(0.4, [], [{ source: 'CNBC', error: 'timeout' }])),
      msg(news(0.3, [])),
    );
    expect(state.progress).toBe(0.4);
    expect(state.warnings).toEqual([]);
    expect(run({ type: 'start', symbol: 'X' }, msg(news(7, []))).progress).toBe(1);
    expect(run({ type: 'start', symbol: 'X' }, msg(news(Number.NaN, []))).progress).toBe(0);
  });

  it('reports a drop as reconnecting and the reopen as a resume', () => {
    const dropped = run({ type: 'start', symbol: 'TSLA' }, msg(connected), { type: 'drop' });
    expect(dropped.status).toBe('reconnecting');
    const back = streamReducer(dropped, { type: 'open' });
    expect(back).toMatchObject({ status: 'live', reconnects: 1 });
    // The first open of a stream is not a reconnect.
    expect(run({ type: 'start', symbol: 'TSLA' }, { type: 'open' }).reconnects).toBe(0);
  });

  it('completes on the final result, or shows its error', () => {
    const done = run({ type: 'start', symbol: 'TSLA' }, msg(connected), msg({ kind: 'final', token: 't', isError: false, text: 'Stream complete' }));
    expect(done).toMatchObject({ status: 'complete', progress: 1 });
    expect(isStreaming(done.status)).toBe(false);
    const failed = run({ type: 'start', symbol: 'TSLA' }, msg({ kind: 'final', token: 't', isError: true, text: 'Error: all feeds failed' }));
    expect(failed).toMatchObject({ status: 'error', message: 'all feeds failed' });
  });

  it('ignores late messages after stop, and keeps the refusal reason with its Retry-After', () => {
    const stopped = run({ type: 'start', symbol: 'TSLA' }, msg(connected), { type: 'stop' });
    expect(stopped.status).toBe('stopped');
    expect(streamReducer(stopped, msg(news(0.5, [article('late', 1)])))).toBe(stopped);
    expect(streamReducer(stopped, { type: 'drop' })).toBe(stopped);
    const refused = run({ type: 'start', symbol: 'TSLA' }, { type: 'failed', message: 'Too many streams right now.', retryAfterSeconds: 30 });
    expect(refused).toMatchObject({ status: 'error', message: 'Too many streams right now.', retryAfterSeconds: 30 });
    const away = run({ type: 'start', symbol: 'TSLA' }, msg(connected), { type: 'drop' }, { type: 'ended-while-away' });
    expect(away).toMatchObject({ status: 'complete', progress: 1 });
  });

  it('starts each stream from a clean slate', () => {
    const old = run({ type: 'start', symbol: 'TSLA' }, msg(connected), msg(news(0.5, [article('a', 1)])));
    const fresh = streamReducer(old, { type: 'start', symbol: 'NVDA' });
    expect(fresh).toMatchObject({ status: 'connecting', symbol: 'NVDA', articles: [], progress: 0 });
  });
});
