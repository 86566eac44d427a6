import { sameSymbols } from '@/lib/contract/symbols';
import type { Article } from '@/lib/contract/article';
import { matchesArticle, type ParsedQuery } from '@/lib/contract/filters';
import type { ListedArticle } from './articles';
import { describeHttpFailure } from './http-failure';
import { MAX_KEPT_ARRIVALS, type ResumePoint } from './resume-point';
import {
  absenceCheck,
  backoffDelay,
  classifyRefusal,
  heartbeatDeadline,
  reconnectRequest,
  retryAfterDelay,
  seamDelay,
  TICK_MS,
  windowDuration,
  type NextRequest,
} from './session-plan';
import { initialSessionState, isActive, sessionReducer, type Continued, type SessionAction, type SessionState } from './session-state';
import { openSse, type SseConnection, type SseRefusal } from './sse-connection';
import { parseSnapshotBody } from './snapshot-body';
import { snapshotUrl, streamUrl, type StreamOptions } from './stream-options';
import { parseStreamMessage, type StreamMessage } from './stream-messages';
import { arrivedSince } from './visible-articles';

export interface SessionSettings {
  symbols: readonly string[];
  /**
   * The applied filter, null for none. The page filters what it lists itself, so the stream carries
   * the whole watchlist and a new filter costs no stream start (the server allows a few a minute);
   * the filter decides which arrivals an absence counts.
   */
  query: ParsedQuery | null;
  options: StreamOptions;
}

/** Everything the session touches outside itself, injected so tests can drive time and the network. */
export interface SessionDeps {
  fetch: typeof fetch;
  now(): number;
  random(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  isOnline(): boolean;
}

/** Changes to the watchlist in quick succession (typing "aapl, nvda", three removals) make one switch. */
export const SWITCH_DEBOUNCE_MS = 300;

type TimerKind = 'seam' | 'backoff' | 'retry-after' | 'switch';

/**
 * The live session: Start opens a stream and, until Stop, the page stays live. Open-ended sessions
 * chain streams of the server's maximum length with `since` at each seam; lost connections
 * (network errors, `offline`, a frozen laptop, a silent socket) are restored with Last-Event-ID
 * while the stream still runs, else with `since`; a cursor too old for the server's history falls
 * back to the latest snapshot. One object owns the connection, the one pending timer and the
 * 1 s ticker, so Stop can end all of them at once for good.
 */
export class LiveSession {
  private state: SessionState = initialSessionState;
  private readonly listeners = new Set<() => void>();
  private readonly arrivalListeners = new Set<(articles: readonly ListedArticle[]) => void>();
  private conn: SseConnection | null = null;
  /** URL of the current stream: a resume repeats it with Last-Event-ID, as EventSource would. */
  private connUrl: string | null = null;
  /** The latest event id: where any continuation starts. */
  private cursor: string | null = null;
  /** The watchlist changed: the next request is a fresh stream for the new list. */
  private pendingSwitch = false;
  /**
   * The switch the current request makes, until it opens. A switch refused (429) or cut off before
   * it opened is made again by the next request: resuming instead would send the old list's cursor
   * with the new list's URL, which the server refuses.
   */
  private switching = false;
  private failures = 0;
  private timer: { handle: unknown; kind: TimerKind } | null = null;
  private ticker: unknown = null;
  private lastTickAt = 0;
  private lastByteAt = 0;
  /**
   * The current stream was opened fresh (no cursor) and has not sent news yet: its first news event
   * is the latest articles, not arrivals. A resume of it keeps this; a `since` stream's catch-up is arrivals.
   */
  private backlogDue = false;
  /** Bumped whenever a connection or fetch is abandoned, so its late callbacks are ignored. */
  private generation = 0;

  constructor(
    private settings: SessionSettings,
    private readonly deps: SessionDeps,
  ) {}

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called with the articles each stream event (or catch-up) added, after de-duplication. */
  onArrivals(listener: (articles: readonly ListedArticle[]) => void): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }

  start(): void {
    this.begin();
    this.open({ kind: 'fresh' });
  }

