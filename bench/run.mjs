#!/usr/bin/env node
/**
 * `npm run bench`: capacity, latency and cost of the SSE stream endpoint, measured side by side
 * with a bare node:http baseline and a minimal Next.js route emitting the same event schedule.
 *
 *   npm run bench                  full run: N = 100, 1000, 5000, 10000; repeated; leak check
 *   npm run bench -- --quick       N = 100, 1000, one repetition, short leak check (a fast check)
 *   npm run bench -- --smoke       N = 50, no leak check; exits 1 if any stream failed or lost an event (CI)
 *   npm run bench -- --scale       the scale scenarios of issue 15 (bench/scenarios/run-scale.mjs lists its options)
 *   npm run bench -- --close-path  our close of one stream beside the minimal route's, outside Next (bench/close-path/)
 *   options: --reps=K  --ns=100,1000  --servers=baseline,reference,app  --no-build
 *            --leak=CYCLESxSTREAMS  --no-leak  --leak-only
 *            --hold=SECONDS (default 10)  --profile (the app writes a V8 CPU profile per run to bench/.tmp/profiles)
 *
 * Everything it measures it starts itself: a local RSS feed server (in this process), each server
 * under test (its own process, fresh for every measurement), and the load client (its own
 * process). Results: bench/results/<date>[-quick].{json,md,svg}; a full run also refreshes the
 * results section of docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from './lib/build.mjs';
import { renderChart } from './lib/chart.mjs';
import { startLoadClient } from './lib/client-handle.mjs';
import { startFeedServer } from './lib/feed-server.mjs';
import { machineInfo, runRecord } from './lib/machine.mjs';
import { cpuSeconds, rssBytes, sampleRss } from './lib/proc-stats.mjs';
import { evaluateTargets, renderMarkdown, summarizeRuns, updateDocs } from './lib/report.mjs';
import { kib, median, mib } from './lib/stats.mjs';
import { QUIET_BEFORE_DROP_MS, SERVER_KINDS, benchTmp, probeDir, quietBeforeDrop, repoRoot, startServer, waitForActive } from './lib/server-process.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

const smoke = flag('smoke');
const quick = flag('quick') || smoke;
/** --leak=CYCLESxSTREAMS, e.g. --leak=10x2000 */
function leakOption() {
  const match = /^(\d+)x(\d+)$/.exec(option('leak') ?? '');
  return match ? { cycles: Number(match[1]), streams: Number(match[2]) } : null;
}
/** Only the default full run refreshes docs/benchmarks.md; narrowed runs are labelled as such. */
const partial = ['ns', 'servers', 'leak', 'hold'].some((o) => option(o)) || flag('leak-only') || flag('no-leak');
const config = {
  mode: `${smoke ? 'smoke' : quick ? 'quick' : 'full'}${partial ? ' (partial)' : ''}`,
  ns: option('ns')?.split(',').map(Number) ?? (smoke ? [50] : quick ? [100, 1000] : [100, 1000, 5000, 10_000]),
  reps: Number(option('reps') ?? (quick ? 1 : 2)),
  servers: (option('servers') ?? SERVER_KINDS.join(',')).split(',').filter((k) => SERVER_KINDS.includes(k)),
  /** Stream interval and feed poll period: every stream is due one news event per period. */
  intervalMs: 5000,
  /** Far longer than opening plus holding takes (minutes for 10,000 on a busy machine): streams end by the mass disconnect, not by time. */
  durationMs: 900_000,
  limit: 10,
  /** Streams spread over a few symbols, so the app polls 1 per-symbol feed each + 1 market feed. */
  symbols: ['TSLA', 'AAPL', 'MSFT', 'NVDA'],
  /** Opens in flight at once: bounded, so the bench measures throughput, not the accept backlog. */
  concurrency: 100,
  settleMs: 1000,
  /** Two periods: every held stream is due two scheduled news events in the window. */
  holdMs: Number(option('hold') ?? 10) * 1000,
  /** A due event not arrived this long after its tick counts as missing. */
  graceMs: 2000,
  singleStreams: smoke ? 20 : quick ? 50 : 200,
  warmupStreams: 20,
  rssAfterMs: 30_000,
  /** Between the live-heap probe's forced GC and the drop, so its tail is not charged to the cleanup. */
  quietBeforeDropMs: smoke ? 1000 : quick ? 3000 : QUIET_BEFORE_DROP_MS,
  leak: flag('no-leak') || smoke ? null : leakOption() ?? (quick ? { cycles: 3, streams: 500 } : { cycles: 10, streams: 2000 }),
};
const streamParams = { interval: config.intervalMs, duration: config.durationMs, limit: config.limit };

