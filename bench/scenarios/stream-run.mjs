/**
 * One measurement of the scale scenarios: a fresh server, warmed up, loaded with N SSE streams or
 * MCP calls by the load client, held, read (memory, CPU, event-loop delay, delivery, upstream
 * requests), and dropped all at once. The steps are exported separately because scenario 1 needs
 * them in another order (a long hold in which streams end, then a second load to drop).
 */
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLoadClient } from '../lib/client-handle.mjs';
import { cpuSeconds, rssBytes, sampleRss } from '../lib/proc-stats.mjs';
import { kib, median, mib, round } from '../lib/stats.mjs';
import { benchTmp, quietBeforeDrop, startServer, waitForActive } from '../lib/server-process.mjs';

/** Warm-up streams come from their own block of client addresses (10.240.x.y), apart from the load's. */
export const WARMUP_CLIENTS = 0xf00000;

/**
 * Starts `kind` with `env`, warms it (sequential streams, so routes are compiled and pools filled
 * before anything is timed), and reads the idle baseline: RSS and live heap after a forced GC.
 */
export async function startWarm(ctx, kind, env, load) {
  const profile = profiled(ctx, kind);
  const spawnedAt = Date.now();
  const server = await startServer(kind, env, profile.nodeArgs);
  const client = startLoadClient();
  try {
    const warm = { ...load, baseUrl: server.url, count: ctx.config.warmupStreams, clients: load.clients ? { base: WARMUP_CLIENTS } : undefined };
    await client.call('single', warm);
    if (load.mode === 'mcp') {
      // The MCP route loads on its first call: warm it with a few calls of its own.
      await client.call('mcpOpen', { ...load, baseUrl: server.url, n: 4, concurrency: 4, clients: { base: WARMUP_CLIENTS + 1000 } });
      await client.call('drop');
    }
    await waitForActive(server, 0, 30_000);
    const heapBefore = await server.probeHeap(30_000);
    return { server, client, before: { rss: rssBytes(server.pid), heap: heapBefore }, profile: profile.file && { file: profile.file, spawnedAt } };
  } catch (error) {
    await client.close();
    await server.stop();
    throw error;
  }
}

/**
 * With --profile every server writes a V8 CPU profile to bench/.tmp/profiles, the routes the app is
 * compared with as well as the app: a profiled run's ratios then compare like with like, and a
 * phase of the app's profile can be set beside the same phase of the route's.
 */
function profiled(ctx, kind) {
  if (!ctx.config.profile) return { nodeArgs: [] };
  const file = `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  return { file, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.join(benchTmp, 'profiles')}`, `--cpu-prof-name=${file}`] };
}

/**
 * Notes on a run's record (or an instance's, in scenario 6) where a phase (open, hold, drop) lies in
 * the server's CPU profile, in seconds since the server was spawned; the profile starts during
 * Node's bootstrap, a few tens of ms later, so the windows are that much late.
 * `node bench/profile-summary.mjs DIR --results=RESULTS.json --phase=drop` cuts each profile to its
 * run's drop.
 */
export function markPhase(handle, run, phase, from, to) {
  if (!handle.profile) return;
  const at = (t) => round((t - handle.profile.spawnedAt) / 1000, 2);
  run.profile ??= { file: handle.profile.file, phasesS: {} };
  run.profile.phasesS[phase] = [at(from), at(to)];
}

/** Opens the load (SSE streams, or MCP calls with load.mode 'mcp'); CPU spent opening included. */
export async function openLoad(ctx, { server, client }, load) {
  const cpuBefore = cpuSeconds(server.pid);
  const startedAt = Date.now();
  const open = await client.call(load.mode === 'mcp' ? 'mcpOpen' : 'open', { ...load, baseUrl: server.url, concurrency: ctx.config.concurrency });
  open.cpuMsPerStream = round(((cpuSeconds(server.pid) - cpuBefore) * 1000) / load.n, 3);
  return { open, startedAt };
}

/** Holds for `holdMs` sampling RSS and CPU; `during` runs alongside (e.g. a latency probe). */
export async function hold(server, holdMs, during) {
  const startedAt = Date.now();
  const cpuStart = cpuSeconds(server.pid);
  const stopSampling = sampleRss(server.pid, 500);
  const [extra] = await Promise.all([during ? during(startedAt) : undefined, sleep(holdMs)]);
  const endedAt = Date.now();
  const samples = stopSampling();
  return {
    startedAt,
    endedAt,
    rssMedian: median(samples),
    cpuPercent: round(((cpuSeconds(server.pid) - cpuStart) / ((endedAt - startedAt) / 1000)) * 100, 1),
    extra,
  };
}

