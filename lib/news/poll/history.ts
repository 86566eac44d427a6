/**
 * What a feed's poller keeps beyond the feed's current window, so a client that was away can be
 * told what it missed (`since`, contract §6.2): every article first seen in the last 24 hours, at
 * most HISTORY_EXTRA articles that have already left the feed. The window itself is always kept.
 *
 * `coveredSince` is the time since which nothing that reached the server from this feed has been
 * lost: a `since` cursor older than it is too old. It moves forward when a kept article is dropped
 * (the history bound) and when two fetches do not overlap (a feed that turned over completely
 * between them may have shown articles nobody saw).
 */
export const HISTORY_WINDOW_MS = 24 * 60 * 60_000;
export const HISTORY_EXTRA = 100;
/**
 * Feeds cut their window by count (Yahoo 20, CNBC 30, EDGAR 40). A window shorter than this is not
 * at its cap: the feed lists everything it still has, so nothing can have scrolled off it.
 */
export const UNCAPPED_WINDOW = 10;

export interface Retained<T> {
  items: T[];
  coveredSince: number;
}

export interface HistoryKeys {
  id: string;
  /** Publication time, else first-seen time (ms). */
  sortTime: number;
  /** When the deployment first saw it (ms). */
  firstSeen: number;
}

/**
 * Folds a fresh fetch into what was kept. `previous` is what the last round left (empty at first),
 * `lastFetchAt` when that round fetched (0 at first).
 */
export function retain<T>(
  previous: readonly T[],
  fresh: readonly T[],
  state: { coveredSince?: number; lastFetchAt: number },
  keysOf: (item: T) => HistoryKeys,
  now = Date.now(),
): Retained<T> {
  const freshIds = new Set(fresh.map((item) => keysOf(item).id));
  const left = previous
    .filter((item) => !freshIds.has(keysOf(item).id) && keysOf(item).firstSeen >= now - HISTORY_WINDOW_MS)
    .sort((a, b) => keysOf(b).sortTime - keysOf(a).sortTime);
  const dropped = left.slice(HISTORY_EXTRA);
  const items = [...fresh, ...left.slice(0, HISTORY_EXTRA)];
  let coveredSince = state.coveredSince ?? windowStart(fresh, keysOf, now);
  for (const item of dropped) coveredSince = Math.max(coveredSince, keysOf(item).firstSeen + 1);
  if (state.lastFetchAt > 0 && !overlaps(previous, fresh, state.lastFetchAt, keysOf)) {
    coveredSince = Math.max(coveredSince, windowStart(fresh, keysOf, now));
  }
  return { items, coveredSince };
}

/**
 * Since when the window shows everything: a short window all the history a day can need; a full
 * one everything published after its oldest article (feeds list newest first and drop the oldest).
 */
function windowStart<T>(fresh: readonly T[], keysOf: (item: T) => HistoryKeys, now: number): number {
  if (fresh.length < UNCAPPED_WINDOW) return now - HISTORY_WINDOW_MS;
  return Math.min(...fresh.map((item) => keysOf(item).sortTime));
}

/** The new window reaches back to what was already known: nothing can have slipped between the fetches. */
function overlaps<T>(previous: readonly T[], fresh: readonly T[], lastFetchAt: number, keysOf: (item: T) => HistoryKeys): boolean {
  if (fresh.length < UNCAPPED_WINDOW || previous.length === 0) return true;
  const known = new Set(previous.map((item) => keysOf(item).id));
  return fresh.some((item) => known.has(keysOf(item).id)) || windowStart(fresh, keysOf, lastFetchAt) <= lastFetchAt;
}
