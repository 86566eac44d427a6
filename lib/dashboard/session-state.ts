import { sortTimeOf, type Article, type FeedWarning } from '@/lib/contract/article';
import { mergeArticles, restoreArrivals, type Arrival, type ListedArticle } from './articles';
import type { StreamMessage } from './stream-messages';
import { clampProgress } from './time';

/**
 * What the user is told about the live session. `live` covers the seams between chained streams
 * (they are invisible by design); `reconnecting` is a lost connection being restored, `offline`
 * the browser reporting no network.
 */
export type SessionPhase = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'offline' | 'complete' | 'stopped' | 'error';

/** An absence in progress: the tab hidden, the network gone, the machine asleep, the socket dead. */
export interface Away {
  since: number;
  /** Articles that arrived since the absence began. */
  added: number;
  /** The connection was lost: the absence ends only once the reconnected stream delivered its catch-up. */
  needsCatchUp: boolean;
  reconnected: boolean;
  caughtUp: boolean;
}

/** "N new articles while you were away", shown after an absence until the next one. */
export interface AwayNotice {
  count: number;
  since: number;
  until: number;
  /** The cursor was older than the server's history: the latest snapshot was shown instead. */
  tooOld: boolean;
  /** The catch-up held more than one event may carry (contract §6.2): some were left out. */
  truncated: boolean;
}

export interface SessionState {
  phase: SessionPhase;
  /** No `duration` in the URL: chained streams until Stop. */
  openEnded: boolean;
  /** When Start was pressed: articles arriving after it count as new. */
  startedAt: number | null;
  /** When the session first went live; reset only when continuity broke (cursor too old). */
  liveSince: number | null;
  /** Server progress of the current fixed-length stream, 0–1. */
  progress: number;
  /** End of the current stream on the client's clock. */
  endsAt: number | null;
  /** Server clock minus client clock, from the latest connected message. */
  skewMs: number;
  /** Client time of the latest news event: an open-ended session shows the time to the next one. */
  lastNewsAt: number | null;
  /** Connections lost and restored during this session. */
  reconnects: number;
  /** The connection was lost (not only refused) since it was last open: its return counts as a reconnect. */
  connectionLost: boolean;
  /** Everything received this visit, newest first, de-duplicated; the page shows the watched part. */
  articles: ListedArticle[];
  /** The articles the latest stream event added (notifications and announcements follow `seq`). */
  arrivals: { seq: number; articles: ListedArticle[] };
  warnings: FeedWarning[];
  demo: boolean;
  /** Why the session is in error, completed early, or waiting to reconnect. */
  message: string | null;
  retryAfterSeconds: number | null;
  /** Client time the page tries again on its own after a refusal (429, 503): shown as a countdown. */
  retryAt: number | null;
  hidden: boolean;
  away: Away | null;
  awayNotice: AwayNotice | null;
}

export type SessionAction =
  /** `continued`: a session this tab ran before a reload, continued where it was. */
  | { type: 'start'; openEnded: boolean; now: number; continued?: Continued }
  | { type: 'opened' }
  /**
   * `backlog`: the first news event of a fresh stream (no cursor). It brings the latest articles,
   * which the page lists like a snapshot's; only those published since the previous stream's last
   * news event arrived while the page watched.
   */
  | { type: 'message'; message: Exclude<StreamMessage, { kind: 'final' }>; now: number; backlog?: boolean; counts?: Counted }
  | { type: 'snapshot'; articles: readonly Article[] }
  | { type: 'too-old-catch-up'; articles: readonly Article[]; now: number; counts?: Counted }
  | { type: 'lost'; since: number; offline: boolean }
  /**
   * Waiting to try again. `refused`: the server turned a start away (429, 503), so no connection
   * was lost by it; `retryAt`: when the page tries again on its own.
   */
  | { type: 'waiting'; message: string; retryAt?: number; refused?: boolean }
  | { type: 'hidden'; now: number }
  | { type: 'visible'; now: number }
  | { type: 'complete'; message?: string }
  | { type: 'failed'; message: string; retryAfterSeconds?: number }
  | { type: 'stop' };