const log = (...parts) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);

function nodeArgs(kind) {
  return kind === 'app' && flag('profile') ? ['--cpu-prof', `--cpu-prof-dir=${path.join(benchTmp, 'profiles')}`] : [];
}

function serverEnv(kind, feeds) {
  if (kind !== 'app') return {};
  return {
    NEWS_FEEDS: feeds.newsFeeds,
    NEWS_MIN_POLL_MS: String(config.intervalMs),
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_STREAMS_PER_CLIENT: '0',
    LOG_LEVEL: 'warn',
    STREAM_MAX_DURATION_MS: String(config.durationMs),
  };
}

/** Servers left idling for their "RSS 30 s after the disconnect" reading while the next one runs. */
const pendingAfters = [];

/** One server, one N: open, hold, measure, drop all at once, watch the cleanup. */
async function measure(kind, n, rep, feeds, withSingle) {
  const server = await startServer(kind, serverEnv(kind, feeds), nodeArgs(kind));
  const client = startLoadClient();
  const run = { server: kind, n, rep, loadAverage: os.loadavg()[0] };
  try {
    await client.call('single', { baseUrl: server.url, count: config.warmupStreams, params: streamParams, symbols: config.symbols });
    if (withSingle) {
      run.single = await client.call('single', { baseUrl: server.url, count: config.singleStreams, params: streamParams, symbols: config.symbols });
    }
    await waitForActive(server, 0, 10_000);
    const heapBefore = await server.probeHeap();
    const rssBefore = rssBytes(server.pid);

    const openStart = Date.now();
    const cpuBeforeOpen = cpuSeconds(server.pid);
    run.open = await client.call('open', { baseUrl: server.url, n, concurrency: config.concurrency, params: streamParams, symbols: config.symbols });
    const cpuAfterOpen = cpuSeconds(server.pid);
    await sleep(config.settleMs);
    const health = await server.health(10_000);
    run.activeStreamsWhileHolding = health?.activeStreams ?? null;

    const holdStart = Date.now();
    const cpuStart = cpuSeconds(server.pid);
    const stopSampling = sampleRss(server.pid, 500);
    await sleep(config.holdMs);
    const holdEnd = Date.now();
    const cpuEnd = cpuSeconds(server.pid);
    const samples = stopSampling();
    run.delivery = await client.call('report', { from: holdStart, to: holdEnd - config.graceMs });
    const fetchWindow = [openStart, holdEnd];
    const fetches = feeds.countBetween(...fetchWindow);
    const gaps = feeds.gapsBetween(...fetchWindow);
    // GC and snapshot only after the lateness window: a forced full GC pauses the server.
    const heapHolding = await server.probeHeap(30_000);
    // RSS right after that full GC: without the garbage awaiting collection, which grows with how
    // much a server allocates per event rather than with what it keeps per stream.
    const rssAfterGc = rssBytes(server.pid);

    const rssHolding = median(samples);
    run.memory = {
      rssBeforeMiB: mib(rssBefore),
      rssHoldingMiB: mib(rssHolding),
      perStreamKiB: kib((rssHolding - rssBefore) / n),
      perStreamAfterGcKiB: kib((rssAfterGc - rssBefore) / n),
      heapUsedBeforeMiB: heapBefore ? mib(heapBefore.heapUsed) : null,
      heapUsedHoldingMiB: heapHolding ? mib(heapHolding.heapUsed) : null,
      heapPerStreamKiB: heapBefore && heapHolding ? kib((heapHolding.heapUsed - heapBefore.heapUsed) / n) : null,
      externalPerStreamKiB: heapBefore && heapHolding ? kib((heapHolding.external - heapBefore.external) / n) : null,
    };
    run.cpuPercent = Math.round(((cpuEnd - cpuStart) / ((holdEnd - holdStart) / 1000)) * 1000) / 10;
    // CPU time spent, unlike wall time, does not grow when other processes take the cores: the
    // figures to compare on a noisy machine. Opening includes serving the streams already open.
    run.cpuCost = {
      openMsPerStream: Math.round(((cpuAfterOpen - cpuBeforeOpen) * 1e6) / n) / 1000,
      holdUsPerEvent: Math.round(((cpuEnd - cpuStart) * 1e6) / (n * ((holdEnd - holdStart) / config.intervalMs))),
    };
    run.upstream = kind === 'app'
      ? {
        windowMs: fetchWindow[1] - fetchWindow[0],
        periods: (fetchWindow[1] - fetchWindow[0]) / config.intervalMs,
        perFeed: fetches,
        // One fetch per feed per period means consecutive fetches of a feed are one period apart.
        gapMs: gaps.length ? { min: Math.min(...gaps), median: median(gaps), max: Math.max(...gaps), count: gaps.length } : null,
      }
      : null;

    const cpuBeforeDropMs = await quietBeforeDrop(server, config.quietBeforeDropMs);
    const drop = await client.call('drop');
    const zeroAt = await waitForActive(server, 0, 60_000);
    run.disconnect = { dropMs: drop.doneAt - drop.startedAt, toZeroMs: zeroAt === null ? null : zeroAt - drop.startedAt, cpuBeforeDropMs };
    // The server idles for its 30 s reading while the next measurement runs (it does no work).
    pendingAfters.push(
      sleep(Math.max(0, drop.startedAt + config.rssAfterMs - Date.now())).then(async () => {
        run.disconnect.rssAfter30sMiB = mib(rssBytes(server.pid));
        await server.stop();
      }),
    );
    log(`${kind} N=${n} rep ${rep + 1}: open ${Math.round(run.open.streamsPerSecond)}/s, first event p99 ${run.open.firstEventMs.p99?.toFixed(1)} ms, ` +
      `${run.memory.perStreamKiB} KiB/stream, CPU ${run.cpuPercent} %, lateness p99 ${run.delivery.latenessMs.p99?.toFixed(1)} ms, ` +
      `missing ${run.delivery.eventsMissing}/${run.delivery.eventsDue} (+${run.delivery.extraEvents} extra), to zero ${run.disconnect.toZeroMs} ms`);
    return run;
  } catch (error) {
    await server.stop();
    throw new Error(`${kind} N=${n}: ${error.message}\n--- server output ---\n${server.output().slice(-3000)}`);
  } finally {
    await client.close();
  }
}

