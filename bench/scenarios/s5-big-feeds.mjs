/**
 * Scenario 5: what parsing a big feed does to everyone else. The app polls, besides the normal
 * feeds, one big market feed from a second feed host (127.0.0.2, so it has its own request budget
 * and its own `source` label in the app's metrics) that changes every period, so it is fetched and
 * parsed again each period: either a feed just under NEWS_MAX_FEED_BYTES (5 MiB) of large items,
 * or one of 2,000 typical items. While it does, 200 streams are held and /api/health is requested
 * every 10 ms, one request at a time. Read: the app's event-loop delay (monitorEventLoopDelay,
 * preloaded by the bench), the health requests' latency, the streams' lateness, and the app's own
 * fetch-plus-parse time of the big feed (market_pulse_feed_fetch_duration_seconds). Beside them:
 * the same app without a big feed, and the minimal Next.js route.
 */
import { bigFeedBytes, bytesFeed, itemsFeed } from '../lib/big-feeds.mjs';
import { startFeedServer } from '../lib/feed-server.mjs';
import { healthDetail, metricsText, operatorEnv } from '../lib/operator-env.mjs';
import { histogram } from '../lib/prom-text.mjs';
import { interleaved, streamRun } from './stream-run.mjs';
import { FEW_SYMBOLS } from './symbols.mjs';
import { cell, figuresTable, labelsOf, pick, runsOf, summarizeVariants, target, targetsTable } from './summary.mjs';

export const id = 5;
export const title = 'Big feeds: a 5 MiB feed and a 2,000-item feed, parsed while streams are held';

/** The app's default NEWS_MAX_FEED_BYTES: the big feed stays just under it. */
const MAX_FEED_BYTES = 5 * 1024 * 1024;
const BIG_HOST = '127.0.0.2';

/** How long after each big-feed request the probe's requests count as "during a parse" when the app reports no mean. */
const DEFAULT_PARSE_WINDOW_MS = 1000;

/**
 * The app's own timing of the big feed's fetches (fetch + parse), what the operator's health view
 * says of it, and the health probe's latency while the big feed was being fetched and parsed
 * (from each request the feed server saw for it, for the app's mean fetch + parse time) against
 * the rest of the hold: a stall too brief to move the p99 of the whole hold shows here.
 */
function bigFeedView(big, feedName, probeWindow) {
  return async (server, { client }) => {
    const [text, detail] = await Promise.all([metricsText(server), healthDetail(server)]);
    const feed = detail?.feeds?.find((f) => f.feed.includes(BIG_HOST));
    const fetchParse = text ? histogram(text, 'market_pulse_feed_fetch_duration_seconds', { source: BIG_HOST }) : null;
    const span = Math.round(fetchParse?.meanMs ?? DEFAULT_PARSE_WINDOW_MS);
    const { from, to } = probeWindow();
    const windows = big.requestsBetween(feedName, from - span, to).map((t) => [t, t + span]);
    return {
      fetchParse,
      duringParse: { spanMs: span, ...(await client.call('probeWindows', { windows })) },
      state: feed ? { state: feed.state, lastError: feed.lastError, effectivePeriodMs: feed.effectivePeriodMs } : null,
    };
  };
}

