/**
 * Scenario 2: what a distinct symbol costs. N streams (each its own client) over as many distinct
 * symbols, against the same N over the default bench's 4 symbols, on fresh app processes in the same
 * run, interleaved with the minimal Next.js route. With every per-symbol feed on one host the
 * default NEWS_HOST_MAX_RPS (4) spreads 1,001 feeds over 4 requests a second by design, so most
 * symbols have not been fetched by the end of a short hold: the first-news and feeds-fetched
 * figures say so. A labelled variant with the budget raised (--raised-rps) shows the cost of symbols
 * whose feeds have all been fetched.
 */
import { startFeedServer } from '../lib/feed-server.mjs';
import { healthDetail, operatorEnv } from '../lib/operator-env.mjs';
import { summarize } from '../lib/stats.mjs';
import { interleaved, streamRun } from './stream-run.mjs';
import { FEW_SYMBOLS, symbolSet } from './symbols.mjs';
import { cell, failuresLine, figuresTable, labelsOf, pairedRatio, pairedValues, pick, ratioCell, ratioTable, runsOf, summarizeVariants, target, targetsTable } from './summary.mjs';

export const id = 2;
export const title = 'Many symbols: as many distinct symbols as streams vs 4 symbols';

const DEFAULT_RPS = 4;

/** Feed health as the operator sees it: how many feeds, and the effective periods the app reports. */
async function feedView(server) {
  const detail = await healthDetail(server);
  if (!detail) return null;
  const listed = detail.feeds ?? [];
  const effective = listed.map((f) => f.effectivePeriodMs).filter((v) => typeof v === 'number');
  return {
    feedSummary: detail.feedSummary,
    listed: listed.length,
    omitted: detail.feedsOmitted ?? 0,
    withEffectivePeriod: effective.length,
    effectivePeriodMs: summarize(effective),
  };
}

export function variants(ctx, feeds) {
  const c = ctx.config.s2;
  const many = symbolSet('Q', c.symbols);
  const load = { n: c.n, params: { interval: c.intervalMs, duration: 300_000, limit: 10 }, clients: { base: 0 }, sameOrigin: true };
  const app = (extra) => operatorEnv({ newsFeeds: feeds.newsFeeds, extra });
  return [
    { variant: 'app-many', label: `app, ${c.n} streams over ${many.length} symbols`, kind: 'app', env: app(), load: { ...load, symbols: many }, feedsWanted: Math.min(c.n, many.length) + 1, rps: DEFAULT_RPS },
    { variant: 'app-few', label: `app, ${c.n} streams over 4 symbols`, kind: 'app', env: app(), load: { ...load, symbols: FEW_SYMBOLS }, feedsWanted: 5, rps: DEFAULT_RPS },
    ...(ctx.config.raisedRps > 0
      ? [{
        variant: 'app-many-raised',
        label: `app, ${many.length} symbols, NEWS_HOST_MAX_RPS=${ctx.config.raisedRps} (raised)`,
        kind: 'app',
        env: app({ NEWS_HOST_MAX_RPS: String(ctx.config.raisedRps) }),
        load: { ...load, symbols: many },
        feedsWanted: Math.min(c.n, many.length) + 1,
        rps: ctx.config.raisedRps,
      }]
      : []),
    { variant: 'reference', label: 'minimal Next.js route (same requests)', kind: 'reference', env: { BENCH_ELD: '1' }, load: { ...load, symbols: many } },
  ];
}

export async function run(ctx) {
  const c = ctx.config.s2;
  const feeds = await startFeedServer(c.intervalMs);
  const measure = async (rep, v) => {
    const r = await streamRun(ctx, rep, {
      ...v,
      holdMs: c.holdMs,
      periodMs: c.intervalMs,
      feeds: v.kind === 'app' ? feeds : undefined,
      afterHold: v.kind === 'app' ? feedView : undefined,
    });
    return { ...r, label: v.label, budgetRps: v.rps ?? null };
  };
  return interleaved(ctx, variants(ctx, feeds), measure, { close: [feeds] });
}

