import { describeFeed, observeFeedFetch, reportFeedFailure, reportFeedRecovered } from '@/lib/observability/feed-observer';
import type { ArticleRegistry } from './article-registry';
import type { FeedSpec } from './feeds';
import type { Validators } from './fetch-feed';
import { loadFeed } from './load-feed';
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
}

/** Longest Retry-After honoured. */
const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;
const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Polls one feed for however many streams want it: one upstream fetch per period, never two at
 * once, and nothing at all once the last subscriber has left.
 */
export class FeedPoller {
  articles: SequencedArticle[] = [];
  /** Bumped whenever what subscribers would see changes (articles or warning state). */
  version = 0;
  private validators: Validators = {};
  lastAttemptAt = 0;
  private lastSuccessAt = 0;
  private lastError?: { kind: string; message: string; at: number };
  private consecutiveFailures = 0;
  private failingSince = 0;
  private backoffUntil = 0;
  /** Subscriber count per wanted interval: thousands of streams share a handful of intervals. */
  private readonly intervals = new Map<number, number>();
  private subscriberCount = 0;
  private timer?: NodeJS.Timeout;
  private inFlight?: AbortController;
  private readonly attemptListeners = new Set<() => void>();
  idleSince = Date.now();

  constructor(
    readonly spec: FeedSpec,
    private readonly registry: ArticleRegistry,
    private readonly minPollMs: number,
    private readonly onChange: () => void,
  ) {}

  get attempted(): boolean {
    return this.lastAttemptAt > 0;
  }

  /** The last round failed: its message is shown to streams as a warning. */
  get failing(): boolean {
    return this.consecutiveFailures > 0;
  }

  get warning(): string | undefined {
    return this.failing ? this.lastError?.message : undefined;
  }

  /** Adds a subscriber wanting updates every `intervalMs`; returns the unsubscribe function. */
  subscribe(intervalMs: number): () => void {
    this.intervals.set(intervalMs, (this.intervals.get(intervalMs) ?? 0) + 1);
    this.subscriberCount++;
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
    const waiting = this.backoffUntil > now;
    // Backed off = retrying slower than subscribers asked (exponential backoff or Retry-After);
    // a first failure retried at the normal pace is just failing (matches the feed.* log events).
    const backedOff = waiting && this.backoffUntil - this.lastAttemptAt > this.period();
    return {
      feed: describeFeed(this.spec.url),
      source: this.spec.source,
      scope: this.spec.scope,
      state: !this.attempted ? 'pending' : backedOff ? 'backed-off' : this.failing ? 'failing' : 'healthy',
      lastSuccessAt: this.lastSuccessAt ? new Date(this.lastSuccessAt).toISOString() : undefined,
      failingSince: this.failing ? new Date(this.failingSince).toISOString() : undefined,
      lastErrorAt: this.lastError ? new Date(this.lastError.at).toISOString() : undefined,
      lastErrorKind: this.lastError?.kind,
      lastError: this.lastError?.message,
      consecutiveFailures: this.consecutiveFailures,
      backoffUntil: waiting ? new Date(this.backoffUntil).toISOString() : undefined,
      backoffMs: this.failing ? this.backoffUntil - this.lastAttemptAt : undefined,
      validators: { etag: Boolean(this.validators.etag), lastModified: Boolean(this.validators.lastModified) },
      subscribers: this.subscriberCount,
    };
  }

  private period(): number {
    const wanted = Math.min(...this.intervals.keys());
    // Demo items are computed locally, so only real feeds get the politeness floor.
    return this.spec.url.startsWith('demo:') ? wanted : Math.max(wanted, this.minPollMs);
  }

  private reschedule(): void {
    if (this.inFlight || this.subscriberCount === 0) return;
    clearTimeout(this.timer);
    const due = Math.max(this.lastAttemptAt ? this.lastAttemptAt + this.period() : 0, this.backoffUntil);
    this.timer = setTimeout(() => void this.poll(), Math.max(0, due - Date.now()));
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.idleSince = Date.now();
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    const controller = new AbortController();
    this.inFlight = controller;
    const outcome = await observeFeedFetch(this.spec, () => loadFeed(this.spec, this.validators, controller.signal));
    this.inFlight = undefined;
    if (controller.signal.aborted) {
      // The last subscriber left mid-fetch: nothing to record. One may have arrived since, while
      // this fetch was settling; reschedule() skipped it then, so it must be polled now.
      this.reschedule();
      return;
    }
    const now = Date.now();
    this.lastAttemptAt = now;
    if (outcome.kind === 'error') this.recordFailure(outcome.errorKind, outcome.message, outcome.retryAfterMs, now);
    else {
      this.validators = outcome.validators;
      if (outcome.kind === 'articles') this.articles = outcome.articles.map((a) => this.registry.sequence(this.spec.key, a, now));
      this.recordSuccess(now);
    }
    this.version++;
    for (const listener of [...this.attemptListeners]) listener();
    this.onChange();
    this.reschedule();
  }

  private recordSuccess(now: number): void {
    if (this.failing) {
      reportFeedRecovered(this.spec, { failures: this.consecutiveFailures, failingSince: this.failingSince, lastErrorKind: this.lastError?.kind });
    }
    this.lastSuccessAt = now;
    this.consecutiveFailures = 0;
    this.backoffUntil = 0;
  }

  private recordFailure(kind: string, message: string, retryAfterMs: number | undefined, now: number): void {
    this.consecutiveFailures++;
    if (this.consecutiveFailures === 1) this.failingSince = now;
    this.lastError = { kind, message, at: now };
    const backoff = Math.min(this.period() * 2 ** (this.consecutiveFailures - 1), MAX_BACKOFF_MS);
    // A feed may ask for any pause; more than MAX_RETRY_AFTER_MS would also overflow Node's timer
    // (2^31-1 ms), which then fires at once and turns a long pause into a tight loop.
    this.backoffUntil = now + Math.max(backoff, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
    reportFeedFailure(this.spec, { kind, message, failures: this.consecutiveFailures, backoffMs: this.backoffUntil - now });
  }
}
