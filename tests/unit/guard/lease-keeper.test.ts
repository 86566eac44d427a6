import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeaseKeeper, RENEW_BATCH } from '@/lib/guard/lease-keeper';
import { MemoryGuardStore } from '@/lib/state/memory-store';

/**
 * The process-wide renewal of slot leases, on a real store (this process's memory, which keeps
 * leases exactly as Redis does) under a fake clock: held slots outlive many leases, released ones
 * lapse, and the whole process renews on one timer in batches.
 */
const LEASE = 30_000;

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('LeaseKeeper', () => {
  it('keeps held slots alive past many leases; a slot no longer kept lapses within one lease', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 28, 12, 0, 0) });
    const store = new MemoryGuardStore();
    const keeper = new LeaseKeeper(store, LEASE);
    const acquire = (client: string, member: string) => store.acquireSlot({ client, member, cap: 1, leaseMs: LEASE });
    expect(await acquire('a', 'sa|1')).toEqual({ ok: true });
    expect(await acquire('b', 'sb|1')).toEqual({ ok: true });
    keeper.keep({ client: 'a', member: 'sa|1' });
    const unkeepB = keeper.keep({ client: 'b', member: 'sb|1' });

    await vi.advanceTimersByTimeAsync(5 * LEASE);
    expect(await acquire('a', 'sa|2')).toEqual({ ok: false, count: 1 });
    expect(await acquire('b', 'sb|2')).toEqual({ ok: false, count: 1 });

    unkeepB();
    await vi.advanceTimersByTimeAsync(LEASE + 1);
    expect(await acquire('a', 'sa|2')).toEqual({ ok: false, count: 1 });
    expect(await acquire('b', 'sb|2')).toEqual({ ok: true });
  });

  it('renews every held slot on one timer, RENEW_BATCH per round trip, and stops when none is held', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 28, 13, 0, 0) });
    const store = new MemoryGuardStore();
    const refresh = vi.spyOn(store, 'refreshSlots');
    const keeper = new LeaseKeeper(store, LEASE);
    const count = 2 * RENEW_BATCH + 1;
    const unkeep = Array.from({ length: count }, (_, i) => keeper.keep({ client: `c${i}`, member: `s${i}|x` }));
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(LEASE / 3);
    expect(refresh.mock.calls.map(([slots]) => slots.length)).toEqual([RENEW_BATCH, RENEW_BATCH, 1]);

    unkeep.forEach((release) => release());
    expect(vi.getTimerCount()).toBe(0);
  });
});
