import { sortTimeOf, type Article, type FeedWarning } from '@/lib/contract/article';
import type { NewsSubscription } from '@/lib/news/hub/news-hub';
import type { SequencedArticle } from '@/lib/news/types';
import { processEpoch, type SharedMarks, type StreamCursor } from './cursor';

/**
 * Where delivery stands. `local`: articles numbered at or below it in this process were sent.
 * `floor`: from a cursor of a shared deployment, per feed the highest deployment-wide number sent;
 * kept for the whole stream, as this instance's view may still lag behind the one that issued it.
 * `time`: the fallback when neither applies (cursor from another process, Redis-less, or an ISO
 * `since`): articles sorted at or before it were sent, except one that reached the deployment after
 * it while its feed was already in view (`arrived`): that one cannot have been sent before it.
 * `seenBy`: a cursor's time when it delivered nothing (a `connected` event's id): articles first
 * seen at or before it were sent. Without `time` the cursor is this process's own; with it, only
 * articles whose first-seen time the deployment shares (Redis) can be compared by it, and the
 * others by publication.
 */
export interface Delivered {
  local?: number;
  floor?: Floor;
  time?: number;
  seenBy?: number;
}

/** Where a new stream or snapshot starts: after a verified cursor of an earlier stream, or after a time. */
export type StartAfter = { cursor: StreamCursor } | { time: number };

interface Floor {
  epoch: string;
  byFeed: Map<string, number>;
}

export interface Batch {
  /** Every article not delivered yet that passes the filters, newest first. */
  articles: Article[];
  warnings: FeedWarning[];
  /** The process-wide sequence number everything in this view is at or below. */
  cursor: number;
  marks: ReturnType<NewsSubscription['marks']>;
}

/** The articles of the subscription's current view not delivered yet and passing `passes`, newest first. */
export function takeNew(subscription: NewsSubscription, delivered: Delivered, passes: (article: Article) => boolean): Batch {
  // Read the cursor in the same synchronous step as the snapshot so nothing slips between them.
  const snapshot = subscription.snapshot();
  const cursor = subscription.cursor();
  const marks = subscription.marks();
  // Most ticks bring nothing: a stream numbered past the whole view need not look at every article.
  const seen = delivered.local !== undefined && snapshot.newestSeq <= delivered.local;
  const articles = seen ? [] : snapshot.articles.filter((a) => isNew(a, delivered) && passes(a.article)).map((a) => a.article);
  return { articles, warnings: snapshot.warnings, cursor, marks };
}

/**
 * The first news event does not wait for a slow feed (contract §1, "as soon as the first fetch
 * completes"); feeds that answer later must not flood the events after it with everything they
 * hold. Of what they bring that is older than the first event, only what would have made the
 * first event's latest `limit` (counted together with what it sent) goes out; the rest counts as
 * delivered. Anything newer than the first event is news and always goes out.
 */
export interface LateFill {
  at: number;
  limit: number;
  /** Sort times of everything sent so far as part of the first `limit`. */
  sentTimes: number[];
}

export function lateFill(sent: readonly Article[], limit: number, at: number): LateFill {
  return { at, limit, sentTimes: sent.map(sortTimeOf) };
}

/** Applies `fill` to a batch (newest first) and remembers what it let through. */
export function fillFromLateFeeds(fill: LateFill, newestFirst: readonly Article[]): Article[] {
  const older = newestFirst.map(sortTimeOf).filter((time) => time <= fill.at);
  const ranked = [...fill.sentTimes, ...older].sort((a, b) => b - a);
  const threshold = ranked.length > fill.limit ? ranked[fill.limit - 1]! : -Infinity;
  const passed = newestFirst.filter((article) => sortTimeOf(article) > fill.at || sortTimeOf(article) >= threshold);
  fill.sentTimes.push(...passed.map(sortTimeOf).filter((time) => time <= fill.at));
  return passed;
}


/** Most articles a catch-up (`since`) carries, contract §6.2. */
export const CATCH_UP_MAX = 50;

/**
 * A catch-up after `since`: the most recent CATCH_UP_MAX of what was missed, oldest first (by
 * publication) so a client can append them in order; `truncated` when older ones were left out.
 */
