import type { ArticleRegistry, FeedOfArticle } from '../hub/article-registry';
import { describeFeed, type FeedSpec } from '../feeds';
import { quietHooks, type FeedLabel, type NewsHooks } from '../hooks';
import { loadFeed, type LoadOutcome } from '../load-feed';
import type { SharedFeeds, SharedFeedState } from '../shared/shared-feeds';
import type { SequencedArticle } from '../types';
import { feedHealth, reportRound, type FeedHealth } from './feed-health';
import { afterAttempt, initialRound, type FeedRound } from './feed-round';
import { feedHost, type HostBudget } from './host-budget';
import { retain, type HistoryKeys } from './history';
import { keepUnchanged } from './keep-unchanged';
import { sharedRound, type RoundHost } from './shared-round';

const historyKeys = (item: SequencedArticle): HistoryKeys => ({ id: item.article.id, sortTime: item.sortTime, firstSeen: item.firstSeen });

/** A feed's deployment-wide high-water mark: every article numbered at or below `n` is in `articles`. */
export interface SharedMark {
  epoch: string;
  n: number;
}

export interface PollerOptions {
  registry: ArticleRegistry;
  /** Floor on the period, whatever intervals subscribers ask for (politeness to the source). */
  minPollMs: number;
  /** Coordinates polling with the other instances through Redis. */
  shared?: SharedFeeds;
  hooks?: NewsHooks;
  /** Turns per feed host (NEWS_HOST_MAX_RPS). */
  budget?: HostBudget;
}

/**
 * Polls one feed for however many streams want it: one upstream fetch per period, never two at
 * once, and nothing at all once the last subscriber has left. With `shared` the period is the
 * deployment's (see shared-round.ts).
 */
export class FeedPoller implements RoundHost {
  /** The feed's current window plus the history kept beyond it (history.ts). */
  articles: SequencedArticle[] = [];
  /** Since when nothing from this feed has been lost (history.ts); 0 until the first fetch. */
  coveredSince = 0;
  /** The deployment-wide mark of `articles`, when they came from the shared state. */
  mark?: SharedMark;
  /**
   * Counts changes to what subscribers would see (articles, warning, attempt times): a view built
   * from this feed is current while the count it was built at still holds.
   */
  changes = 0;
  idleSince = Date.now();
  leaseLosses = 0;
  private round: FeedRound = initialRound();
  /** Id of the shared state last adopted. */
  private adopted?: string;
  /** Earliest next round after losing the lease race (the winner's result is awaited until then). */
  private notBefore = 0;
  /** Subscriber count per wanted interval: thousands of streams share a handful of intervals. */
  private readonly intervals = new Map<number, number>();
  private subscriberCount = 0;
  private timer?: NodeJS.Timeout;
  private inFlight?: AbortController;
  private unwatch?: () => void;
  private readonly attemptListeners = new Set<() => void>();
  private completedPolls = 0;
  private readonly label: FeedLabel;
  /** When this process last started a fetch of the feed, and the gap before that one: the period as it really is. */
  private lastLoadAt = 0;
  private effectivePeriodMs?: number;
  private readonly hooks: NewsHooks;
  /** The feed's own tags for its articles: one array, shared by all of them. */
  private readonly feed: FeedOfArticle;

  constructor(
    readonly spec: FeedSpec,
    private readonly options: PollerOptions,
  ) {
    this.label = { url: describeFeed(spec.url), source: spec.source, scope: spec.scope };
    this.feed = { key: spec.key, tags: spec.scope === 'symbol' && spec.symbol ? [spec.symbol] : [] };
    this.hooks = options.hooks ?? quietHooks;
  }

