/**
 * Turns raw runs into medians, ratios to the node:http baseline, the issue's targets (measured,
 * not asserted), and the Markdown table; refreshes the results section of docs/benchmarks.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SERVER_KINDS, SERVER_LABELS } from './server-process.mjs';
import { median } from './stats.mjs';

const round = (v, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/** The per-run figures that are summarised (median over repetitions). */
const METRICS = {
  openPerSecond: (r) => r.open.streamsPerSecond,
  connected: (r) => r.open.connected,
  firstEventP50: (r) => r.open.firstEventMs.p50,
  firstEventP95: (r) => r.open.firstEventMs.p95,
  firstEventP99: (r) => r.open.firstEventMs.p99,
  firstNewsP50: (r) => r.open.firstNewsMs.p50,
  firstNewsP99: (r) => r.open.firstNewsMs.p99,
  rssBeforeMiB: (r) => r.memory.rssBeforeMiB,
  rssHoldingMiB: (r) => r.memory.rssHoldingMiB,
  perStreamKiB: (r) => r.memory.perStreamKiB,
  perStreamAfterGcKiB: (r) => r.memory.perStreamAfterGcKiB,
  heapPerStreamKiB: (r) => r.memory.heapPerStreamKiB,
  cpuPercent: (r) => r.cpuPercent,
  cpuOpenMsPerStream: (r) => r.cpuCost.openMsPerStream,
  cpuUsPerEvent: (r) => r.cpuCost.holdUsPerEvent,
  latenessP50: (r) => r.delivery.latenessMs.p50,
  latenessP99: (r) => r.delivery.latenessMs.p99,
  latenessMax: (r) => r.delivery.latenessMs.max,
  toZeroMs: (r) => r.disconnect.toZeroMs,
  rssAfter30sMiB: (r) => r.disconnect.rssAfter30sMiB,
};

/** Summed (worst case) rather than medianed: one lost event in any repetition counts. */
function deliveryTotals(runs) {
  const sum = (f) => runs.reduce((total, r) => total + f(r), 0);
  return {
    eventsDue: sum((r) => r.delivery.eventsDue),
    eventsMissing: sum((r) => r.delivery.eventsMissing),
    streamsMissingEvents: sum((r) => r.delivery.streamsMissingEvents),
    extraEvents: sum((r) => r.delivery.extraEvents ?? 0),
    failedStreams: sum((r) => Object.values(r.open.failures).reduce((a, b) => a + b, 0)),
  };
}

/**
 * Fetches per feed per period, read from the gaps between consecutive fetches of each feed (window
 * edges make plain counts over a short window off by one): one per period means every gap is one
 * period; a shorter gap is an extra fetch (fetches growing with N), a longer one a poller falling
 * behind its period.
 */
function upstreamSummary(runs) {
  const withGaps = runs.filter((r) => r.upstream?.gapMs);
  if (withGaps.length === 0) return null;
  const period = withGaps[0].upstream.periods > 0 ? withGaps[0].upstream.windowMs / withGaps[0].upstream.periods : 0;
  const minGap = Math.min(...withGaps.map((r) => r.upstream.gapMs.min));
  const maxGap = Math.max(...withGaps.map((r) => r.upstream.gapMs.max));
  const medianGap = median(withGaps.map((r) => r.upstream.gapMs.median));
  return {
    feeds: Object.keys(withGaps[0].upstream.perFeed).length,
    fetches: withGaps.reduce((total, r) => total + Object.values(r.upstream.perFeed).reduce((a, b) => a + b, 0), 0),
    perPeriod: round(period / medianGap, 2),
    minGapMs: Math.round(minGap),
    medianGapMs: Math.round(medianGap),
    maxGapMs: Math.round(maxGap),
    periodMs: period,
  };
}

