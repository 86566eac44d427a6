import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absenceCheck, backoffDelay, classifyRefusal, heartbeatDeadline, reconnectRequest, retryAfterDelay, SEAM_JITTER_MS, seamDelay, windowDuration } from '@/lib/dashboard/session-plan';

describe('open-ended windows and seams', () => {
  it('asks for the maximum, shaved by up to 5 s or 5%, never below the contract minimum', () => {
    expect(windowDuration(300_000, 0)).toBe(300_000);
    expect(windowDuration(300_000, 1)).toBe(295_000);
    expect(windowDuration(8_000, 1)).toBe(7_600);
    expect(windowDuration(1_000, 1)).toBe(1_000);
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 86_400_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (max, r) => {
        const d = windowDuration(max, r);
        expect(d).toBeLessThanOrEqual(max);
        expect(d).toBeGreaterThanOrEqual(Math.min(max, Math.max(1_000, max - 5_000)));
      }),
    );
  });

  it('opens the next stream within half a second of a seam', () => {
    expect(seamDelay(0)).toBe(0);
    expect(seamDelay(0.999)).toBeLessThan(SEAM_JITTER_MS);
  });

  it('backs off 0.5–1 s, then doubling, capped at 10 s; Retry-After plus up to a second', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(backoffDelay(0, 0)).toBe(500);
    expect(retryAfterDelay(30, 0)).toBe(30_000);
    expect(retryAfterDelay(30, 0.5)).toBe(30_500);
  });

  it('allows the longer of interval and heartbeat, plus a margin, before calling a connection dead', () => {
    expect(heartbeatDeadline(10_000, 15_000)).toBe(20_000);
    expect(heartbeatDeadline(60_000, 15_000)).toBe(65_000);
  });
});

describe('what comes after a lost connection', () => {
  const now = 1_000_000;
  it.each([
    [{ cursor: null, endsAt: now + 60_000, openEnded: true }, { kind: 'fresh' }],
    [{ cursor: 'c', endsAt: now + 60_000, openEnded: true }, { kind: 'resume', lastEventId: 'c' }],
    [{ cursor: 'c', endsAt: now + 500, openEnded: true }, { kind: 'since', since: 'c' }],
    [{ cursor: 'c', endsAt: now - 1, openEnded: true }, { kind: 'since', since: 'c' }],
    [{ cursor: 'c', endsAt: null, openEnded: true }, { kind: 'since', since: 'c' }],
    [{ cursor: 'c', endsAt: now - 60_000, openEnded: false }, { kind: 'resume', lastEventId: 'c' }],
  ])('%j → %j', (p, expected) => {
    expect(reconnectRequest({ ...p, now })).toEqual(expected);
  });
});

describe('absence detection', () => {
  const deadline = 20_000;
  it.each([
    ['a regular tick with recent bytes', { now: 10_000, lastTickAt: 9_000, lastByteAt: 8_000 }, 'ok'],
    ['a late tick (busy main thread) with recent bytes', { now: 10_000, lastTickAt: 7_000, lastByteAt: 9_500 }, 'ok'],
    ['timers frozen 30 s, no bytes since', { now: 100_000, lastTickAt: 70_000, lastByteAt: 69_000 }, 'sleep'],
    ['throttled tab ticking each minute while bytes flow', { now: 100_000, lastTickAt: 40_000, lastByteAt: 95_000 }, 'ok'],
    ['no bytes past the deadline', { now: 100_000, lastTickAt: 99_000, lastByteAt: 79_000 }, 'silent'],
    ['no bytes just within the deadline', { now: 100_000, lastTickAt: 99_000, lastByteAt: 80_000 }, 'ok'],
  ] as const)('%s', (_, p, verdict) => {
    expect(absenceCheck({ ...p, deadline })).toBe(verdict);
  });
});

describe('refusals', () => {
  const error = (data?: object) => ({ jsonrpc: '2.0', error: { code: -32602, message: 'x', ...(data ? { data } : {}) }, id: null });
  it.each([
    [204, undefined, 'ended'],
    [400, error({ reason: 'since-too-old', fields: { since: 'too old' } }), 'since-too-old'],
    [400, error({ fields: { since: 'is for another symbol set' } }), 'cursor-refused'],
    [400, error({ fields: { 'Last-Event-ID': 'not issued here' } }), 'cursor-refused'],
    [400, error({ fields: { q: 'unbalanced' } }), 'fatal'],
    [400, error(), 'fatal'],
    [400, 'not json', 'fatal'],
    [400, error({ fields: { constructor: 'x' } }), 'fatal'],
    [401, error(), 'fatal'],
    [403, error(), 'fatal'],
    [408, undefined, 'retry'],
    [429, error(), 'retry'],
    [500, undefined, 'retry'],
    [503, error(), 'retry'],
  ] as const)('%i %j → %s', (status, body, kind) => {
    expect(classifyRefusal(status, body)).toBe(kind);
  });
});
