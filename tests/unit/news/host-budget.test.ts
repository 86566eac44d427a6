import { describe, expect, it } from 'vitest';
import { feedHost, HostBudget } from '@/lib/news/poll/host-budget';
import { sleep } from '@/tests/support/wait';

const signal = () => new AbortController().signal;
/** A host that answers at once: records when the turn came and answers it. */
const answeredAt = (times: number[]) => (answered: () => void) => {
  times.push(Date.now());
  answered();
};

describe('per-host request budget (NEWS_HOST_MAX_RPS)', () => {
  it('never grants more than rps turns to one host in any one-second window; other hosts are separate', async () => {
    const budget = new HostBudget(4);
    const grants: number[] = [];
    const other: number[] = [];
    await Promise.all([
      ...Array.from({ length: 10 }, () => budget.acquire('a.example', { priority: () => 1, signal: signal() }).then(answeredAt(grants))),
      ...Array.from({ length: 4 }, () => budget.acquire('b.example', { priority: () => 1, signal: signal() }).then(answeredAt(other))),
    ]);
    grants.sort((x, y) => x - y);
    for (let i = 4; i < grants.length; i++) expect(grants[i]! - grants[i - 4]!, `turn ${i}`).toBeGreaterThan(1000);
    // Ten turns at four a second: the last one a little over two seconds after the first.
    expect(grants.at(-1)! - grants[0]!).toBeGreaterThan(2000);
    expect(Math.max(...other) - Math.min(...other)).toBeLessThan(1000);
  });

  it('gives the next turn to the most watched feed', async () => {
    const budget = new HostBudget(1);
    const order: string[] = [];
    const take = (name: string, priority: number) =>
      budget.acquire('h.example', { priority: () => priority, signal: signal() }).then((answered) => {
        order.push(name);
        answered();
      });
    await Promise.all([take('quiet', 0), take('busy', 50), take('busier', 100)]);
    expect(order).toEqual(['busier', 'busy', 'quiet']);
  });

  it('a feed waiting behind ever more watched ones gains a point a second, so its turn comes', async () => {
    const budget = new HostBudget(2);
    const busy: Promise<void>[] = [];
    const arrive = () => busy.push(budget.acquire('q.example', { priority: () => 1, signal: signal() }).then((answered) => answered()));
    for (let i = 0; i < 4; i++) arrive();
    const arrivals = setInterval(arrive, 250);
    let quietAt = 0;
    const started = Date.now();
    const quiet = budget.acquire('q.example', { priority: () => 0, signal: signal() }).then((answered) => {
      quietAt = Date.now();
      answered();
    });
    await quiet;
    clearInterval(arrivals);
    await Promise.all(busy);
    // Four busier feeds arrive per second for two turns per second. The quiet one goes after those
    // queued before it and those arriving within a second after it (a point of priority is a second
    // of waiting): about eight turns, four seconds; without aging it would wait for ever.
    expect(quietAt - started).toBeLessThan(6000);
  }, 10_000);

  it('a feed that stops wanting its turn (unsubscribed) leaves the queue at once', async () => {
    const budget = new HostBudget(1);
    await budget.acquire('h.example', { priority: () => 1, signal: signal() });
    const controller = new AbortController();
    const left = budget.acquire('h.example', { priority: () => 1, signal: controller.signal });
    expect(budget.waiting('h.example')).toBe(1);
    controller.abort();
    await left;
    expect(budget.waiting('h.example')).toBe(0);
  });

  it('a request that leaves late still counts: turns are spaced from when the host answered, not from the grant', async () => {
    // A busy event loop: the first two requests leave 300 ms after their turns, the rest at once.
    const budget = new HostBudget(2);
    const arrivals: number[] = [];
    const fetchLate = async (i: number) => {
      const answered = await budget.acquire('late.example', { priority: () => 1, signal: signal() });
      if (i < 2) await sleep(300);
      arrivals.push(Date.now());
      await sleep(20); // the host's answer
      answered();
    };
    await Promise.all(Array.from({ length: 4 }, (_, i) => fetchLate(i)));
    arrivals.sort((x, y) => x - y);
    // Never three requests at the host within a second.
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThan(1000);
    expect(arrivals[3]! - arrivals[1]!).toBeGreaterThan(1000);
  });

  it('with every turn in flight, none more is granted until the host answers one', async () => {
    const budget = new HostBudget(1);
    const first = await budget.acquire('slow.example', { priority: () => 1, signal: signal() });
    let granted = false;
    const second = budget.acquire('slow.example', { priority: () => 1, signal: signal() }).then((answered) => {
      granted = true;
      answered();
    });
    await sleep(1_500);
    expect(granted).toBe(false);
    first();
    await second;
    expect(granted).toBe(true);
  });

  describe('with a deployment-wide budget (the Redis one is tested on redis-server in tests/integration/news/shared-budget.test.ts)', () => {
    /** A deployment that makes the first `waits` asks wait 300 ms, then grants; it counts answers. */
    function deployment(waits: number, delayMs = 0) {
      const seen = { asks: 0, answers: 0 };
      const shared = async () => {
        await sleep(delayMs);
        return seen.asks++ < waits ? { waitMs: 300 } : { waitMs: 0, answered: () => void seen.answers++ };
      };
      return { seen, shared };
    }

    it('waits as long as the deployment says, then passes the host\'s answer on to it once', async () => {
      const { seen, shared } = deployment(2);
      const budget = new HostBudget(1, shared);
      const started = Date.now();
      const answered = await budget.acquire('d.example', { priority: () => 1, signal: signal() });
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
      expect(seen.asks).toBe(3);
      answered();
      answered();
      expect(seen.answers).toBe(1);
    });

    it('gives back a turn it took for a feed that left while the deployment answered', async () => {
      const { seen, shared } = deployment(0, 100);
      const budget = new HostBudget(1, shared);
      const leaving = new AbortController();
      const turn = budget.acquire('e.example', { priority: () => 1, signal: leaving.signal });
      await sleep(20);
      leaving.abort();
      await turn;
      await sleep(150);
      expect(seen.asks).toBe(1);
      expect(seen.answers).toBe(1);
    });
  });

  it('names the host of a feed, and none for the demo source', () => {
    expect(feedHost('https://Feeds.Finance.Yahoo.com/rss/2.0/headline?s=TSLA')).toBe('feeds.finance.yahoo.com');
    expect(feedHost('demo:TSLA')).toBeUndefined();
  });
});
