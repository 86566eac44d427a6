import { Redis as UpstashRedis } from '@upstash/redis';
import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ioredisScripting, type ScriptingRedis } from '@/lib/state/backend';
import type { GuardStore } from '@/lib/state/guard-store';
import { MemoryGuardStore } from '@/lib/state/memory-store';
import { RedisGuardStore } from '@/lib/state/redis-store';
import { startRedis, type RedisServer } from '../support/redis-server';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-rest-bridge';
import { sleep } from '../support/wait';

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
  ['redis', () => new RedisGuardStore('redis', ioredisScripting(ioredis), 2_000)],
  [
    'upstash',
    () =>
      new RedisGuardStore(
        'upstash',
        new UpstashRedis({ url: bridge.url, token: bridge.token, retry: { retries: 0 }, enableTelemetry: false }) as unknown as ScriptingRedis,
        2_000,
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

  it('slots: cap, release, lease expiry, refresh never resurrects, takeover only for the same stream', async () => {
    const client = fresh();
    const acquire = (member: string, takeoverPrefix?: string, leaseMs = 60_000) => store.acquireSlot({ client, member, cap: 2, leaseMs, takeoverPrefix });
    expect(await acquire('-|a')).toEqual({ ok: true });
    expect(await acquire('-|b', undefined, 400)).toEqual({ ok: true });
    expect(await acquire('-|c')).toEqual({ ok: false, count: 2 });
    await sleep(600); // b's lease lapses
    expect(await acquire('-|c')).toEqual({ ok: true });
    await store.refreshSlot(client, '-|b', 60_000); // must not bring b back
    expect(await acquire('-|d')).toEqual({ ok: false, count: 2 });
    await store.releaseSlot(client, '-|a');
    expect(await acquire('-|d')).toEqual({ ok: true });
    // Bind names c's slot after its stream; a resume of that stream may take it over at the cap.
    await store.bindSlot(client, '-|c', 's1|c', 's1', 60_000);
    expect(await acquire('s2|x', 's2|')).toEqual({ ok: false, count: 2 });
    expect(await acquire('s1|e', 's1|')).toEqual({ ok: true });
    expect(await acquire('s1|f')).toEqual({ ok: false, count: 2 });
    // The taken-over slot is gone: releasing it does not free the new one.
    await store.releaseSlot(client, 's1|c');
    expect(await acquire('-|g')).toEqual({ ok: false, count: 2 });
  });

  it('resume counting: bound streams start at one, unknown ones at zero, per client', async () => {
    const client = fresh();
    await store.bindSlot(client, '-|none', 's9|none', 's9', 60_000);
    expect(await store.countResume(client, 's9', 60_000)).toBe(2);
    expect(await store.countResume(client, 's9', 60_000)).toBe(3);
    expect(await store.countResume(client, 'forged', 60_000)).toBe(1);
    expect(await store.countResume(fresh(), 's9', 60_000)).toBe(1);
  });
});
