/**
 * Summaries shared by the scale scenarios: every figure as its median and spread (min–max) over
 * the repetitions, ratios between two variants paired by repetition (so both sides of each ratio
 * come from the same stretch of the same run), targets, and Markdown tables of all of it.
 */
import { round, spread } from '../lib/stats.mjs';

/** Runs of one variant, in repetition order. */
export const runsOf = (runs, variant) => runs.filter((r) => r.variant === variant).sort((a, b) => a.rep - b.rep);

/** Variants in the order they first ran. */
export const variantsIn = (runs) => [...new Set(runs.map((r) => r.variant))];

/** {metric key: spread} for one variant. `metrics`: [{key, label, get(run), digits}]. */
export function figures(runs, metrics) {
  return Object.fromEntries(metrics.map((m) => [m.key, roundSpread(spread(runs.map((r) => safe(m.get, r))), m.digits ?? 1)]));
}

function safe(get, run) {
  try {
    return get(run) ?? null;
  } catch {
    return null;
  }
}

function roundSpread(s, digits) {
  return { n: s.n, median: round(s.median, digits), min: round(s.min, digits), max: round(s.max, digits) };
}

/**
 * `get(variant)` ÷ `get(base)` per repetition (rep k of one against rep k of the other), then the
 * median and spread of those ratios. `inverse` for rates, where the better side is larger.
 */
export function pairedRatio(runs, variant, base, get) {
  const mine = runsOf(runs, variant);
  const theirs = runsOf(runs, base);
  const ratios = [];
  for (const run of mine) {
    const other = theirs.find((r) => r.rep === run.rep);
    const a = other ? safe(get, run) : null;
    const b = other ? safe(get, other) : null;
    if (a !== null && b !== null && b !== 0 && Number.isFinite(a / b)) ratios.push(a / b);
  }
  return roundSpread(spread(ratios), 2);
}

/** Per-repetition values of some derived figure (e.g. heap per symbol from two variants of one rep). */
export function pairedValues(runs, variant, base, combine, digits = 1) {
  const values = [];
  for (const run of runsOf(runs, variant)) {
    const other = runsOf(runs, base).find((r) => r.rep === run.rep);
    if (!other) continue;
    const value = (() => {
      try {
        return combine(run, other);
      } catch {
        return null;
      }
    })();
    if (value !== null && Number.isFinite(value)) values.push(value);
  }
  return roundSpread(spread(values), digits);
}

export function target(name, measured, met, note) {
  return { name, measured, met, ...(note ? { note } : {}) };
}

export const fmt = (v, digits = 1) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits }));

