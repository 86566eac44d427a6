import { feedsForSymbol, feedsForSymbols, isDemoMode, type FeedSpec } from '../feeds';
import type { NewsHooks } from '../hooks';
import type { FeedHealth } from '../poll/feed-health';
import { FeedPoller, type SharedMark } from '../poll/feed-poller';
import type { HostBudget } from '../poll/host-budget';
import type { SharedFeeds } from '../shared/shared-feeds';
import type { NewsSnapshot } from '../types';
import { ArticleRegistry } from './article-registry';
import { mergeDuplicates } from './merge-stories';
import { waitForFeeds } from './wait-for-feeds';
import { SymbolTable } from './symbol-table';
import { tagSymbols } from './tag-symbols';

const IDLE_POLLER_TTL_MS = 15 * 60_000;
/**
 * How often opening a subscription looks for idle pollers and symbols to forget. Looking on every
 * open scanned every poller and symbol twice per stream, a cost per open that grows with the
 * symbols held (up to MAX_ACTIVE_SYMBOLS); it showed in a CPU profile of opening 1,000 streams
 * over 1,000 symbols.
 */
const SWEEP_EVERY_MS = 60_000;
/**
 * Distinct selections cached at once; beyond it the oldest goes (still correct, just recomputed).
 * Only open selections are cached and a snapshot is an array of shared copies, so the bound is
 * there for safety, above the thousands of distinct watchlists one instance serves.
 */
const MAX_CACHED_SNAPSHOTS = 10_000;

/** A selection's snapshot and the change counts of its feeds it was built at. */
interface CachedSnapshot {
  snapshot: NewsSnapshot;
  changes: number[];
}

export interface NewsSubscription {
  /** Current merged view of the feeds, tagged with the symbols (cached until a feed changes). */
  snapshot(): NewsSnapshot;
  /** Whether the feeds are the offline demo source (known without building a snapshot). */
  demo(): boolean;
  /**
   * Since when nothing from any of the feeds has been lost (poll/history.ts): a `since` cursor
   * older than this is too old. Meaningful once `ready` has resolved.
   */
  coveredSince(): number;
  /**
   * Resolves when every feed (or with `any`, at least one) has been tried once and is current, when
   * `timeoutMs` passes, or when `signal` aborts.
   */
  ready(signal: AbortSignal, timeoutMs: number, options?: { any?: boolean }): Promise<void>;
  /** Feeds whose results are still to come: not tried yet, or refetching a view left stale while idle. */
  pending(): number;
  /** Resolves when one of the pending() feeds answers, after `timeoutMs`, or when `signal` aborts. */
  nextAnswer(signal: AbortSignal, timeoutMs: number): Promise<void>;
  /** Highest article seq the process has assigned: the cursor after this snapshot. */
  cursor(): number;
  /** The feed keys, in a fixed order (the same on every instance for the same symbols). */
  feedKeys(): string[];
  /**
   * Per feed (same order), the deployment-wide mark of what the snapshot holds, when that feed's
   * view comes from the shared state; read in the same synchronous step as `snapshot()`.
   */
  marks(): Array<SharedMark | undefined>;
  close(): void;
}

export interface HubOptions {
  /** Floor on how often one feed is fetched (NEWS_MIN_POLL_MS). */
  minPollMs: number;
  /** Most distinct symbols polled at once (MAX_ACTIVE_SYMBOLS). */
  maxSymbols?: number;
  /** Turns per feed host (NEWS_HOST_MAX_RPS), shared by every poller of the hub. */
  budget?: HostBudget;
  /** Coordinates polling with other instances through Redis. */
  shared?: SharedFeeds;
  hooks?: NewsHooks;
}

/**
 * One subscriber's handle on its feeds. A class rather than an object of closures: thousands of
 * streams hold one each for their whole life, and methods on a prototype cost nothing per stream.
 */
class HubSubscription implements NewsSubscription {
  private closed = false;

  /**
   * Pollers whose view was stale when this subscription began, by their rounds then (see
   * unanswered); none at all in the usual case, and then no map is kept for the stream's life.
   */
  private readonly staleAtStart: Map<FeedPoller, number> | undefined;

  constructor(
    private readonly hub: NewsHub,
    private readonly symbols: readonly string[],
    private readonly pollers: FeedPoller[],
    private readonly unsubscribes: Array<() => void>,
  ) {
    // Overdue with no other subscriber: it sat idle. A watched poller's view is at most a period
    // old (a round the host budget defers makes it overdue, not stale), and is not waited for.
    const stale = pollers.filter((p) => p.subscribers === 1 && p.overdue);
    this.staleAtStart = stale.length > 0 ? new Map(stale.map((p) => [p, p.polls] as const)) : undefined;
  }

  snapshot(): NewsSnapshot {
    return this.hub.snapshotOf(this.symbols, this.pollers);
  }

  demo(): boolean {
    return isDemoMode();
  }

  coveredSince(): number {
    return Math.max(0, ...this.pollers.map((p) => p.coveredSince));
  }

  cursor(): number {
    return this.hub.registry.cursor;
  }

  feedKeys(): string[] {
    return this.pollers.map((p) => p.spec.key);
  }

  marks(): Array<SharedMark | undefined> {
    return this.pollers.map((p) => p.mark);
  }

  ready(signal: AbortSignal, timeoutMs: number, options?: { any?: boolean }): Promise<void> {
    return waitForFeeds(this.pollers, signal, timeoutMs, options?.any ? 'some' : 'every');
  }

  pending(): number {
    return this.unanswered().length;
  }

  nextAnswer(signal: AbortSignal, timeoutMs: number): Promise<void> {
    return waitForFeeds(this.unanswered(), signal, timeoutMs, 'some');
  }

