import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GuardStore } from '@/lib/state/guard-store';
import { MemoryGuardStore } from '@/lib/state/memory-store';
import { withStore } from '@/lib/state/store';
import { reportStoreFailure, reportStoreHealthy } from '@/lib/state/store-failures';

describe('MemoryGuardStore rate limit (sliding window, like @upstash/ratelimit)', () => {
  it('allows `limit` starts per window, then refuses until the window has slid past them', async () => {
    let now = 120_000 + 5_000; // 5 s into a window
    const store = new MemoryGuardStore(() => now);
    for (let i = 0; i < 10; i++) expect((await store.limit('c', 10, 60_000)).success).toBe(true);
    const refused = await store.limit('c', 10, 60_000);
    expect(refused).toMatchObject({ success: false, remaining: 0, reset: 180_000 });
    expect((await store.limit('other', 10, 60_000)).success).toBe(true);
    now = 180_001; // the previous window's 10 now weigh floor(0.99998 × 10) = 9
    expect((await store.limit('c', 10, 60_000)).success).toBe(true);
    expect((await store.limit('c', 10, 60_000)).success).toBe(false);
    now = 240_001;
    expect((await store.limit('c', 10, 60_000)).success).toBe(true);
  });
});

describe('MemoryGuardStore slots', () => {
  it('caps open slots, frees them on release or lease expiry, never takes over a live one, and a refresh puts back one it lost', async () => {
    let now = 1_000_000;
    const store = new MemoryGuardStore(() => now);
    const acquire = (member: string) => store.acquireSlot({ client: 'c', member, cap: 2, leaseMs: 30_000 });
    expect(await acquire('s0|a')).toEqual({ ok: true });
    expect(await acquire('s1|b')).toEqual({ ok: true });
    // A reconnect of s1 is one more connection: at the cap it waits for the old one to end.
    expect(await acquire('s1|c')).toEqual({ ok: false, count: 2 });
    await store.releaseSlot('c', 's0|a');
    expect(await acquire('s1|c')).toEqual({ ok: true });
    // A lease that is not refreshed expires (crashed instance); a refreshed one stays.
    now += 20_000;
    await store.refreshSlots([{ client: 'c', member: 's1|c' }], 30_000);
    now += 15_000;
    expect(await acquire('s2|f')).toEqual({ ok: true }); // 's1|b' expired
    expect(await acquire('s3|g')).toEqual({ ok: false, count: 2 });
    // A refresh names only slots the process holds: one the store lost (as a store restarted empty
    // loses them all) is put back, so its open stream counts again.
    await store.releaseSlot('c', 's2|f');
    await store.refreshSlots([{ client: 'c', member: 's2|f' }], 30_000);
    expect(await acquire('s3|h')).toEqual({ ok: false, count: 2 });
  });

  it('counts resumes only of a stream this client started, and forgets the start when the stream ends', async () => {
    let now = 1_000_000;
    const store = new MemoryGuardStore(() => now);
    await store.recordStart('c', 's1', 60_000);
    expect(await store.countResume('c', 's1')).toBe(2);
    expect(await store.countResume('c', 's1')).toBe(3);
    expect(await store.countResume('c', 'forged')).toBe(0);
    expect(await store.countResume('other', 's1')).toBe(0);
    now += 60_000;
    expect(await store.countResume('c', 's1')).toBe(0);
  });
});

describe('store failure log', () => {
  afterEach(() => vi.restoreAllMocks());
  it('logs an outage at most once a minute, then its recovery once, never a URL', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const t0 = 10 ** 13; // later than any real "last logged" time
    for (let i = 0; i < 50; i++) reportStoreFailure('redis', 'rate-limit', new Error('connect ECONNREFUSED redis://:pw@h:6379'), t0 + i * 100);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('guard.store_unavailable');
    expect(lines[0]).not.toContain(':pw@');
    reportStoreFailure('redis', 'rate-limit', new Error('x'), t0 + 61_000);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!).suppressedSinceLastLog).toBe(49);
    reportStoreHealthy('redis');
    reportStoreHealthy('redis');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('guard.store_recovered');
  });
});

describe('withStore (fail open)', () => {
  afterEach(() => vi.restoreAllMocks());
  it('gives up on a store that does not answer within the deadline, and on one that fails, without unhandled rejections', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const remote = { kind: 'redis' } as GuardStore;
    const started = Date.now();
    expect(await withStore(remote, 'rate-limit', () => new Promise<never>(() => {}))).toEqual({ ok: false });
    expect(Date.now() - started).toBeLessThan(3_000); // deadline is 0.5 s; generous for a busy machine
    let reject!: (e: Error) => void;
    const late = new Promise<number>((_, r) => (reject = r));
    expect(await withStore(remote, 'rate-limit', () => late)).toEqual({ ok: false });
    reject(new Error('late failure')); // observed by withStore: no unhandled rejection
    expect(await withStore(remote, 'rate-limit', () => Promise.reject(new Error('ECONNREFUSED')))).toEqual({ ok: false });
    expect(await withStore(remote, 'rate-limit', async () => 7)).toEqual({ ok: true, value: 7 });
  });
});