/** "median (min–max)"; just the median for one repetition. */
export function cell(s, digits = 1, unit = '') {
  if (!s || s.median === null) return '–';
  if (s.n <= 1 || s.min === s.max) return `${fmt(s.median, digits)}${unit}`;
  return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/** A ratio cell: "1.23× (1.1–1.4)". */
export const ratioCell = (s) => cell(s, 2, '×');

/** A Markdown table; `align` per column ('l', 'r', 'c'), by default the first left and the rest right (figures). */
export function table(header, rows, align = header.map((_, i) => (i === 0 ? 'l' : 'r'))) {
  const rule = { l: '---', r: '---:', c: ':---:' };
  return [`| ${header.join(' | ')} |`, `|${align.map((a) => rule[a]).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/**
 * The standard figures table: one row per variant, one column per metric ("median (min–max)").
 * `labels`: {variant: row label}.
 */
export function figuresTable(summary, metrics, labels) {
  const rows = Object.entries(summary).map(([variant, values]) => [labels[variant] ?? variant, ...metrics.map((m) => cell(values[m.key], m.digits ?? 1))]);
  return table(['', ...metrics.map((m) => m.label)], rows);
}

export function targetsTable(targets) {
  if (targets.length === 0) return '_No targets for this scenario._';
  return table(
    ['target', 'measured', 'met'],
    targets.map((t) => [t.name, `${t.measured}${t.note ? ` (${t.note})` : ''}`, t.met === null ? 'n/a' : t.met ? 'yes' : '**no**']),
    ['l', 'l', 'c'],
  );
}

/** Figures every stream scenario reports, from a streamRun record. */
export const STREAM_METRICS = {
  connected: { key: 'connected', label: 'connected', get: (r) => r.open.connected, digits: 0 },
  openRate: { key: 'openRate', label: 'open rate, /s', get: (r) => r.open.streamsPerSecond, digits: 0 },
  firstEventP50: { key: 'firstEventP50', label: 'first event p50, ms', get: (r) => r.open.firstEventMs.p50 },
  firstEventP99: { key: 'firstEventP99', label: 'first event p99, ms', get: (r) => r.open.firstEventMs.p99 },
  firstNewsP50: { key: 'firstNewsP50', label: 'first news p50, ms', get: (r) => r.open.firstNewsMs.p50 },
  firstNewsP99: { key: 'firstNewsP99', label: 'first news p99, ms', get: (r) => r.open.firstNewsMs.p99 },
  perStreamKiB: { key: 'perStreamKiB', label: 'RSS per stream, KiB', get: (r) => r.memory.perStreamKiB },
  perStreamAfterGcKiB: { key: 'perStreamAfterGcKiB', label: 'RSS per stream after GC, KiB', get: (r) => r.memory.perStreamAfterGcKiB },
  heapPerStreamKiB: { key: 'heapPerStreamKiB', label: 'live heap per stream, KiB', get: (r) => r.memory.heapPerStreamKiB },
  heapHoldingMiB: { key: 'heapHoldingMiB', label: 'live heap holding, MiB', get: (r) => r.memory.heapUsedHoldingMiB },
  rssHoldingMiB: { key: 'rssHoldingMiB', label: 'RSS holding, MiB', get: (r) => r.memory.rssHoldingMiB },
  cpuPercent: { key: 'cpuPercent', label: 'CPU holding, % of a core', get: (r) => r.cpuPercent },
  cpuOpen: { key: 'cpuOpen', label: 'CPU per open, ms', get: (r) => r.open.cpuMsPerStream, digits: 2 },
  latenessP50: { key: 'latenessP50', label: 'lateness p50, ms', get: (r) => r.delivery.latenessMs.p50 },
  latenessP99: { key: 'latenessP99', label: 'lateness p99, ms', get: (r) => r.delivery.latenessMs.p99 },
  eventsDue: { key: 'eventsDue', label: 'events due', get: (r) => r.delivery.eventsDue, digits: 0 },
  eventsMissing: { key: 'eventsMissing', label: 'events missing', get: (r) => r.delivery.eventsMissing, digits: 0 },
  eldP99: { key: 'eldP99', label: 'event-loop delay p99, ms', get: (r) => r.eventLoopDelayMs?.p99, digits: 1 },
  eldMax: { key: 'eldMax', label: 'event-loop delay max, ms', get: (r) => r.eventLoopDelayMs?.max, digits: 1 },
  toZeroMs: { key: 'toZeroMs', label: 'drop → 0 active, ms', get: (r) => r.disconnect.toZeroMs, digits: 0 },
  maxPerSecond: { key: 'maxPerSecond', label: 'upstream max req in any 1 s', get: (r) => r.upstream?.maxPerSecond, digits: 0 },
  perFeedPerPeriod: { key: 'perFeedPerPeriod', label: 'fetches per feed per period (counts, hold)', get: (r) => r.upstreamHold?.perFeedPerPeriod, digits: 3 },
  perPeriodFromGaps: { key: 'perPeriodFromGaps', label: 'fetches per feed per period (period ÷ median gap)', get: (r) => r.upstream?.perPeriodFromGaps, digits: 3 },
  feedsFetched: { key: 'feedsFetched', label: 'feeds fetched', get: (r) => r.upstream?.feedsFetched, digits: 0 },
};

/** The named STREAM_METRICS, in order. */
export const pick = (...keys) => keys.map((k) => STREAM_METRICS[k]);

/** Failures summed over repetitions (one failed stream anywhere counts). */
export function failuresOf(runs) {
  let failed = 0;
  const reasons = {};
  for (const r of runs) {
    for (const [reason, count] of Object.entries(r.open?.failures ?? {})) {
      failed += count;
      reasons[reason] = (reasons[reason] ?? 0) + count;
    }
  }
  return { failed, reasons };
}

/** Summaries of every variant: {variant: figures}. */
export function summarizeVariants(runs, metrics) {
  return Object.fromEntries(variantsIn(runs).map((v) => [v, figures(runsOf(runs, v), metrics)]));
}

/** Row labels of a scenario's runs: {variant: label}. */
export const labelsOf = (runs) => Object.fromEntries(runs.map((r) => [r.variant, r.label]));

/** The ratios table: rows of [label, paired ratio spread]. */
export function ratioTable(rows) {
  return table(['ratio (paired by repetition)', 'median (min–max)'], rows.map(([label, ratio]) => [label, ratioCell(ratio)]));
}

/** "Failed streams (all repetitions): 2 {"status 429": 2}." */
export function failuresLine(runs, noun = 'streams') {
  const { failed, reasons } = failuresOf(runs);
  return `Failed ${noun} (all repetitions): ${failed}${failed ? ` ${JSON.stringify(reasons)}` : ''}.`;
}
