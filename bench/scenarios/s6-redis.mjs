/**
 * Scenario 6: a deployment of two app instances sharing a redis-server (REDIS_URL): N streams over
 * 500 symbols, half on each instance (every symbol watched on both), each stream from its own
 * client. Read: fetches per feed per period across the deployment (the feed server sees both
 * instances: a feed fetched by both in one period shows as a gap shorter than the period), the
 * feed host's busiest second against NEWS_HOST_MAX_RPS (a deployment-wide budget through Redis),
 * and Redis commands per second while opening and while holding (INFO commandstats). There is no
 * minimal-route counterpart: the reference has no shared state, so this scenario has none beside it.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFeedServer } from '../lib/feed-server.mjs';
import { operatorEnv } from '../lib/operator-env.mjs';
import { rssBytes } from '../lib/proc-stats.mjs';
import { startRedis } from '../lib/redis-process.mjs';
import { quietBeforeDrop, waitForActive } from '../lib/server-process.mjs';
import { round } from '../lib/stats.mjs';
import { hold, interleaved, markPhase, memoryFigures, openLoad, startWarm, upstreamFigures } from './stream-run.mjs';
import { symbolSet } from './symbols.mjs';
import { cell, figuresTable, labelsOf, runsOf, summarizeVariants, table, target, targetsTable } from './summary.mjs';

export const id = 6;
export const title = 'Two instances sharing Redis: streams over 500 symbols';

const DEFAULT_RPS = 4;
/** The second instance's clients start here (10.8.0.0 on), apart from the first's. */
const SECOND_CLIENTS = 0x080000;

/** Commands per second between two INFO readings, the bench's own INFO calls left out. */
function rate(before, after, ms) {
  const perCommand = {};
  for (const [name, calls] of Object.entries(after.byCommand)) {
    if (name === 'info' || name === 'ping') continue;
    const delta = calls - (before.byCommand[name] ?? 0);
    if (delta > 0) perCommand[name] = round(delta / (ms / 1000), 1);
  }
  const total = Object.values(perCommand).reduce((a, b) => a + b, 0);
  const top = Object.entries(perCommand).sort((a, b) => b[1] - a[1]).slice(0, 8);
  return { perSecond: round(total, 1), top: Object.fromEntries(top) };
}

async function measure(ctx, rep, v, feeds) {
  const c = ctx.config.s6;
  const redis = await startRedis();
  const handles = [];
  const run = { variant: v.variant, label: v.label, server: 'app ×2 + redis', rep, n: c.n, budgetRps: v.rps, loadAverage: round(os.loadavg()[0], 2) };
  try {
    const env = operatorEnv({ newsFeeds: feeds.newsFeeds, extra: { REDIS_URL: redis.url, ...v.extra } });
    const symbols = symbolSet('R', c.symbols);
    const params = { interval: c.intervalMs, duration: 300_000, limit: 10 };
    const loads = [0, SECOND_CLIENTS].map((base, k) => ({ n: Math.floor(c.n / 2) + (k === 0 ? c.n % 2 : 0), params, symbols, clients: { base }, sameOrigin: true }));
    for (const load of loads) handles.push(await startWarm(ctx, 'app', env, load));
    const beforeOpen = redis.counters();
    const openStart = Date.now();
    // Both instances at once, as a load balancer would spread arriving clients.
    const opens = await Promise.all(handles.map((h, k) => openLoad(ctx, h, loads[k])));
    const openEnd = Date.now();
    const afterOpen = redis.counters();
    await sleep(ctx.config.settleMs);
    const beforeHold = redis.counters();
    const held = await Promise.all(handles.map((h) => hold(h.server, c.holdMs)));
    const afterHold = redis.counters();
    const holdStart = Math.min(...held.map((h) => h.startedAt));
    const holdEnd = Math.max(...held.map((h) => h.endedAt));
    run.instances = [];
    for (const [k, h] of handles.entries()) {
      const delivery = await h.client.call('report', { from: held[k].startedAt, to: held[k].endedAt - ctx.config.graceMs });
      const heap = await h.server.probeHeap(30_000);
      run.instances.push({
        n: loads[k].n,
        open: opens[k].open,
        activeWhileHolding: (await h.server.health(10_000))?.activeStreams ?? null,
        delivery,
        cpuPercent: held[k].cpuPercent,
        memory: memoryFigures(h.before, held[k].rssMedian, heap, rssBytes(h.server.pid), loads[k].n),
        eventLoopDelayMs: heap?.eventLoopDelayMs ?? null,
        // Times this instance gave up on Redis and polled locally (its warn log): what can make a second fetch of a feed.
        sharedFallbacks: (h.server.output().match(/news\.shared_unavailable/g) ?? []).length,
        sharedRestored: (h.server.output().match(/news\.shared_restored/g) ?? []).length,
      });
    }
    run.openRate = round(run.instances.reduce((t, i) => t + i.open.connected, 0) / ((openEnd - openStart) / 1000), 0);
    run.redis = { open: rate(beforeOpen, afterOpen, openEnd - openStart), hold: rate(beforeHold, afterHold, holdEnd - holdStart) };
    run.upstream = upstreamFigures(feeds, openStart, holdEnd, c.intervalMs, Math.min(c.symbols, c.n) + 1);
    run.upstreamHold = upstreamFigures(feeds, holdStart, holdEnd, c.intervalMs, Math.min(c.symbols, c.n) + 1);
    // As in scenario 1: the heap probes' forced GCs are not the cleanup's work.
    await Promise.all(handles.map((h) => quietBeforeDrop(h.server, ctx.config.quietBeforeDropMs)));
    const drops = await Promise.all(handles.map((h) => h.client.call('drop')));
    const zeros = await Promise.all(handles.map((h) => waitForActive(h.server, 0, 120_000)));
    run.disconnect = { toZeroMs: zeros.some((z) => z === null) ? null : Math.max(...zeros) - Math.min(...drops.map((d) => d.startedAt)) };
    for (const [k, h] of handles.entries()) {
      markPhase(h, run.instances[k], 'open', openStart, openEnd);
      markPhase(h, run.instances[k], 'hold', held[k].startedAt, held[k].endedAt);
      markPhase(h, run.instances[k], 'drop', drops[k].startedAt, zeros[k] ?? Date.now());
    }
    return run;
  } finally {
    for (const h of handles) {
      await h.client.close();
      await h.server.stop();
    }
    await redis.stop();
  }
}

