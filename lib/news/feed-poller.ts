import { describeFeed, observeFeedFetch, reportFeedFailure, reportFeedRecovered } from '@/lib/observability/feed-observer';
import type { ArticleRegistry } from './article-registry';
import { afterAttempt, initialRound, type FeedRound } from './feed-round';
import type { FeedSpec } from './feeds';
import { loadFeed, type LoadOutcome } from './load-feed';
import type { SharedFeeds, SharedFeedState } from './shared/shared-feeds';
import type { SequencedArticle } from './types';

export interface FeedHealth {
  /** The feed URL with credentials redacted (for operators; never shown on the public health check). */
  feed: string;
  source: string;
  scope: 'symbol' | 'market';
  state: 'pending' | 'healthy' | 'failing' | 'backed-off';
  lastSuccessAt?: string;
  failingSince?: string;
  lastErrorAt?: string;
  lastErrorKind?: string;
  lastError?: string;
  consecutiveFailures: number;
  backoffUntil?: string;
  /** Delay chosen after the last failure before trying again. */
  backoffMs?: number;
  validators: { etag: boolean; lastModified: boolean };
  subscribers: number;
  /** `shared`: the view comes from Redis (one fetch per period for the deployment); `local`: this instance polls alone. */
  mode?: 'shared' | 'local';
}

/** A feed's deployment-wide high-water mark: every article numbered at or below `n` is in `articles`. */
export interface SharedMark {
  epoch: string;
  n: number;
}

/** How soon an instance that lost the lease race looks again (at most): the holder's fetch is usually done by then. */
const LEASE_RECHECK_MS = 2_000;

/**
 * Polls one feed for however many streams want it: one upstream fetch per period, never two at
 * once, and nothing at all once the last subscriber has left.
 *
 * With `shared` (Redis configured), the period is the deployment's: instances race for a lease per
 * feed, the holder fetches and publishes the result with deployment-wide article numbers, the others
 * adopt it (pushed over pub/sub, or read once per period). Any Redis failure falls back to a local
 * fetch for that round, so streams never wait on Redis.
 */
export class FeedPoller {
  articles: SequencedArticle[] = [];
  /** Bumped whenever what subscribers would see changes (articles or warning state). */
  version = 0;
  private round: FeedRound = initialRound();
  /** The deployment-wide mark of `articles`, when they came from the shared state. */
  mark?: SharedMark;
  /** Id of the shared state last adopted. */
  private adopted?: string;
  /** Earliest next round after losing the lease race (the winner's result is awaited until then). */
  private notBefore = 0;
  private leaseLosses = 0;
  /** Subscriber count per wanted interval: thousands of streams share a handful of intervals. */
  private readonly intervals = new Map<number, number>();
  private subscriberCount = 0;
  private timer?: NodeJS.Timeout;
  private inFlight?: AbortController;
  private unwatch?: () => void;
  private readonly attemptListeners = new Set<() => void>();
  private completedPolls = 0;
  idleSince = Date.now();

  constructor(
    readonly spec: FeedSpec,
    private readonly registry: ArticleRegistry,
    private readonly minPollMs: number,
    private readonly onChange: () => void,
    private readonly shared?: SharedFeeds,
  ) {}

  get lastAttemptAt(): number {
    return this.round.attemptAt;
  }

  get attempted(): boolean {
    return this.round.attemptAt > 0;
  }

  get subscribers(): number {
    return this.subscriberCount;
  }

  /** Rounds completed so far; lets a caller wait for the next one. */
  get polls(): number {
    return this.completedPolls;
  }

  /** What this poller holds is older than one period (it sat idle with no subscriber): a round is due now. */
  get overdue(): boolean {
    const r = this.round;
    return r.attemptAt > 0 && Math.max(r.attemptAt + this.period(), r.backoffUntil, this.notBefore) <= Date.now();
  }

  /** The last round failed: its message is shown to streams as a warning. */
  get failing(): boolean {
    return this.round.consecutiveFailures > 0;
  }

  get warning(): string | undefined {
    return this.failing ? this.round.lastError?.message : undefined;
  }

