import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '@/lib/stream/events';

/**
 * The stream session over the demo source (no network): whatever way a stream ends, its slot,
 * open-stream count and end log are released exactly once, with the reason.
 */
let sessions: typeof import('@/lib/stream/session');
let activeStreamCount: typeof import('@/lib/observability/active-streams').activeStreamCount;
let lines: Array<Record<string, unknown>>;

beforeAll(async () => {
  process.env.NEWS_FEEDS = 'demo';
  process.env.LOG_LEVEL = 'info';
  process.env.RATE_LIMIT_PER_MINUTE = '0';
  process.env.MAX_STREAMS_PER_CLIENT = '2';
  (await import('@/lib/config/settings')).resetSettings();
  sessions = await import('@/lib/stream/session');
  ({ activeStreamCount } = await import('@/lib/observability/active-streams'));
});
beforeEach(() => {
  lines = [];
  const capture = (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>);
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

const params = { symbols: ['TSLA'], watchlist: false, interval: 1000, duration: 1500, limit: 2 };
const request = (signal?: AbortSignal) => new Request('http://127.0.0.1/api/mcp/stream-news', { headers: { 'x-forwarded-for': '203.0.113.9' }, signal });
const ends = () => lines.filter((l) => l.event === 'stream.ended').map((l) => l.reason);

async function open(signal?: AbortSignal) {
  const started = await sessions.openStreamSession({ request: request(signal), endpoint: 'sse', params });
  if (!started.ok) throw new Error(`refused: ${started.refusal.message}`);
  return started.session;
}

describe('stream session', () => {
  it('a stream that runs to its end is closed once as complete, and its slot is free again', async () => {
    const session = await open();
    expect(activeStreamCount('sse')).toBe(1);
    const types: StreamEvent['type'][] = [];
    for await (const event of session.events()) types.push(event.type);
    expect(types[0]).toBe('connected');
    expect(types.at(-1)).toBe('complete');
    session.close('error'); // too late: already closed
    expect(session.endReason()).toBe('complete');
    expect(ends()).toEqual(['complete']);
    expect(activeStreamCount('sse')).toBe(0);
  });

  it('an aborted stream is closed as client-gone, and the cap counts only open streams', async () => {
    const a = await open();
    const b = await open();
    const refused = await sessions.openStreamSession({ request: request(), endpoint: 'sse', params });
    expect(refused.ok).toBe(false);
    const events = a.events();
    await events.next();
    a.close('client-gone');
    const after: string[] = [];
    for await (const event of events) after.push(event.type); // only what was pushed before the abort
    expect(after).not.toContain('complete');
    b.close('client-gone'); // never iterated: closing by hand releases it too
    expect(ends()).toEqual(['client-gone', 'client-gone']);
    expect(activeStreamCount('sse')).toBe(0);
    const c = await open();
    c.close('client-gone');
  });

  it('the request going away mid-stream stops it at once: its end comes in the same turn, as client-gone', async () => {
    const gone = new AbortController();
    const session = await open(gone.signal);
    const types: string[] = [];
    let endedAt: 'abort' | 'later' | undefined;
    let phase: 'abort' | 'later' = 'later';
    const ended = new Promise<void>((resolve) =>
      session.run(
        (event) => types.push(event.type),
        () => {
          endedAt = phase;
          resolve();
        },
      ),
    );
    expect(types).toEqual(['connected']);
    phase = 'abort';
    gone.abort();
    phase = 'later';
    await ended;
    expect(endedAt).toBe('abort');
    expect(types).toEqual(['connected']);
    expect(session.endReason()).toBe('client-gone');
    expect(ends()).toEqual(['client-gone']);
    expect(activeStreamCount('sse')).toBe(0);
  });

  it('a request that went away while its session opened: closed as client-gone, and its stream pushes nothing', async () => {
    const gone = new AbortController();
    const opening = sessions.openStreamSession({ request: request(gone.signal), endpoint: 'sse', params });
    gone.abort();
    const started = await opening;
    if (!started.ok) throw new Error(`refused: ${started.refusal.message}`);
    const { session } = started;
    expect(session.endReason()).toBe('client-gone');
    const pushed: string[] = [];
    await new Promise<void>((resolve) => session.run((event) => pushed.push(event.type), resolve));
    expect(pushed).toEqual([]);
    expect(ends()).toEqual(['client-gone']);
    expect(activeStreamCount('sse')).toBe(0);
  });

  it('runs once: a second run or events() throws, and the first stream goes on alone', async () => {
    const session = await open();
    const types: string[] = [];
    const ended = new Promise<void>((resolve) => session.run((event) => types.push(event.type), resolve));
    expect(() => session.run(() => {}, () => {})).toThrow('a stream session runs once');
    await expect(session.events().next()).rejects.toThrow('a stream session runs once');
    await ended;
    expect(types.filter((t) => t === 'connected')).toHaveLength(1);
    expect(types.at(-1)).toBe('complete');
    expect(ends()).toEqual(['complete']);
    expect(activeStreamCount('sse')).toBe(0);
  });
});