export function summarizeRuns(runs, config) {
  const byServer = {};
  const single = {};
  for (const kind of SERVER_KINDS) {
    const mine = runs.filter((r) => r.server === kind);
    if (mine.length === 0) continue;
    byServer[kind] = {};
    for (const n of config.ns) {
      const cell = mine.filter((r) => r.n === n);
      if (cell.length === 0) continue;
      const values = Object.fromEntries(
        Object.entries(METRICS).map(([name, get]) => [name, round(median(cell.map(get).filter((v) => v !== null && v !== undefined)), 2)]),
      );
      byServer[kind][n] = { reps: cell.length, ...values, ...deliveryTotals(cell), upstream: upstreamSummary(cell) };
    }
    const s = mine.find((r) => r.single)?.single;
    if (s) single[kind] = { count: s.count, failures: s.failures, firstEventP50: round(s.firstEventMs.p50, 2), firstEventP99: round(s.firstEventMs.p99, 2), firstNewsP50: round(s.firstNewsMs.p50, 2), firstNewsP99: round(s.firstNewsMs.p99, 2) };
  }
  // Ratios to the baseline: the machine's practical upper bound, so they travel between machines.
  const ratios = {};
  for (const kind of Object.keys(byServer)) {
    ratios[kind] = {};
    for (const n of config.ns) {
      const mine = byServer[kind][n];
      const base = byServer.baseline?.[n];
      if (!mine || !base) continue;
      const r = (m, inverse = false) => (mine[m] && base[m] ? round(inverse ? base[m] / mine[m] : mine[m] / base[m], 2) : null);
      ratios[kind][n] = {
        openTime: r('openPerSecond', true),
        firstEventP50: r('firstEventP50'),
        firstEventP99: r('firstEventP99'),
        perStream: r('perStreamKiB'),
        cpu: r('cpuPercent'),
        cpuPerOpen: r('cpuOpenMsPerStream'),
        cpuPerEvent: r('cpuUsPerEvent'),
      };
    }
  }
  return { byServer, single, ratios };
}

function target(name, measured, met, note) {
  return { name, measured, met, ...(note ? { note } : {}) };
}

/** The issue's targets, judged on medians at the largest N this run measured (10,000 in a full run). */
export function evaluateTargets(summary, leaks, config) {
  const nMax = Math.max(...config.ns);
  const app = summary.byServer.app;
  const ref = summary.byServer.reference;
  if (!app) return [];
  const top = app[nMax];
  const at = nMax === 10_000 ? '' : ` (this run's largest N is ${nMax}, not 10,000)`;
  const targets = [];
  targets.push(target(
    `${nMax.toLocaleString('en-US')} concurrent streams held, every scheduled event delivered, lateness p99 < 100 ms${at}`,
    `${top.connected}/${nMax} connected, ${top.failedStreams} failed, ${top.eventsMissing} of ${top.eventsDue} due events missing` +
      `${top.extraEvents ? ` and ${top.extraEvents} extra (a second event at one tick)` : ''}, lateness p99 ${top.latenessP99} ms`,
    top.connected === nMax && top.failedStreams === 0 && top.eventsMissing === 0 && top.latenessP99 !== null && top.latenessP99 < 100,
  ));
  if (ref?.[nMax]) {
    const r = ref[nMax];
    const ratio = top.perStreamKiB / r.perStreamKiB;
    targets.push(target(
      `memory per stream ≤ 1.2 × the minimal Next.js route's${at}`,
      `RSS ${top.perStreamKiB} vs ${r.perStreamKiB} KiB = ${round(ratio, 2)}× (ours adds ${round(top.perStreamKiB - r.perStreamKiB)} KiB); ` +
        `right after a full GC ${top.perStreamAfterGcKiB} vs ${r.perStreamAfterGcKiB} KiB = ${round(top.perStreamAfterGcKiB / r.perStreamAfterGcKiB, 2)}×; ` +
        `live heap ${top.heapPerStreamKiB} vs ${r.heapPerStreamKiB} KiB (ours adds ${round(top.heapPerStreamKiB - r.heapPerStreamKiB)} KiB)`,
      ratio <= 1.2,
      'judged on RSS while holding',
    ));
  }
  if (ref?.[1000] && app[1000]) {
    const p99 = app[1000].firstEventP99 / ref[1000].firstEventP99;
    const p50 = app[1000].firstEventP50 / ref[1000].firstEventP50;
    targets.push(target(
      'first-event latency at 1,000 streams ≤ 1.5 × the minimal Next.js route\'s (p50 and p99)',
      `p50 ${app[1000].firstEventP50} vs ${ref[1000].firstEventP50} ms = ${round(p50, 2)}×; p99 ${app[1000].firstEventP99} vs ${ref[1000].firstEventP99} ms = ${round(p99, 2)}×`,
      p99 <= 1.5 && p50 <= 1.5,
    ));
  }
  const single = summary.single.app;
  if (single) {
    targets.push(target('single-stream first-event p99 < 20 ms', `p99 ${single.firstEventP99} ms (first news p99 ${single.firstNewsP99} ms)`, single.firstEventP99 < 20));
  }
  if (top.upstream) {
    const u = top.upstream;
    targets.push(target(
      `upstream fetches independent of N: one per feed per period${at}`,
      `${u.feeds} feeds, ${u.perPeriod} fetches per feed per period: gaps between fetches of a feed ${u.minGapMs} / ${u.medianGapMs} / ${u.maxGapMs} ms (min / median / max) for a ${u.periodMs} ms period`,
      // No extra fetch (no gap well under a period) and keeping up (median gap within 10 %).
      u.minGapMs >= 0.9 * u.periodMs && u.medianGapMs <= 1.1 * u.periodMs,
      'a gap shorter than the period would be an extra fetch; a longer one, the poller falling behind',
    ));
  }
  targets.push(target(
    `all streams cleaned up within 3 s of a mass disconnect${at}`,
    top.toZeroMs === null ? 'activeStreams never reached 0 within 60 s' : `activeStreams 0 after ${top.toZeroMs} ms`,
    top.toZeroMs !== null && top.toZeroMs < 3000,
  ));
  const leak = leaks.find((l) => l.server === 'app');
  if (leak) {
    const baseLeak = leaks.find((l) => l.server === 'baseline');
    // Noise: a 2 MiB allowance, or what the framework-free baseline itself drifts by if more.
    const allowance = Math.max(2, Math.abs(baseLeak?.heapGrowthMiB ?? 0) * 2);
    targets.push(target(
      `no memory growth across ${leak.cycles} cycles of ${leak.streams.toLocaleString('en-US')} streams`,
      `live heap ${leak.series[1].heapUsedMiB} → ${leak.series.at(-1).heapUsedMiB} MiB (${leak.heapGrowthMiB >= 0 ? '+' : ''}${leak.heapGrowthMiB}), RSS ${leak.series[1].rssMiB} → ${leak.series.at(-1).rssMiB} MiB`,
      leak.heapGrowthMiB <= allowance && leak.series.every((p) => p.cleanedUp !== false),
      `allowance ${allowance} MiB of live heap after a forced GC, cycle 1 to ${leak.cycles}`,
    ));
  }
  return targets;
}

