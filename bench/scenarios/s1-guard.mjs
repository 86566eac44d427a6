/**
 * Scenario 1: the guard on at full scale. N streams, each from its own client (TRUST_PROXY, one
 * X-Forwarded-For each, default limits), held long enough for heartbeats, with a duration that ends
 * them inside the hold so their final events are counted. Then the same clients open N streams
 * again, which are dropped all at once (--drops1 times, reopened in between): cleanup time, and
 * RSS and live heap some time after the last drop.
 *
 * Two rounds because one set of streams cannot both end by itself (final events) and be dropped
 * (cleanup); memory per stream is read in round 1 (RSS while every stream is open), live heap in
 * round 2 (a forced GC would pause round 1's deliveries).
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFeedServer } from '../lib/feed-server.mjs';
import { majorGcFigures } from '../lib/gc-trace.mjs';
import { operatorEnv } from '../lib/operator-env.mjs';
import { cpuSeconds, rssBytes, sampleRss } from '../lib/proc-stats.mjs';
import { QUIET_STEP_MS, waitForActive } from '../lib/server-process.mjs';
import { kib, median, mib, round } from '../lib/stats.mjs';
import { dropAll, dropAndWatch, interleaved, markPhase, memoryFigures, openLoad, startWarm, upstreamFigures } from './stream-run.mjs';
import { dropMedian, dropsOf } from './drops.mjs';
import { FEW_SYMBOLS } from './symbols.mjs';
import { cell, failuresOf, figuresTable, pairedRatio, ratioCell, ratioTable, runsOf, summarizeVariants, target, targetsTable } from './summary.mjs';

export const id = 1;
export const title = 'Guard on: streams from distinct clients, held with heartbeats and final events, then a mass drop';

const LABELS = {
  app: 'Market Pulse (guard on)',
  reference: 'minimal Next.js route',
  'reference-mw': 'minimal route behind an empty Node.js middleware',
  baseline: 'node:http baseline',
  'reference-hb': 'minimal Next.js route sending the app\'s heartbeats',
};

function variants(ctx, feeds) {
  const c = ctx.config.s1;
  const extra = {
    ...(c.heartbeatMs ? { STREAM_HEARTBEAT_MS: String(c.heartbeatMs) } : {}),
    // Only for holds over 330 s: streams longer than the default STREAM_MAX_DURATION_MS (300 s) would be refused.
    ...(c.durationMs > 300_000 ? { STREAM_MAX_DURATION_MS: String(c.durationMs) } : {}),
  };
  const all = [
    { variant: 'app', kind: 'app', env: operatorEnv({ newsFeeds: feeds.newsFeeds, extra }) },
    { variant: 'reference', kind: 'reference', env: { BENCH_ELD: '1' } },
    // What Next costs for running a middleware at all, which the design keeps as the guard's entry:
    // the targets stay judged against the bare route; this shows how much of the gap is that floor.
    { variant: 'reference-mw', kind: 'reference-mw', env: { BENCH_ELD: '1' } },
    { variant: 'baseline', kind: 'baseline', env: { BENCH_ELD: '1' } },
  ];
  // Only when asked for (--variants1=…,reference-hb): reported beside the judged comparisons, never instead of them.
  const optional = [{ variant: 'reference-hb', kind: 'reference', env: { BENCH_ELD: '1', BENCH_HEARTBEAT_MS: String(c.heartbeatMs ?? 15_000) } }];
  if (!c.variants) return all;
  const known = [...all, ...optional];
  const unknown = c.variants.filter((name) => !known.some((v) => v.variant === name));
  if (unknown.length) throw new Error(`--variants1: no server named ${unknown.join(', ')} (known: ${known.map((v) => v.variant).join(', ')})`);
  return known.filter((v) => c.variants.includes(v.variant));
}

async function measure(ctx, rep, v, feeds) {
  const c = ctx.config.s1;
  const params = { interval: c.intervalMs, duration: c.durationMs, limit: 10 };
  const load = { n: c.n, params, symbols: FEW_SYMBOLS, clients: { base: 0 }, sameOrigin: true };
  const handle = await startWarm(ctx, v.kind, v.env, load);
  const { server, client } = handle;
  const run = { variant: v.variant, label: LABELS[v.variant], server: v.kind, rep, n: c.n, loadAverage: round(os.loadavg()[0], 2) };
  try {
    // Round 1: streams that end by themselves inside the hold.
    const { open, startedAt: openStart } = await openLoad(ctx, handle, load);
    run.open = open;
    markPhase(handle, run, 'open', openStart, openStart + open.openMs);
    await sleep(ctx.config.settleMs);
    run.activeWhileHolding = (await server.health(10_000))?.activeStreams ?? null;
    const holdStart = Date.now();
    // RSS only while every stream is open: the first ones end `duration` after the open began.
    const liveUntil = openStart + c.durationMs - 1000;
    const cpuStart = cpuSeconds(server.pid);
    const stopSampling = sampleRss(server.pid, 500);
    await sleep(Math.max(0, liveUntil - Date.now()));
    const samples = stopSampling();
    const liveEnd = Date.now();
    run.majorGc = majorGcFigures(server.majorGcs(holdStart, liveEnd), c.n);
    run.cpuPercent = round(((cpuSeconds(server.pid) - cpuStart) / Math.max(0.001, (liveEnd - holdStart) / 1000)) * 100, 1);
    await sleep(Math.max(0, holdStart + c.holdMs - Date.now()));
    const holdEnd = Date.now();
    markPhase(handle, run, 'hold', holdStart, holdEnd);
    run.activeAtHoldEnd = (await server.health(10_000))?.activeStreams ?? null;
    // Every event of every stream's life (opening included), and the hold alone as the default bench reads it.
    run.delivery = await client.call('report', { from: openStart, to: holdEnd - ctx.config.graceMs });
    run.deliveryHold = await client.call('report', { from: holdStart, to: holdEnd - ctx.config.graceMs });
    run.upstream = v.kind === 'app' ? upstreamFigures(feeds, openStart, holdEnd, c.intervalMs, FEW_SYMBOLS.length + 1) : null;
    const rssHolding = median(samples);
    run.memory = {
      rssBeforeMiB: mib(handle.before.rss),
      rssHoldingMiB: mib(rssHolding),
      perStreamKiB: kib((rssHolding - handle.before.rss) / c.n),
      rssSamples: samples.length,
    };
    run.endedToZeroMs = (await waitForActive(server, 0, 60_000)) === null ? null : Date.now() - holdEnd;
    const afterRound1 = await server.probeHeap(60_000);
    run.eventLoopDelayMs = afterRound1?.eventLoopDelayMs ? { window: 'warm-up end → round 1 end', ...afterRound1.eventLoopDelayMs } : null;
    await client.call('drop'); // forgets round 1's (ended) streams

    // Round 2: the same clients open again (within their limits: one start each in minutes), then all drop at once.
    const load2 = { ...load, params: { ...params, duration: 300_000 } };
    const second = await openLoad(ctx, handle, load2);
    run.reopen = second.open;
    markPhase(handle, run, 'reopen', second.startedAt, second.startedAt + second.open.openMs);
    await sleep(ctx.config.settleMs);
    const stopSampling2 = sampleRss(server.pid, 500);
    await sleep(3000);
    const rssHolding2 = median(stopSampling2());
    const heapHolding = await server.probeHeap(60_000);
    run.memoryRound2 = memoryFigures(handle.before, rssHolding2, heapHolding, rssBytes(server.pid), c.n);
    run.v8HeapBeforeDrop = heapHolding?.v8Heap ?? null;
    // Each drop but the last is followed by a reopen and the same probe and quiet wait, so every
    // drop starts from the same state; the last is watched for RSS and live heap afterwards.
    run.drops = [];
    run.reopens = [];
    for (let d = 1; d < c.drops; d++) {
      await dropAll(ctx, handle, run);
      run.drops.push(run.disconnect);
      const again = await openLoad(ctx, handle, load2);
      run.reopens.push(again.open);
      await sleep(ctx.config.settleMs);
      await server.probeHeap(60_000);
    }
    await dropAndWatch(ctx, handle, run, c.afterDropMs);
    run.drops.push(run.disconnect);
    return run;
  } catch (error) {
    await client.close();
    await server.stop();
    throw new Error(`${v.variant}: ${error.message}\n--- server output ---\n${server.output().slice(-3000)}`);
  }
}

export async function run(ctx) {
  // At most 5: each drop costs every client one more start, and round 2 must stay within the default 10 a minute.
  const { drops } = ctx.config.s1;
  if (!Number.isInteger(drops) || drops < 1 || drops > 5) throw new Error(`--drops1: a whole number from 1 to 5, not ${drops}`);
  const feeds = await startFeedServer(ctx.config.s1.intervalMs);
  const describe = (r) => {
    ctx.logRun(r);
    ctx.log(`  round 1: finals ${r.delivery.finalEvents.received}/${r.delivery.finalEvents.due}, heartbeats/stream p50 ${r.delivery.heartbeats.perStream.p50}; ` +
      `round 2: reopen ${Math.round(r.reopen.streamsPerSecond)}/s, live heap ${r.memoryRound2.heapPerStreamKiB} KiB/stream`);
  };
  return interleaved(ctx, variants(ctx, feeds), (rep, v) => measure(ctx, rep, v, feeds), { close: [feeds], describe });
}

const sumOver = (list, get) => list.reduce((t, x) => t + (get(x) ?? 0), 0);

/** When each repetition's RSS fell under half its value at the drop, e.g. "at 55, 60 s and not before the probe". */
function halved(list) {
  const at = list.map((r) => r.disconnect?.rssHalvedAtS).filter((s) => s !== undefined);
  if (at.length === 0) return 'n/a';
  const fell = at.filter((s) => s !== null);
  const missed = at.length - fell.length;
  const parts = [...(fell.length ? [`at ${fell.join(', ')} s`] : []), ...(missed ? [`${missed === at.length ? '' : `${missed}× `}not before the probe`] : [])];
  return parts.join(' and ');
}

