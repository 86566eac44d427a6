import { Redis as UpstashRedis } from '@upstash/redis';
import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ioredisScripting, STORE_TIMEOUT_MS, type ScriptingRedis } from '@/lib/state/backend';
import type { GuardStore } from '@/lib/state/guard-store';
import { MemoryGuardStore } from '@/lib/state/memory-store';
import { RedisGuardStore } from '@/lib/state/redis-store';
import { withStore } from '@/lib/state/store';
import { startRedis, type RedisServer } from '@/tests/support/redis-server';
import { startUpstashBridge, type UpstashBridge } from '@/tests/support/upstash-rest-bridge';
import { blockEventLoop, sleep } from '@/tests/support/wait';

/**
 * One behavioural contract for the three stores the guard can run on: this process's memory,
 * a standard Redis through ioredis (backend.ts's adapter), and Upstash REST
 * (through the bridge onto a real redis-server). The HTTP suites cover the guard end to end; this
 * pins down the store semantics they rely on, identically in every mode.
 */

let redis: RedisServer;
let bridge: UpstashBridge;
let ioredis: IORedis;

beforeAll(async () => {
  redis = await startRedis();
  bridge = await startUpstashBridge(redis.url);
  ioredis = new IORedis(redis.url);
});

afterAll(async () => {
  ioredis?.disconnect();
  await bridge?.close();
  await redis?.stop();
});

const stores: Array<[string, () => GuardStore]> = [
  ['memory', () => new MemoryGuardStore()],
  ['redis', () => new RedisGuardStore('redis', ioredisScripting(ioredis))],
  [
    'upstash',
    () =>
      new RedisGuardStore(
        'upstash',
        new UpstashRedis({ url: bridge.url, token: bridge.token, retry: { retries: 0 }, enableTelemetry: false }) as unknown as ScriptingRedis,
      ),
  ],
];

let n = 0;
const fresh = () => `contract-${Date.now().toString(36)}-${n++}`;

describe.each(stores)('%s store', (_name, make) => {
  let store: GuardStore;
  beforeAll(() => {
    store = make();
  });

  it('rate limit: `limit` per window, counting down, then refusal with the window end as reset', async () => {
    const client = fresh();
    const window = 60_000;
    // Stay inside one window so the count is exact.
    if (window - (Date.now() % window) < 3_000) await sleep(window - (Date.now() % window) + 50);
    for (let i = 0; i < 3; i++) expect(await store.limit(client, 3, window)).toMatchObject({ success: true, limit: 3, remaining: 2 - i });
    const refused = await store.limit(client, 3, window);
    expect(refused).toMatchObject({ success: false, remaining: 0 });
    expect(refused.reset).toBe(Math.floor(Date.now() / window + 1) * window);
    expect((await store.limit(fresh(), 3, window)).success).toBe(true);
  });

  it('slots: cap, release, lease expiry, never a takeover of a live slot', async () => {
    const client = fresh();
    const acquire = (member: string, leaseMs = 60_000) => store.acquireSlot({ client, member, cap: 2, leaseMs });
    expect(await acquire('s0|a')).toEqual({ ok: true });
    expect(await acquire('s1|b', 400)).toEqual({ ok: true });
    expect(await acquire('s2|c')).toEqual({ ok: false, count: 2 });
    await sleep(600); // b's lease lapses
    expect(await acquire('s2|c')).toEqual({ ok: true });
    // A second connection of stream s2 is one more connection, whatever its name.
    expect(await acquire('s2|e')).toEqual({ ok: false, count: 2 });
    await store.releaseSlot(client, 's0|a');
    expect(await acquire('s2|e')).toEqual({ ok: true });
  });

  it('slots: one refresh leases the held slots of several clients, those the store still has and one it lost', async () => {
    const [x, y, lapsed] = [fresh(), fresh(), fresh()];
    const acquire = (client: string, member: string, leaseMs: number) => store.acquireSlot({ client, member, cap: 1, leaseMs });
    expect(await acquire(x, 'sx|a', 1_500)).toEqual({ ok: true });
    expect(await acquire(y, 'sy|a', 1_500)).toEqual({ ok: true });
    expect(await acquire(lapsed, 'sl|a', 200)).toEqual({ ok: true });
    await sleep(400); // the store has lost sl|a's lease, as it would every slot in a restart; its stream is still open
    await store.refreshSlots(['sx|a', 'sy|a', 'sl|a'].map((member, i) => ({ client: [x, y, lapsed][i]!, member })), 60_000);
    await sleep(1_300); // past the first leases of x and y: only the refresh holds them now
    expect(await acquire(x, 'sx|b', 60_000)).toEqual({ ok: false, count: 1 });
    expect(await acquire(y, 'sy|b', 60_000)).toEqual({ ok: false, count: 1 });
    expect(await acquire(lapsed, 'sl|b', 60_000)).toEqual({ ok: false, count: 1 });
    // A client none of whose slots were renewed is untouched.
    expect(await acquire(fresh(), 'sz|a', 60_000)).toEqual({ ok: true });
  });

  it('resume counting: only a recorded start counts, nothing is stored for an unknown stream, and a start lives only as long as asked', async () => {
    const client = fresh();
    await store.recordStart(client, 's9', 700);
    expect(await store.countResume(client, 's9')).toBe(2);
    expect(await store.countResume(client, 's9')).toBe(3);
    expect(await store.countResume(client, 'forged')).toBe(0);
    expect(await store.countResume(client, 'forged')).toBe(0);
    expect(await store.countResume(fresh(), 's9')).toBe(0);
    await sleep(900);
    expect(await store.countResume(client, 's9')).toBe(0);
    if (_name !== 'memory') {
      // No key was left behind for the forged id, and the recorded start has expired.
      expect(await ioredis.exists(`mp:starts:${client}:forged`)).toBe(0);
      expect(await ioredis.exists(`mp:starts:${client}:s9`)).toBe(0);
    }
  });
});

describe('withStore on Redis while the event loop is blocked', () => {
  it('counts a reply that arrived during the block: the guard does not fail open for it', async () => {
    const store = new RedisGuardStore('redis', ioredisScripting(ioredis));
    const client = fresh();
    await store.acquireSlot({ client, member: 'warm|0', cap: 5, leaseMs: 60_000 });
    // ioredis writes the command at once; Redis answers within a millisecond, into the socket,
    // while this process is busy. A plain timer would fire first when the loop frees up.
    const pending = withStore(store, 'acquire-slot', () => store.acquireSlot({ client, member: 's1|a', cap: 5, leaseMs: 60_000 }));
    blockEventLoop(STORE_TIMEOUT_MS + 300); // longer than the store's deadline
    expect(await pending).toEqual({ ok: true, value: { ok: true } });
  });
});