export const initialSessionState: SessionState = {
  phase: 'idle',
  openEnded: false,
  startedAt: null,
  liveSince: null,
  progress: 0,
  endsAt: null,
  skewMs: 0,
  lastNewsAt: null,
  reconnects: 0,
  connectionLost: false,
  articles: [],
  arrivals: { seq: 0, articles: [] },
  warnings: [],
  demo: false,
  message: null,
  retryAfterSeconds: null,
  retryAt: null,
  hidden: false,
  away: null,
  awayNotice: null,
};

/** What a reload keeps of a live session (resume-point.ts): its times and what arrived. */
export interface Continued {
  liveSince: number | null;
  endsAt: number | null;
  startedAt: number | null;
  arrivals: readonly Arrival[];
}

/**
 * Which arrivals "while you were away" counts: those the page's filter shows. The stream carries
 * the whole watchlist and the page filters what it lists, so an arrival can be one it hides.
 */
export type Counted = (article: Article) => boolean;

const everything: Counted = () => true;

export function isActive(phase: SessionPhase): boolean {
  return phase === 'connecting' || phase === 'live' || phase === 'reconnecting' || phase === 'offline';
}

/** Ends the absence if the user is back and nothing is still to be caught up. */
function settleAway(state: SessionState, now: number, truncated = false): SessionState {
  const away = state.away;
  if (!away || state.hidden || (away.needsCatchUp && !away.caughtUp)) return state;
  const worthSaying = away.needsCatchUp || away.added > 0;
  return {
    ...state,
    away: null,
    awayNotice: worthSaying ? { count: away.added, since: away.since, until: now, tooOld: false, truncated } : state.awayNotice,
  };
}

function withArrivals(state: SessionState, batch: readonly Article[], now: number, backlog = false, counts = everything): SessionState {
  const arriving: Article[] = [];
  const earlier: Article[] = [];
  for (const a of batch) (!backlog || publishedSinceLastNews(state, a) ? arriving : earlier).push(a);
  const listed = earlier.length > 0 ? mergeArticles(state.articles, earlier).list : state.articles;
  const { list, added } = mergeArticles(listed, arriving, now);
  if (added.length === 0 && list === state.articles) return state;
  const counted = added.filter(counts);
  return {
    ...state,
    articles: list,
    arrivals: added.length ? { seq: state.arrivals.seq + 1, articles: added } : state.arrivals,
    away: state.away && { ...state.away, added: state.away.added + counted.length },
    awayNotice: withStragglers(state, counted),
  };
}

/**
 * Published (on the server's clock, read through the measured skew) after the page's latest news
 * event. Before the session's first, only what was published during an absence in progress (the
 * page lost its stream before that event and resumed it): the rest are the latest headlines.
 * RSS stamps whole seconds, often before the article reaches the server, so a story stamped just
 * before that time may be listed without the flag.
 */
function publishedSinceLastNews(state: SessionState, article: Article): boolean {
  const since = state.lastNewsAt ?? state.away?.since ?? null;
  return since !== null && sortTimeOf(article) - state.skewMs > since;
}

/**
 * An article published during the last absence can reach the page after its catch-up: its feed was
 * fetched again only after the return, or answered late. It still arrived while the user was away,
 * so the notice counts it too. Publication is on the server's clock, the notice on the page's.
 */
