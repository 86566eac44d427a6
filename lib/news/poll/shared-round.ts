import type { LoadOutcome } from '../load-feed';
import type { SharedFeeds, SharedFeedState } from '../shared/shared-feeds';
import { afterAttempt, initialRound, type FeedRound } from './feed-round';

/** What a shared round needs of the poller it runs for. */
export interface RoundHost {
  readonly feedKey: string;
  readonly attempted: boolean;
  /** Lease races lost in a row. */
  readonly leaseLosses: number;
  period(): number;
  load(validators: FeedRound['validators'], signal: AbortSignal): Promise<LoadOutcome>;
  localRound(signal: AbortSignal): Promise<boolean>;
  /** Takes over a published state; false when it is the one held already, or older. */
  adopt(state: SharedFeedState): boolean;
  /** Uses this attempt's own outcome (Redis failed to publish it). */
  apply(outcome: LoadOutcome, next: FeedRound, at: number): void;
  report(prev: FeedRound, next: FeedRound): void;
  lostLease(notBefore: number): void;
  wonLease(): void;
}

/** How soon an instance that lost the lease race looks again (at most): the holder's fetch is usually done by then. */
const LEASE_RECHECK_MS = 2_000;

/**
 * One round with Redis: whoever holds the feed's lease fetches (with the shared validators and
 * backoff) and publishes; everyone else adopts the published state. Any Redis failure falls back
 * to a local round, so streams never wait on Redis. Returns whether the poller's view changed.
 */
export async function sharedRound(host: RoundHost, shared: SharedFeeds, signal: AbortSignal): Promise<boolean> {
  const key = host.feedKey;
  const period = host.period();
  let state: SharedFeedState | null;
  let won: boolean;
  try {
    won = await shared.acquireLease(key, period);
    // Followers with a live subscription are told of new results; they read the state only at
    // first, or when a push seems to have been missed. Without one, once per period.
    state = won || !host.attempted || !shared.live || host.leaseLosses > 0 ? await shared.read(key) : null;
    shared.link.succeeded();
  } catch (error) {
    shared.link.failed('read', error);
    return host.localRound(signal);
  }
  if (signal.aborted) {
    if (won) void shared.releaseLease(key).catch(() => {});
    return false;
  }
  let changed = state ? host.adopt(state) : false;
  const now = Date.now();
  if (!won) {
    host.lostLease(now + Math.min(period, LEASE_RECHECK_MS));
    return changed;
  }
  host.wonLease();
  // Someone fetched within the period, or the feed is backed off: nothing to do yet.
  if (state && Math.max(state.attemptAt + period, state.backoffUntil) > now + 50) return changed;

  const outcome = await fetchHoldingLease(host, shared, state, signal);
  if (signal.aborted) {
    void shared.releaseLease(key).catch(() => {});
    return changed;
  }
  const at = Date.now();
  const prev = state ?? initialRound();
  const next = afterAttempt(prev, outcome, at, period);
  host.report(prev, next);
  try {
    const published = await shared.publish(key, state, next, outcome.kind === 'articles' ? outcome.articles : undefined);
    // Nobody else fetches before this round's period (or backoff) is over.
    void shared.extendLease(key, Math.max(period, next.backoffUntil - at)).catch(() => {});
    changed = host.adopt(published) || changed;
  } catch (error) {
    shared.link.failed('publish', error);
    host.apply(outcome, next, at);
    changed = true;
  }
  return changed;
}

/**
 * Keeps the lease alive while the fetch runs (it may outlast the period); if this process dies the
 * lease lapses within one period and another instance takes over. Refreshed four times per period
 * so a busy event loop or a slow round trip does not let it lapse mid-fetch.
 */
async function fetchHoldingLease(host: RoundHost, shared: SharedFeeds, state: SharedFeedState | null, signal: AbortSignal): Promise<LoadOutcome> {
  const period = host.period();
  const keepAlive = setInterval(() => void shared.extendLease(host.feedKey, period).catch(() => {}), Math.max(50, period / 4));
  try {
    return await host.load(state?.validators ?? {}, signal);
  } finally {
    clearInterval(keepAlive);
  }
}
