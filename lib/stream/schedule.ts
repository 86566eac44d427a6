/** A stream's clock: progress through its window and the grid its news events fall on. */

/** Progress at `now`, kept strictly inside (0, 1) so only `complete` reaches 1. */
export function progressAt(now: number, startedAt: number, endsAt: number): number {
  const p = (now - startedAt) / (endsAt - startedAt);
  return Math.min(Math.max(Math.round(p * 1e6) / 1e6, 1e-6), 0.999999);
}

/**
 * Node timers can fire a millisecond or so before their time as Date.now() sees it; a wake-up that
 * close to a tick is that tick, or the stream would send a second (empty) event for it.
 */
const TICK_TOLERANCE_MS = 20;

/** The next point on the stream's own grid (startedAt + k·interval), or the end if sooner. */
export function nextTick(now: number, startedAt: number, endsAt: number, interval: number): number {
  const k = Math.floor((now - startedAt + TICK_TOLERANCE_MS) / interval) + 1;
  return Math.min(startedAt + k * interval, endsAt);
}
