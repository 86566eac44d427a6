import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostBudget as HostBudgetClass } from '@/lib/news/poll/host-budget';
import type { RedisLink } from '@/lib/news/shared/redis-link';
import { rssFeed, startFeedServer, type FeedServer } from '@/tests/support/feed-server';
import { startRedis, type RedisServer } from '@/tests/support/redis-server';
import { sleep } from '@/tests/support/wait';

/**
 * The per-host budget across the deployment (contract §6.5): two "instances" in one process, each
 * with its own HostBudget and Redis link, against a real redis-server; their requests go to a real
 * local feed server, which records when each one arrived.
 */
let redis: RedisServer;
let feeds: FeedServer;
let HostBudget: typeof HostBudgetClass;
let sharedBudget: typeof import('@/lib/news/shared/shared-budget').sharedBudget;
let createLink: typeof import('@/lib/news/shared/redis-link').createLink;
const links: RedisLink[] = [];

beforeAll(async () => {
  process.env.LOG_LEVEL = 'error';
  [redis, feeds] = await Promise.all([startRedis(), startFeedServer()]);
  ({ HostBudget } = await import('@/lib/news/poll/host-budget'));
  ({ sharedBudget } = await import('@/lib/news/shared/shared-budget'));
  ({ createLink } = await import('@/lib/news/shared/redis-link'));
  feeds.set('/budget.xml', rssFeed('Budget', []));
});
afterAll(async () => {
  await Promise.all(links.map((l) => l.close()));
  await Promise.all([redis?.stop(), feeds?.close()]);
});

let hosts = 0;
/** A budget key of its own per test (budgets are kept per host name); the requests themselves all go to the local feed server. */
const freshHost = () => `budget-${++hosts}.test`;

function instance(rps: number, flightMs = 5_000): HostBudgetClass {
  const link = createLink({ kind: 'redis', url: redis.url })!;
  links.push(link);
  return new HostBudget(rps, sharedBudget(link, flightMs));
}

/** One turn: wait for it, send the request `lateMs` after the grant, report the answer. */
async function fetchInTurn(budget: HostBudgetClass, host: string, lateMs: number): Promise<void> {
  const answered = await budget.acquire(host, { priority: () => 1, signal: new AbortController().signal });
  await sleep(lateMs);
  await fetch(`${feeds.url}/budget.xml`)
    .then((r) => r.text())
    .finally(answered);
}

describe('the per-host budget across instances (Redis)', () => {
  it('a turn counts until its host answered, however late its request left the instance', async () => {
    const rps = 2;
    const host = freshHost();
    const [stalled, prompt] = [instance(rps), instance(rps)];
    feeds.resetCounts();
    // One instance takes both turns, but its event loop is stalled: its requests leave 800 ms later.
    const first = [0, 1].map(() => fetchInTurn(stalled!, host, 800));
    await sleep(100);
    // The other instance's turns must wait for those answers, not just a window after the grants.
    const second = [0, 1].map(() => fetchInTurn(prompt!, host, 0));
    await Promise.all([...first, ...second]);

    const times = feeds.arrivals();
    expect(times).toHaveLength(4);
    for (let i = rps; i < times.length; i++) expect(times[i]! - times[i - rps]!, `request ${i} and the ${rps} before it`).toBeGreaterThanOrEqual(1000);
    // ...and no longer: the answers reached Redis (a turn never answered would hold on for its 5 s flightMs).
    expect(times[2]! - times[1]!).toBeLessThan(4_000);
  });

  it('a turn whose answer never comes (its instance died mid-request) frees itself after flightMs', async () => {
    const host = freshHost();
    const gone = instance(1, 1_500);
    const survivor = instance(1);
    const signal = new AbortController().signal;
    const grantedAt = Date.now();
    await gone.acquire(host, { priority: () => 1, signal }); // never answered
    const answered = await survivor.acquire(host, { priority: () => 1, signal });
    answered();
    // In flight until 1.5 s, then counted a window (1.1 s) more: the survivor waits that long, not forever.
    expect(Date.now() - grantedAt).toBeGreaterThanOrEqual(2_500);
  });
});