/** Memory per stream from the idle baseline, the RSS held, and the live heap after a forced GC. */
export function memoryFigures(before, rssHolding, heapHolding, rssAfterGc, n) {
  return {
    rssBeforeMiB: mib(before.rss),
    rssHoldingMiB: mib(rssHolding),
    perStreamKiB: kib((rssHolding - before.rss) / n),
    perStreamAfterGcKiB: rssAfterGc ? kib((rssAfterGc - before.rss) / n) : null,
    heapUsedBeforeMiB: before.heap ? mib(before.heap.heapUsed) : null,
    heapUsedHoldingMiB: heapHolding ? mib(heapHolding.heapUsed) : null,
    heapUsedHoldingBytes: heapHolding?.heapUsed ?? null,
    heapPerStreamKiB: before.heap && heapHolding ? kib((heapHolding.heapUsed - before.heap.heapUsed) / n) : null,
  };
}

/**
 * Requests the feed server (one host) received in [from, to]: how many, from how many feeds, the
 * most in any one second (NEWS_HOST_MAX_RPS), and how they relate to one fetch per feed per period.
 */
export function upstreamFigures(feeds, from, to, periodMs, feedsWanted) {
  const counts = feeds.countBetween(from, to);
  const fetches = Object.values(counts).reduce((a, b) => a + b, 0);
  const gaps = feeds.gapsBetween(from, to);
  const firsts = Object.values(feeds.firstRequests(from, to));
  const fetched = Object.values(counts).filter((c) => c > 0).length;
  const periods = (to - from) / periodMs;
  return {
    windowMs: to - from,
    fetches,
    feedsWanted,
    feedsFetched: fetched,
    // Every wanted feed fetched once per period would make this 1; a stretched budget makes it less.
    // Counts over a short window are off by up to one fetch per feed at the edges, hence also:
    perFeedPerPeriod: feedsWanted && periods ? round(fetches / (feedsWanted * periods), 3) : null,
    // One fetch per period means consecutive fetches of a feed one period apart (no edge effect).
    perPeriodFromGaps: gaps.length ? round(periodMs / median(gaps), 3) : null,
    maxPerSecond: feeds.maxRequestsInWindow(from, to, 1000),
    // A gap under the period between two fetches of one feed would be a duplicate fetch.
    gapMs: gaps.length ? { min: Math.min(...gaps), median: median(gaps), max: Math.max(...gaps), count: gaps.length } : null,
    // Gaps under 90 % of the period: a second fetch of a feed within its period.
    duplicateFetches: gaps.filter((g) => g < 0.9 * periodMs).length,
    allFetchedAfterMs: fetched >= feedsWanted && firsts.length ? Math.max(...firsts) - from : null,
  };
}

/**
 * Drops everything at once and times the cleanup (activeStreams back to 0) into `run.disconnect`;
 * returns the drop. It first waits `ctx.config.quietBeforeDropMs` (server-process.mjs, quietBeforeDrop).
 */
export async function dropAll(ctx, handle, run) {
  const { server, client } = handle;
  const cpuBeforeDropMs = await quietBeforeDrop(server, ctx.config.quietBeforeDropMs);
  const cpuBefore = cpuSeconds(server.pid);
  const drop = await client.call('drop');
  const zeroAt = await waitForActive(server, 0, 120_000);
  run.disconnect = {
    dropMs: drop.doneAt - drop.startedAt,
    toZeroMs: zeroAt === null ? null : zeroAt - drop.startedAt,
    // The server's CPU until it got there: the work of the cleanup itself, which the wall time
    // above mixes with waiting (the health polls every 25 ms, the scheduler of a shared machine).
    cpuMs: zeroAt === null ? null : round((cpuSeconds(server.pid) - cpuBefore) * 1000, 0),
    // Full GCs that ended before 0 active: a collection of the held streams' heap landing in the
    // drop is a cost no change to the close path would show.
    majorGcs: dropGcs(server.majorGcs(drop.startedAt, zeroAt ?? Date.now()), drop.startedAt),
    cpuBeforeDropMs,
  };
  markPhase(handle, run, 'drop', drop.startedAt, zeroAt ?? Date.now());
  return drop;
}

/** The drop's full GCs, for servers that trace them (BENCH_ELD=1): how many, their main-thread time, and each (ms after the drop). */
function dropGcs(gcs, from) {
  return {
    count: gcs.length,
    mainThreadMs: round(gcs.reduce((t, gc) => t + gc.mainThreadMs, 0), 0),
    each: gcs.map((gc) => ({ endedAtMs: gc.at - from, beforeMB: gc.beforeMB, afterMB: gc.afterMB, mainThreadMs: gc.mainThreadMs, walltimeMs: gc.walltimeMs })),
  };
}

/**
 * Drops everything at once and times the cleanup (dropAll); then leaves the server idling for
 * `afterMs` (while the next measurement runs: it does no work) for its RSS and live heap after the
 * drop, and stops it. The promise of that reading goes to ctx.pending.
 */
export async function dropAndWatch(ctx, handle, run, afterMs) {
  const { server, client } = handle;
  const drop = await dropAll(ctx, handle, run);
  await client.close();
  ctx.pending.push(watchAfterDrop(server, run, drop.startedAt, afterMs).finally(() => server.stop()));
}

/** How often RSS is read after a drop, and how long after the probe's forced GC it is read once more. */
const RSS_STEP_MS = 5000;
const AFTER_GC_MS = 10_000;