/** "app: 3,561, 4,352 | 2,944, …; minimal route: …": every drop, repetitions apart. */
function eachDrop(runs) {
  const variants = [...new Set(runs.map((r) => r.variant))];
  const ms = (d) => (d.toZeroMs === null ? 'never' : d.toZeroMs.toLocaleString('en-US'));
  return variants.map((v) => `${v}: ${runsOf(runs, v).map((r) => dropsOf(r).map(ms).join(', ')).join(' | ')}`).join('; ');
}

const METRICS = [
  { key: 'connected', label: 'connected', get: (r) => r.open.connected, digits: 0 },
  { key: 'activeWhileHolding', label: 'activeStreams (health) holding', get: (r) => r.activeWhileHolding, digits: 0 },
  { key: 'openRate', label: 'open rate, /s', get: (r) => r.open.streamsPerSecond, digits: 0 },
  { key: 'firstEventP50', label: 'first event p50, ms', get: (r) => r.open.firstEventMs.p50 },
  { key: 'firstEventP99', label: 'first event p99, ms', get: (r) => r.open.firstEventMs.p99 },
  { key: 'eventsDue', label: 'news events due', get: (r) => r.delivery.eventsDue, digits: 0 },
  { key: 'eventsMissing', label: 'missing', get: (r) => r.delivery.eventsMissing, digits: 0 },
  { key: 'extraEvents', label: 'extra', get: (r) => r.delivery.extraEvents, digits: 0 },
  { key: 'finalsDue', label: 'final events due', get: (r) => r.delivery.finalEvents.due, digits: 0 },
  { key: 'finalsReceived', label: 'final events received', get: (r) => r.delivery.finalEvents.received, digits: 0 },
  { key: 'latenessP50', label: 'lateness p50, ms (whole life)', get: (r) => r.delivery.latenessMs.p50 },
  { key: 'latenessP99', label: 'lateness p99, ms (whole life)', get: (r) => r.delivery.latenessMs.p99 },
  { key: 'latenessHoldP99', label: 'lateness p99, ms (hold only)', get: (r) => r.deliveryHold.latenessMs.p99 },
  { key: 'finalLatenessP99', label: 'final event lateness p99, ms', get: (r) => r.delivery.finalEvents.latenessMs.p99 },
  { key: 'heartbeatsP50', label: 'heartbeats per stream p50', get: (r) => r.delivery.heartbeats.perStream.p50, digits: 0 },
  { key: 'heartbeatsMin', label: 'heartbeats per stream min', get: (r) => r.delivery.heartbeats.perStream.min, digits: 0 },
];
const COST = [
  { key: 'perStreamKiB', label: 'RSS per stream, KiB (round 1, held)', get: (r) => r.memory.perStreamKiB },
  { key: 'perStreamAfterGcKiB', label: 'RSS per stream after GC, KiB (round 2)', get: (r) => r.memoryRound2.perStreamAfterGcKiB },
  { key: 'heapPerStreamKiB', label: 'live heap per stream, KiB (round 2)', get: (r) => r.memoryRound2.heapPerStreamKiB },
  { key: 'cpuPercent', label: 'CPU holding, % of a core', get: (r) => r.cpuPercent },
  { key: 'cpuOpen', label: 'CPU per open, ms', get: (r) => r.open.cpuMsPerStream, digits: 2 },
  { key: 'eldP99', label: 'event-loop delay p99, ms (round 1)', get: (r) => r.eventLoopDelayMs?.p99 },
  { key: 'eldMax', label: 'event-loop delay max, ms (round 1)', get: (r) => r.eventLoopDelayMs?.max },
  { key: 'gcCount', label: 'full GCs while every stream is held', get: (r) => r.majorGc?.count, digits: 0 },
  { key: 'gcInterval', label: 'time between full GCs, s', get: (r) => r.majorGc?.intervalS },
  { key: 'gcMainThread', label: 'main-thread time per full GC, ms (marking steps + pause)', get: (r) => r.majorGc?.mainThreadMs, digits: 0 },
  { key: 'gcMainThreadMax', label: 'main-thread time per full GC, max, ms', get: (r) => r.majorGc?.mainThreadMaxMs, digits: 0 },
  { key: 'gcWalltime', label: 'wall time per full GC, ms', get: (r) => r.majorGc?.walltimeMs, digits: 0 },
  { key: 'oldGrowth', label: 'old-generation growth, KiB per stream per minute', get: (r) => r.majorGc?.oldGrowthKiBPerMin, digits: 2 },
  { key: 'reopenConnected', label: 'round 2 connected', get: (r) => r.reopen.connected, digits: 0 },
  { key: 'reopenRate', label: 'round 2 open rate, /s', get: (r) => r.reopen.streamsPerSecond, digits: 0 },
  { key: 'toZeroMs', label: 'drop → 0 active, ms (median of the repetition\'s drops)', get: (r) => dropMedian(r, (d) => d.toZeroMs), digits: 0 },
  { key: 'firstDropMs', label: 'first drop → 0 active, ms', get: (r) => dropsOf(r)[0].toZeroMs, digits: 0 },
  { key: 'dropCpuMs', label: 'CPU from a drop to 0 active, ms (median)', get: (r) => dropMedian(r, (d) => d.cpuMs), digits: 0 },
  { key: 'quietCpu', label: 'CPU in the last 2 s before a drop, ms (median)', get: (r) => dropMedian(r, (d) => d.cpuBeforeDropMs?.slice(-2000 / QUIET_STEP_MS).reduce((a, b) => a + b, 0)), digits: 0 },
  { key: 'dropGcs', label: 'full GCs ended between a drop and 0 active (all drops)', get: (r) => sumOver(dropsOf(r), (d) => d.majorGcs?.count), digits: 0 },
  { key: 'dropGcMs', label: 'their main-thread time, ms', get: (r) => sumOver(dropsOf(r), (d) => d.majorGcs?.mainThreadMs), digits: 0 },
  { key: 'rssAfterMiB', label: 'RSS after the last drop, MiB', get: (r) => r.disconnect.rssAfterMiB },
  { key: 'heapAfterMiB', label: 'live heap after the last drop, MiB', get: (r) => r.disconnect.heapUsedAfterMiB },
  { key: 'rssHalvedAtS', label: 'RSS under half its value at the drop from, s after it (over the repetitions where it fell before the probe; the target line lists each)', get: (r) => r.disconnect.rssHalvedAtS, digits: 0 },
  { key: 'rssAfterGcMiB', label: 'RSS 10 s after the probe\'s forced GC, MiB', get: (r) => r.disconnect.rssAfterGcMiB },
  { key: 'rssBeforeMiB', label: 'RSS before, MiB', get: (r) => r.memory.rssBeforeMiB },
  { key: 'rssHoldingMiB', label: 'RSS holding, MiB', get: (r) => r.memory.rssHoldingMiB },
];