export function catchUp(newestFirst: readonly Article[]): { articles: Article[]; truncated: boolean } {
  return { articles: newestFirst.slice(0, CATCH_UP_MAX).reverse(), truncated: newestFirst.length > CATCH_UP_MAX };
}

function isNew(item: Pick<SequencedArticle, 'seq' | 'sortTime' | 'firstSeen' | 'arrived' | 'copies'>, delivered: Delivered): boolean {
  const { floor } = delivered;
  // A copy numbered at or below what the cursor says was delivered: sent before, wherever.
  const comparable = floor ? (item.copies ?? []).filter((c) => c.epoch === floor.epoch && floor.byFeed.has(c.feed)) : [];
  if (comparable.some((c) => c.n <= floor!.byFeed.get(c.feed)!)) return false;
  if (delivered.local !== undefined) return item.seq > delivered.local;
  if (comparable.length > 0) return true;
  if (delivered.seenBy !== undefined && (delivered.time === undefined || item.copies !== undefined)) return item.firstSeen > delivered.seenBy;
  // Published after the time, or reached the deployment after it while its feed was already in
  // view: feeds stamp publication in whole seconds and often before an article reaches us.
  if (delivered.time !== undefined) return item.sortTime > delivered.time || (item.arrived && item.firstSeen > delivered.time);
  return true;
}

export function nothingDelivered(delivered: Delivered): boolean {
  return delivered.local === undefined && delivered.floor === undefined && delivered.time === undefined && delivered.seenBy === undefined;
}

/**
 * What a `since` says was delivered (contract §6.2: what reached the server after it was missed).
 * A cursor taken before its stream delivered anything (its `connected` event) says so by its time
 * alone, compared with when articles were first seen wherever that time is known (this process's
 * own cursor, or a feed shared through Redis), not with their publication: feeds give publication
 * times in whole seconds and often earlier than the article reached us, so an article that arrived
 * just after the cursor but was stamped before it was lost (the e2e absence test caught it).
 */
export function deliveredBefore(after: StartAfter, feedKeys: string[]): Delivered {
  if ('time' in after) return { time: after.time };
  const { cursor } = after;
  const delivered = deliveredFrom(cursor, feedKeys);
  if (!nothingDelivered(delivered)) return delivered;
  return cursor.epoch === processEpoch() ? { seenBy: cursor.at } : { seenBy: cursor.at, time: cursor.at };
}

/** What a cursor says was delivered, as this process can compare it. */
export function deliveredFrom(cursor: StreamCursor, feedKeys: string[]): Delivered {
  const floor = cursor.shared ? floorFrom(cursor.shared, feedKeys) : undefined;
  // The `connected` event's id: nothing was delivered yet.
  if (cursor.seq === 0 && !floor) return {};
  return cursor.epoch === processEpoch() ? { local: cursor.seq, floor } : { floor, time: cursor.at };
}

function floorFrom(shared: SharedMarks, feedKeys: string[]): Floor | undefined {
  // Marks are positional: an id from an instance configured with other feeds cannot be mapped.
  if (shared.marks.length !== feedKeys.length) return undefined;
  const byFeed = new Map<string, number>();
  shared.marks.forEach((n, i) => {
    if (n !== undefined && feedKeys[i] !== undefined) byFeed.set(feedKeys[i], n);
  });
  return byFeed.size > 0 ? { epoch: shared.epoch, byFeed } : undefined;
}

/**
 * The per-feed marks a cursor issued now should carry: what this instance's snapshot holds, never
 * below the floor the stream resumed from (same epoch). After a Redis data loss (new epoch) only
 * the new numbers count.
 */
export function frontier(delivered: Delivered, feedKeys: string[], marks: Batch['marks']): SharedMarks | undefined {
  const floor = delivered.floor;
  const epoch = marks.find(Boolean)?.epoch ?? floor?.epoch;
  if (epoch === undefined) return undefined;
  const values = feedKeys.map((feed, i) => {
    const mark = marks[i]?.epoch === epoch ? marks[i]!.n : undefined;
    const low = floor?.epoch === epoch ? floor.byFeed.get(feed) : undefined;
    return mark === undefined ? low : low === undefined ? mark : Math.max(mark, low);
  });
  return values.some((v) => v !== undefined) ? { epoch, marks: values } : undefined;
}