  /**
   * Continues the session this tab ran before a reload, after its cursor as a reconnect would (a
   * fixed-length stream resumed, an open-ended one continued with `since`); what was published
   * meanwhile arrives as new. Only for the same watchlist and kind of session; false otherwise.
   */
  continueFrom(point: ResumePoint): boolean {
    const openEnded = this.settings.options.duration === null;
    if (isActive(this.state.phase) || point.openEnded !== openEnded || !sameSymbols(point.symbols, this.settings.symbols)) return false;
    this.begin({ liveSince: point.liveSince, endsAt: point.endsAt, startedAt: point.startedAt, arrivals: point.arrivals });
    this.cursor = point.cursor;
    this.connUrl = point.url;
    this.backlogDue = point.backlogDue;
    this.open(reconnectRequest({ cursor: point.cursor, endsAt: point.endsAt, now: this.deps.now(), openEnded }));
    return true;
  }

  /** Where the session is, for the page after a reload to continue it; null when it is not live. */
  resumePoint(): ResumePoint | null {
    if (!isActive(this.state.phase)) return null;
    const { openEnded, endsAt, liveSince, startedAt } = this.state;
    // Mid-switch the cursor belongs to the old list: the new list's stream starts fresh.
    const cursor = this.switching || this.pendingSwitch ? null : this.cursor;
    const arrivals = this.state.articles.filter((a) => arrivedSince(a, startedAt)).slice(0, MAX_KEPT_ARRIVALS);
    return { symbols: [...this.settings.symbols], cursor, url: this.connUrl, openEnded, endsAt, liveSince, startedAt, arrivals, backlogDue: this.backlogDue, savedAt: this.deps.now() };
  }

  private begin(continued?: Continued): void {
    this.halt();
    this.cursor = null;
    this.connUrl = null;
    this.pendingSwitch = false;
    this.switching = false;
    this.failures = 0;
    this.dispatch({ type: 'start', openEnded: this.settings.options.duration === null, now: this.deps.now(), continued });
    this.lastTickAt = this.deps.now();
    this.ticker = this.deps.setInterval(() => this.tick(), TICK_MS);
  }

  /** Ends everything for good: the connection, the pending timer and the ticker. */
  stop(): void {
    this.halt();
    this.dispatch({ type: 'stop' });
  }

  /** The page is going away: end the connection and timers (subscribers unsubscribe themselves). */
  dispose(): void {
    this.halt();
  }

  /**
   * The watchlist or filter changed. A filter applies to what arrives next with no request; while
   * live, a new watchlist switches the stream shortly (changes are coalesced).
   */
  update(settings: SessionSettings): void {
    const symbolsChanged = !sameSymbols(settings.symbols, this.settings.symbols);
    this.settings = settings;
    if (!symbolsChanged || !isActive(this.state.phase)) return;
    this.pendingSwitch = true;
    // Offline, the switch waits for the network, and during a refusal's Retry-After for its end:
    // the reconnect then carries it (sent at once, it would only be refused again).
    if (this.state.phase !== 'offline' && this.timer?.kind !== 'retry-after') this.schedule('switch', SWITCH_DEBOUNCE_MS, () => this.reconnectNow());
  }

  /** Snapshot headlines join the list without being flagged new. */
  addSnapshot(articles: readonly Article[]): void {
    this.dispatch({ type: 'snapshot', articles });
  }

  online(): void {
    if (this.state.phase === 'offline' || (this.state.phase === 'reconnecting' && this.timer?.kind === 'backoff')) this.reconnectNow();
  }

  offline(): void {
    if (!isActive(this.state.phase)) return;
    this.lose(this.deps.now(), true);
  }

  /** The tab was hidden or shown again (`visibilitychange`). */
  visibility(hidden: boolean): void {
    const now = this.deps.now();
    if (hidden) return this.dispatch({ type: 'hidden', now });
    if (isActive(this.state.phase)) {
      // Back: a throttled or frozen tab may hold a dead socket, or be waiting out a long backoff.
      if (this.conn) this.tick();
      else if (this.timer?.kind === 'backoff') this.reconnectNow();
    }
    this.dispatch({ type: 'visible', now });
  }

  private dispatch(action: SessionAction): void {
    const before = this.state;
    this.state = sessionReducer(before, action);
    if (this.state === before) return;
    this.listeners.forEach((l) => l());
    if (this.state.arrivals.seq !== before.arrivals.seq) {
      const added = this.state.arrivals.articles;
      this.arrivalListeners.forEach((l) => l(added));
    }
  }