/** Opens and drops `streams` streams `cycles` times; live heap (after a forced GC) and RSS after each. */
async function leakCheck(kind, feeds) {
  const server = await startServer(kind, serverEnv(kind, feeds), nodeArgs(kind));
  const client = startLoadClient();
  try {
    await client.call('single', { baseUrl: server.url, count: config.warmupStreams, params: streamParams, symbols: config.symbols });
    await waitForActive(server, 0, 10_000);
    const point = async (cycle) => {
      const heap = await server.probeHeap(30_000);
      return { cycle, rssMiB: mib(rssBytes(server.pid)), heapUsedMiB: heap ? mib(heap.heapUsed) : null };
    };
    const series = [await point(0)];
    for (let cycle = 1; cycle <= config.leak.cycles; cycle++) {
      const opened = await client.call('open', { baseUrl: server.url, n: config.leak.streams, concurrency: config.concurrency, params: streamParams, symbols: config.symbols });
      await client.call('drop');
      const zero = await waitForActive(server, 0, 60_000);
      series.push({ ...(await point(cycle)), connected: opened.connected, openMs: Math.round(opened.openMs), cleanedUp: zero !== null });
    }
    const first = series[1];
    const last = series[series.length - 1];
    const result = {
      server: kind,
      ...config.leak,
      series,
      // From the first cycle on: cycle 0 is before any load, when pools and JIT are still cold.
      heapGrowthMiB: Math.round((last.heapUsedMiB - first.heapUsedMiB) * 10) / 10,
      rssGrowthMiB: Math.round((last.rssMiB - first.rssMiB) * 10) / 10,
    };
    log(`leak ${kind}: heap ${series.map((p) => p.heapUsedMiB).join(' → ')} MiB; RSS ${first.rssMiB} → ${last.rssMiB} MiB; ` +
      `open ${series.slice(1).map((p) => p.openMs).join(', ')} ms`);
    return result;
  } finally {
    await client.close();
    await server.stop();
  }
}

