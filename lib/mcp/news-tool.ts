import { env } from '@/lib/config/env';
import { newsHub, type NewsSubscription } from '@/lib/news/news-hub';
import type { Article, FeedWarning, SequencedArticle } from '@/lib/news/types';
import { decodeCursor, encodeCursor, newStreamId, processEpoch, type SharedMarks, type StreamCursor } from './stream-cursor';
import type { StreamEvent } from './stream-events';
import type { SnapshotParams, StreamParams } from './stream-params';

export { snapshotParamsSchema, streamParamsSchema, symbolSchema } from './stream-params';
export type { SnapshotParams, StreamParams } from './stream-params';

export interface StreamOptions {
  signal: AbortSignal;
  /** Continue an earlier stream (its last event id): same stream id, schedule and end. */
  resume?: StreamCursor;
  /** Start a new stream but skip what an earlier one delivered: a cursor or an ISO time. */
  since?: string;
}

/**
 * Where delivery stands. `local`: articles numbered at or below it in this process were sent.
 * `floor`: from a cursor of a shared deployment, per feed the highest deployment-wide number sent;
 * kept for the whole stream, as this instance's view may still lag behind the one that issued it.
 * `time`: the fallback when neither applies (cursor from another process, Redis-less): articles
 * sorted at or before it were sent.
 */
interface Delivered {
  local?: number;
  floor?: Floor;
  time?: number;
}

interface Floor {
  epoch: string;
  byFeed: Map<string, number>;
}

/**
 * The live news stream for one symbol as typed events: `connected` at once, `news` as soon as the
 * first fetch completes and then every `interval`, `complete` at `duration` (on time).
 * Stops, releasing its feed subscriptions, as soon as `signal` aborts.
 */
export async function* streamMarketNews(params: StreamParams, options: StreamOptions): AsyncGenerator<StreamEvent> {
  const { signal, resume } = options;
  const startedAt = resume?.startedAt ?? Date.now();
  const endsAt = resume?.endsAt ?? startedAt + params.duration;
  const streamId = resume?.streamId ?? newStreamId();
  const epoch = processEpoch();
  let lastProgress = resume ? progressAt(resume.at, startedAt, endsAt) : 0;
  let lastSeq = resume && resume.epoch === epoch ? resume.seq : 0;
  let total = 0;

  const subscription = newsHub().subscribe(params.symbol, params.interval);
  const feedKeys = subscription.feedKeys();
  const from = resume ?? (options.since ? decodeCursor(options.since) : null);
  let delivered: Delivered = from ? deliveredFrom(from, feedKeys) : sinceToDelivered(options.since);
  let lastShared = frontier(delivered.floor, feedKeys, []);

  const cursorAt = (at: number) => encodeCursor({ streamId, startedAt, endsAt, at, epoch, seq: lastSeq, shared: lastShared });
  const nextProgress = (now: number) => {
    lastProgress = Math.max(progressAt(now, startedAt, endsAt), Math.min(lastProgress + 1e-6, 0.999999));
    return lastProgress;
  };

  try {
    const now = Date.now();
    yield {
      type: 'connected',
      streamId,
      symbol: params.symbol,
      endsAt: new Date(endsAt).toISOString(),
      resumed: Boolean(resume),
      demo: subscription.snapshot().demo,
      cursor: cursorAt(now),
      timestamp: new Date(now).toISOString(),
      progress: resume ? lastProgress : 0,
    };

    await subscription.ready(signal, Math.max(0, Math.min(env().NEWS_FETCH_TIMEOUT_MS + 1000, endsAt - Date.now() - 1)));
    // Nothing delivered yet (a new stream, or a resume from the `connected` event): latest `limit`.
    let first = delivered.local === undefined && delivered.floor === undefined && delivered.time === undefined;
    while (!signal.aborted && Date.now() < endsAt) {
      const batch = takeNew(subscription, delivered, first ? params.limit : Infinity);
      first = false;
      delivered = { local: batch.cursor, floor: delivered.floor };
      lastSeq = batch.cursor;
      lastShared = frontier(delivered.floor, feedKeys, batch.marks);
      total += batch.articles.length;
      const at = Date.now();
      yield {
        type: 'news',
        symbol: params.symbol,
        articles: batch.articles,
        warnings: batch.warnings,
        cursor: cursorAt(at),
        timestamp: new Date(at).toISOString(),
        progress: nextProgress(at),
      };
      await sleepUntil(nextTick(at, startedAt, endsAt, params.interval), signal);
    }
    if (signal.aborted) return;
    const at = Date.now();
    yield { type: 'complete', delivered: total, cursor: cursorAt(at), timestamp: new Date(at).toISOString(), progress: 1 };
  } catch (error) {
    if (signal.aborted) return;
    const at = Date.now();
    const message = error instanceof Error ? error.message : 'unexpected failure';
    yield { type: 'error', message, cursor: cursorAt(at), timestamp: new Date(at).toISOString(), progress: 1 };
  } finally {
    subscription.close();
  }
}