const fmt = (v, digits = 1) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits }));
const times = (v) => (v === null || v === undefined ? '' : ` (${fmt(v, 2)}×)`);

function perCell(results, header, row) {
  const { summary, config } = results;
  const columns = header.split('|').length - 2;
  const rows = [header, `|---:|---|${'---:|'.repeat(columns - 2)}`];
  for (const n of config.ns) {
    for (const kind of SERVER_KINDS) {
      const s = summary.byServer[kind]?.[n];
      if (s) rows.push(`| ${n.toLocaleString('en-US')} | ${SERVER_LABELS[kind]} | ${row(s, summary.ratios[kind]?.[n] ?? {}).join(' | ')} |`);
    }
  }
  return rows.join('\n');
}

/** Capacity and latency: what clients see. */
function latencyTable(results) {
  return perCell(
    results,
    '| N | server | open rate, streams/s (open time × base) | first event p50 / p95 / p99, ms (p99 × base) | first news p50 / p99, ms | lateness p50 / p99, ms | due events missing (extra) | fetches per feed per period |',
    (s, r) => [
      `${fmt(s.openPerSecond, 0)}${times(r.openTime)}`,
      `${fmt(s.firstEventP50)} / ${fmt(s.firstEventP95)} / ${fmt(s.firstEventP99)}${times(r.firstEventP99)}`,
      `${fmt(s.firstNewsP50)} / ${fmt(s.firstNewsP99)}`,
      `${fmt(s.latenessP50)} / ${fmt(s.latenessP99)}`,
      `${s.eventsMissing} of ${s.eventsDue}${s.extraEvents ? ` (+${s.extraEvents} extra)` : ''}${s.failedStreams ? `, ${s.failedStreams} streams failed` : ''}`,
      s.upstream ? `${fmt(s.upstream.perPeriod, 2)} (${s.upstream.feeds} feeds; gaps ${s.upstream.minGapMs}–${s.upstream.maxGapMs} ms)` : 'n/a',
    ],
  );
}