export async function run(ctx) {
  const c = ctx.config.s6;
  const feeds = await startFeedServer(c.intervalMs);
  const list = [
    { variant: 'deployment', label: `2 instances + Redis, ${c.n} streams over ${c.symbols} symbols`, rps: DEFAULT_RPS, extra: {} },
    ...(ctx.config.raisedRps > 0
      ? [{ variant: 'deployment-raised', label: `the same, NEWS_HOST_MAX_RPS=${ctx.config.raisedRps} (raised)`, rps: ctx.config.raisedRps, extra: { NEWS_HOST_MAX_RPS: String(ctx.config.raisedRps) } }]
      : []),
  ];
  const describe = (r) =>
    ctx.log(`${r.variant} rep ${r.rep + 1}: ${r.instances.map((i) => `${i.open.connected}/${i.n}`).join(' + ')} connected at ${r.openRate}/s; ` +
      `Redis ${r.redis.open.perSecond}/s opening, ${r.redis.hold.perSecond}/s holding; upstream ${r.upstreamHold.perFeedPerPeriod} per feed per period (hold), max ${r.upstream.maxPerSecond} in 1 s; ` +
      `lateness p99 ${r.instances.map((i) => i.delivery.latenessMs.p99?.toFixed(1)).join(' / ')} ms`);
  return interleaved(ctx, list, (rep, v) => measure(ctx, rep, v, feeds), { close: [feeds], describe });
}

const both = (f) => (r) => Math.max(...r.instances.map(f));
/** Times both instances of a repetition gave up on Redis and polled locally. */
const fallbacksOf = (r) => r.instances.reduce((t, i) => t + (i.sharedFallbacks ?? 0), 0);

