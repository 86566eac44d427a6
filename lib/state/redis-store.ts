import { Ratelimit } from '@upstash/ratelimit';
import type { ScriptingRedis } from './backend';
import { keys, type GuardStore, type RateDecision, type SlotDecision, type SlotRef, type SlotRequest } from './guard-store';

/**
 * Slots are a sorted set per client: member = `<streamId or '-'>|<connection>`, score = lease end (ms).
 * Expired leases are dropped before counting, so an instance that crashed without releasing frees
 * its slots within one lease. Scripts run atomically, so two instances never both take the last slot.
 */
const ACQUIRE = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
local count = redis.call('ZCARD', key)
if count >= cap then return {0, count} end
redis.call('ZADD', key, now + lease, ARGV[4])
-- The set lives as long as its longest lease (never shortened by a shorter one).
if redis.call('PTTL', key) < lease then redis.call('PEXPIRE', key, lease) end
return {1, count}
`;

/**
 * Every slot named is one this process still holds open, so each is set to a fresh lease whether or
 * not the store still has it: a store restarted empty, down when the stream started, or a lease that
 * lapsed while the process stalled would otherwise leave open streams uncounted until they end.
 * A release racing a renewal is ordered after it on one connection; over Upstash REST a renewal
 * overtaken by its release leaves a slot that lapses within one lease, never renewed again.
 */
const REFRESH = `
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + lease, ARGV[i + 2])
  if redis.call('PTTL', key) < lease then redis.call('PEXPIRE', key, lease) end
end
return #KEYS
`;

/** Only a recorded start is counted: an unknown stream id creates nothing (its TTL could be anything). INCR keeps the TTL. */
const COUNT_RESUME = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('INCR', KEYS[1])
`;

export class RedisGuardStore implements GuardStore {
  private readonly limiters = new Map<string, Ratelimit>();

  constructor(
    readonly kind: 'redis' | 'upstash',
    private readonly redis: ScriptingRedis,
  ) {}

  async limit(client: string, limit: number, windowMs: number): Promise<RateDecision> {
    const result = await this.limiter(limit, windowMs).limit(client);
    return { success: result.success, limit: result.limit, remaining: result.remaining, reset: result.reset };
  }

  async acquireSlot({ client, member, cap, leaseMs }: SlotRequest): Promise<SlotDecision> {
    const [ok, count] = await this.redis.eval<[number, number]>(ACQUIRE, [keys.slots(client)], [Date.now(), leaseMs, cap, member]);
    return Number(ok) === 1 ? { ok: true } : { ok: false, count: Number(count) };
  }

  async refreshSlots(refs: readonly SlotRef[], leaseMs: number): Promise<void> {
    if (refs.length === 0) return;
    await this.redis.eval(REFRESH, refs.map((ref) => keys.slots(ref.client)), [Date.now(), leaseMs, ...refs.map((ref) => ref.member)]);
  }

  async releaseSlot(client: string, member: string): Promise<void> {
    await this.redis.eval("return redis.call('ZREM', KEYS[1], ARGV[1])", [keys.slots(client)], [member]);
  }

  async recordStart(client: string, streamId: string, ttlMs: number): Promise<void> {
    await this.redis.eval("return redis.call('SET', KEYS[1], 1, 'PX', ARGV[1])", [keys.starts(client, streamId)], [Math.max(1, Math.round(ttlMs))]);
  }

  async countResume(client: string, streamId: string): Promise<number> {
    return Number(await this.redis.eval(COUNT_RESUME, [keys.starts(client, streamId)], []));
  }

  /** One limiter per (limit, window); settings do not change while a process runs. */
  private limiter(limit: number, windowMs: number): Ratelimit {
    const id = `${limit}/${windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis as unknown as ConstructorParameters<typeof Ratelimit>[0]['redis'],
        limiter: Ratelimit.slidingWindow(limit, `${windowMs} ms`),
        prefix: keys.rateLimitPrefix,
        // 0: no deadline of the library's own. Its plain timer would answer "allowed" for a reply
        // that had arrived while the event loop was busy; withStore bounds every call instead.
        timeout: 0,
        analytics: false,
        // The in-process block cache would keep refusing a client here after another instance (or a
        // Redis restart) cleared it; one round trip per stream start is cheap.
        ephemeralCache: false,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
