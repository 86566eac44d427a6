import type { FeedLabel, NewsHooks } from '../hooks';
import type { FeedRound } from './feed-round';

export interface FeedHealth {
  /** The feed URL with credentials redacted (for operators; never shown on the public health check). */
  feed: string;
  source: string;
  scope: 'symbol' | 'market';
  state: 'pending' | 'healthy' | 'failing' | 'backed-off';
  lastSuccessAt?: string;
  failingSince?: string;
  lastErrorAt?: string;
  lastErrorKind?: string;
  lastError?: string;
  consecutiveFailures: number;
  backoffUntil?: string;
  /** Delay chosen after the last failure before trying again. */
  backoffMs?: number;
  validators: { etag: boolean; lastModified: boolean };
  subscribers: number;
  /** `shared`: the view comes from Redis (one fetch per period for the deployment); `local`: this instance polls alone. */
  mode?: 'shared' | 'local';
  /** The period the subscribers ask for (at least NEWS_MIN_POLL_MS); absent while nobody watches. */
  periodMs?: number;
  /** The gap between this instance's last two fetches: longer than `periodMs` when the host's budget (NEWS_HOST_MAX_RPS) stretches it. */
  effectivePeriodMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A feed's health as /api/health?detail=1 shows it. */
export function feedHealth(label: FeedLabel, r: FeedRound, subscribers: number, shared: boolean, now = Date.now()): FeedHealth {
  const attempted = r.attemptAt > 0;
  const failing = r.consecutiveFailures > 0;
  const backedOff = r.backoffUntil > now;
  return {
    feed: label.url,
    source: label.source,
    scope: label.scope,
    state: !attempted ? 'pending' : backedOff ? 'backed-off' : failing ? 'failing' : 'healthy',
    lastSuccessAt: r.lastSuccessAt ? iso(r.lastSuccessAt) : undefined,
    failingSince: failing ? iso(r.failingSince) : undefined,
    lastErrorAt: r.lastError ? iso(r.lastError.at) : undefined,
    lastErrorKind: r.lastError?.kind,
    lastError: r.lastError?.message,
    consecutiveFailures: r.consecutiveFailures,
    backoffUntil: backedOff ? iso(r.backoffUntil) : undefined,
    backoffMs: failing ? r.backoffUntil - r.attemptAt : undefined,
    validators: { etag: Boolean(r.validators.etag), lastModified: Boolean(r.validators.lastModified) },
    subscribers,
    mode: shared ? 'shared' : 'local',
  };
}

/** Tells the hooks of a state change (failing, recovered) caused by an attempt this process made. */
export function reportRound(hooks: NewsHooks, label: FeedLabel, prev: FeedRound, next: FeedRound): void {
  if (next.consecutiveFailures === 0) {
    if (prev.consecutiveFailures > 0) {
      hooks.recovered(label, { failures: prev.consecutiveFailures, failingSince: prev.failingSince, lastErrorKind: prev.lastError?.kind });
    }
    return;
  }
  hooks.failing(label, {
    kind: next.lastError!.kind,
    message: next.lastError!.message,
    failures: next.consecutiveFailures,
    backoffMs: next.backoffUntil - next.attemptAt,
  });
}