const METRICS = pick('connected', 'openRate', 'firstEventP50', 'firstEventP99', 'firstNewsP50', 'firstNewsP99', 'perStreamKiB', 'heapPerStreamKiB', 'heapHoldingMiB', 'cpuOpen', 'eldP99', 'eldMax', 'latenessP99', 'feedsFetched', 'maxPerSecond', 'toZeroMs');

export function report(runs, ctx) {
  const c = ctx.config.s2;
  const summary = summarizeVariants(runs, METRICS);
  const labels = labelsOf(runs);
  const many = runsOf(runs, 'app-many')[0];
  const distinct = many ? Math.min(c.n, c.symbols) : c.symbols;
  const heapPerSymbol = (variant) =>
    pairedValues(runs, variant, 'app-few', (a, b) => (a.memory.heapUsedHoldingBytes - b.memory.heapUsedHoldingBytes) / 1024 / (distinct - FEW_SYMBOLS.length));
  const ratios = {
    perStream: pairedRatio(runs, 'app-many', 'app-few', (r) => r.memory.perStreamKiB),
    firstEventP50: pairedRatio(runs, 'app-many', 'app-few', (r) => r.open.firstEventMs.p50),
    openRate: pairedRatio(runs, 'app-many', 'app-few', (r) => r.open.streamsPerSecond),
    firstNewsP50: pairedRatio(runs, 'app-many', 'app-few', (r) => r.open.firstNewsMs.p50),
    manyVsReferencePerStream: pairedRatio(runs, 'app-many', 'reference', (r) => r.memory.perStreamKiB),
    fewVsReferencePerStream: pairedRatio(runs, 'app-few', 'reference', (r) => r.memory.perStreamKiB),
    manyVsReferenceFirstEventP50: pairedRatio(runs, 'app-many', 'reference', (r) => r.open.firstEventMs.p50),
    fewVsReferenceFirstEventP50: pairedRatio(runs, 'app-few', 'reference', (r) => r.open.firstEventMs.p50),
    raisedPerStream: pairedRatio(runs, 'app-many-raised', 'app-few', (r) => r.memory.perStreamKiB),
    raisedFirstEventP50: pairedRatio(runs, 'app-many-raised', 'app-few', (r) => r.open.firstEventMs.p50),
    raisedOpenRate: pairedRatio(runs, 'app-many-raised', 'app-few', (r) => r.open.streamsPerSecond),
  };
  const perSymbol = { default: heapPerSymbol('app-many'), raised: heapPerSymbol('app-many-raised') };
  const budgetOk = (variant) => {
    const mine = runsOf(runs, variant);
    const worst = Math.max(...mine.map((r) => r.upstream?.maxPerSecond ?? 0));
    return { worst, budget: mine[0]?.budgetRps, met: mine.length > 0 && worst <= mine[0].budgetRps };
  };
  const targets = [
    target(`memory per stream, ${distinct} symbols vs 4 ≤ 1.25×`, `RSS per stream ${cell(summary['app-many']?.perStreamKiB)} vs ${cell(summary['app-few']?.perStreamKiB)} KiB: ${ratioCell(ratios.perStream)}`, ratios.perStream.median !== null && ratios.perStream.median <= 1.25),
    target('first-event (connected) p50 ≤ 1.3×', `${cell(summary['app-many']?.firstEventP50)} vs ${cell(summary['app-few']?.firstEventP50)} ms: ${ratioCell(ratios.firstEventP50)}`, ratios.firstEventP50.median !== null && ratios.firstEventP50.median <= 1.3),
    target('connect rate ≥ 0.8×', `${cell(summary['app-many']?.openRate, 0)} vs ${cell(summary['app-few']?.openRate, 0)} /s: ${ratioCell(ratios.openRate)}`, ratios.openRate.median !== null && ratios.openRate.median >= 0.8),
    target(
      `live heap per symbol ≤ 30 KiB ((heap with ${distinct} symbols − with 4) ÷ ${distinct - 4}), default budget`,
      `${cell(perSymbol.default)} KiB; ${cell(summary['app-many']?.feedsFetched, 0)} of ${distinct + 1} feeds fetched by the end of the hold`,
      perSymbol.default.median !== null && perSymbol.default.median <= 30,
      'symbols whose feeds were not fetched yet hold no articles',
    ),
  ];
  if (runsOf(runs, 'app-many-raised').length) {
    targets.push(target(
      `live heap per symbol ≤ 30 KiB, NEWS_HOST_MAX_RPS=${ctx.config.raisedRps} (raised: every feed fetched)`,
      `${cell(perSymbol.raised)} KiB; ${cell(summary['app-many-raised']?.feedsFetched, 0)} of ${distinct + 1} feeds fetched`,
      perSymbol.raised.median !== null && perSymbol.raised.median <= 30,
    ));
  }
  for (const variant of ['app-many', 'app-few', 'app-many-raised']) {
    const b = budgetOk(variant);
    if (b.budget === undefined) continue;
    targets.push(target(`upstream requests to the feed host never above NEWS_HOST_MAX_RPS=${b.budget} in any 1 s window (${labels[variant]})`, `max ${b.worst} in any 1 s, over every repetition`, b.met));
  }

  const feedViews = runs.filter((r) => r.extra).map((r) => `${r.variant} rep ${r.rep + 1}: ${r.extra.feedSummary ? JSON.stringify(r.extra.feedSummary) : 'no detail'}; ` +
    `${r.extra.withEffectivePeriod} of ${r.extra.listed} listed feeds (${r.extra.omitted} not listed) show an effective period` +
    `${r.extra.withEffectivePeriod ? ` (p50 ${r.extra.effectivePeriodMs.p50} ms, max ${r.extra.effectivePeriodMs.max} ms)` : ''}`);
  const markdown = [
    `${c.n.toLocaleString('en-US')} streams, each from its own client, interval ${c.intervalMs / 1000} s, hold ${c.holdMs / 1000} s; the app polls one per-symbol feed per symbol plus one market feed, all on one host (127.0.0.1).`,
    '',
    figuresTable(summary, METRICS, labels),
    '',
    ratioTable([
      [`RSS per stream, ${distinct} symbols ÷ 4 symbols`, ratios.perStream],
      ['first event p50, many ÷ few', ratios.firstEventP50],
      ['open rate, many ÷ few', ratios.openRate],
      ['first news p50, many ÷ few', ratios.firstNewsP50],
      ['RSS per stream, many ÷ minimal route', ratios.manyVsReferencePerStream],
      ['RSS per stream, few ÷ minimal route', ratios.fewVsReferencePerStream],
      ['first event p50, many ÷ minimal route', ratios.manyVsReferenceFirstEventP50],
      ['first event p50, few ÷ minimal route', ratios.fewVsReferenceFirstEventP50],
      ...(runsOf(runs, 'app-many-raised').length
        ? [
          ['RSS per stream, raised budget ÷ few', ratios.raisedPerStream],
          ['first event p50, raised budget ÷ few', ratios.raisedFirstEventP50],
          ['open rate, raised budget ÷ few', ratios.raisedOpenRate],
        ]
        : []),
    ]),
    '',
    `Live heap per symbol: ${cell(perSymbol.default)} KiB with the default budget, ${cell(perSymbol.raised)} KiB with the raised one.`,
    '',
    failuresLine(runs),
    '',
    'Feeds as /api/health?detail=1 showed them at the end of each hold (the app lists at most 200):',
    '',
    ...feedViews.map((line) => `- ${line}`),
    '',
    targetsTable(targets),
  ].join('\n');
  return { summary: { variants: summary, ratios, heapPerSymbolKiB: perSymbol }, targets, markdown };
}
