import { env } from '@/lib/config/env';
import { newsHub, type NewsSubscription } from '@/lib/news/news-hub';
import type { Article, FeedWarning, SequencedArticle } from '@/lib/news/types';
import { decodeCursor, encodeCursor, newStreamId, processEpoch, type StreamCursor } from './stream-cursor';
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

/** Where delivery stands: articles at or below `seq` (same epoch) or not after `time` were sent. */
interface Delivered {
  seq?: number;
  time?: number;
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
  let delivered: Delivered = resume ? deliveredFrom(resume) : sinceToDelivered(options.since);
  let lastProgress = resume ? progressAt(resume.at, startedAt, endsAt) : 0;
  let lastSeq = resume && resume.epoch === epoch ? resume.seq : 0;
  let total = 0;

  const cursorAt = (at: number) => encodeCursor({ streamId, startedAt, endsAt, at, epoch, seq: lastSeq });
  const nextProgress = (now: number) => {
    lastProgress = Math.max(progressAt(now, startedAt, endsAt), Math.min(lastProgress + 1e-6, 0.999999));
    return lastProgress;
  };

  const subscription = newsHub().subscribe(params.symbol, params.interval);
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
    let first = !resume && delivered.seq === undefined && delivered.time === undefined;
    while (!signal.aborted && Date.now() < endsAt) {
      const batch = takeNew(subscription, delivered, first ? params.limit : Infinity);
      first = false;
      delivered = { seq: batch.cursor };
      lastSeq = batch.cursor;
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
  const fresh = snapshot.articles.filter((a) => isNew(a, delivered));
  return { articles: fresh.slice(0, limit).map((a) => a.article), warnings: snapshot.warnings, cursor };
}

function isNew(item: SequencedArticle, delivered: Delivered): boolean {
  if (delivered.seq !== undefined) return item.seq > delivered.seq;
  if (delivered.time !== undefined) return item.sortTime > delivered.time;
  return true;
}

function deliveredFrom(cursor: StreamCursor): Delivered {
  return cursor.epoch === processEpoch() ? { seq: cursor.seq } : { time: cursor.at };
}

function sinceToDelivered(since: string | undefined): Delivered {
  if (!since) return {};
  const cursor = decodeCursor(since);
  if (cursor) return deliveredFrom(cursor);
  const time = Date.parse(since);
  return Number.isFinite(time) ? { time } : {};
}

function progressAt(now: number, startedAt: number, endsAt: number): number {
  const p = (now - startedAt) / (endsAt - startedAt);
  return Math.min(Math.max(Math.round(p * 1e6) / 1e6, 1e-6), 0.999999);
}

/** The next point on the stream's own grid (startedAt + k·interval), or the end if sooner. */
function nextTick(now: number, startedAt: number, endsAt: number, interval: number): number {
  const k = Math.floor((now - startedAt) / interval) + 1;
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
