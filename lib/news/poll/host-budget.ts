/**
 * Politeness to news sites (contract §6.5, NEWS_HOST_MAX_RPS): at most `rps` fetches to one host
 * in any one-second window. Feeds that want a turn queue per host; the next turn goes to the most
 * watched feed, a feed gaining one point per second it has waited so none starves. When more feeds
 * want turns than the budget allows, their periods stretch instead (FeedHealth.effectivePeriodMs).
 *
 * Written by hand: rate limiters answer "allowed or not"; this one has to choose who goes next.
 */

const WINDOW_MS = 1100;

export interface Turn {
  /** How many subscribers the feed has now (read when choosing). */
  priority(): number;
  signal: AbortSignal;
}

/** A deployment-wide check on top of this process's spacing (shared/shared-budget.ts); resolves to the ms to wait, 0 to go. */
export type SharedBudget = (host: string, rps: number) => Promise<number>;

interface Waiter extends Turn {
  since: number;
  grant: () => void;
}

interface HostQueue {
  waiting: Set<Waiter>;
  /** Start times of the latest grants, oldest first, at most `rps` of them. */
  granted: number[];
  timer?: NodeJS.Timeout;
}

export class HostBudget {
  private readonly hosts = new Map<string, HostQueue>();

  constructor(
    private readonly rps: number,
    private readonly shared?: SharedBudget,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when the feed may fetch from `host` (or at once when its signal aborts). */
  acquire(host: string, turn: Turn): Promise<void> {
    if (turn.signal.aborted) return Promise.resolve();
    const queue = this.queue(host);
    return new Promise((resolve) => {
      const leave = () => {
        queue.waiting.delete(waiter);
        resolve();
      };
      const waiter: Waiter = {
        ...turn,
        since: this.now(),
        grant: () => {
          turn.signal.removeEventListener('abort', leave);
          resolve();
        },
      };
      turn.signal.addEventListener('abort', leave, { once: true });
      queue.waiting.add(waiter);
      this.schedule(host, queue);
    });
  }

  /** Feeds queued for a turn at `host` now (for health). */
  waiting(host: string): number {
    return this.hosts.get(host)?.waiting.size ?? 0;
  }

  private queue(host: string): HostQueue {
    let queue = this.hosts.get(host);
    if (!queue) this.hosts.set(host, (queue = { waiting: new Set(), granted: [] }));
    return queue;
  }

  /** Arms the host's timer for its next allowed turn, if anyone waits and none is armed. */
  private schedule(host: string, queue: HostQueue): void {
    if (queue.timer || queue.waiting.size === 0) return;
    queue.timer = setTimeout(() => void this.grantNext(host, queue), Math.max(0, this.allowedAt(queue) - this.now()));
  }

  /**
   * The next turn is allowed once the oldest of the last `rps` turns is WINDOW_MS old: a second
   * plus a margin, so requests that leave a little late or early (connection set-up, a busy event
   * loop) still reach the host at most `rps` in any second.
   */
  private allowedAt(queue: HostQueue): number {
    return queue.granted.length < this.rps ? 0 : queue.granted[0]! + WINDOW_MS;
  }

  private async grantNext(host: string, queue: HostQueue): Promise<void> {
    // Timers may fire a millisecond early: never grant before the window allows it.
    const early = this.allowedAt(queue) - this.now();
    const waitMs = early > 0 ? early : this.shared ? await this.shared(host, this.rps).catch(() => 0) : 0;
    if (waitMs > 0) {
      queue.timer = setTimeout(() => void this.grantNext(host, queue), waitMs);
      return;
    }
    queue.timer = undefined;
    const now = this.now();
    const chosen = this.choose(queue, now);
    if (chosen) {
      queue.waiting.delete(chosen);
      queue.granted.push(now);
      if (queue.granted.length > this.rps) queue.granted.shift();
      chosen.grant();
    }
    this.schedule(host, queue);
  }

  /** Most watched first; a point per second waited, so a quiet feed's turn still comes. */
  private choose(queue: HostQueue, now: number): Waiter | undefined {
    let best: Waiter | undefined;
    let bestScore = -Infinity;
    for (const waiter of queue.waiting) {
      const score = waiter.priority() + (now - waiter.since) / 1000;
      if (score > bestScore) [best, bestScore] = [waiter, score];
    }
    return best;
  }
}

/** The host a feed URL is fetched from ("demo:" feeds have none: they are computed locally). */
export function feedHost(url: string): string | undefined {
  if (url.startsWith('demo:')) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}
