import type { Validators } from '../fetch/fetch-feed';
import type { LoadOutcome } from '../load-feed';

/**
 * What one feed's completed attempts leave behind: validators for the next conditional GET and the
 * failure/backoff bookkeeping. Kept per process, or in Redis for the whole deployment when shared.
 */
export interface FeedRound {
  attemptAt: number;
  validators: Validators;
  lastSuccessAt: number;
  consecutiveFailures: number;
  failingSince: number;
  lastError?: { kind: string; message: string; at: number };
  backoffUntil: number;
}

export const initialRound = (): FeedRound => ({
  attemptAt: 0,
  validators: {},
  lastSuccessAt: 0,
  consecutiveFailures: 0,
  failingSince: 0,
  backoffUntil: 0,
});

/** Longest Retry-After honoured. */
const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;
const MAX_BACKOFF_MS = 10 * 60_000;

/** The bookkeeping after one attempt with `outcome`, made `now` by a poller of period `periodMs`. */
export function afterAttempt(prev: FeedRound, outcome: LoadOutcome, now: number, periodMs: number): FeedRound {
  if (outcome.kind !== 'error') {
    return { ...prev, attemptAt: now, validators: outcome.validators, lastSuccessAt: now, consecutiveFailures: 0, failingSince: 0, backoffUntil: 0 };
  }
  const failures = prev.consecutiveFailures + 1;
  const backoff = Math.min(periodMs * 2 ** (failures - 1), MAX_BACKOFF_MS);
  // A feed may ask for any pause; more than MAX_RETRY_AFTER_MS would also overflow Node's timer
  // (2^31-1 ms), which then fires at once and turns a long pause into a tight loop.
  const pause = Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
  return {
    ...prev,
    attemptAt: now,
    consecutiveFailures: failures,
    failingSince: failures === 1 ? now : prev.failingSince,
    lastError: { kind: outcome.errorKind, message: outcome.message, at: now },
    backoffUntil: now + pause,
  };
}
