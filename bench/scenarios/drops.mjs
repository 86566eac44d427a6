/**
 * A scenario 1 run's drops. One server's drop varies by up to a third from one drop to the next
 * (docs/benchmarks.md), so a run drops its streams more than once and the cleanup is judged on the
 * median of its drops.
 */
import { median } from '../lib/stats.mjs';

/** Every drop of a run, in order; a results file from before --drops1 has one, `disconnect`. */
export function dropsOf(run) {
  return run.drops ?? [run.disconnect];
}

/** The median of `get` over a run's drops; null when a drop has no value (it never reached 0 active). */
export function dropMedian(run, get) {
  const values = dropsOf(run).map(get);
  return values.some((v) => v === null || v === undefined) ? null : median(values);
}
