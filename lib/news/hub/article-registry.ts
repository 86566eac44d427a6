import { articleWithSymbols } from '@/lib/contract/article';
import type { FeedArticle, SequencedArticle, SharedCopy } from '../types';

/**
 * Gives every (feed, article) pair the process has seen a sequence number and a first-seen time.
 * Streams remember only the highest seq they have passed ("cursor") instead of a set of ids, which
 * keeps per-stream state to a few numbers and lets an event id carry everything a resume needs.
 * These numbers are per process; with Redis, articles also carry deployment-wide numbers (`copies`)
 * that a cursor can take to another instance.
 */
interface Entry {
  seq: number;
  firstSeenAt: number;
  /** Made from a later view of a feed already in view (SequencedArticle.arrived). */
  arrived: boolean;
}

const MAX_ENTRIES = 50_000;

/** Where an article comes from: its feed's key and the tags that feed gives its articles. */
export interface FeedOfArticle {
  key: string;
  tags: string[];
}

export interface SequenceOptions {
  shared?: SharedCopy & { firstSeenAt: number };
  inView?: boolean;
}

export class ArticleRegistry {
  private counter = 0;
  /** Per (feed, item id), least recently seen first: an item still in its feed is touched every poll. */
  private readonly entries = new Map<string, Entry>();
  /** Per canonical link: a story that moves to another feed keeps the number it was delivered under. */
  private readonly byUrl = new Map<string, Entry>();

  /** The highest seq handed out so far: every article already in a feed has seq at or below it. */
  get cursor(): number {
    return this.counter;
  }

  /**
   * `feed.tags`: the feed's own tags, given to its articles (one array per feed, shared by them).
   * `shared`, for an article from a shared feed state: its deployment-wide number and first-seen
   * time, which wins over this process's so every instance shows the same time. `inView`: the
   * feed was in view before this fetch, so an article new to the registry now has just arrived.
   */
  sequence(feed: FeedOfArticle, article: FeedArticle, now = Date.now(), { shared, inView = false }: SequenceOptions = {}): SequencedArticle {
    const key = `${feed.key}\n${article.id}`;
    const url = article.url.toLowerCase();
    const entry = this.entries.get(key) ?? this.byUrl.get(url) ?? { seq: ++this.counter, firstSeenAt: shared?.firstSeenAt ?? now, arrived: inView };
    touch(this.entries, key, entry);
    touch(this.byUrl, url, entry);
    const firstSeenAt = shared?.firstSeenAt ?? entry.firstSeenAt;
    const sortTime = article.publishedAt ? Date.parse(article.publishedAt) : firstSeenAt;
    const tagged = articleWithSymbols(article, feed.tags, firstSeenAt);
    const sequenced: SequencedArticle = { article: tagged, seq: entry.seq, sortTime, firstSeen: firstSeenAt, arrived: entry.arrived };
    if (shared) sequenced.copies = [{ feed: shared.feed, epoch: shared.epoch, n: shared.n }];
    return sequenced;
  }
}

/** Moves `key` to the most recently used end (Maps iterate in insertion order) and bounds the map. */
function touch(map: Map<string, Entry>, key: string, entry: Entry): void {
  map.delete(key);
  map.set(key, entry);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}

/** Keys under which two feeds' copies of one story are recognised as duplicates. */
export function storyKeys(article: FeedArticle): string[] {
  const title = article.title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const keys = [`u:${article.url.toLowerCase()}`];
  // Very short titles ("Markets", "Update") are too generic to identify a story.
  if (title.length >= 24) keys.push(`t:${title}`);
  return keys;
}
