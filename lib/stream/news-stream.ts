import type { Article } from '@/lib/contract/article';
import type { StreamParams } from '@/lib/contract/query';
import { settings } from '@/lib/config/settings';
import { abortOnce } from '@/lib/runtime/abort';
import { newStreamId, processEpoch, type CursorCodec, type SharedMarks, type StreamCursor } from './cursor';
import { catchUp, deliveredBefore, deliveredFrom, fillFromLateFeeds, frontier, lateFill, nothingDelivered, takeNew, type Delivered, type LateFill, type StartAfter } from './delivery';
import type { StreamEvent } from './events';
import type { NewsSubscription } from '@/lib/news/hub/news-hub';
import { newsHub } from './hub';
import { nextTick, progressAt } from './schedule';
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

export interface StreamOptions {
  /** Signs this stream's cursors. */
  codec: CursorCodec;
  /** What the stream's cursors are bound to (scopeOf its symbols). */
  scope: string;
  /** Skip what an earlier stream delivered (`since`). */
  after?: StartAfter;
}

/** Where a stream's events go as they happen: the session, then the transport. */
export interface StreamSink {
  /** Each event, in order. */
  event(event: StreamEvent): void;
  /** Once, after the last event, however the stream ends (aborted, an error event, or complete). */
  end(outcome: StreamOutcome): void;
}

/** How a stream ended, as its events show it: aborted (the client went away), an error event, or complete. */
export type StreamOutcome = 'client-gone' | 'error' | 'complete';

/** A stream made but not yet started, so its owner holds the way to stop it before the first event is pushed. */
export interface MarketNewsStream {
  /** Pushes `connected` at once, then runs until the stream ends or is stopped. */
  start(): void;
  /**
   * Ends the stream at once (idempotent): no further events, its feed subscriptions released, then
   * `end('client-gone')`. Before `start` it ends the stream with no event at all.
   *
   * A call, not an AbortSignal: the session used to stop the stream through a second abort event
   * per stream (an Event made and dispatched). Without it our close of a stream takes 0.83× the
   * time, timed with `npm run bench -- --close-path --against` (docs/benchmarks.md).
   */
  stop(): void;
}

/**
 * The live news stream for a symbol or a watchlist, pushed to `sink` as typed events: `connected`
 * at once, `news` as soon as the first fetch completes and then every `interval`, `complete` at
 * `duration` (on time). The first news event carries the latest `limit` articles, or after `since`
 * what was missed; later ones only new articles; every one only articles passing the filters.
 *
 * Pushed from a timer rather than pulled from an async generator: with 10,000 streams held, each
 * tick's generator step, sleep promise and `for await` turn lived past a scavenge and were promoted.
 * Pushing cut the old generation's growth by a third, and full GCs with it (docs/benchmarks.md).
 */
export function marketNewsStream(params: StreamParams, plan: StreamPlan, options: StreamOptions, sink: StreamSink): MarketNewsStream {
  return new LiveNewsStream(params, plan, options, sink);
}

/** One running stream: what it has delivered, and the timer or wait that runs its next event. */
class LiveNewsStream implements MarketNewsStream {
  private readonly subscription: NewsSubscription;
  private readonly feedKeys: string[];
  private readonly epoch = processEpoch();
  private readonly passes: (article: Article) => boolean;
  private readonly watched: { symbols: string[]; watchlist: boolean };
  private delivered: Delivered;
  private lastShared: SharedMarks | undefined;
  private lastSeq: number;
  private lastProgress: number;
  /**
   * Up to when this stream's delivery is complete: its last news event's view, else where it
   * started from. The time an id gives for comparison by time (another process reading it) is
   * this, not when the event went out: a final event carries no articles, and one published
   * between the last news and the final event would otherwise read as delivered, and be lost.
   */
  private deliveredAt: number;
  private total = 0;
  private first: FirstBatch | undefined;
  private fill: LateFill | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Ends the current wait for feeds: the first answers, or a late feed's answer (while `fill` runs). */
  private answerWait: AbortController | undefined;
  private outcome: StreamOutcome | undefined;

  constructor(
    private readonly params: StreamParams,
    private readonly plan: StreamPlan,
    private readonly options: StreamOptions,
    private readonly sink: StreamSink,
  ) {
    const { resume, startedAt, endsAt } = plan;
    const { after } = options;
    this.watched = { symbols: params.symbols, watchlist: params.watchlist };
    this.passes = passesFilters(params);
    this.lastProgress = resume ? progressAt(resume.at, startedAt, endsAt) : 0;
    const from = resume ?? (after && 'cursor' in after ? after.cursor : undefined);
    this.deliveredAt = from?.at ?? (after && 'time' in after ? after.time : startedAt);
    // A `since` stream starts where its cursor left off: even its `connected` id is a position a
    // reconnect can continue from without repeats.
    this.lastSeq = from && from.epoch === this.epoch ? from.seq : 0;
    this.subscription = newsHub().subscribe(params.symbols, params.interval);
    this.feedKeys = this.subscription.feedKeys();
    this.delivered = after ? deliveredBefore(after, this.feedKeys) : resume ? deliveredFrom(resume, this.feedKeys) : {};
    this.lastShared = frontier(this.delivered, this.feedKeys, []);
    this.first = after ? 'catch-up' : nothingDelivered(this.delivered) ? 'latest' : undefined;
  }

