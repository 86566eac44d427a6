/**
 * Scenario 3: N watchlist streams (symbols=A,B,…; contract §6.3) of 10 symbols each, drawn from a
 * pool of 500, each stream from its own client: connect rate, first event, memory per stream, and
 * how often each of the ~501 feeds is fetched. With the default NEWS_HOST_MAX_RPS (4) and every
 * feed on one host, the budget stretches each feed's period far beyond the stream interval by
 * design; the raised-budget variant shows whether each feed is then fetched once per period however
 * many watchlists include it (a gap shorter than the period would be a duplicate fetch).
 */
import { startFeedServer } from '../lib/feed-server.mjs';
import { operatorEnv } from '../lib/operator-env.mjs';
import { interleaved, streamRun } from './stream-run.mjs';
import { symbolSet, watchlists } from './symbols.mjs';
import { cell, failuresLine, figuresTable, labelsOf, pairedRatio, pick, ratioTable, runsOf, summarizeVariants, target, targetsTable } from './summary.mjs';

export const id = 3;
export const title = 'Watchlists: streams of 10 symbols each from a pool of 500';

const DEFAULT_RPS = 4;

function variants(ctx, feeds) {
  const c = ctx.config.s3;
  const lists = watchlists(symbolSet('W', c.pool), c.n, c.listSize);
  const feedsWanted = new Set(lists.flat()).size + 1;
  const load = { n: c.n, params: { interval: c.intervalMs, duration: 300_000, limit: 10 }, watchlists: lists, clients: { base: 0 }, sameOrigin: true };
  const app = (extra) => operatorEnv({ newsFeeds: feeds.newsFeeds, extra });
  return [
    { variant: 'app', label: `app, ${c.n} watchlists of ${c.listSize} (pool ${c.pool})`, kind: 'app', env: app(), load, feedsWanted, rps: DEFAULT_RPS },
    ...(ctx.config.raisedRps > 0
      ? [{ variant: 'app-raised', label: `app, NEWS_HOST_MAX_RPS=${ctx.config.raisedRps} (raised)`, kind: 'app', env: app({ NEWS_HOST_MAX_RPS: String(ctx.config.raisedRps) }), load, feedsWanted, rps: ctx.config.raisedRps }]
      : []),
    { variant: 'reference', label: 'minimal Next.js route (same requests)', kind: 'reference', env: { BENCH_ELD: '1' }, load },
    { variant: 'baseline', label: 'node:http baseline (same requests)', kind: 'baseline', env: { BENCH_ELD: '1' }, load },
  ];
}

export async function run(ctx) {
  const c = ctx.config.s3;
  const feeds = await startFeedServer(c.intervalMs);
  const measure = async (rep, v) => {
    const r = await streamRun(ctx, rep, { ...v, holdMs: c.holdMs, periodMs: c.intervalMs, feeds: v.kind === 'app' ? feeds : undefined });
    return { ...r, label: v.label, budgetRps: v.rps ?? null };
  };
  return interleaved(ctx, variants(ctx, feeds), measure, { close: [feeds] });
}

const METRICS = [
  ...pick('connected', 'openRate', 'firstEventP50', 'firstEventP99', 'firstNewsP50', 'firstNewsP99', 'perStreamKiB', 'heapPerStreamKiB', 'cpuOpen', 'latenessP99', 'eldP99', 'feedsFetched', 'perFeedPerPeriod', 'perPeriodFromGaps', 'maxPerSecond'),
  { key: 'minGapMs', label: 'shortest gap between fetches of one feed, ms', get: (r) => r.upstream?.gapMs?.min, digits: 0 },
  ...pick('toZeroMs'),
];

export function report(runs, ctx) {
  const c = ctx.config.s3;
  const summary = summarizeVariants(runs, METRICS);
  const labels = labelsOf(runs);
  const ratios = {
    openRate: pairedRatio(runs, 'app', 'reference', (r) => r.open.streamsPerSecond),
    firstEventP50: pairedRatio(runs, 'app', 'reference', (r) => r.open.firstEventMs.p50),
    firstEventP99: pairedRatio(runs, 'app', 'reference', (r) => r.open.firstEventMs.p99),
    perStream: pairedRatio(runs, 'app', 'reference', (r) => r.memory.perStreamKiB),
    heapPerStream: pairedRatio(runs, 'app', 'reference', (r) => r.memory.heapPerStreamKiB),
  };
  const targets = [];
  for (const variant of ['app', 'app-raised']) {
    const mine = runsOf(runs, variant);
    if (!mine.length) continue;
    const worst = Math.max(...mine.map((r) => r.upstream?.maxPerSecond ?? 0));
    const shortest = Math.min(...mine.map((r) => r.upstream?.gapMs?.min ?? Infinity));
    targets.push(target(`upstream requests never above NEWS_HOST_MAX_RPS=${mine[0].budgetRps} in any 1 s (${labels[variant]})`, `max ${worst} in any 1 s`, worst <= mine[0].budgetRps));
    targets.push(target(
      `no duplicate fetch: one fetch per feed per period at most, however many watchlists share it (${labels[variant]})`,
      Number.isFinite(shortest) ? `shortest gap between two fetches of one feed ${Math.round(shortest)} ms (period ${c.intervalMs} ms); ${cell(summary[variant]?.perFeedPerPeriod, 3)} fetches per feed per period over the hold (${cell(summary[variant]?.perPeriodFromGaps, 3)} from gaps)` : 'no feed was fetched twice in the window',
      !Number.isFinite(shortest) || shortest >= 0.9 * c.intervalMs,
      'a gap under 90 % of the period counts as a duplicate',
    ));
  }
  const markdown = [
    `${c.n.toLocaleString('en-US')} streams, each \`symbols=\` ${c.listSize} symbols drawn (fixed seed) from a pool of ${c.pool}, each from its own client; interval ${c.intervalMs / 1000} s, hold ${c.holdMs / 1000} s. ` +
      'The minimal route and the baseline receive the same requests (they ignore `symbols`). Fetches per feed per period: (counts) fetches in the hold ÷ (feeds × periods in the hold), 1 when every feed is fetched once per period (off by up to one fetch per feed at the window\'s edges); ' +
      '(period ÷ median gap) from the gaps between consecutive fetches of a feed, from the first open to the end of the hold: 1 when those are one period apart, empty when no feed was fetched twice.',
    '',
    figuresTable(summary, METRICS, labels),
    '',
    ratioTable([
      ['open rate, app ÷ minimal route', ratios.openRate],
      ['first event p50, app ÷ minimal route', ratios.firstEventP50],
      ['first event p99, app ÷ minimal route', ratios.firstEventP99],
      ['RSS per stream, app ÷ minimal route', ratios.perStream],
      ['live heap per stream, app ÷ minimal route', ratios.heapPerStream],]),
    '',
    failuresLine(runs),
    '',
    targetsTable(targets),
  ].join('\n');
  return { summary: { variants: summary, ratios }, targets, markdown };
}