  private halt(): void {
    this.drop();
    this.clearTimer();
    if (this.ticker !== null) this.deps.clearInterval(this.ticker);
    this.ticker = null;
  }

  /** Abandons the current connection (or snapshot fetch) without deciding what comes next. */
  private drop(): void {
    this.generation += 1;
    this.conn?.abort();
    this.conn = null;
  }

  private clearTimer(): void {
    if (this.timer) this.deps.clearTimeout(this.timer.handle);
    this.timer = null;
  }

  private schedule(kind: TimerKind, ms: number, fn: () => void): void {
    this.clearTimer();
    const handle = this.deps.setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
    this.timer = { handle, kind };
  }

  private tick(): void {
    const now = this.deps.now();
    const { interval, heartbeat } = this.settings.options;
    if (this.conn) {
      const verdict = absenceCheck({ now, lastTickAt: this.lastTickAt, lastByteAt: this.lastByteAt, deadline: heartbeatDeadline(interval, heartbeat) });
      if (verdict !== 'ok') {
        // Asleep: the absence began at the last tick before the freeze; silent: at the last byte.
        const since = verdict === 'sleep' ? this.lastTickAt : this.lastByteAt;
        this.lastTickAt = now;
        this.dispatch({ type: 'lost', since, offline: !this.deps.isOnline() });
        this.reconnectNow();
        return;
      }
    }
    this.lastTickAt = now;
  }

  /** The connection failed: say so and try again after a backoff (or when the network returns). */
  private lose(since: number, offline: boolean): void {
    this.drop();
    this.dispatch({ type: 'lost', since, offline });
    this.failures += 1;
    this.schedule('backoff', backoffDelay(this.failures - 1, this.deps.random()), () => this.reconnectNow());
  }

  private reconnectNow(): void {
    this.clearTimer();
    // A cursor is bound to its symbol set: a new list needs a fresh stream (the page's
    // de-duplication absorbs its first event's overlap with what is listed).
    this.switching ||= this.pendingSwitch;
    this.pendingSwitch = false;
    this.open(
      this.switching ? { kind: 'fresh' } : reconnectRequest({ cursor: this.cursor, endsAt: this.state.endsAt, now: this.deps.now(), openEnded: this.state.openEnded }),
    );
  }

  private readonly passesFilter = (article: Article): boolean => {
    const { query } = this.settings;
    return query === null || matchesArticle(query, article);
  };

  private continueAfterCursor(): NextRequest {
    return this.cursor === null ? { kind: 'fresh' } : { kind: 'since', since: this.cursor };
  }

  private open(next: NextRequest): void {
    this.drop();
    const { symbols, options } = this.settings;
    let url: string;
    const headers: Record<string, string> = {};
    if (next.kind !== 'resume') this.backlogDue = next.kind === 'fresh';
    if (next.kind === 'resume' && this.connUrl) {
      url = this.connUrl;
      headers['Last-Event-ID'] = next.lastEventId;
    } else {
      const duration = options.duration ?? windowDuration(options.maxDuration, this.deps.random());
      const since = next.kind === 'since' ? next.since : next.kind === 'resume' ? next.lastEventId : undefined;
      url = streamUrl({ symbols, interval: options.interval, duration, ...(since === undefined ? {} : { since }) });
      this.connUrl = url;
    }
    const generation = this.generation;
    const current = () => generation === this.generation;
    this.lastByteAt = this.deps.now();
    this.conn = openSse(this.deps.fetch, url, headers, {
      onOpen: () => {
        if (!current()) return;
        this.switching = false;
        this.lastByteAt = this.deps.now();
        this.dispatch({ type: 'opened' });
      },
      onBytes: () => {
        if (current()) this.lastByteAt = this.deps.now();
      },
      onComment: () => {},
      onEvent: ({ id, data }) => {
        if (!current()) return;
        if (id) this.cursor = id;
        const message = parseStreamMessage(data);
        if (!message) return;
        if (message.kind === 'final') return this.finished(message);
        this.failures = 0;
        const backlog = message.kind === 'news' && this.backlogDue;
        if (message.kind === 'news') this.backlogDue = false;
        this.dispatch({ type: 'message', message, now: this.deps.now(), backlog, counts: this.passesFilter });
      },
      onClosed: () => {
        if (!current()) return;
        // Ended without its final event (a platform cut the invocation short): continue at once.
        this.drop();
        const delay = this.failures === 0 ? seamDelay(this.deps.random()) : backoffDelay(this.failures, this.deps.random());
        this.failures += 1;
        this.schedule('backoff', delay, () => this.reconnectNow());
      },
      onNetworkError: () => {
        if (current()) this.lose(this.lastByteAt, !this.deps.isOnline());
      },
      onRefused: (refusal) => {
        if (current()) this.refused(refusal);
      },
    });
  }