export async function run(ctx) {
  const c = ctx.config.s5;
  const feeds = await startFeedServer(c.intervalMs);
  const big = await startFeedServer(c.intervalMs, { host: BIG_HOST, extraFeeds: { 'big-bytes': bytesFeed(MAX_FEED_BYTES), 'many-items': itemsFeed(c.items) } });
  const sizes = { 'big-bytes': bigFeedBytes(bytesFeed(MAX_FEED_BYTES), 'big-bytes', c.intervalMs), 'many-items': bigFeedBytes(itemsFeed(c.items), 'many-items', c.intervalMs) };
  const load = { n: c.streams, params: { interval: c.intervalMs, duration: 300_000, limit: 10 }, symbols: FEW_SYMBOLS, clients: { base: 0 }, sameOrigin: true };
  const app = (extraFeed) => operatorEnv({ newsFeeds: extraFeed ? `${feeds.newsFeeds},${big.feedUrl(extraFeed)}` : feeds.newsFeeds });
  const list = [
    { variant: 'app-bytes', label: `app + a ${(sizes['big-bytes'] / 2 ** 20).toFixed(2)} MiB feed of large items`, kind: 'app', env: app('big-bytes'), bigFeed: 'big-bytes' },
    { variant: 'app-items', label: `app + a ${c.items}-item feed (${(sizes['many-items'] / 2 ** 20).toFixed(2)} MiB)`, kind: 'app', env: app('many-items'), bigFeed: 'many-items' },
    { variant: 'app-control', label: 'app, normal feeds only', kind: 'app', env: app() },
    { variant: 'reference', label: 'minimal Next.js route', kind: 'reference', env: { BENCH_ELD: '1' } },
  ];
  const measure = async (rep, v) => {
    let probed = { from: 0, to: 0 };
    const during = async (holdStart, { server, client }) => {
      const result = await client.call('probe', { url: `${server.url}/api/health`, everyMs: c.probeEveryMs, durationMs: c.holdMs - 500 });
      probed = { from: result.startedAt, to: result.endedAt };
      return result;
    };
    const r = await streamRun(ctx, rep, {
      ...v,
      load,
      holdMs: c.holdMs,
      periodMs: c.intervalMs,
      eldWindow: true,
      during,
      afterHold: v.bigFeed ? bigFeedView(big, v.bigFeed, () => probed) : undefined,
    });
    r.label = v.label;
    if (v.bigFeed) r.bigFeed = { name: v.bigFeed, bytes: sizes[v.bigFeed], fetchesInHold: big.countBetween(r.during.startedAt, r.during.endedAt)[v.bigFeed] ?? 0 };
    return r;
  };
  const describe = (r) => {
    ctx.logRun(r);
    ctx.log(`  health every ${c.probeEveryMs} ms: p99 ${r.during.latencyMs.p99?.toFixed(1)} ms, max ${r.during.latencyMs.max?.toFixed(1)} ms over ${r.during.requests} requests` +
      `${r.extra?.fetchParse ? `; big feed fetch+parse mean ${r.extra.fetchParse.meanMs} ms over ${r.extra.fetchParse.count}` : ''}`);
  };
  return interleaved(ctx, list, measure, { close: [feeds, big], describe });
}

const METRICS = [
  { key: 'eldP99', label: 'app event-loop delay p99, ms (hold)', get: (r) => r.eventLoopDelayMs?.p99 },
  { key: 'eldMax', label: 'event-loop delay max, ms', get: (r) => r.eventLoopDelayMs?.max },
  { key: 'healthP50', label: '/api/health latency p50, ms', get: (r) => r.during.latencyMs.p50 },
  { key: 'healthP99', label: '/api/health p99, ms', get: (r) => r.during.latencyMs.p99 },
  { key: 'healthMax', label: '/api/health max, ms', get: (r) => r.during.latencyMs.max },
  { key: 'requests', label: 'health requests', get: (r) => r.during.requests, digits: 0 },
  { key: 'probeEld', label: 'probe\'s own delay max, ms', get: (r) => r.during.probeEventLoopDelayMs.max },
  { key: 'duringParseP99', label: '/api/health p99 while the big feed is fetched + parsed, ms', get: (r) => r.extra?.duringParse?.insideMs?.p99 },
  { key: 'duringParseMax', label: 'max then, ms', get: (r) => r.extra?.duringParse?.insideMs?.max },
  { key: 'outsideParseP99', label: '/api/health p99 the rest of the hold, ms', get: (r) => r.extra?.duringParse?.outsideMs?.p99 },
  ...pick('latenessP99', 'eventsMissing'),
  { key: 'bigFetches', label: 'big feed fetches in the hold', get: (r) => r.bigFeed?.fetchesInHold, digits: 0 },
  { key: 'fetchParseMean', label: 'big feed fetch + parse mean, ms (app metric)', get: (r) => r.extra?.fetchParse?.meanMs },
  { key: 'fetchParseMax', label: 'slowest fetch + parse ≤, ms (bucket)', get: (r) => r.extra?.fetchParse?.slowestAtMostMs, digits: 0 },
  ...pick('cpuPercent'),
];

