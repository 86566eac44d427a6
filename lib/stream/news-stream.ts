import type { Article } from '@/lib/contract/article';
import type { StreamParams } from '@/lib/contract/query';
import { settings } from '@/lib/config/settings';
import { abortOnce } from '@/lib/runtime/abort';
import { newStreamId, processEpoch, type CursorCodec, type StreamCursor } from './cursor';
import { catchUp, deliveredFrom, fillFromLateFeeds, frontier, lateFill, nothingDelivered, takeNew, type Delivered, type LateFill } from './delivery';
import type { StreamEvent } from './events';
import type { NewsSubscription } from '@/lib/news/hub/news-hub';
import { newsHub } from './hub';
import { nextTick, progressAt, sleepUntil } from './schedule';
import { passesFilters } from './selection';

/** Who the stream is and when it runs: known before any event, so the session can account for it. */
export interface StreamPlan {
  streamId: string;
  startedAt: number;
  endsAt: number;
  /** Continues an earlier stream (its last event id): same id, schedule and end. */
  resume?: StreamCursor;
}

export function planStream(duration: number, resume?: StreamCursor, now = Date.now()): StreamPlan {
  if (resume) return { streamId: resume.streamId, startedAt: resume.startedAt, endsAt: resume.endsAt, resume };
  return { streamId: newStreamId(), startedAt: now, endsAt: now + duration };
}

/** Where a new stream starts: after a verified cursor of an earlier stream, or after a time. */
export type StartAfter = { cursor: StreamCursor } | { time: number };

export interface StreamOptions {
  signal: AbortSignal;
  /** Signs this stream's cursors. */
  codec: CursorCodec;
  /** What the stream's cursors are bound to (scopeOf its symbols). */
  scope: string;
  /** Skip what an earlier stream delivered (`since`). */
  after?: StartAfter;
  /** The session's log and metrics, told here rather than by a generator wrapped around this one. */
  lifecycle?: StreamLifecycle;
}

/** How a stream ended, as its events show it: aborted (the client went away), an error event, or complete. */
export type StreamOutcome = 'client-gone' | 'error' | 'complete';

export interface StreamLifecycle {
  /** Each event, just before it is yielded. */
  sent(event: StreamEvent): void;
  /** Once, when the events end however they end (not when they are never iterated). */
  ended(outcome: StreamOutcome): void;
}

/**
 * The live news stream for a symbol or a watchlist as typed events: `connected` at once, `news` as
 * soon as the first fetch completes and then every `interval`, `complete` at `duration` (on time).
 * The first news event carries the latest `limit` articles, or after `since` what was missed;
 * later ones only new articles; every one only articles passing the filters. Stops, releasing its
 * feed subscriptions, as soon as `signal` aborts.
 */