async function main() {
  const started = new Date();
  mkdirSync(probeDir, { recursive: true });
  mkdirSync(benchTmp, { recursive: true });
  const machine = machineInfo(repoRoot);
  log(`mode ${config.mode}: N ${config.ns.join(', ')}, ${config.reps} repetition(s), servers ${config.servers.join(', ')}`);
  build({ servers: config.servers, reuse: flag('no-build'), log });

  const feeds = await startFeedServer(config.intervalMs);
  const runs = [];
  const leaks = [];
  try {
    for (let rep = 0; rep < (flag('leak-only') ? 0 : config.reps); rep++) {
      for (const n of config.ns) {
        // Interleaved, so machine noise lands on all servers alike.
        for (const kind of config.servers) runs.push(await measure(kind, n, rep, feeds, rep === 0 && n === config.ns[0]));
      }
    }
    // The app, and the baseline as the yardstick for what "noise" is on this machine.
    if (config.leak) for (const kind of config.servers.filter((k) => k !== 'reference')) leaks.push(await leakCheck(kind, feeds));
    await Promise.all(pendingAfters);
  } finally {
    await feeds.close();
  }

  const summary = summarizeRuns(runs, config);
  const results = {
    ...runRecord(started, machine),
    config,
    summary,
    targets: evaluateTargets(summary, leaks, config),
    leaks,
    runs,
  };
  const dir = path.join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const base = `${results.date}${smoke ? '-smoke' : quick ? '-quick' : ''}${partial ? '-partial' : ''}`;
  writeFileSync(path.join(dir, `${base}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(dir, `${base}.svg`), renderChart(summary, config));
  const markdown = renderMarkdown(results, `${base}.svg`);
  writeFileSync(path.join(dir, `${base}.md`), markdown);
  if (!quick && !partial) updateDocs(path.join(repoRoot, 'docs/benchmarks.md'), results, `../bench/results/${base}.svg`);
  log(`done in ${results.durationMinutes} min: bench/results/${base}.{json,md,svg}`);
  console.log(`\n${markdown}`);
  if (smoke) {
    const broken = runs.filter((r) => r.open.connected !== r.n || r.delivery.eventsMissing > 0 || r.disconnect.toZeroMs === null);
    for (const r of broken) console.error(`smoke: ${r.server} N=${r.n}: ${r.open.connected}/${r.n} connected, ${r.delivery.eventsMissing} events missing, failures ${JSON.stringify(r.open.failures)}`);
    if (broken.length > 0) process.exitCode = 1;
  }
}

// --scale and --close-path: separate modes (bench/scenarios/, bench/close-path/) with their own results files.
function mode() {
  if (flag('scale')) return import('./scenarios/run-scale.mjs').then((m) => m.runScale(argv));
  if (flag('close-path')) return import('./close-path/run.mjs').then((m) => m.runClosePath(argv));
  return main();
}

mode().catch((error) => {
  console.error(error);
  process.exit(1);
});
