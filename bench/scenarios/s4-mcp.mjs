/**
 * Scenario 4: N concurrent `stream_market_news` calls to POST /api/mcp through the official SDK
 * clients (half v2 pinned to 2026-07-28, half the v1 SDK on the 2025 stateless fallback; each
 * call its own client with its own agent key), against N SSE streams on the same app
 * configuration and N streams on the minimal Next.js route, in the same run. First progress
 * notification (the `connected` one) and memory per call, as ratios to the SSE streams.
 */
import { startFeedServer } from '../lib/feed-server.mjs';
import { agentKeys, operatorEnv } from '../lib/operator-env.mjs';
import { interleaved, streamRun } from './stream-run.mjs';
import { FEW_SYMBOLS } from './symbols.mjs';
import { cell, failuresLine, figuresTable, labelsOf, pairedRatio, pick, ratioCell, ratioTable, runsOf, summarizeVariants, table, targetsTable } from './summary.mjs';

export const id = 4;
export const title = 'MCP: concurrent stream_market_news calls vs SSE streams';

export async function run(ctx) {
  const c = ctx.config.s4;
  const feeds = await startFeedServer(c.intervalMs);
  // The same configuration for both transports, so only the transport differs.
  const env = operatorEnv({ newsFeeds: feeds.newsFeeds, keys: agentKeys(c.n) });
  const keys = env.MCP_API_KEYS.split(',').slice(1);
  const base = { n: c.n, params: { interval: c.intervalMs, duration: 300_000, limit: 10 }, symbols: FEW_SYMBOLS, clients: { base: 0 }, sameOrigin: true };
  const list = [
    { variant: 'app-mcp', label: `app, ${c.n} MCP calls (half v2 2026-07-28, half v1 SDK)`, kind: 'app', env, load: { ...base, mode: 'mcp', keys } },
    { variant: 'app-sse', label: `app, ${c.n} SSE streams`, kind: 'app', env, load: base },
    { variant: 'reference', label: `minimal Next.js route, ${c.n} SSE streams`, kind: 'reference', env: { BENCH_ELD: '1' }, load: base },
  ];
  const measure = async (rep, v) => {
    const r = await streamRun(ctx, rep, { ...v, holdMs: c.holdMs, periodMs: c.intervalMs, feeds: v.kind === 'app' ? feeds : undefined, feedsWanted: 5 });
    return { ...r, label: v.label };
  };
  return interleaved(ctx, list, measure, { close: [feeds] });
}

const METRICS = [
  ...pick('connected', 'openRate'),
  { key: 'firstEventP50', label: 'first progress / connected event p50, ms', get: (r) => r.open.firstEventMs.p50 },
  { key: 'firstEventP99', label: 'first progress / connected event p99, ms', get: (r) => r.open.firstEventMs.p99 },
  ...pick('firstNewsP50', 'firstNewsP99', 'perStreamKiB', 'heapPerStreamKiB', 'cpuOpen', 'cpuPercent', 'latenessP99', 'eventsMissing', 'eldP99', 'toZeroMs'),
];

export function report(runs, ctx) {
  const c = ctx.config.s4;
  const summary = summarizeVariants(runs, METRICS);
  const labels = labelsOf(runs);
  const ratios = {
    firstProgressP50: pairedRatio(runs, 'app-mcp', 'app-sse', (r) => r.open.firstEventMs.p50),
    firstProgressP99: pairedRatio(runs, 'app-mcp', 'app-sse', (r) => r.open.firstEventMs.p99),
    perCall: pairedRatio(runs, 'app-mcp', 'app-sse', (r) => r.memory.perStreamKiB),
    heapPerCall: pairedRatio(runs, 'app-mcp', 'app-sse', (r) => r.memory.heapPerStreamKiB),
    cpuPerOpen: pairedRatio(runs, 'app-mcp', 'app-sse', (r) => r.open.cpuMsPerStream),
    openRate: pairedRatio(runs, 'app-mcp', 'app-sse', (r) => r.open.streamsPerSecond),
    sseVsReferencePerStream: pairedRatio(runs, 'app-sse', 'reference', (r) => r.memory.perStreamKiB),
    mcpVsReferencePerStream: pairedRatio(runs, 'app-mcp', 'reference', (r) => r.memory.perStreamKiB),
    sseVsReferenceFirstEventP50: pairedRatio(runs, 'app-sse', 'reference', (r) => r.open.firstEventMs.p50),
  };
  const mcp = runsOf(runs, 'app-mcp');
  const flavourRows = mcp.map((r) => [
    `rep ${r.rep + 1}`,
    ...['v2', 'v1'].map((f) => {
      const b = r.open.byFlavour?.[f];
      return b ? `${b.connected}/${b.calls}; first progress p50 ${cell({ n: 1, median: b.firstProgressMs.p50 })} / p99 ${cell({ n: 1, median: b.firstProgressMs.p99 })} ms` : '–';
    }),
    `${r.open.connect?.ms} ms (${r.open.connect?.failed} failed)`,
  ]);
  const targets = [
    { name: 'first progress p50 / p99 of MCP calls as a ratio to SSE streams (reported)', measured: `p50 ${ratioCell(ratios.firstProgressP50)}, p99 ${ratioCell(ratios.firstProgressP99)}`, met: null },
    { name: 'memory per MCP call as a ratio to an SSE stream (reported)', measured: `RSS ${cell(summary['app-mcp']?.perStreamKiB)} vs ${cell(summary['app-sse']?.perStreamKiB)} KiB: ${ratioCell(ratios.perCall)}; live heap ${ratioCell(ratios.heapPerCall)}`, met: null },
  ];
  const markdown = [
    `${c.n} calls or streams over the default bench's 4 symbols, interval ${c.intervalMs / 1000} s, hold ${c.holdMs / 1000} s, at most ${ctx.config.concurrency} opening at once. ` +
      'MCP calls through the official SDKs (`@modelcontextprotocol/client` v2 pinned to 2026-07-28 for even calls, `@modelcontextprotocol/sdk` v1 for odd ones), one client per call with its own agent key ' +
      '(MCP_API_KEYS lists one per agent), connected before the timed open; the first progress notification is timed from callTool. SSE streams send Sec-Fetch-Site: same-origin and no key.',
    '',
    figuresTable(summary, METRICS, labels),
    '',
    ratioTable([
      ['first progress p50, MCP ÷ SSE', ratios.firstProgressP50],
      ['first progress p99, MCP ÷ SSE', ratios.firstProgressP99],
      ['RSS per call, MCP ÷ SSE stream', ratios.perCall],
      ['live heap per call, MCP ÷ SSE stream', ratios.heapPerCall],
      ['CPU per open, MCP ÷ SSE', ratios.cpuPerOpen],
      ['open rate, MCP ÷ SSE', ratios.openRate],
      ['RSS per stream, app SSE ÷ minimal route', ratios.sseVsReferencePerStream],
      ['RSS per call, app MCP ÷ minimal route', ratios.mcpVsReferencePerStream],
      ['first event p50, app SSE ÷ minimal route', ratios.sseVsReferenceFirstEventP50],]),
    '',
    'By client generation (MCP runs):',
    '',
    table(['repetition', 'v2 (2026-07-28)', 'v1 SDK (2025)', 'connecting all clients'], flavourRows),
    '',
    failuresLine(runs, 'calls or streams'),
    '',
    targetsTable(targets),
  ].join('\n');
  return { summary: { variants: summary, ratios }, targets, markdown };
}
