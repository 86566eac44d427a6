import type { SharedBudget } from '../poll/host-budget';
import type { RedisLink } from './redis-link';

/**
 * The per-host budget across the deployment: a sliding log of the last window's fetch starts per
 * host in Redis (1.1 s: a second plus host-budget.ts's margin). Answers 0 (go) after recording the start, or how many ms until a turn frees up.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 1100)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], 2000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + 1100 - now
`;

export function sharedBudget(link: RedisLink): SharedBudget {
  let n = 0;
  return async (host, rps) => {
    // Redis down: this process's own spacing still holds; the deployment-wide check resumes with Redis.
    if (!link.usable()) return 0;
    const wait = await link.eval(TAKE, [`mp:news:v1:host:${host}`], [Date.now(), rps, `${link.instanceId}:${n++}`]);
    return Math.max(0, Number(wait));
  };
}
