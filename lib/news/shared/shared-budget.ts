import { WINDOW_MS, type SharedBudget, type SharedTurn } from '../poll/host-budget';
import type { RedisLink } from './redis-link';

/**
 * The per-host budget across the deployment: a sorted set per host in Redis of the turns that
 * still count, by the rule in host-budget.ts. A turn is recorded in flight when granted (scored
 * `flightMs` ahead, so a process that dies mid-request frees its turn by itself), and rescored to
 * the time its host answered. A turn counts until WINDOW_MS after its score.
 *
 * TAKE answers 0 (go) after recording the turn, or how many ms to wait; never more than a window,
 * so an instance waiting on turns in flight elsewhere looks again soon after they are answered.
 *
 * `now` is the calling instance's clock, not Redis `TIME`: Upstash asks scripts to stay
 * deterministic (values from KEYS, ARGV or data, not clocks). So the instances' clocks must agree
 * (NTP): one running more than the window's 100 ms margin behind the others can let them go early.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local window = tonumber(ARGV[4])
local flight = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local counted = redis.call('ZCARD', KEYS[1])
if counted < max then
  redis.call('ZADD', KEYS[1], now + flight, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], flight + 2 * window)
  return 0
end
local freeing = redis.call('ZRANGE', KEYS[1], counted - max, counted - max, 'WITHSCORES')
return math.max(1, math.min(tonumber(freeing[2]) + window - now, window))
`;

/** XX: a turn already swept (its holder took longer than `flightMs`) is not brought back. */
const ANSWER = `redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[2])
return 0`;

const GO: SharedTurn = { waitMs: 0 };

/** `flightMs`: the longest a granted request can take to be answered (the fetch timeout plus slack). */
export function sharedBudget(link: RedisLink, flightMs: number): SharedBudget {
  let n = 0;
  return async (host, rps) => {
    // Redis down: this process's own spacing still holds; the deployment-wide check resumes with Redis.
    if (!link.usable()) return GO;
    const key = `mp:news:v1:host:${host}`;
    const member = `${link.instanceId}:${n++}`;
    const wait = Number(await link.eval(TAKE, [key], [Date.now(), rps, member, WINDOW_MS, flightMs]));
    if (wait > 0) return { waitMs: wait };
    return {
      waitMs: 0,
      answered: () => void link.eval(ANSWER, [key], [Date.now(), member]).catch(() => {}),
    };
  };
}
