import type { Article, FeedWarning } from '@/lib/contract/article';

export type { Article, FeedWarning } from '@/lib/contract/article';

/** An article plus the ordering key the hub assigned when it first saw it. */
export interface SequencedArticle {
  article: Article;
  /** Increases with every article the hub sees for the first time; streams resume from it. */
  seq: number;
  /** Sort key: publishedAt, else firstSeenAt, in ms. */
  sortTime: number;
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

/** Everything the hub knows right now for one symbol. */
export interface NewsSnapshot {
  symbol: string;
  /** Newest first, duplicates across feeds merged. */
  articles: SequencedArticle[];
  warnings: FeedWarning[];
  /** When the newest completed fetch among the symbol's feeds finished. */
  fetchedAt: string;
  /** True when every feed of the symbol has completed at least one attempt. */
  complete: boolean;
  demo: boolean;
}
