/** Nearest-rank percentile of an array of numbers; null for an empty array. */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The middle value (mean of the two middle ones for an even count); null for an empty array. */
export function median(values) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values) {
  return { n: values.length, min: percentile(values, 0), p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: percentile(values, 100) };
}

/** Median and spread (min–max) of one figure over repetitions; nulls (not measured) are left out. */
export function spread(values) {
  const known = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  if (known.length === 0) return { n: 0, median: null, min: null, max: null };
  return { n: known.length, median: median(known), min: Math.min(...known), max: Math.max(...known) };
}

/** Rounds to `digits` decimals; null for anything that is not a finite number. */
export const round = (v, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits);
export const mib = (bytes) => round(bytes / 2 ** 20, 1);
export const kib = (bytes) => round(bytes / 1024, 1);

/**
 * The most events in any window of `windowMs` (a window starting at any event), from times in ms:
 * what a rate limit "at most K per second" is judged on.
 */
export function maxInWindow(times, windowMs) {
  const sorted = Float64Array.from(times).sort();
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
