import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '@/tests/support/app-server';
import { startRedis, type RedisServer } from '@/tests/support/redis-server';
import { openSse } from '@/tests/support/sse-client';
import { startUpstashBridge, type UpstashBridge } from '@/tests/support/upstash-rest-bridge';
import { activeStreams, call, freshMinute, sleep, streamToEnd, waitUntil } from '@/tests/integration/guard/support';

/**
 * The guard's limits held in shared state, for both ways of reaching Redis: REDIS_URL (ioredis) and
 * the Upstash REST client (through a bridge onto the same real redis-server, so the production code
 * path is the one under test). Two `next start` instances share one store.
 */

const stream = (base: string, query = 'duration=1000&interval=1000') => `${base}/api/mcp/stream-news?symbol=TSLA&${query}`;
let next = 1;
/** A client of its own per test: the apps trust X-Forwarded-For (as behind a proxy). */
const newClient = () => ({ 'X-Forwarded-For': `198.18.${Math.floor(next / 250)}.${(next++ % 250) + 1}`, 'Sec-Fetch-Site': 'same-origin' });
const KEYS = ['shared-key-one', 'shared-key-two'];
const storeLines = (app: AppServer, event: string) => app.output().split('\n').filter((l) => l.includes(`"event":"${event}"`));

describe.each(['redis', 'upstash'] as const)('shared state via %s', (mode) => {
  let redis: RedisServer;
  let bridge: UpstashBridge | undefined;
  let a: AppServer;
  let b: AppServer;

  beforeAll(async () => {
    redis = await startRedis();
    bridge = mode === 'upstash' ? await startUpstashBridge(redis.url) : undefined;
    const store = bridge ? { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token } : { REDIS_URL: redis.url };
    const settings = {
      ...store,
      MCP_API_KEYS: KEYS.join(','),
      ALLOWED_ORIGINS: 'https://partner.example',
      RATE_LIMIT_PER_MINUTE: '4',
      MAX_STREAMS_PER_CLIENT: '2',
      TRUST_PROXY: 'true',
    };
    [a, b] = await Promise.all([startApp(settings), startApp(settings)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await bridge?.close();
    await redis?.stop();
  });

  it('two instances enforce one rate limit: the 5th start across them gets 429 with a correct Retry-After; another client is unaffected', async () => {
    await freshMinute(15_000);
    const client = newClient();
    for (const [i, app] of [a, b, a, b].entries()) {
      const res = await streamToEnd(stream(app.url), client);
      expect(res.status, `start ${i + 1}`).toBe(200);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(3 - i));
    }
    const at = Date.now();
    for (const app of [a, b]) {
      const refused = await call(stream(app.url), { headers: client });
      expect(refused.status).toBe(429);
      expect(refused.json().error.code).toBe(-32029);
      const expected = Math.ceil((60_000 - (at % 60_000)) / 1000);
      expect(Math.abs(Number(refused.headers.get('retry-after')) - expected)).toBeLessThanOrEqual(2);
      expect(refused.headers.get('ratelimit-limit')).toBe('4');
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    }
    expect((await streamToEnd(stream(b.url), newClient())).status).toBe(200);
    if (bridge) expect(bridge.commands().some((c) => c === 'EVALSHA' || c === 'EVAL')).toBe(true);
  });

  it('an API key is one client across instances and addresses; keys and origins are enforced the same', async () => {
    await freshMinute(15_000);
    for (const [i, app] of [a, b, a, b].entries()) {
      // A different address each time: the key, not the IP, is the client.
      const res = await streamToEnd(stream(app.url), { 'X-API-Key': KEYS[0]!, 'X-Forwarded-For': `192.0.2.${i + 1}` });
      expect(res.status, `start ${i + 1}`).toBe(200);
    }
    expect((await call(stream(b.url), { headers: { Authorization: `Bearer ${KEYS[0]}`, 'X-Forwarded-For': '192.0.2.99' } })).status).toBe(429);
    expect((await streamToEnd(stream(a.url), { Authorization: `Bearer ${KEYS[1]}`, 'X-Forwarded-For': '192.0.2.1' })).status).toBe(200);
    expect((await call(stream(a.url), { headers: { 'X-API-Key': 'shared-key-three' } })).status).toBe(401);
    expect((await call(`${b.url}/api/mcp`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await call(stream(a.url), { headers: { 'X-API-Key': KEYS[1]!, Origin: 'https://evil.example' } })).status).toBe(403);
    const preflight = await call(`${b.url}/api/mcp`, { method: 'OPTIONS', headers: { Origin: 'https://partner.example', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://partner.example');
  });

  it('two instances enforce one concurrency cap, and a slot is freed when its client goes away', async () => {
    await freshMinute(10_000);
    const client = newClient();
    const long = 'duration=60000&interval=1000';
    const onA = await openSse(stream(a.url, long), client);
    const onB = await openSse(stream(b.url, long), client);
    try {
      expect([onA.status, onB.status]).toEqual([200, 200]);
      // The slot held on b counts on a. (Four starts in all: the rate limit, 4, stays out of the way.)
      const refused = await call(stream(a.url), { headers: client });
      expect(refused.status).toBe(429);
      expect(refused.json().error.message).toMatch(/at most 2 at once/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      onB.close();
      await waitUntil(async () => (await activeStreams(b.url)) === 0, 5_000, 'stream on b released');
      const again = await openSse(stream(a.url), client);
      expect(again.status).toBe(200);
      again.close();
    } finally {
      onA.close();
      onB.close();
    }
  });

  it('without STREAM_CURSOR_SECRET the instances sign with one secret kept in Redis: an id from one resumes on the other; made-up ids leave no keys; a start is remembered only while its stream lives', async () => {
    const client = newClient();
    const first = await openSse(stream(a.url, 'duration=20000&interval=1000'), client);
    expect(first.status).toBe(200);
    await first.waitFor((events) => events.filter((e) => e.id).length >= 2, 10_000);
    const id = first.events.filter((e) => e.id).at(-1)!.id!;
    first.close();
    const resumed = await openSse(stream(b.url, 'duration=20000&interval=1000'), { ...client, 'Last-Event-ID': id });
    expect(resumed.status).toBe(200);
    resumed.close();
    const forged = `${id.slice(0, -4)}${id.endsWith('0000') ? '1111' : '0000'}`;
    for (let i = 0; i < 5; i++) expect((await call(stream(a.url), { headers: { ...client, 'Last-Event-ID': forged } })).status).toBe(400);
    const direct = new IORedis(redis.url);
    try {
      expect(await direct.get('mp:cursor-secret')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const starts = await direct.keys('mp:starts:*');
      expect(starts.length).toBeGreaterThan(0);
      // Each remembered start expires with its stream (20 s here, at most STREAM_MAX_DURATION_MS), never later.
      for (const key of starts) expect(await direct.pttl(key)).toBeLessThanOrEqual(300_000);
      const ours = starts.filter((k) => k.includes(`:ip:${client['X-Forwarded-For']}:`));
      expect(ours.length).toBe(1);
      expect(await direct.pttl(ours[0]!)).toBeLessThanOrEqual(20_000);
    } finally {
      direct.disconnect();
    }
  });

  it('Redis stopped mid-run: streams are still served, the outage is logged once, and limits resume when Redis returns', async () => {
    expect(storeLines(a, 'guard.store_unavailable')).toHaveLength(0);
    await redis.stop({ crash: true });
    const client = newClient();
    // More starts than the limit allows, all at once (the cap would refuse them too if it were counted).
    const started = Date.now();
    const during = await Promise.all(Array.from({ length: 6 }, () => streamToEnd(stream(a.url), client)));
    expect(during.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Fail-open is bounded by the store timeout (0.5 s per step), not by Redis's reconnect attempts.
    expect(Date.now() - started).toBeLessThan(15_000); // generous bound for a loaded 2-core machine
    expect((await call(`${a.url}/api/news?symbol=TSLA&limit=1`, { headers: { 'X-API-Key': KEYS[1]! } })).status).toBe(200);
    const lines = storeLines(a, 'guard.store_unavailable');
    expect(lines).toHaveLength(1);
    // Host and port may show (they help an operator); URLs (which can carry passwords) and tokens never.
    expect(lines[0]).not.toMatch(/redis:\/\/|test-upstash-token/);

    await redis.restart();
    // Wait until the store answers again (a start then carries RateLimit headers).
    await waitUntil(async () => (await streamToEnd(stream(a.url), newClient())).headers.get('ratelimit-limit') === '4', 20_000, 'store back');
    expect(storeLines(a, 'guard.store_unavailable')).toHaveLength(1);
    expect(storeLines(a, 'guard.store_recovered').length).toBeGreaterThanOrEqual(1);
    await freshMinute(15_000);
    const after = newClient();
    for (let i = 0; i < 4; i++) expect((await streamToEnd(stream(i % 2 ? b.url : a.url), after)).status).toBe(200);
    expect((await call(stream(a.url), { headers: after })).status).toBe(429);
  });

  it('Redis restarted empty: the streams still open count against their client again within one renewal (10 s)', async () => {
    await freshMinute(10_000);
    const client = newClient();
    const long = 'duration=60000&interval=1000';
    const held = [await openSse(stream(a.url, long), client), await openSse(stream(b.url, long), client)];
    let direct: IORedis | undefined;
    try {
      expect(held.map((s) => s.status)).toEqual([200, 200]);
      await redis.stop({ crash: true });
      await redis.restart();
      direct = new IORedis(redis.url);
      // Each instance's next renewal puts its slot back: the restarted store never heard of either.
      const slots = `mp:slots:ip:${client['X-Forwarded-For']}`;
      await waitUntil(async () => (await direct!.zcard(slots)) === 2, 25_000, 'both open streams counted again');
      const refused = await call(stream(a.url), { headers: client });
      expect(refused.status).toBe(429);
      expect(refused.json().error.message).toMatch(/at most 2 at once/);
    } finally {
      held.forEach((s) => s.close());
      direct?.disconnect();
    }
    await waitUntil(async () => (await activeStreams(a.url)) + (await activeStreams(b.url)) === 0, 5_000, 'streams closed');
  }, 45_000);

  // Runs last in its group: it kills instance b.
  it.runIf(mode === 'redis')('an instance that crashes with open streams cannot leave their client locked out: its slots lapse within one lease (30 s)', async () => {
    const client = newClient();
    const long = 'duration=120000&interval=1000';
    const held = [await openSse(stream(b.url, long), client), await openSse(stream(b.url, long), client)];
    expect(held.map((s) => s.status)).toEqual([200, 200]);
    await b.stop('SIGKILL');
    held.forEach((s) => s.close());
    const killedAt = Date.now();
    expect((await call(stream(a.url), { headers: client })).status).toBe(429);
    // Leases are renewed every 10 s and last 30 s, so both have lapsed 30 s after the crash.
    await sleep(Math.max(0, killedAt + 31_000 - Date.now()));
    expect((await streamToEnd(stream(a.url), client)).status).toBe(200);
  }, 60_000);
});
