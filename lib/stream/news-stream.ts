import type { StreamParams } from '@/lib/contract/query';
import { settings } from '@/lib/config/settings';
import { newStreamId, processEpoch, type CursorCodec, type StreamCursor } from './cursor';
import { deliveredFrom, frontier, nothingDelivered, takeNew, type Delivered } from './delivery';
import type { StreamEvent } from './events';
import { newsHub } from './hub';
import { nextTick, progressAt, sleepUntil } from './schedule';

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
}

/**
 * The live news stream for one symbol as typed events: `connected` at once, `news` as soon as the
 * first fetch completes and then every `interval`, `complete` at `duration` (on time).
 * Stops, releasing its feed subscriptions, as soon as `signal` aborts.
 */
export async function* streamMarketNews(params: StreamParams, plan: StreamPlan, options: StreamOptions): AsyncGenerator<StreamEvent> {
  const { signal, codec, scope, after } = options;
  const { streamId, startedAt, endsAt, resume } = plan;
  const epoch = processEpoch();
  let lastProgress = resume ? progressAt(resume.at, startedAt, endsAt) : 0;
  let lastSeq = resume && resume.epoch === epoch ? resume.seq : 0;
  let total = 0;

  const subscription = newsHub().subscribe(params.symbol, params.interval);
  const feedKeys = subscription.feedKeys();
  const from = resume ?? (after && 'cursor' in after ? after.cursor : undefined);
  let delivered: Delivered = from ? deliveredFrom(from, feedKeys) : after && 'time' in after ? { time: after.time } : {};
  let lastShared = frontier(delivered, feedKeys, []);

  const cursorAt = (at: number) => codec.encode({ streamId, startedAt, endsAt, at, epoch, seq: lastSeq, scope, shared: lastShared });
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

    await subscription.ready(signal, Math.max(0, Math.min(settings().newsFetchTimeoutMs + 1000, endsAt - Date.now() - 1)));
    // Nothing delivered yet (a new stream, or a resume from the `connected` event): latest `limit`.
    let first = nothingDelivered(delivered);
    while (!signal.aborted && Date.now() < endsAt) {
      const batch = takeNew(subscription, delivered, first ? params.limit : Infinity);
      first = false;
      delivered = { local: batch.cursor, floor: delivered.floor };
      lastSeq = batch.cursor;
      lastShared = frontier(delivered, feedKeys, batch.marks);
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
