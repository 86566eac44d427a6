import { afterEach, describe, expect, it, vi } from 'vitest';
import { admitStream, SLOT_LEASE_MS } from '@/lib/guard/admit-stream';

/** The defaults: 5 open streams per client, 10 starts a minute; this process's memory as the store. */
const CAP = 5;
const request = (ip: string) => new Request('http://localhost/api/mcp/stream-news?symbol=TSLA', { headers: { 'x-real-ip': ip } });
const ticket = (streamId: string, lifeMs: number) => ({ streamId, endsAt: Date.now() + lifeMs, resumed: false });

afterEach(() => {
  vi.useRealTimers();
});

describe('admitStream with the in-memory store', () => {
  it('holds a slot for the stream’s whole life without a renewal timer per stream', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 28, 12, 0, 0) });
    const first = await admitStream(request('203.0.113.7'), 'sse', ticket('s0', 300_000));
    expect(first.ok).toBe(true);
    // Memory dies with the process, so nothing needs renewing: no timer was started for the stream.
    expect(vi.getTimerCount()).toBe(0);

    // Long past one lease, the slot is still held: the cap still counts the open stream.
    vi.advanceTimersByTime(10 * SLOT_LEASE_MS);
    for (let i = 1; i < CAP; i++) expect((await admitStream(request('203.0.113.7'), 'sse', ticket(`s${i}`, 60_000))).ok).toBe(true);
    expect(await admitStream(request('203.0.113.7'), 'sse', ticket('over', 60_000))).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/open streams/) });

    // Released, it frees its slot at once.
    if (first.ok) await first.release();
    expect((await admitStream(request('203.0.113.7'), 'sse', ticket('after', 60_000))).ok).toBe(true);
  });

  it('a slot whose stream was never released lapses a lease after the stream’s end', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 28, 13, 0, 0) });
    for (let i = 0; i < CAP; i++) expect((await admitStream(request('203.0.113.8'), 'sse', ticket(`t${i}`, 60_000))).ok).toBe(true);
    expect((await admitStream(request('203.0.113.8'), 'sse', ticket('over', 60_000)))).toMatchObject({ ok: false, status: 429 });
    vi.advanceTimersByTime(60_000 + SLOT_LEASE_MS + 1_000);
    expect((await admitStream(request('203.0.113.8'), 'sse', ticket('later', 60_000))).ok).toBe(true);
  });
});
