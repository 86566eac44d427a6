/**
 * Reads one histogram out of Prometheus text exposition (GET /api/metrics): the app's own timing of
 * feed fetches (market_pulse_feed_fetch_duration_seconds, fetch plus parse, by source and scope).
 * Labels match when every given label has the given value.
 */
function labelsOf(text) {
  const labels = {};
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[match[1]] = match[2];
  return labels;
}

export function histogram(text, name, want = {}) {
  const result = { sum: 0, count: 0, buckets: new Map() };
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^(\w+)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const labels = labelsOf(match[2] ?? '');
    if (!Object.entries(want).every(([k, v]) => labels[k] === v)) continue;
    const value = Number(match[3]);
    if (match[1] === `${name}_sum`) result.sum += value;
    else if (match[1] === `${name}_count`) result.count += value;
    else if (match[1] === `${name}_bucket`) result.buckets.set(labels.le, (result.buckets.get(labels.le) ?? 0) + value);
  }
  // The smallest bucket bound holding every observation: an upper bound on the slowest one.
  const bounds = [...result.buckets.entries()].map(([le, n]) => [le === '+Inf' ? Infinity : Number(le), n]).sort((a, b) => a[0] - b[0]);
  const all = bounds.find(([, n]) => n >= result.count && result.count > 0);
  return {
    count: result.count,
    meanMs: result.count ? Math.round((result.sum / result.count) * 1e4) / 10 : null,
    slowestAtMostMs: all && Number.isFinite(all[0]) ? all[0] * 1000 : null,
  };
}
