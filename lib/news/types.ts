import type { Article, FeedWarning } from '@/lib/contract/article';

export type { FeedWarning } from '@/lib/contract/article';

/** An article as a feed gives it; which watched symbols it concerns is decided per request. */
export type FeedArticle = Omit<Article, 'symbols'>;

/**
 * An article plus the ordering keys the hub assigned when it first saw it. The article carries its
 * feed's own tags (a per-symbol feed's symbol, none for market-wide news), which is what most
 * selections show it with: a snapshot copies it only when it tags it otherwise.
 */
export interface SequencedArticle {
  article: Article;
  /** Increases with every article the hub sees for the first time; streams resume from it. */
  seq: number;
  /** Sort key: publishedAt, else firstSeenAt, in ms. */
  sortTime: number;
  /** When the deployment first saw it (ms): what "arrived after a cursor" is measured by. */
  firstSeen: number;
  /**
   * It entered its feed while this process already had that feed in view (not in the first fetch
   * or shared state it read of it), so `firstSeen` is when it reached the deployment, not merely
   * when this process began to watch. A time that is not this process's own cursor (an ISO
   * `since`, a cursor from before a restart) can then be compared with `firstSeen` as well.
   */
  arrived: boolean;
  /**
   * Deployment-wide numbers of this story's copies (one per feed carrying it), present when the
   * feed is shared through Redis: the same on every instance, so a cursor can carry them.
   */
  copies?: SharedCopy[];
}

/** A story's number in one feed, assigned once for the whole deployment. */
export interface SharedCopy {
  feed: string;
  epoch: string;
  n: number;
}

/** Everything the hub knows right now for a set of symbols. */
export interface NewsSnapshot {
  symbols: string[];
  /** Newest first, duplicates across feeds merged, each tagged with the requested symbols it concerns. */
  articles: SequencedArticle[];
  /** The highest seq among `articles` (0 when empty): a stream past it has nothing new to look for. */
  newestSeq: number;
  warnings: FeedWarning[];
  /** When the newest completed fetch among the feeds finished. */
  fetchedAt: string;
  /** True when every feed has completed at least one attempt. */
  complete: boolean;
  demo: boolean;
}