export async function* streamMarketNews(params: StreamParams, plan: StreamPlan, options: StreamOptions): AsyncGenerator<StreamEvent> {
  const { signal, codec, scope, after, lifecycle } = options;
  const { streamId, startedAt, endsAt, resume } = plan;
  const watched = { symbols: params.symbols, watchlist: params.watchlist };
  const epoch = processEpoch();
  const passes = passesFilters(params);
  let lastProgress = resume ? progressAt(resume.at, startedAt, endsAt) : 0;
  const from = resume ?? (after && 'cursor' in after ? after.cursor : undefined);
  // A `since` stream starts where its cursor left off: even its `connected` id is a position a
  // reconnect can continue from without repeats.
  let lastSeq = from && from.epoch === epoch ? from.seq : 0;
  let total = 0;
  let failed = false;
  const told = <E extends StreamEvent>(event: E): E => {
    lifecycle?.sent(event);
    return event;
  };

  const subscription = newsHub().subscribe(params.symbols, params.interval);
  const feedKeys = subscription.feedKeys();
  let delivered = startingPoint(from, after, feedKeys);
  let lastShared = frontier(delivered, feedKeys, []);

  const cursorAt = (at: number) => codec.encode({ streamId, startedAt, endsAt, at, epoch, seq: lastSeq, scope, shared: lastShared });
  const nextProgress = (now: number) => {
    lastProgress = Math.max(progressAt(now, startedAt, endsAt), Math.min(lastProgress + 1e-6, 0.999999));
    return lastProgress;
  };

  try {
    const now = Date.now();
    yield told({
      type: 'connected',
      streamId,
      ...watched,
      endsAt: new Date(endsAt).toISOString(),
      resumed: Boolean(resume),
      demo: subscription.demo(),
      cursor: cursorAt(now),
      timestamp: new Date(now).toISOString(),
      progress: resume ? lastProgress : 0,
    });

    let first: FirstBatch | undefined = after ? 'catch-up' : nothingDelivered(delivered) ? 'latest' : undefined;
    await firstAnswers(subscription, first, signal, endsAt);
    let fill: LateFill | undefined;
    while (!signal.aborted && Date.now() < endsAt) {
      const pending = subscription.pending();
      const batch = takeNew(subscription, delivered, passes);
      const picked = pick(batch.articles, first, params.limit);
      const articles = fill ? fillFromLateFeeds(fill, picked.articles) : picked.articles;
      const truncated = picked.truncated;
      if (first === 'latest' && pending > 0) fill = lateFill(articles, params.limit, Date.now());
      else if (pending === 0) fill = undefined;
      first = undefined;
      delivered = { local: batch.cursor, floor: delivered.floor };
      lastSeq = batch.cursor;
      lastShared = frontier(delivered, feedKeys, batch.marks);
      total += articles.length;
      const at = Date.now();
      yield told({
        type: 'news',
        ...watched,
        articles,
        warnings: batch.warnings,
        ...(truncated ? { truncated } : {}),
        cursor: cursorAt(at),
        timestamp: new Date(at).toISOString(),
        progress: nextProgress(at),
      });
      // While feeds have yet to answer, what they bring goes out as it comes, not at the next tick.
      const tick = nextTick(at, startedAt, endsAt, params.interval);
      await (fill ? sleepUntilAnswer(subscription, tick, signal) : sleepUntil(tick, signal));
    }
    if (signal.aborted) return;
    const at = Date.now();
    yield told({ type: 'complete', delivered: total, cursor: cursorAt(at), timestamp: new Date(at).toISOString(), progress: 1 });
  } catch (error) {
    if (signal.aborted) return;
    const at = Date.now();
    const message = error instanceof Error ? error.message : 'unexpected failure';
    failed = true;
    yield told({ type: 'error', message, cursor: cursorAt(at), timestamp: new Date(at).toISOString(), progress: 1 });
  } finally {
    subscription.close();
    lifecycle?.ended(signal.aborted ? 'client-gone' : failed ? 'error' : 'complete');
  }
}

/** How long the first news event waits for the other feeds once one has answered. */
const FIRST_EVENT_GRACE_MS = 750;

/**
 * Waits for the feeds before the first news event: a catch-up needs them all (up to a fetch
 * timeout); the latest news waits for the first feed to answer, then at most FIRST_EVENT_GRACE_MS
 * for the rest, so a slow or hanging feed delays nothing for long.
 */
async function firstAnswers(subscription: NewsSubscription, first: FirstBatch | undefined, signal: AbortSignal, endsAt: number): Promise<void> {
  const wait = () => Math.max(0, Math.min(settings().newsFetchTimeoutMs + 1000, endsAt - Date.now() - 1));
  if (first !== 'latest') return subscription.ready(signal, wait());
  await subscription.ready(signal, wait(), { any: true });
  await subscription.ready(signal, Math.min(FIRST_EVENT_GRACE_MS, wait()));
}

/** Sleeps until `time`, or until a feed answers, whichever comes first. */
async function sleepUntilAnswer(subscription: NewsSubscription, time: number, signal: AbortSignal): Promise<void> {
  const woken = new AbortController();
  const stop = () => abortOnce(woken);
  signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.race([sleepUntil(time, woken.signal), subscription.nextAnswer(woken.signal, Math.max(0, time - Date.now()))]);
  } finally {
    signal.removeEventListener('abort', stop);
    abortOnce(woken);
  }
}

/**
 * What counts as delivered already. A `since` cursor taken before its stream delivered anything
 * (its `connected` event) says so by its time alone: what arrived after that time was missed.
 */
function startingPoint(from: StreamCursor | undefined, after: StartAfter | undefined, feedKeys: string[]): Delivered {
  if (!from) return after && 'time' in after ? { time: after.time } : {};
  const delivered = deliveredFrom(from, feedKeys);
  return after && nothingDelivered(delivered) ? { time: from.at } : delivered;
}

/** How the first news event chooses: the latest `limit`, or (after `since`) what was missed. */
type FirstBatch = 'latest' | 'catch-up';

function pick(newestFirst: Article[], first: FirstBatch | undefined, limit: number): { articles: Article[]; truncated?: boolean } {
  if (first === 'catch-up') return catchUp(newestFirst);
  return { articles: first === 'latest' ? newestFirst.slice(0, limit) : newestFirst };
}