const METRICS = [
  { key: 'connected', label: 'connected', get: (r) => r.instances.reduce((t, i) => t + i.open.connected, 0), digits: 0 },
  { key: 'openRate', label: 'open rate (both), /s', get: (r) => r.openRate, digits: 0 },
  { key: 'firstEventP50', label: 'first event p50, ms (worse instance)', get: both((i) => i.open.firstEventMs.p50) },
  { key: 'firstEventP99', label: 'first event p99, ms (worse instance)', get: both((i) => i.open.firstEventMs.p99) },
  { key: 'perStreamKiB', label: 'RSS per stream, KiB (worse instance)', get: both((i) => i.memory.perStreamKiB) },
  { key: 'latenessP99', label: 'lateness p99, ms (worse instance)', get: both((i) => i.delivery.latenessMs.p99) },
  { key: 'eventsMissing', label: 'events missing (both)', get: (r) => r.instances.reduce((t, i) => t + i.delivery.eventsMissing, 0), digits: 0 },
  { key: 'perFeedPerPeriodHold', label: 'fetches per feed per period (counts, hold)', get: (r) => r.upstreamHold.perFeedPerPeriod, digits: 3 },
  { key: 'perPeriodFromGaps', label: 'fetches per feed per period (period ÷ median gap)', get: (r) => r.upstream.perPeriodFromGaps, digits: 3 },
  { key: 'feedsFetched', label: 'feeds fetched', get: (r) => r.upstream.feedsFetched, digits: 0 },
  { key: 'minGapMs', label: 'shortest gap between fetches of one feed, ms', get: (r) => r.upstream.gapMs?.min, digits: 0 },
  { key: 'duplicates', label: 'second fetches within a period', get: (r) => r.upstream.duplicateFetches, digits: 0 },
  { key: 'fallbacks', label: 'local fallbacks (Redis slow or down), both instances', get: fallbacksOf, digits: 0 },
  { key: 'maxPerSecond', label: 'upstream max in any 1 s', get: (r) => r.upstream.maxPerSecond, digits: 0 },
  { key: 'redisOpen', label: 'Redis commands/s while opening', get: (r) => r.redis.open.perSecond, digits: 0 },
  { key: 'redisHold', label: 'Redis commands/s while holding', get: (r) => r.redis.hold.perSecond, digits: 0 },
  { key: 'toZeroMs', label: 'drop → 0 active, ms', get: (r) => r.disconnect.toZeroMs, digits: 0 },
];

export function report(runs, ctx) {
  const c = ctx.config.s6;
  const summary = summarizeVariants(runs, METRICS);
  const labels = labelsOf(runs);
  const targets = [];
  for (const variant of ['deployment', 'deployment-raised']) {
    const mine = runsOf(runs, variant);
    if (!mine.length) continue;
    const worst = Math.max(...mine.map((r) => r.upstream.maxPerSecond));
    const shortest = Math.min(...mine.map((r) => r.upstream.gapMs?.min ?? Infinity));
    targets.push(target(`deployment-wide: upstream never above NEWS_HOST_MAX_RPS=${mine[0].budgetRps} in any 1 s (${labels[variant]})`, `max ${worst} in any 1 s`, worst <= mine[0].budgetRps));
    targets.push(target(
      `deployment-wide: at most one fetch per feed per period (${labels[variant]})`,
      Number.isFinite(shortest) ? `shortest gap between two fetches of one feed ${Math.round(shortest)} ms (period ${c.intervalMs} ms), ${mine.reduce((t, r) => t + (r.upstream.duplicateFetches ?? 0), 0)} second fetch(es) within a period over ${mine.length} repetition(s), ${mine.reduce((t, r) => t + fallbacksOf(r), 0)} local fallback(s); ${cell(summary[variant]?.perFeedPerPeriodHold, 3)} fetches per feed per period while holding (${cell(summary[variant]?.perPeriodFromGaps, 3)} from gaps)` : 'no feed fetched twice in the window',
      !Number.isFinite(shortest) || shortest >= 0.9 * c.intervalMs,
      'a gap under 90 % of the period counts as a duplicate',
    ));
  }
  const commandRows = runs.map((r) => [`${r.variant} rep ${r.rep + 1}`, JSON.stringify(r.redis.open.top), JSON.stringify(r.redis.hold.top)]);
  const markdown = [
    `${c.n.toLocaleString('en-US')} streams over ${c.symbols} symbols (interval ${c.intervalMs / 1000} s), half on each of two app instances sharing one redis-server, each stream from its own client; hold ${c.holdMs / 1000} s. ` +
      'Both instances are opened at once. No minimal-route counterpart (it has no shared state). Fetches per feed per period as in scenario 3, counted at the feed server, so across the deployment.',
    '',
    figuresTable(summary, METRICS, labels),
    '',
    'Busiest Redis commands (calls per second):',
    '',
    table(['run', 'while opening', 'while holding'], commandRows),
    '',
    targetsTable(targets),
  ].join('\n');
  return { summary: { variants: summary }, targets, markdown };
}
