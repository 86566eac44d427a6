/**
 * Politeness to news sites (contract §6.5, NEWS_HOST_MAX_RPS): at most `rps` fetches reach one host
 * in any one-second window. Feeds that want a turn queue per host; the next turn goes to the most
 * watched feed, a feed gaining one point per second it has waited so none starves. When more feeds
 * want turns than the budget allows, their periods stretch instead (FeedHealth.effectivePeriodMs).
 *
 * A turn counts from its grant until a window after its host answered, not a window after its
 * grant: a request can leave long after its grant when the event loop is busy (with 10,000 streams
 * held it stalled up to 0.7 s), and turns spaced by grant time then reached the host five in one
 * second for a budget of four. The host has surely seen a request once it has answered it. With
 * Redis, shared/shared-budget.ts applies the same rule across the deployment.
 *
 * Written by hand: rate limiters answer "allowed or not"; this one has to choose who goes next.
 */

/** A second, plus a margin for timers that fire a little early. */
export const WINDOW_MS = 1100;

export interface Turn {
  /** How many subscribers the feed has now (read when choosing). */
  priority(): number;
  signal: AbortSignal;
}

/** Called once the host has answered the turn's request, or the attempt ended without an answer. */
export type Answered = () => void;

/** The deployment's answer: wait `waitMs` (nothing taken), or go, and report the answer when it comes. */
export interface SharedTurn {
  waitMs: number;
  answered?: Answered;
}

/** A deployment-wide check on top of this process's spacing (shared/shared-budget.ts), by the same rule. */
export type SharedBudget = (host: string, rps: number) => Promise<SharedTurn>;

interface Waiter extends Turn {
  since: number;
  grant: (answered: Answered) => void;
}

interface HostQueue {
  waiting: Set<Waiter>;
  /** Turns granted and not answered yet: their requests may reach the host at any moment. */
  inFlight: number;
  /** When the latest turns were answered, oldest first; at most `rps` of them. */
  answered: number[];
  timer?: NodeJS.Timeout;
}

export class HostBudget {
  private readonly hosts = new Map<string, HostQueue>();

  constructor(
    private readonly rps: number,
    private readonly shared?: SharedBudget,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Resolves when the feed may fetch from `host` (or at once when its signal aborts), with the
   * function to call when the host has answered; until then the turn counts against the budget.
   */
  acquire(host: string, turn: Turn): Promise<Answered> {
    if (turn.signal.aborted) return Promise.resolve(() => {});
    const queue = this.queue(host);
    return new Promise((resolve) => {
      const leave = () => {
        queue.waiting.delete(waiter);
        resolve(() => {});
      };
      const waiter: Waiter = {
        ...turn,
        since: this.now(),
        grant: (answered) => {
          turn.signal.removeEventListener('abort', leave);
          resolve(answered);
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
    if (!queue) this.hosts.set(host, (queue = { waiting: new Set(), inFlight: 0, answered: [] }));
    return queue;
  }

  /** Arms the host's timer for its next allowed turn, if anyone waits, none is armed and one is due (not all in flight). */
  private schedule(host: string, queue: HostQueue): void {
    const at = this.allowedAt(queue);
    if (queue.timer || queue.waiting.size === 0 || at === Infinity) return;
    queue.timer = setTimeout(() => void this.grantNext(host, queue), Math.max(0, at - this.now()));
  }

  /**
   * A new request may reach the host within a second of any turn in flight and of any answered
   * less than WINDOW_MS ago, so fewer than `rps` of those allow one more turn. With every turn in
   * flight, the next waits for an answer (Infinity).
   */
  private allowedAt(queue: HostQueue): number {
    const counted = queue.inFlight + queue.answered.length;
    if (counted < this.rps) return 0;
    if (queue.inFlight >= this.rps) return Infinity;
    return queue.answered[counted - this.rps]! + WINDOW_MS;
  }

  private async grantNext(host: string, queue: HostQueue): Promise<void> {
    // Timers may fire a millisecond early: never grant before the window allows it.
    const early = this.allowedAt(queue) - this.now();
    const shared = early > 0 ? { waitMs: early } : await this.takeShared(host);
    queue.timer = undefined;
    // All in flight: the next answer schedules again (a timer of Infinity would fire at once).
    if (shared.waitMs === Infinity) return;
    if (shared.waitMs > 0) {
      queue.timer = setTimeout(() => void this.grantNext(host, queue), shared.waitMs);
      return;
    }
    const chosen = this.choose(queue, this.now());
    if (chosen) {
      queue.waiting.delete(chosen);
      queue.inFlight++;
      chosen.grant(this.answerOnce(host, queue, shared.answered));
    } else {
      // Everyone left while Redis answered: the deployment's turn goes unused.
      shared.answered?.();
    }
    this.schedule(host, queue);
  }

  private async takeShared(host: string): Promise<SharedTurn> {
    if (!this.shared) return { waitMs: 0 };
    return this.shared(host, this.rps).catch(() => ({ waitMs: 0 }));
  }

  private answerOnce(host: string, queue: HostQueue, sharedAnswered?: Answered): Answered {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      sharedAnswered?.();
      queue.inFlight--;
      queue.answered.push(this.now());
      if (queue.answered.length > this.rps) queue.answered.shift();
      this.schedule(host, queue);
    };
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