export function report(runs, ctx) {
  const c = ctx.config.s5;
  const summary = summarizeVariants(runs, METRICS);
  const labels = labelsOf(runs);
  const targets = [];
  for (const variant of ['app-bytes', 'app-items']) {
    const mine = runsOf(runs, variant);
    if (!mine.length) continue;
    const worstP99 = Math.max(...mine.map((r) => r.eventLoopDelayMs?.p99 ?? Infinity));
    targets.push(target(
      `event-loop delay p99 < 50 ms while the big feed is fetched and parsed every ${c.intervalMs / 1000} s (${labels[variant]})`,
      `p99 ${cell(summary[variant]?.eldP99)} ms, max ${cell(summary[variant]?.eldMax)} ms (monitorEventLoopDelay in the app, over the hold); /api/health p99 ${cell(summary[variant]?.healthP99)} ms, max ${cell(summary[variant]?.healthMax)} ms; ` +
        `while the big feed is fetched and parsed /api/health p99 ${cell(summary[variant]?.duringParseP99)} ms; ` +
        `${cell(summary[variant]?.bigFetches, 0)} big-feed fetches per hold, fetch + parse mean ${cell(summary[variant]?.fetchParseMean)} ms`,
      worstP99 < 50,
      'judged on the worst repetition',
    ));
    // The same bound, read only while a parse runs: the whole hold's p99 dilutes stalls that last a few hundred ms every 5 s.
    const worstDuring = Math.max(...mine.map((r) => r.extra?.duringParse?.insideMs?.p99 ?? Infinity));
    targets.push(target(
      `requests answered within 50 ms (p99) while the big feed is fetched and parsed (${labels[variant]})`,
      `/api/health p99 ${cell(summary[variant]?.duringParseP99)} ms, max ${cell(summary[variant]?.duringParseMax)} ms during the app's mean fetch + parse time after each big-feed request; ${cell(summary[variant]?.outsideParseP99)} ms the rest of the hold`,
      worstDuring < 50,
      'judged on the worst repetition; an outside view of the same bound',
    ));
  }
  const states = runs.filter((r) => r.extra?.state).map((r) => `${r.variant} rep ${r.rep + 1}: ${r.extra.state.state}${r.extra.state.lastError ? ` (${r.extra.state.lastError})` : ''}`);
  const markdown = [
    `${c.streams} streams (4 symbols, interval ${c.intervalMs / 1000} s) held ${c.holdMs / 1000} s while \`/api/health\` is requested every ${c.probeEveryMs} ms, one at a time over one kept-alive connection. ` +
      `The big feed gains an item every ${c.intervalMs / 1000} s, so the app fetches and parses all of it each period. Event-loop delay: monitorEventLoopDelay (5 ms sampling) preloaded into each server, ` +
      'delay beyond the sampling interval, over the hold alone (a stall records one late sample however long it lasts, so brief stalls barely move the p99: see the max). ' +
      '"While the big feed is fetched and parsed": health requests sent within the app\'s mean fetch + parse time after each request the feed server saw for the big feed. ' +
      'The probe\'s own event-loop delay is shown so a stall of the observer is not mistaken for one of the server.',
    '',
    figuresTable(summary, METRICS, labels),
    '',
    `Big feed state at the end of each hold (health detail): ${states.join('; ') || 'n/a'}.`,
    '',
    targetsTable(targets),
  ].join('\n');
  return { summary: { variants: summary }, targets, markdown };
}