/**
 * RSS every 5 s from the drop to `afterMs`, then RSS and live heap at `afterMs` (the probe's
 * forced GC), then RSS once more 10 s after that GC. V8 gives the dropped streams' heap back only
 * when a full GC runs: idle after a drop, that is its memory reducer's, which came about a minute
 * after the drop on this machine, for the app and the minimal route alike. One reading at 60 s can
 * fall on either side of it; the timeline shows which, and the reading after the forced GC shows
 * what the server keeps once its garbage is collected.
 */
async function watchAfterDrop(server, run, from, afterMs) {
  const at = (ms) => sleep(Math.max(0, from + ms - Date.now()));
  const timeline = [];
  for (const ms of [...Array.from({ length: Math.ceil(afterMs / RSS_STEP_MS) }, (_, i) => i * RSS_STEP_MS), afterMs]) {
    await at(ms);
    timeline.push([ms / 1000, mib(rssBytes(server.pid))]);
  }
  run.disconnect.afterMs = afterMs;
  run.disconnect.rssAfterMiB = timeline.at(-1)[1];
  run.disconnect.rssTimelineMiB = timeline;
  // The first reading under half of the first: when a full GC gave the dropped heap back, if it did before the probe.
  run.disconnect.rssHalvedAtS = timeline.find(([, value]) => value < timeline[0][1] / 2)?.[0] ?? null;
  const heap = await server.probeHeap(30_000);
  run.disconnect.heapUsedAfterMiB = heap ? mib(heap.heapUsed) : null;
  await sleep(AFTER_GC_MS);
  run.disconnect.rssAfterGcMiB = mib(rssBytes(server.pid));
}

/**
 * The whole measurement for scenarios 2–6: warm, open, hold, read, drop. Options:
 *   variant, kind, env, load (stream-requests.mjs spec plus n and mode), holdMs, periodMs,
 *   feeds + feedsWanted (upstream figures), eldWindow (the event-loop delay over the hold alone:
 *   costs a forced GC at the hold's start), during(holdStart, {server, client}) and
 *   afterHold(server, {server, client}) for extras,
 *   afterMs (the after-drop reading; default 0: none, stopped at once).
 */
export async function streamRun(ctx, rep, options) {
  const { variant, kind, env, load, holdMs, periodMs, feeds, feedsWanted, eldWindow, during, afterHold, afterMs = 0 } = options;
  const handle = await startWarm(ctx, kind, env, load);
  const { server } = handle;
  const run = { variant, server: kind, rep, n: load.n, mode: load.mode ?? 'sse', loadAverage: round(os.loadavg()[0], 2) };
  try {
    const { open, startedAt: openStart } = await openLoad(ctx, handle, load);
    run.open = open;
    markPhase(handle, run, 'open', openStart, openStart + open.openMs);
    await sleep(ctx.config.settleMs);
    run.activeWhileHolding = (await server.health(10_000))?.activeStreams ?? null;
    const eldStart = eldWindow ? await server.probeHeap(30_000) : null;
    const held = await hold(server, holdMs, during && ((holdStart) => during(holdStart, handle)));
    markPhase(handle, run, 'hold', held.startedAt, held.endedAt);
    run.during = held.extra;
    run.cpuPercent = held.cpuPercent;
    run.delivery = await handle.client.call('report', { from: held.startedAt, to: held.endedAt - ctx.config.graceMs });
    // After the lateness window: a forced full GC pauses the server.
    const heapHolding = await server.probeHeap(30_000);
    run.memory = memoryFigures(handle.before, held.rssMedian, heapHolding, rssBytes(server.pid), load.n);
    run.eventLoopDelayMs = heapHolding?.eventLoopDelayMs ? { window: eldStart ? 'hold' : 'open + hold', ...heapHolding.eventLoopDelayMs } : null;
    if (feeds) {
      run.upstream = upstreamFigures(feeds, openStart, held.endedAt, periodMs, feedsWanted);
      run.upstreamHold = upstreamFigures(feeds, held.startedAt, held.endedAt, periodMs, feedsWanted);
    }
    if (afterHold) run.extra = await afterHold(server, handle);
    if (afterMs > 0) await dropAndWatch(ctx, handle, run, afterMs);
    else {
      await dropAll(ctx, handle, run);
      await handle.client.close();
      await server.stop();
    }
    return run;
  } catch (error) {
    await handle.client.close();
    await server.stop();
    throw new Error(`${variant}: ${error.message}\n--- server output ---\n${server.output().slice(-3000)}`);
  }
}

/**
 * Every variant once per repetition, interleaved so machine noise lands on all of them alike;
 * `measure(rep, variant)` returns the run, `describe(run)` logs it (default ctx.logRun). The feed
 * servers in `close` are closed at the end, whatever happened.
 */
export async function interleaved(ctx, list, measure, { close = [], describe = ctx.logRun } = {}) {
  const runs = [];
  try {
    for (let rep = 0; rep < ctx.config.reps; rep++) {
      for (const v of list) {
        const r = await measure(rep, v);
        runs.push(r);
        describe(r);
      }
    }
  } finally {
    for (const server of close) await server.close();
  }
  return runs;
}