/** Latest headlines for a symbol, waiting at most one fetch timeout for feeds not fetched yet. */
export async function getMarketNews(
  params: SnapshotParams,
  signal: AbortSignal = new AbortController().signal,
): Promise<{ symbol: string; fetchedAt: string; articles: Article[]; warnings: FeedWarning[]; demo: boolean }> {
  const subscription = newsHub().subscribe(params.symbol, env().NEWS_MIN_POLL_MS);
  try {
    await subscription.ready(signal, env().NEWS_FETCH_TIMEOUT_MS + 1000);
    const snapshot = subscription.snapshot();
    return {
      symbol: params.symbol,
      fetchedAt: snapshot.fetchedAt,
      articles: snapshot.articles.slice(0, params.limit).map((a) => a.article),
      warnings: snapshot.warnings,
      demo: snapshot.demo,
    };
  } finally {
    subscription.close();
  }
}

function takeNew(subscription: NewsSubscription, delivered: Delivered, limit: number) {
  // Read the cursor in the same synchronous step as the snapshot so nothing slips between them.
  const snapshot = subscription.snapshot();
  const cursor = subscription.cursor();
  const marks = subscription.marks();
  const fresh = snapshot.articles.filter((a) => isNew(a, delivered));
  return { articles: fresh.slice(0, limit).map((a) => a.article), warnings: snapshot.warnings, cursor, marks };
}

function isNew(item: SequencedArticle, delivered: Delivered): boolean {
  const { floor } = delivered;
  // A copy numbered at or below what the cursor says was delivered: sent before, wherever.
  const comparable = floor ? (item.copies ?? []).filter((c) => c.epoch === floor.epoch && floor.byFeed.has(c.feed)) : [];
  if (comparable.some((c) => c.n <= floor!.byFeed.get(c.feed)!)) return false;
  if (delivered.local !== undefined) return item.seq > delivered.local;
  if (comparable.length > 0) return true;
  if (delivered.time !== undefined) return item.sortTime > delivered.time;
  return true;
}

function deliveredFrom(cursor: StreamCursor, feedKeys: string[]): Delivered {
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
function frontier(floor: Floor | undefined, feedKeys: string[], marks: Array<{ epoch: string; n: number } | undefined>): SharedMarks | undefined {
  const epoch = marks.find(Boolean)?.epoch ?? floor?.epoch;
  if (epoch === undefined) return undefined;
  const values = feedKeys.map((feed, i) => {
    const mark = marks[i]?.epoch === epoch ? marks[i]!.n : undefined;
    const low = floor?.epoch === epoch ? floor.byFeed.get(feed) : undefined;
    return mark === undefined ? low : low === undefined ? mark : Math.max(mark, low);
  });
  return values.some((v) => v !== undefined) ? { epoch, marks: values } : undefined;
}

function sinceToDelivered(since: string | undefined): Delivered {
  if (!since) return {};
  const time = Date.parse(since);
  return Number.isFinite(time) ? { time } : {};
}

function progressAt(now: number, startedAt: number, endsAt: number): number {
  const p = (now - startedAt) / (endsAt - startedAt);
  return Math.min(Math.max(Math.round(p * 1e6) / 1e6, 1e-6), 0.999999);
}

/**
 * Node timers can fire a millisecond or so before their time as Date.now() sees it; a wake-up that
 * close to a tick is that tick, or the stream would send a second (empty) event for it.
 */
const TICK_TOLERANCE_MS = 20;

/** The next point on the stream's own grid (startedAt + k·interval), or the end if sooner. */
function nextTick(now: number, startedAt: number, endsAt: number, interval: number): number {
  const k = Math.floor((now - startedAt + TICK_TOLERANCE_MS) / interval) + 1;
  return Math.min(startedAt + k * interval, endsAt);
}

/** Resolves at `time` or as soon as `signal` aborts, leaving no timer or listener behind. */
export function sleepUntil(time: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, time - Date.now()));
    signal.addEventListener('abort', done, { once: true });
  });
}
