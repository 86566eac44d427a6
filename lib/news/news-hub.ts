import { env } from '@/lib/config/env';
import { ArticleRegistry, storyKeys } from './article-registry';
import { FeedPoller, type FeedHealth, type SharedMark } from './feed-poller';
import { feedsForSymbol, isDemoMode, type FeedSpec } from './feeds';
import { redisLink } from './shared/redis-link';
import { SharedFeeds } from './shared/shared-feeds';
import type { NewsSnapshot, SequencedArticle } from './types';

const IDLE_POLLER_TTL_MS = 15 * 60_000;

export interface NewsSubscription {
  /** Current merged view of the symbol's feeds (cached until a feed changes). */
  snapshot(): NewsSnapshot;
  /** Resolves when every feed has been tried once, when `timeoutMs` passes, or when `signal` aborts. */
  ready(signal: AbortSignal, timeoutMs: number): Promise<void>;
  /** Highest article seq the process has assigned: the cursor after this snapshot. */
  cursor(): number;
  /** The symbol's feed keys, in a fixed order (the same on every instance). */
  feedKeys(): string[];
  /**
   * Per feed (same order), the deployment-wide mark of what the snapshot holds, when that feed's
   * view comes from the shared state; read in the same synchronous step as `snapshot()`.
   */
  marks(): Array<SharedMark | undefined>;
  close(): void;
}

/**
 * The in-process meeting point of streams and feeds: one FeedPoller per feed, shared by every
 * stream, snapshot and tool call that wants that feed.
 */
export class NewsHub {
  readonly registry = new ArticleRegistry();

  /** `shared`: coordinate polling with other instances through Redis. */
  constructor(private readonly shared?: SharedFeeds) {}

  private readonly pollers = new Map<string, FeedPoller>();
  private readonly snapshots = new Map<string, { version: number; snapshot: NewsSnapshot }>();
  private version = 0;

  subscribe(symbol: string, intervalMs: number): NewsSubscription {
    this.sweepIdle();
    const pollers = feedsForSymbol(symbol).map((spec) => this.poller(spec));
    const unsubscribes = pollers.map((p) => p.subscribe(intervalMs));
    let closed = false;
    return {
      snapshot: () => this.snapshot(symbol, pollers),
      cursor: () => this.registry.cursor,
      feedKeys: () => pollers.map((p) => p.spec.key),
      marks: () => pollers.map((p) => p.mark),
      ready: (signal, timeoutMs) => waitForAll(pollers, signal, timeoutMs),
      close: () => {
        if (closed) return;
        closed = true;
        for (const unsubscribe of unsubscribes) unsubscribe();
      },
    };
  }

  feedHealth(): FeedHealth[] {
    return [...this.pollers.values()].map((p) => p.health());
  }

  private poller(spec: FeedSpec): FeedPoller {
    let poller = this.pollers.get(spec.key);
    if (!poller) {
      poller = new FeedPoller(spec, this.registry, env().NEWS_MIN_POLL_MS, () => this.version++, this.shared);
      this.pollers.set(spec.key, poller);
    }
    return poller;
  }

  private snapshot(symbol: string, pollers: FeedPoller[]): NewsSnapshot {
    const cached = this.snapshots.get(symbol);
    if (cached && cached.version === this.version) return cached.snapshot;
    const articles = mergeDuplicates(pollers.flatMap((p) => p.articles.map((item) => ({ feed: p.spec.key, item }))));
    const warnings = pollers.flatMap((p) => (p.warning ? [{ source: p.spec.source, error: p.warning }] : []));
    const lastFetch = Math.max(0, ...pollers.map((p) => p.lastAttemptAt));
    const fetchedAt = new Date(lastFetch || Date.now()).toISOString();
    const snapshot: NewsSnapshot = {
      symbol,
      articles,
      warnings,
      fetchedAt,
      complete: pollers.every((p) => p.attempted),
      demo: isDemoMode(),
    };
    this.snapshots.set(symbol, { version: this.version, snapshot });
    return snapshot;
  }

  private sweepIdle(): void {
    const cutoff = Date.now() - IDLE_POLLER_TTL_MS;
    for (const [key, poller] of this.pollers) {
      if (poller.subscribers === 0 && poller.idleSince < cutoff) this.pollers.delete(key);
    }
    if (this.snapshots.size > 1000) this.snapshots.clear();
  }
}

interface Story {
  item: SequencedArticle;
  feeds: Set<string>;
  keys: Set<string>;
}

/**
 * One entry per story: the copy seen first keeps its seq (so a later copy in another feed is not
 * "new"), and a story carried by a per-symbol feed counts as about the symbol. Newest first.
 * Equal titles merge only across feeds: within one feed they are distinct items (SEC EDGAR titles
 * every filing by its form, so each Form 4 of a company has the same title).
 */
function mergeDuplicates(items: Array<{ feed: string; item: SequencedArticle }>): SequencedArticle[] {
  const byKey = new Map<string, Story>();
  const stories = new Set<Story>();
  for (const { feed, item } of items) {
    let story: Story = { item, feeds: new Set([feed]), keys: new Set(storyKeys(item.article)) };
    const absorbed = new Set<Story>();
    for (const key of [...story.keys]) {
      const match = byKey.get(key);
      if (!match || absorbed.has(match) || (key.startsWith('t:') && match.feeds.has(feed))) continue;
      absorbed.add(match);
      stories.delete(match);
      story = combine(match, story);
    }
    stories.add(story);
    // Every key of every absorbed copy now leads to the combined story, never to a superseded one.
    for (const key of story.keys) byKey.set(key, story);
  }
  return [...stories].map((s) => s.item).sort((a, b) => b.sortTime - a.sortTime || b.seq - a.seq);
}

function combine(earlier: Story, later: Story): Story {
  const a = earlier.item;
  const b = later.item;
  const symbolScoped = a.article.scope === 'symbol' ? a : b.article.scope === 'symbol' ? b : a;
  const copies = a.copies || b.copies ? [...(a.copies ?? []), ...(b.copies ?? [])] : undefined;
  return {
    item: { ...symbolScoped, seq: Math.min(a.seq, b.seq), ...(copies ? { copies } : {}) },
    feeds: new Set([...earlier.feeds, ...later.feeds]),
    keys: new Set([...earlier.keys, ...later.keys]),
  };
}

/**
 * Every feed tried once, and feeds that sat idle past their period (no subscriber kept them
 * polling) tried again: otherwise a snapshot after a quiet spell would serve old news.
 */
function waitForAll(pollers: FeedPoller[], signal: AbortSignal, timeoutMs: number): Promise<void> {
  const stale = new Map(pollers.filter((p) => p.overdue).map((p) => [p, p.polls] as const));
  const fresh = () => pollers.every((p) => p.attempted && (stale.get(p) ?? -1) < p.polls);
  if (fresh() || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const check = () => {
      if (fresh()) done();
    };
    const stopListening = pollers.map((p) => p.onAttempt(check));
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      for (const stop of stopListening) stop();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    signal.addEventListener('abort', done, { once: true });
  });
}

// Route bundles may each load their own copy of this module; the hub must be one per process.
const key = Symbol.for('market-pulse.news-hub');
const store = globalThis as unknown as Record<symbol, NewsHub | undefined>;

/** The process's hub; shared with the other instances through Redis when REDIS_URL or Upstash is set. */
export function newsHub(): NewsHub {
  if (!store[key]) {
    const link = redisLink();
    store[key] = new NewsHub(link ? new SharedFeeds(link) : undefined);
  }
  return store[key];
}
