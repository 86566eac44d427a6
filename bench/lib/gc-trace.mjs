/**
 * V8's major GCs in a server under benchmark, read from its `--trace-gc` lines (the heap probe
 * turns the flag on in the scale scenarios). Node's own GC hooks (PerformanceObserver 'gc',
 * v8.GCProfiler) only see the final pause; a full collection of a large heap spends most of its
 * main-thread time in incremental marking steps before it, which only the trace reports. That time
 * is what stalls every stream, so it is what the bench has to show.
 *
 * Lines look like this (V8 11, Node 20):
 *   [pid:0x…]   148102 ms: Mark-Compact 957.4 (1149.6) -> 871.7 (1109.8) MB, 39.53 / 0.03 ms
 *   (+ 706.0 ms in 140 steps since start of marking, biggest step 24.1 ms, walltime since start
 *   of marking 1176 ms) (average mu = 0.985, current mu = 0.971) finalize incremental marking via
 *   task; GC in old space requested
 */
import { median, round } from './stats.mjs';

// Matched piece by piece: V8 versions insert fields (Node 24: ", pooled: N MB," before the pause).
const SIZES = /([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;
const PAUSE = /([\d.]+) \/ [\d.]+ ms/;
const STEPS = /\(\+ ([\d.]+) ms in \d+ steps since start of marking, biggest step [\d.]+ ms, walltime since start of marking ([\d.]+) ms\)/;

/**
 * One major GC from its trace line, or null for any other line. `forced` marks the heap probe's
 * own `gc()` (V8 calls it "testing"), which the figures leave out.
 */
export function parseMajorGc(line) {
  if (!line.includes('Mark-Compact')) return null;
  const sizes = SIZES.exec(line);
  const pause = PAUSE.exec(line);
  if (!sizes || !pause) return null;
  const steps = STEPS.exec(line);
  const pauseMs = Number(pause[1]);
  const stepsMs = steps ? Number(steps[1]) : 0;
  return {
    beforeMB: Number(sizes[1]),
    afterMB: Number(sizes[2]),
    pauseMs,
    // The main thread's whole share of the collection: the marking steps and the final pause.
    mainThreadMs: round(stepsMs + pauseMs, 2),
    walltimeMs: steps ? Number(steps[2]) : pauseMs,
    forced: line.includes('testing'),
  };
}

/** At most this many GCs are kept per server: a 5-minute hold has a few dozen. */
const KEEP = 2_000;

/**
 * Collects the major GCs a child process traces on its stdout, each stamped with the time its line
 * arrived (the end of the collection, within a pipe's delay). Returns `between(from, to)`.
 */
export function watchMajorGcs(stdout) {
  const gcs = [];
  let partial = '';
  stdout.on('data', (chunk) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    // Split by hand rather than with node:readline, which bounds no line: a runaway line without a
    // newline must not grow the bench.
    if (partial.length > 10_000) partial = '';
    for (const line of lines) {
      const gc = parseMajorGc(line);
      if (gc) gcs.push({ at: Date.now(), ...gc });
    }
    if (gcs.length > KEEP) gcs.splice(0, gcs.length - KEEP);
  });
  return { between: (from, to) => gcs.filter((gc) => gc.at >= from && gc.at <= to && !gc.forced) };
}

/**
 * What `n` held streams cost the collector over a window, from the major GCs that ended in it:
 * how often one came, how long each took the main thread, and how fast the old generation grew
 * between two of them (what the streams promoted, live or garbage: it is what brings the next one).
 */
export function majorGcFigures(gcs, n) {
  const growth = [];
  const intervals = [];
  for (let i = 1; i < gcs.length; i++) {
    const seconds = (gcs[i].at - gcs[i - 1].at) / 1000;
    intervals.push(seconds);
    if (seconds > 0) growth.push(((gcs[i].beforeMB - gcs[i - 1].afterMB) * 1024) / seconds / n);
  }
  const growthPerSecond = median(growth);
  return {
    count: gcs.length,
    intervalS: round(median(intervals), 1),
    mainThreadMs: round(median(gcs.map((gc) => gc.mainThreadMs)), 0),
    mainThreadMaxMs: gcs.length ? round(Math.max(...gcs.map((gc) => gc.mainThreadMs)), 0) : null,
    walltimeMs: round(median(gcs.map((gc) => gc.walltimeMs)), 0),
    /** KiB per stream per minute. */
    oldGrowthKiBPerMin: growthPerSecond === null ? null : round(growthPerSecond * 60, 2),
  };
}