  start(): void {
    try {
      this.sendConnected();
    } catch (error) {
      return this.fail(error);
    }
    if (this.outcome) return; // stopped by its owner during the push
    const first = new AbortController();
    this.answerWait = first;
    firstAnswers(this.subscription, this.first, first.signal, this.plan.endsAt).then(
      () => {
        if (this.answerWait === first) this.answerWait = undefined;
        this.step();
      },
      (error: unknown) => this.fail(error),
    );
  }

  private sendConnected(): void {
    const now = Date.now();
    const { streamId, endsAt, resume } = this.plan;
    this.send({
      type: 'connected',
      streamId,
      ...this.watched,
      endsAt: new Date(endsAt).toISOString(),
      resumed: Boolean(resume),
      demo: this.subscription.demo(),
      cursor: this.cursorAt(now),
      timestamp: new Date(now).toISOString(),
      progress: resume ? this.lastProgress : 0,
    });
  }

  /** One tick: the news event due now and the next wait, or the final event once the stream is due to end. */
  private readonly step = (): void => {
    if (this.outcome) return;
    try {
      if (Date.now() >= this.plan.endsAt) return this.complete();
      const at = this.sendNews();
      if (!this.outcome) this.wait(at);
    } catch (error) {
      this.fail(error);
    }
  };

  private sendNews(): number {
    const { subscription, params } = this;
    const pending = subscription.pending();
    const batch = takeNew(subscription, this.delivered, this.passes);
    const picked = pick(batch.articles, this.first, params.limit);
    const articles = this.fill ? fillFromLateFeeds(this.fill, picked.articles) : picked.articles;
    if (this.first === 'latest' && pending > 0) this.fill = lateFill(articles, params.limit, Date.now());
    else if (pending === 0) this.fill = undefined;
    this.first = undefined;
    this.delivered = { local: batch.cursor, floor: this.delivered.floor };
    this.lastSeq = batch.cursor;
    this.lastShared = frontier(this.delivered, this.feedKeys, batch.marks);
    this.total += articles.length;
    const at = Date.now();
    this.deliveredAt = at;
    this.send({
      type: 'news',
      ...this.watched,
      articles,
      warnings: batch.warnings,
      ...(picked.truncated ? { truncated: picked.truncated } : {}),
      cursor: this.cursorAt(at),
      timestamp: new Date(at).toISOString(),
      progress: this.nextProgress(at),
    });
    return at;
  }

  /** Until the next tick; while feeds have yet to answer, what they bring goes out as it comes. */
  private wait(at: number): void {
    const { startedAt, endsAt } = this.plan;
    const tick = nextTick(at, startedAt, endsAt, this.params.interval);
    const ms = Math.max(0, tick - Date.now());
    this.timer = setTimeout(this.wake, ms);
    if (!this.fill) return;
    const answerWait = new AbortController();
    this.answerWait = answerWait;
    void this.subscription.nextAnswer(answerWait.signal, ms).then(() => {
      if (this.answerWait === answerWait) this.wake();
    });
  }

  /** The tick's timer fired or a late feed answered: whichever came first runs the step, once. */
  private readonly wake = (): void => {
    this.cancelWait();
    this.step();
  };

  private complete(): void {
    const at = Date.now();
    this.send({ type: 'complete', delivered: this.total, cursor: this.cursorAt(this.deliveredTime()), timestamp: new Date(at).toISOString(), progress: 1 });
    this.finish('complete');
  }

  private fail(error: unknown): void {
    if (this.outcome) return;
    const at = Date.now();
    const message = error instanceof Error ? error.message : 'unexpected failure';
    try {
      this.send({ type: 'error', message, cursor: this.cursorAt(this.deliveredTime()), timestamp: new Date(at).toISOString(), progress: 1 });
    } catch {
      // the error event could not be made or taken either: the end below is all that is left to tell
    }
    this.finish('error');
  }

  stop(): void {
    this.finish('client-gone');
  }

  private finish(outcome: StreamOutcome): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.cancelWait();
    this.subscription.close();
    this.sink.end(outcome);
  }

  private cancelWait(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.answerWait) abortOnce(this.answerWait);
    this.answerWait = undefined;
  }

  private send(event: StreamEvent): void {
    if (!this.outcome) this.sink.event(event);
  }

  /** deliveredAt as an id may carry it: never before the stream's start (a `since` may be older). */
  private deliveredTime(): number {
    return Math.max(this.plan.startedAt, this.deliveredAt);
  }

  private cursorAt(at: number): string {
    const { streamId, startedAt, endsAt } = this.plan;
    return this.options.codec.encode({ streamId, startedAt, endsAt, at, epoch: this.epoch, seq: this.lastSeq, scope: this.options.scope, shared: this.lastShared });
  }

  private nextProgress(now: number): number {
    this.lastProgress = Math.max(progressAt(now, this.plan.startedAt, this.plan.endsAt), Math.min(this.lastProgress + 1e-6, 0.999999));
    return this.lastProgress;
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

/** How the first news event chooses: the latest `limit`, or (after `since`) what was missed. */
type FirstBatch = 'latest' | 'catch-up';

function pick(newestFirst: Article[], first: FirstBatch | undefined, limit: number): { articles: Article[]; truncated?: boolean } {
  if (first === 'catch-up') return catchUp(newestFirst);
  return { articles: first === 'latest' ? newestFirst.slice(0, limit) : newestFirst };
}