function withStragglers(state: SessionState, added: readonly ListedArticle[]): AwayNotice | null {
  const notice = state.awayNotice;
  if (!notice || notice.tooOld || state.away || added.length === 0) return notice;
  const published = (a: ListedArticle) => a.sortTime - state.skewMs;
  const late = added.filter((a) => published(a) >= notice.since && published(a) <= notice.until).length;
  return late === 0 ? notice : { ...notice, count: notice.count + late };
}

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case 'start':
      return {
        ...initialSessionState,
        articles: action.continued ? restoreArrivals(state.articles, action.continued.arrivals) : state.articles,
        arrivals: state.arrivals,
        hidden: state.hidden,
        phase: 'connecting',
        openEnded: action.openEnded,
        startedAt: action.continued?.startedAt ?? action.now,
        liveSince: action.continued?.liveSince ?? null,
        endsAt: action.continued?.endsAt ?? null,
      };
    case 'snapshot': {
      // Read while live, it may list what the stream has yet to deliver: provisional until then.
      const { list } = mergeArticles(state.articles, action.articles, undefined, isActive(state.phase));
      return list === state.articles ? state : { ...state, articles: list };
    }
    case 'hidden':
      if (state.hidden) return state;
      return {
        ...state,
        hidden: true,
        away: state.away ?? (isActive(state.phase) ? { since: action.now, added: 0, needsCatchUp: false, reconnected: false, caughtUp: false } : null),
      };
    case 'visible':
      return settleAway({ ...state, hidden: false }, action.now);
    case 'stop':
      return isActive(state.phase) ? { ...state, phase: 'stopped', away: null, message: null, retryAfterSeconds: null, retryAt: null } : state;
  }
  if (!isActive(state.phase)) return state;
  switch (action.type) {
    case 'opened': {
      const recovering = state.phase === 'reconnecting' || state.phase === 'offline';
      return {
        ...state,
        phase: recovering ? 'live' : state.phase,
        reconnects: recovering && state.connectionLost ? state.reconnects + 1 : state.reconnects,
        connectionLost: false,
        message: null,
        retryAfterSeconds: null,
        retryAt: null,
        away: state.away?.needsCatchUp ? { ...state.away, reconnected: true } : state.away,
      };
    }
    case 'message':
      return applyMessage(state, action);
    case 'too-old-catch-up': {
      const next = withArrivals(state, action.articles, action.now, false, action.counts);
      const added = next.arrivals.seq === state.arrivals.seq ? 0 : next.arrivals.articles.filter(action.counts ?? everything).length;
      // withArrivals already counted these into the absence, when one was in progress.
      const count = next.away ? next.away.added : added;
      return {
        ...next,
        // Continuity broke: "live since" starts again with the next stream.
        liveSince: null,
        away: null,
        awayNotice: { count, since: state.away?.since ?? action.now, until: action.now, tooOld: true, truncated: false },
      };
    }
    case 'lost':
      return {
        ...state,
        phase: action.offline ? 'offline' : 'reconnecting',
        connectionLost: true,
        retryAt: null,
        away: {
          since: Math.min(state.away?.since ?? action.since, action.since),
          added: state.away?.added ?? 0,
          needsCatchUp: true,
          reconnected: false,
          caughtUp: false,
        },
      };
    case 'waiting':
      return {
        ...state,
        phase: 'reconnecting',
        message: action.message,
        retryAt: action.retryAt ?? null,
        connectionLost: state.connectionLost || !action.refused,
      };
    case 'complete':
      return { ...state, phase: 'complete', progress: 1, away: null, message: action.message ?? null, retryAt: null };
    case 'failed':
      return { ...state, phase: 'error', away: null, message: action.message, retryAfterSeconds: action.retryAfterSeconds ?? null, retryAt: null };
  }
}

function applyMessage(state: SessionState, { message, now, backlog, counts }: Extract<SessionAction, { type: 'message' }>): SessionState {
  if (message.kind === 'connected') {
    const serverNow = Date.parse(message.timestamp);
    const skewMs = Number.isNaN(serverNow) ? 0 : serverNow - now;
    const end = Date.parse(message.endsAt);
    return {
      ...state,
      phase: 'live',
      liveSince: state.liveSince ?? now,
      // A new stream: its progress starts again (a resume sends no connected event).
      progress: 0,
      endsAt: Number.isNaN(end) ? null : end - skewMs,
      skewMs,
      demo: state.demo || message.demo,
      away: state.away?.needsCatchUp ? { ...state.away, reconnected: true } : state.away,
    };
  }
  const next = withArrivals(state, message.articles, now, backlog, counts);
  const caughtUp = next.away?.reconnected ? { ...next.away, caughtUp: true } : next.away;
  return settleAway(
    {
      ...next,
      phase: 'live',
      liveSince: next.liveSince ?? now,
      // Progress only moves forward, even if a resumed stream replays an older value.
      progress: Math.max(next.progress, clampProgress(message.progress)),
      lastNewsAt: now,
      warnings: message.warnings,
      away: caughtUp,
    },
    now,
    message.truncated,
  );
}