  /**
   * Feeds whose results are still to come: never tried, or idle with a view older than their period
   * when this subscription woke them, and not polled since. What such a refetch brings that is
   * older than the stream's first event must be held to its `limit` as a late feed's is, or it
   * floods the next event. Judged once, at the start: a late feed wakes its streams when it answers
   * (news-stream.ts), which a watched feed's regular round must not do.
   */
  private unanswered(): FeedPoller[] {
    return this.pollers.filter((p) => {
      const roundsThen = this.staleAtStart?.get(p);
      return !p.attempted || (roundsThen !== undefined && p.polls <= roundsThen);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
  }
}

/**
 * The in-process meeting point of streams and feeds: one FeedPoller per feed, shared by every
 * stream, snapshot and tool call that wants that feed.
 */
export class NewsHub {
  readonly registry = new ArticleRegistry();

  private readonly symbols: SymbolTable;

  constructor(private readonly options: HubOptions) {
    this.symbols = new SymbolTable(options.maxSymbols ?? Infinity, (symbol) => this.forget(symbol));
  }

  private readonly pollers = new Map<string, FeedPoller>();
  /**
   * Snapshots by selection: every stream of a selection takes the same one until one of its own
   * feeds changes (a change elsewhere in the deployment leaves it alone: with a thousand symbols
   * some feed changes every few milliseconds). Only selections with an open subscription are kept.
   */
  private readonly snapshots = new Map<string, CachedSnapshot>();
  /** Open subscriptions per selection key. */
  private readonly openSelections = new Map<string, number>();
  /** When sweepIdle last looked (SWEEP_EVERY_MS). */
  private lastSweep = 0;

  /**
   * Reserves places for `symbols` before a stream or snapshot commits to them (idle symbols are
   * evicted to make room); null when every place is in use. Call the returned release when done.
   */
  claim(symbols: readonly string[]): (() => void) | null {
    this.sweepIdle();
    return this.symbols.claim(symbols);
  }

  subscribe(symbols: readonly string[], intervalMs: number): NewsSubscription {
    this.sweepIdle();
    const unuse = symbols.map((symbol) => this.symbols.use(symbol));
    const pollers = feedsForSymbols(symbols).map((spec) => this.poller(spec));
    const unsubscribes = [...pollers.map((p) => p.subscribe(intervalMs)), ...unuse, this.openSelection(symbols.join(','))];
    return new HubSubscription(this, symbols, pollers, unsubscribes);
  }

  private openSelection(key: string): () => void {
    this.openSelections.set(key, (this.openSelections.get(key) ?? 0) + 1);
    return () => {
      const left = (this.openSelections.get(key) ?? 1) - 1;
      if (left > 0) {
        this.openSelections.set(key, left);
        return;
      }
      this.openSelections.delete(key);
      this.snapshots.delete(key);
    };
  }

  feedHealth(): FeedHealth[] {
    return [...this.pollers.values()].map((p) => p.health());
  }

  private poller(spec: FeedSpec): FeedPoller {
    let poller = this.pollers.get(spec.key);
    if (!poller) {
      const { minPollMs, shared, hooks, budget } = this.options;
      poller = new FeedPoller(spec, { registry: this.registry, minPollMs, shared, hooks, budget });
      this.pollers.set(spec.key, poller);
    }
    return poller;
  }

  /** A selection's merged, tagged view: cached per selection (see `snapshots`). */
  snapshotOf(symbols: readonly string[], pollers: FeedPoller[]): NewsSnapshot {
    const key = symbols.join(',');
    const cached = this.snapshots.get(key);
    // Every tick of every stream asks: compare in place, allocate only for a rebuild.
    if (cached && cached.changes.every((n, i) => n === pollers[i]!.changes)) return cached.snapshot;
    const changes = pollers.map((p) => p.changes);
    if (!cached && this.snapshots.size >= MAX_CACHED_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
    const owners = new Map(pollers.map((p) => [p.spec.key, p.spec.symbol]));
    const stories = mergeDuplicates(pollers.flatMap((p) => p.articles.map((item) => ({ feed: p.spec.key, item }))));
    const articles = stories.map((story) => tagSymbols(story, symbols, (feed) => owners.get(feed)));
    const warnings = pollers.flatMap((p) => (p.warning ? [{ source: p.spec.source, error: p.warning }] : []));
    const lastFetch = Math.max(0, ...pollers.map((p) => p.lastAttemptAt));
    const fetchedAt = new Date(lastFetch || Date.now()).toISOString();
    const snapshot: NewsSnapshot = {
      symbols: [...symbols],
      articles,
      newestSeq: articles.reduce((highest, a) => Math.max(highest, a.seq), 0),
      warnings,
      fetchedAt,
      complete: pollers.every((p) => p.attempted),
      demo: isDemoMode(),
    };
    if (this.openSelections.has(key)) this.snapshots.set(key, { snapshot, changes });
    return snapshot;
  }

  /** Forgets what sat idle past the TTL, at most once per SWEEP_EVERY_MS (so idle things live up to TTL + a minute). */
  private sweepIdle(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    const cutoff = now - IDLE_POLLER_TTL_MS;
    for (const [key, poller] of this.pollers) {
      if (poller.subscribers === 0 && poller.idleSince < cutoff) this.pollers.delete(key);
    }
    this.symbols.sweep(cutoff);
  }

  /** An evicted symbol's own feeds go; market-wide feeds are shared by every symbol and stay. */
  private forget(symbol: string): void {
    for (const spec of feedsForSymbol(symbol)) {
      const poller = this.pollers.get(spec.key);
      if (spec.scope === 'symbol' && poller && poller.subscribers === 0) this.pollers.delete(spec.key);
    }
    this.snapshots.clear();
  }
}