/** Cost and cleanup: what the server pays. */
function costTable(results) {
  return perCell(
    results,
    '| N | server | RSS per stream, KiB (× base) | RSS per stream after a full GC, KiB | live heap per stream, KiB | RSS before / holding / 30 s after drop, MiB | CPU while holding, % of a core | CPU per stream opened, ms (× base) | CPU per event held, µs (× base) | drop → activeStreams 0, ms |',
    (s, r) => [
      `${fmt(s.perStreamKiB)}${times(r.perStream)}`,
      fmt(s.perStreamAfterGcKiB),
      fmt(s.heapPerStreamKiB),
      `${fmt(s.rssBeforeMiB)} / ${fmt(s.rssHoldingMiB)} / ${fmt(s.rssAfter30sMiB)}`,
      fmt(s.cpuPercent),
      `${fmt(s.cpuOpenMsPerStream, 2)}${times(r.cpuPerOpen)}`,
      `${fmt(s.cpuUsPerEvent, 0)}${times(r.cpuPerEvent)}`,
      fmt(s.toZeroMs, 0),
    ],
  );
}

function targetsTable(results) {
  return [
    '| target | measured | met |',
    '|---|---|:---:|',
    ...results.targets.map((t) => `| ${t.name} | ${t.measured}${t.note ? ` (${t.note})` : ''} | ${t.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}

function singleTable(results) {
  const rows = ['| server | first event p50 / p99, ms | first news p50 / p99, ms |', '|---|---:|---:|'];
  for (const kind of SERVER_KINDS) {
    const s = results.summary.single[kind];
    if (s) rows.push(`| ${SERVER_LABELS[kind]} | ${fmt(s.firstEventP50, 2)} / ${fmt(s.firstEventP99, 2)} | ${fmt(s.firstNewsP50, 2)} / ${fmt(s.firstNewsP99, 2)} |`);
  }
  return rows.join('\n');
}

function leakTable(results) {
  if (results.leaks.length === 0) return '_Leak check skipped (--no-leak)._';
  const rows = ['| server | live heap after each cycle, MiB (cycle 0 = before) | heap growth cycle 1 → last | RSS cycle 1 → last, MiB |', '|---|---|---:|---:|'];
  for (const l of results.leaks) {
    rows.push(`| ${SERVER_LABELS[l.server]} | ${l.series.map((p) => fmt(p.heapUsedMiB)).join(' → ')} | ${l.heapGrowthMiB >= 0 ? '+' : ''}${fmt(l.heapGrowthMiB)} MiB | ${fmt(l.series[1].rssMiB)} → ${fmt(l.series.at(-1).rssMiB)} |`);
  }
  return rows.join('\n');
}

function machineLine(results) {
  const m = results.machine;
  return `${m.cores} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, Next.js ${m.next}, commit ${m.commit}. ` +
    `Load average (1 min) ${m.loadAverageAtStart[0]} at start, ${m.loadAverageAtEnd[0]} at end; run took ${results.durationMinutes} min.`;
}

/** The body shared by the results file and docs/benchmarks.md. */
function resultsBody(results, chartHref) {
  const c = results.config;
  return [
    `**Run:** ${results.startedAt} (${c.mode}: ${c.reps} repetition(s) per N, medians shown; ${c.concurrency} opens in flight; interval ${c.intervalMs / 1000} s; hold ${c.holdMs / 1000} s).`,
    '',
    `**Machine:** ${machineLine(results)}`,
    '',
    '### Targets (measured, not asserted)',
    '',
    targetsTable(results),
    '',
    '### Capacity and latency (× base = ratio to the node:http baseline at the same N)',
    '',
    latencyTable(results),
    '',
    '### Cost and cleanup',
    '',
    costTable(results),
    '',
    `### One stream at a time (${results.summary.single.app?.count ?? results.summary.single.baseline?.count ?? 0} sequential streams)`,
    '',
    singleTable(results),
    '',
    '### Leak check',
    '',
    leakTable(results),
    '',
    `![Memory per stream and first-event p99 against N](${chartHref})`,
  ].join('\n');
}

export function renderMarkdown(results, chartHref) {
  return `# Benchmark results, ${results.date}${results.config.mode === 'full' ? '' : ` (${results.config.mode} mode)`}\n\nMethod: [docs/benchmarks.md](../../docs/benchmarks.md). Raw figures: the JSON file beside this one.\n\n${resultsBody(results, chartHref)}\n`;
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Replaces the marked results section of docs/benchmarks.md (left alone if the markers are missing). */
export function updateDocs(file, results, chartHref) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) return false;
  writeFileSync(file, `${text.slice(0, start + START.length)}\n${resultsBody(results, chartHref)}\n${text.slice(end)}`);
  return true;
}