  private finished(message: Extract<StreamMessage, { kind: 'final' }>): void {
    this.drop();
    const openEnded = this.state.openEnded;
    if (message.isError) {
      const reason = message.text.replace(/^Error:\s*/, '') || 'The stream failed.';
      if (!openEnded) {
        this.halt();
        return this.dispatch({ type: 'failed', message: reason });
      }
      this.failures += 1;
      this.dispatch({ type: 'waiting', message: `The stream failed (${reason}). Reconnecting…` });
      return this.schedule('backoff', backoffDelay(this.failures - 1, this.deps.random()), () => this.open(this.continueAfterCursor()));
    }
    if (!openEnded) {
      this.halt();
      return this.dispatch({ type: 'complete' });
    }
    // The seam: the next window continues after the final event's id, after a little jitter.
    this.failures = 0;
    this.schedule('seam', seamDelay(this.deps.random()), () => this.open(this.continueAfterCursor()));
  }

  private refused({ status, body, retryAfter }: SseRefusal): void {
    this.drop();
    const now = this.deps.now();
    switch (classifyRefusal(status, body)) {
      case 'ended':
        if (this.state.openEnded) return this.open(this.continueAfterCursor());
        this.halt();
        return this.dispatch({ type: 'complete', message: 'The stream ended while the connection was down.' });
      case 'since-too-old':
        return this.catchUpFromSnapshot();
      case 'cursor-refused':
        this.cursor = null;
        return this.open({ kind: 'fresh' });
      case 'retry': {
        const failure = describeHttpFailure(status, body, retryAfter, now);
        if (this.state.liveSince === null && this.state.phase === 'connecting') {
          // Refused at Start: say why and let the user decide when to try again.
          this.halt();
          return this.dispatch({ type: 'failed', message: failure.message, retryAfterSeconds: failure.retryAfterSeconds });
        }
        this.failures += 1;
        const random = this.deps.random();
        const [kind, delay]: [TimerKind, number] =
          failure.retryAfterSeconds !== undefined ? ['retry-after', retryAfterDelay(failure.retryAfterSeconds, random)] : ['backoff', backoffDelay(this.failures - 1, random)];
        this.dispatch({ type: 'waiting', message: failure.reason, retryAt: now + delay, refused: true });
        return this.schedule(kind, delay, () => this.reconnectNow());
      }
      case 'fatal':
        this.halt();
        return this.dispatch({ type: 'failed', message: describeHttpFailure(status, body, retryAfter, now).message });
    }
  }

  /**
   * The cursor is older than the server's history: show the latest snapshot (as arrivals, with the
   * notice saying so) and continue live from the snapshot's own cursor.
   */
  private catchUpFromSnapshot(): void {
    this.drop();
    const generation = this.generation;
    const { symbols } = this.settings;
    const retry = () => {
      if (generation !== this.generation) return;
      this.failures += 1;
      this.dispatch({ type: 'waiting', message: 'Loading the latest headlines…' });
      this.schedule('backoff', backoffDelay(this.failures - 1, this.deps.random()), () => this.catchUpFromSnapshot());
    };
    this.deps
      .fetch(snapshotUrl(symbols, ''), { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(async (res) => {
        const body: unknown = await res.json().catch(() => undefined);
        const snapshot = res.ok ? parseSnapshotBody(body) : null;
        if (generation !== this.generation) return;
        if (!snapshot) return retry();
        this.dispatch({ type: 'too-old-catch-up', articles: snapshot.articles, now: this.deps.now(), counts: this.passesFilter });
        this.cursor = snapshot.cursor ?? null;
        this.open(this.continueAfterCursor());
      })
      .catch(retry);
  }
}