  /** Adds a subscriber wanting updates every `intervalMs`; returns the unsubscribe function. */
  subscribe(intervalMs: number): () => void {
    this.intervals.set(intervalMs, (this.intervals.get(intervalMs) ?? 0) + 1);
    this.subscriberCount++;
    if (this.shared && !this.unwatch) this.unwatch = this.shared.watch(this.spec.key, (state) => this.onSharedState(state));
    this.reschedule();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const left = (this.intervals.get(intervalMs) ?? 1) - 1;
      if (left > 0) this.intervals.set(intervalMs, left);
      else this.intervals.delete(intervalMs);
      this.subscriberCount--;
      if (this.subscriberCount === 0) this.stop();
      else this.reschedule();
    };
  }

  /** Calls `listener` after every completed attempt until the returned function is called. */
  onAttempt(listener: () => void): () => void {
    this.attemptListeners.add(listener);
    return () => this.attemptListeners.delete(listener);
  }

  health(now = Date.now()): FeedHealth {
    const r = this.round;
    const backedOff = r.backoffUntil > now;
    return {
      feed: describeFeed(this.spec.url),
      source: this.spec.source,
      scope: this.spec.scope,
      state: !this.attempted ? 'pending' : backedOff ? 'backed-off' : this.failing ? 'failing' : 'healthy',
      lastSuccessAt: r.lastSuccessAt ? new Date(r.lastSuccessAt).toISOString() : undefined,
      failingSince: this.failing ? new Date(r.failingSince).toISOString() : undefined,
      lastErrorAt: r.lastError ? new Date(r.lastError.at).toISOString() : undefined,
      lastErrorKind: r.lastError?.kind,
      lastError: r.lastError?.message,
      consecutiveFailures: r.consecutiveFailures,
      backoffUntil: backedOff ? new Date(r.backoffUntil).toISOString() : undefined,
      backoffMs: this.failing ? r.backoffUntil - r.attemptAt : undefined,
      validators: { etag: Boolean(r.validators.etag), lastModified: Boolean(r.validators.lastModified) },
      subscribers: this.subscriberCount,
      mode: this.adopted !== undefined ? 'shared' : 'local',
    };
  }

  private get sharing(): SharedFeeds | undefined {
    // Demo items are computed locally: nothing upstream to spare.
    return this.shared && !this.spec.url.startsWith('demo:') ? this.shared : undefined;
  }

  private period(): number {
    const wanted = Math.min(...this.intervals.keys());
    // Demo items are computed locally, so only real feeds get the politeness floor.
    return this.spec.url.startsWith('demo:') ? wanted : Math.max(wanted, this.minPollMs);
  }

  private reschedule(): void {
    if (this.inFlight || this.subscriberCount === 0) return;
    clearTimeout(this.timer);
    const r = this.round;
    const due = Math.max(r.attemptAt ? r.attemptAt + this.period() : 0, r.backoffUntil, this.notBefore);
    this.timer = setTimeout(() => void this.poll(), Math.max(0, due - Date.now()));
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.unwatch?.();
    this.unwatch = undefined;
    this.idleSince = Date.now();
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    const controller = new AbortController();
    this.inFlight = controller;
    const shared = this.sharing;
    let changed = false;
    try {
      changed = shared?.link.usable() ? await this.sharedRound(shared, controller.signal) : await this.localRound(controller.signal);
    } finally {
      this.inFlight = undefined;
    }
    // Aborted: the last subscriber left mid-fetch, nothing to record. One may have arrived since,
    // while this fetch was settling; reschedule() skipped it then, so it must be polled now.
    if (!controller.signal.aborted) {
      this.completedPolls++;
      if (changed) this.changed();
      else this.notifyAttempt();
    }
    this.reschedule();
  }

  private changed(): void {
    this.version++;
    this.notifyAttempt();
    this.onChange();
  }

  private notifyAttempt(): void {
    for (const listener of [...this.attemptListeners]) listener();
  }

  /** One round without Redis: fetch, number articles in this process. */
  private async localRound(signal: AbortSignal): Promise<boolean> {
    const outcome = await observeFeedFetch(this.spec, () => loadFeed(this.spec, this.round.validators, signal));
    if (signal.aborted) return false;
    const now = Date.now();
    this.applyLocal(outcome, now);
    return true;
  }

  private applyLocal(outcome: LoadOutcome, now: number): void {
    const next = afterAttempt(this.round, outcome, now, this.period());
    this.report(this.round, next);
    this.applyRound(outcome, next, now);
  }

  private applyRound(outcome: LoadOutcome, next: FeedRound, now: number): void {
    this.round = next;
    if (outcome.kind === 'articles') {
      this.articles = outcome.articles.map((a) => this.registry.sequence(this.spec.key, a, now));
      this.mark = undefined;
    }
    this.adopted = undefined;
    this.notBefore = 0;
  }

  /**
   * One round with Redis: whoever holds the feed's lease fetches (with the shared validators and
   * backoff) and publishes; everyone else adopts the published state.
   */
  private async sharedRound(shared: SharedFeeds, signal: AbortSignal): Promise<boolean> {
    const key = this.spec.key;
    const period = this.period();
    let state: SharedFeedState | null;
    let won: boolean;
    try {
      won = await shared.acquireLease(key, period);
      // Followers with a live subscription are told of new results; they read the state only at
      // first, or when a push seems to have been missed. Without one, once per period.
      state = won || !this.attempted || !shared.live || this.leaseLosses > 0 ? await shared.read(key) : null;
      shared.link.succeeded();
    } catch (error) {
      shared.link.failed('read', error);
      return this.localRound(signal);
    }
    if (signal.aborted) {
      if (won) void shared.releaseLease(key).catch(() => {});
      return false;
    }
    let changed = state ? this.adopt(state) : false;
    const now = Date.now();
    if (!won) {
      this.leaseLosses++;
      this.notBefore = now + Math.min(period, LEASE_RECHECK_MS);
      return changed;
    }
    this.leaseLosses = 0;
    // Someone fetched within the period, or the feed is backed off: nothing to do yet.
    if (state && Math.max(state.attemptAt + period, state.backoffUntil) > now + 50) return changed;

    // Keep the lease alive while the fetch runs (it may outlast the period); if this process dies
    // the lease lapses within one period and another instance takes over. Refreshed four times per
    // period so a busy event loop or a slow round trip does not let it lapse mid-fetch.
    const keepAlive = setInterval(() => void shared.extendLease(key, period).catch(() => {}), Math.max(50, period / 4));
    let outcome: LoadOutcome;
    try {
      outcome = await observeFeedFetch(this.spec, () => loadFeed(this.spec, state?.validators ?? {}, signal));
    } finally {
      clearInterval(keepAlive);
    }
    if (signal.aborted) {
      void shared.releaseLease(key).catch(() => {});
      return changed;
    }
    const at = Date.now();
    const prev = state ?? initialRound();
    const next = afterAttempt(prev, outcome, at, period);
    this.report(prev, next);
    try {
      const published = await shared.publish(key, state, next, outcome.kind === 'articles' ? outcome.articles : undefined);
      // Nobody else fetches before this round's period (or backoff) is over.
      void shared.extendLease(key, Math.max(period, next.backoffUntil - at)).catch(() => {});
      changed = this.adopt(published) || changed;
    } catch (error) {
      shared.link.failed('publish', error);
      this.applyRound(outcome, next, at);
      changed = true;
    }
    return changed;
  }

  /** A state another instance published arrived over pub/sub. */
  private onSharedState(state: SharedFeedState): void {
    if (this.subscriberCount === 0 || !this.adopt(state)) return;
    this.changed();
    this.reschedule();
  }

  /** Takes over a shared state unless it is the one held already or older than this view. */
  private adopt(state: SharedFeedState): boolean {
    if (state.id === this.adopted || state.attemptAt < this.round.attemptAt) return false;
    const { id, epoch, mark, articles, ...round } = state;
    this.adopted = id;
    this.round = round;
    this.articles = articles.map((x) =>
      epoch === undefined
        ? this.registry.sequence(this.spec.key, x.a, x.f)
        : this.registry.sequence(this.spec.key, x.a, x.f, { feed: this.spec.key, epoch, n: x.n, firstSeenAt: x.f }),
    );
    this.mark = epoch !== undefined && mark !== undefined ? { epoch, n: mark } : undefined;
    this.notBefore = 0;
    this.leaseLosses = 0;
    return true;
  }

  /** Logs state changes (failing, backed off, recovered) for the attempt this process made. */
  private report(prev: FeedRound, next: FeedRound): void {
    if (next.consecutiveFailures === 0) {
      if (prev.consecutiveFailures > 0) {
        reportFeedRecovered(this.spec, { failures: prev.consecutiveFailures, failingSince: prev.failingSince, lastErrorKind: prev.lastError?.kind });
      }
      return;
    }
    reportFeedFailure(this.spec, {
      kind: next.lastError!.kind,
      message: next.lastError!.message,
      failures: next.consecutiveFailures,
      backoffMs: next.backoffUntil - next.attemptAt,
    });
  }
}