export function report(runs, ctx) {
  const c = ctx.config.s1;
  const delivery = summarizeVariants(runs, METRICS);
  const cost = summarizeVariants(runs, COST);
  const labels = LABELS;
  const ratios = {
    perStream: pairedRatio(runs, 'app', 'reference', (r) => r.memory.perStreamKiB),
    perStreamAfterGc: pairedRatio(runs, 'app', 'reference', (r) => r.memoryRound2.perStreamAfterGcKiB),
    heapPerStream: pairedRatio(runs, 'app', 'reference', (r) => r.memoryRound2.heapPerStreamKiB),
    cleanup: pairedRatio(runs, 'app', 'reference', (r) => dropMedian(r, (d) => d.toZeroMs)),
    cleanupCpu: pairedRatio(runs, 'app', 'reference', (r) => dropMedian(r, (d) => d.cpuMs)),
    cleanupFirstDrop: pairedRatio(runs, 'app', 'reference', (r) => dropsOf(r)[0].toZeroMs),
    openRate: pairedRatio(runs, 'app', 'reference', (r) => r.open.streamsPerSecond),
    firstEventP50: pairedRatio(runs, 'app', 'reference', (r) => r.open.firstEventMs.p50),
    latenessP99: pairedRatio(runs, 'app', 'reference', (r) => r.delivery.latenessMs.p99),
    oldGrowth: pairedRatio(runs, 'app', 'reference', (r) => r.majorGc?.oldGrowthKiBPerMin),
    gcMainThread: pairedRatio(runs, 'app', 'reference', (r) => r.majorGc?.mainThreadMs),
    middlewareFloorPerStream: pairedRatio(runs, 'reference-mw', 'reference', (r) => r.memory.perStreamKiB),
    middlewareFloorCleanup: pairedRatio(runs, 'reference-mw', 'reference', (r) => dropMedian(r, (d) => d.toZeroMs)),
    overFloorPerStream: pairedRatio(runs, 'app', 'reference-mw', (r) => r.memory.perStreamKiB),
    overFloorCleanup: pairedRatio(runs, 'app', 'reference-mw', (r) => dropMedian(r, (d) => d.toZeroMs)),
    heartbeatRoutePerStream: pairedRatio(runs, 'app', 'reference-hb', (r) => r.memory.perStreamKiB),
    heartbeatRouteCleanup: pairedRatio(runs, 'app', 'reference-hb', (r) => dropMedian(r, (d) => d.toZeroMs)),
    heartbeatRouteCleanupCpu: pairedRatio(runs, 'app', 'reference-hb', (r) => dropMedian(r, (d) => d.cpuMs)),
    perStreamVsBaseline: pairedRatio(runs, 'app', 'baseline', (r) => r.memory.perStreamKiB),
    referencePerStreamVsBaseline: pairedRatio(runs, 'reference', 'baseline', (r) => r.memory.perStreamKiB),
  };
  const app = runsOf(runs, 'app');
  const sum = (f) => app.reduce((t, r) => t + f(r), 0);
  const failures = failuresOf(app);
  const due = sum((r) => r.delivery.eventsDue);
  const missing = sum((r) => r.delivery.eventsMissing);
  const finalsDue = sum((r) => r.delivery.finalEvents.due);
  const finalsReceived = sum((r) => r.delivery.finalEvents.received);
  const connected = sum((r) => r.open.connected);
  // Round 2's opens: its first and one more after each drop but the last.
  const reopensOf = (r) => [r.reopen, ...(r.reopens ?? [])];
  const reconnected = sum((r) => reopensOf(r).reduce((t, o) => t + o.connected, 0));
  const reopensDue = sum((r) => reopensOf(r).length * c.n);
  const reopenFailures = failuresOf(app.flatMap((r) => reopensOf(r).map((open) => ({ open }))));
  const noHeartbeat = app.filter((r) => r.delivery.heartbeats.perStream.min === 0).length;
  const after = c.afterDropMs / 1000;
  const targets = [
    target(
      `${c.n.toLocaleString('en-US')} streams from distinct clients held, every event delivered (news and final)`,
      `${connected}/${c.n * app.length} connected over ${app.length} repetition(s), ${failures.failed} failed${failures.failed ? ` ${JSON.stringify(failures.reasons)}` : ''}; ` +
        `${missing} of ${due} due news events missing; ${finalsReceived} of ${finalsDue} final events received; lateness p99 ${cell(delivery.app?.latenessP99)} ms over the streams' whole life`,
      app.length > 0 && connected === c.n * app.length && missing === 0 && finalsReceived === finalsDue,
    ),
    target(
      'heartbeats arrive (interval longer than STREAM_HEARTBEAT_MS)',
      `heartbeats per stream p50 ${cell(delivery.app?.heartbeatsP50, 0)}, min ${cell(delivery.app?.heartbeatsMin, 0)}; ${noHeartbeat} repetition(s) with a stream that got none`,
      app.length > 0 && noHeartbeat === 0,
    ),
    target(
      'the same clients open again (round 2) within the default limits',
      `${reconnected}/${reopensDue} connected${reopenFailures.failed ? `, failures ${JSON.stringify(reopenFailures.reasons)}` : ''}`,
      app.length > 0 && reconnected === reopensDue,
    ),
    target(
      'memory per stream ≤ 1.2 × the minimal Next.js route\'s',
      `RSS held ${cell(cost.app?.perStreamKiB)} vs ${cell(cost.reference?.perStreamKiB)} KiB: ${ratioCell(ratios.perStream)}; after a GC ${ratioCell(ratios.perStreamAfterGc)}; live heap ${cell(cost.app?.heapPerStreamKiB)} vs ${cell(cost.reference?.heapPerStreamKiB)} KiB`,
      ratios.perStream.median !== null && ratios.perStream.median <= 1.2,
      'judged on RSS while holding',
    ),
    target(
      'cleanup after a mass drop ≤ 1.2 × the minimal Next.js route\'s time',
      `${cell(cost.app?.toZeroMs, 0)} vs ${cell(cost.reference?.toZeroMs, 0)} ms: ${ratioCell(ratios.cleanup)}; CPU spent on it ${cell(cost.app?.dropCpuMs, 0)} vs ${cell(cost.reference?.dropCpuMs, 0)} ms: ${ratioCell(ratios.cleanupCpu)}; ` +
        `first drop only ${ratioCell(ratios.cleanupFirstDrop)}`,
      ratios.cleanup.median !== null && ratios.cleanup.median <= 1.2,
      `judged on the time to 0 active streams, the median of ${c.drops} drop(s) per repetition`,
    ),
    target(
      'Next\'s own cost of a Node.js middleware, which the design keeps as the guard\'s entry (reported)',
      `minimal route behind an empty middleware ÷ minimal route: RSS per stream ${ratioCell(ratios.middlewareFloorPerStream)}, cleanup ${ratioCell(ratios.middlewareFloorCleanup)}; ` +
        `app ÷ that route: RSS per stream ${ratioCell(ratios.overFloorPerStream)}, cleanup ${ratioCell(ratios.overFloorCleanup)}`,
      null,
    ),
    target(
      `RSS and live heap ${after} s after the last drop (reported)`,
      `app RSS ${cell(cost.app?.rssAfterMiB)} MiB, live heap ${cell(cost.app?.heapAfterMiB)} MiB (before the load: RSS ${cell(cost.app?.rssBeforeMiB)} MiB); minimal route RSS ${cell(cost.reference?.rssAfterMiB)} MiB, live heap ${cell(cost.reference?.heapAfterMiB)} MiB. ` +
        `RSS fell under half its value at the drop ${halved(runsOf(runs, 'app'))} for the app, ${halved(runsOf(runs, 'reference'))} for the route (V8 gives a dropped heap back only when a full GC runs); ` +
        `10 s after the probe's forced GC: app ${cell(cost.app?.rssAfterGcMiB)} MiB, route ${cell(cost.reference?.rssAfterGcMiB)} MiB`,
      null,
    ),
  ];
  const markdown = [
    `${c.n.toLocaleString('en-US')} streams over the default bench's 4 symbols, interval ${c.intervalMs / 1000} s, duration ${c.durationMs / 1000} s, hold ${c.holdMs / 1000} s` +
      `${c.heartbeatMs ? ` (smoke: STREAM_HEARTBEAT_MS=${c.heartbeatMs})` : ' (STREAM_HEARTBEAT_MS default 15 s)'}; each stream from its own client (X-Forwarded-For 10.x.y.z, Sec-Fetch-Site: same-origin). ` +
      `Round 2: the same clients open ${c.n.toLocaleString('en-US')} streams again, then all drop at once, ${ctx.config.quietBeforeDropMs / 1000} s after the live-heap probe's forced GC (its tail is not the cleanup's)` +
      `${c.drops > 1 ? `; ${c.drops} times per repetition, each after the same reopen, probe and wait, and the cleanup judged on their median` : ''}; RSS and live heap read ${after} s after the last drop. ` +
      'The minimal route and the baseline send no heartbeats (the optional "reference-hb" variant is the route sending them). ' +
      'Full GCs are read from V8\'s --trace-gc while every stream of round 1 is open (the heap probe\'s forced GCs left out): ' +
      'their main-thread time is what stalls every stream, and the old generation\'s growth between two of them is what brings the next.',
    '',
    '### Delivery',
    '',
    figuresTable(delivery, METRICS, labels),
    '',
    '### Cost and cleanup',
    '',
    figuresTable(cost, COST, labels),
    '',
    ratioTable([
      ['RSS per stream, app ÷ minimal route', ratios.perStream],
      ['RSS per stream after GC, app ÷ minimal route', ratios.perStreamAfterGc],
      ['live heap per stream, app ÷ minimal route', ratios.heapPerStream],
      ['drop → 0 active (median of each repetition\'s drops), app ÷ minimal route', ratios.cleanup],
      ['first drop → 0 active, app ÷ minimal route', ratios.cleanupFirstDrop],
      ['CPU from a drop to 0 active (median), app ÷ minimal route', ratios.cleanupCpu],
      ['open rate, app ÷ minimal route', ratios.openRate],
      ['first event p50, app ÷ minimal route', ratios.firstEventP50],
      ['lateness p99, app ÷ minimal route', ratios.latenessP99],
      ['old-generation growth per stream, app ÷ minimal route', ratios.oldGrowth],
      ['main-thread time per full GC, app ÷ minimal route', ratios.gcMainThread],
      ['RSS per stream, minimal route behind an empty middleware ÷ minimal route', ratios.middlewareFloorPerStream],
      ['drop → 0 active (median), minimal route behind an empty middleware ÷ minimal route', ratios.middlewareFloorCleanup],
      ['RSS per stream, app ÷ minimal route behind an empty middleware', ratios.overFloorPerStream],
      ['drop → 0 active (median), app ÷ minimal route behind an empty middleware', ratios.overFloorCleanup],
      ...(runsOf(runs, 'reference-hb').length
        ? [
          ['RSS per stream, app ÷ minimal route sending heartbeats', ratios.heartbeatRoutePerStream],
          ['drop → 0 active (median), app ÷ minimal route sending heartbeats', ratios.heartbeatRouteCleanup],
          ['CPU from a drop to 0 active (median), app ÷ minimal route sending heartbeats', ratios.heartbeatRouteCleanupCpu],
        ]
        : []),
      ['RSS per stream, app ÷ baseline', ratios.perStreamVsBaseline],
      ['RSS per stream, minimal route ÷ baseline', ratios.referencePerStreamVsBaseline],]),
    '',
    `Each drop → 0 active, ms, by repetition: ${eachDrop(runs)}.`,
    '',
    `Upstream (app): ${app.map((r) => `rep ${r.rep + 1}: ${r.upstream?.fetches} fetches of ${r.upstream?.feedsFetched} feeds, max ${r.upstream?.maxPerSecond} in any 1 s`).join('; ')}.`,
    '',
    targetsTable(targets),
  ].join('\n');
  return { summary: { delivery, cost, ratios }, targets, markdown };
}