  get feedKey(): string {
    return this.spec.key;
  }

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
    // The period follows the set of wanted intervals, so only a first or last subscriber of an
    // interval can change it: with thousands of subscribers, re-arming the timer (or even working
    // the period out again) for each one that comes or goes was work per stream open and close.
    const wanted = this.intervals.get(intervalMs) ?? 0;
    const before = wanted === 0 && this.subscriberCount > 0 ? this.period() : undefined;
    this.intervals.set(intervalMs, wanted + 1);
    this.subscriberCount++;
    const shared = this.options.shared;
    if (shared && !this.unwatch) this.unwatch = shared.watch(this.spec.key, (state) => this.onSharedState(state));
    if (wanted === 0 && this.period() !== before) this.reschedule();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.subscriberCount--;
      const left = (this.intervals.get(intervalMs) ?? 1) - 1;
      if (left > 0) return void this.intervals.set(intervalMs, left);
      const period = this.period();
      this.intervals.delete(intervalMs);
      if (this.subscriberCount === 0) this.stop();
      else if (this.period() !== period) this.reschedule();
    };
  }

  /** Calls `listener` after every completed attempt until the returned function is called. */
  onAttempt(listener: () => void): () => void {
    this.attemptListeners.add(listener);
    return () => this.attemptListeners.delete(listener);
  }

  health(now = Date.now()): FeedHealth {
    const periods = { periodMs: this.subscriberCount > 0 ? this.period() : undefined, effectivePeriodMs: this.effectivePeriodMs };
    return { ...feedHealth(this.label, this.round, this.subscriberCount, this.adopted !== undefined, now), ...periods };
  }

  period(): number {
    const wanted = Math.min(...this.intervals.keys());
    // Demo items are computed locally, so only real feeds get the politeness floor.
    return this.isDemo ? wanted : Math.max(wanted, this.options.minPollMs);
  }

  private get isDemo(): boolean {
    return this.spec.url.startsWith('demo:');
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
    // Demo items are computed locally: nothing upstream to spare.
    const shared = this.isDemo ? undefined : this.options.shared;
    let changed = false;
    try {
      changed = shared?.link.usable() ? await sharedRound(this, shared, controller.signal) : await this.localRound(controller.signal);
    } finally {
      this.inFlight = undefined;
    }
    // Aborted: the last subscriber left mid-fetch, nothing to record. One may have arrived since,
    // while this fetch was settling; reschedule() skipped it then, so it must be polled now.
    if (!controller.signal.aborted) {
      this.completedPolls++;
      if (changed) this.changes++;
      this.notifyAttempt();
    }
    this.reschedule();
  }

  private notifyAttempt(): void {
    for (const listener of [...this.attemptListeners]) listener();
  }

  async load(validators: FeedRound['validators'], signal: AbortSignal): Promise<LoadOutcome> {
    const host = feedHost(this.spec.url);
    const answered = host && this.options.budget ? await this.options.budget.acquire(host, { priority: () => this.subscriberCount, signal }) : undefined;
    const startedAt = Date.now();
    if (this.lastLoadAt) this.effectivePeriodMs = startedAt - this.lastLoadAt;
    this.lastLoadAt = startedAt;
    try {
      return await this.hooks.fetch(this.label, () => loadFeed(this.spec, validators, signal, answered));
    } finally {
      // Normally called as the response arrives; this covers every way the attempt ends without one.
      answered?.();
    }
  }

  /** One round without Redis: fetch, number articles in this process. */
  async localRound(signal: AbortSignal): Promise<boolean> {
    const outcome = await this.load(this.round.validators, signal);
    if (signal.aborted) return false;
    const now = Date.now();
    const next = afterAttempt(this.round, outcome, now, this.period());
    this.report(this.round, next);
    this.apply(outcome, next, now);
    return true;
  }

  apply(outcome: LoadOutcome, next: FeedRound, now: number): void {
    if (outcome.kind === 'articles') {
      const inView = this.inView();
      const sequenced = outcome.articles.map((a) => this.options.registry.sequence(this.feed, a, now, { inView }));
      const fresh = keepUnchanged(this.articles, sequenced);
      const state = { coveredSince: this.coveredSince || undefined, lastFetchAt: this.round.lastSuccessAt };
      const kept = retain(this.adopted === undefined ? this.articles : [], fresh, state, historyKeys, now);
      this.articles = kept.items;
      this.coveredSince = kept.coveredSince;
      this.mark = undefined;
    }
    this.round = next;
    this.adopted = undefined;
    this.notBefore = 0;
  }

  /**
   * Articles of this feed were read before (a fetch, or a shared state, succeeded): what is new to
   * the registry from now on has arrived. Read before the round that brings them is recorded.
   */
  private inView(): boolean {
    return this.round.lastSuccessAt > 0;
  }

  report(prev: FeedRound, next: FeedRound): void {
    reportRound(this.hooks, this.label, prev, next);
  }

  lostLease(notBefore: number): void {
    this.leaseLosses++;
    this.notBefore = notBefore;
  }

  wonLease(): void {
    this.leaseLosses = 0;
  }

  /** A state another instance published arrived over pub/sub. */
  private onSharedState(state: SharedFeedState): void {
    if (this.subscriberCount === 0 || !this.adopt(state)) return;
    this.changes++;
    this.notifyAttempt();
    this.reschedule();
  }

  adopt(state: SharedFeedState): boolean {
    if (state.id === this.adopted || state.attemptAt < this.round.attemptAt) return false;
    const { id, epoch, mark, articles, ...round } = state;
    const registry = this.options.registry;
    const inView = this.inView();
    this.adopted = id;
    this.round = round;
    const sequenced = articles.map((x) =>
      registry.sequence(this.feed, x.a, x.f, { inView, shared: epoch === undefined ? undefined : { feed: this.spec.key, epoch, n: x.n, firstSeenAt: x.f } }),
    );
    this.articles = keepUnchanged(this.articles, sequenced);
    this.mark = epoch !== undefined && mark !== undefined ? { epoch, n: mark } : undefined;
    this.coveredSince = state.coveredSince ?? Math.min(...this.articles.map((a) => a.sortTime), state.attemptAt);
    this.notBefore = 0;
    this.leaseLosses = 0;
    return true;
  }
}
