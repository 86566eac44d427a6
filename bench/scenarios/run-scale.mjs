/**
 * `npm run bench -- --scale`: the scale scenarios of issue 15 (options: options.mjs), each beside
 * the minimal Next.js route (and the node:http baseline where it applies), repetitions interleaved
 * across servers. Results: bench/results/<date>-scale[-smoke|-partial].{json,md}: the JSON has every
 * raw run, the Markdown the medians, spreads, ratios and targets. It never edits the docs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from '../lib/build.mjs';
import { machineInfo, runRecord } from '../lib/machine.mjs';
import { OPERATOR_NOTES } from '../lib/operator-env.mjs';
import { benchTmp, probeDir, repoRoot } from '../lib/server-process.mjs';
import { dropsOf } from './drops.mjs';
import { scaleOptions } from './options.mjs';
import * as s1 from './s1-guard.mjs';
import * as s2 from './s2-symbols.mjs';
import * as s3 from './s3-watchlists.mjs';
import * as s4 from './s4-mcp.mjs';
import * as s5 from './s5-big-feeds.mjs';
import * as s6 from './s6-redis.mjs';
import { renderScaleChart } from './scale-chart.mjs';
import { renderScaleMarkdown } from './scale-markdown.mjs';

const SCENARIOS = [s1, s2, s3, s4, s5, s6];

const log = (...parts) => console.log(`[bench scale ${new Date().toISOString().slice(11, 19)}]`, ...parts);
const f = (v, digits = 0) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits));

/** One line per measurement, so a long run shows its progress. */
function logRun(r) {
  log(`${r.variant} rep ${r.rep + 1}: ${r.open?.connected}/${r.n} connected at ${f(r.open?.streamsPerSecond)}/s, first event p50 ${f(r.open?.firstEventMs?.p50, 1)} ms, ` +
    `${r.memory?.perStreamKiB} KiB/stream, lateness p99 ${f(r.delivery?.latenessMs?.p99, 1)} ms, missing ${r.delivery?.eventsMissing}/${r.delivery?.eventsDue}, ` +
    `ELD p99 ${f(r.eventLoopDelayMs?.p99, 1)} ms, to zero ${dropsOf(r).map((d) => d?.toZeroMs).join(', ')} ms${r.upstream ? `, upstream max ${r.upstream.maxPerSecond}/s, ${r.upstream.feedsFetched}/${r.upstream.feedsWanted} feeds fetched` : ''}`);
}

/** What a smoke run insists on: every stream connected, no event missing, everything cleaned up. */
function smokeProblems(id, runs) {
  return runs.flatMap((r) => {
    const problems = [];
    // Scenario 6 measures two instances per run: each is checked like a single server.
    for (const part of r.instances ?? [r]) {
      if (part.open && part.open.connected !== part.n) problems.push(`${part.open.connected}/${part.n} connected ${JSON.stringify(part.open.failures)}`);
      if (part.reopen && part.reopen.connected !== part.n) problems.push(`round 2: ${part.reopen.connected}/${part.n} connected ${JSON.stringify(part.reopen.failures)}`);
      if (part.delivery?.eventsMissing > 0) problems.push(`${part.delivery.eventsMissing} events missing`);
    }
    for (const d of dropsOf(r)) if (d && d.toZeroMs === null) problems.push('never back to 0 active streams');
    for (const open of r.reopens ?? []) if (open.connected !== r.n) problems.push(`reopen: ${open.connected}/${r.n} connected ${JSON.stringify(open.failures)}`);
    return problems.map((p) => `scenario ${id} ${r.variant} rep ${r.rep + 1}: ${p}`);
  });
}

export async function runScale(argv) {
  const config = scaleOptions(argv);
  const started = new Date();
  mkdirSync(probeDir, { recursive: true });
  mkdirSync(benchTmp, { recursive: true });
  const machine = machineInfo(repoRoot);
  const selected = SCENARIOS.filter((s) => config.scenarios.includes(s.id));
  log(`mode ${config.mode}: scenarios ${selected.map((s) => s.id).join(', ')}, ${config.reps} repetition(s)`);
  build({ servers: ['app', 'reference', 'reference-mw'], reuse: config.reuseBuild, log });

  const ctx = { config, log, logRun, pending: [] };
  const scenarios = {};
  const problems = [];
  for (const scenario of selected) {
    const scenarioStart = Date.now();
    log(`scenario ${scenario.id}: ${scenario.title}`);
    const minutes = () => Math.round(((Date.now() - scenarioStart) / 60_000) * 10) / 10;
    try {
      const runs = await scenario.run(ctx);
      // Readings still pending (RSS and heap some time after a drop) finish before the report.
      await Promise.all(ctx.pending.splice(0));
      const { summary, targets, markdown } = scenario.report(runs, ctx);
      scenarios[scenario.id] = { title: scenario.title, minutes: minutes(), summary, targets, markdown, runs };
      if (config.smoke) problems.push(...smokeProblems(scenario.id, runs));
    } catch (error) {
      // One broken scenario must not cost the others' figures: it is reported as failed.
      await Promise.allSettled(ctx.pending.splice(0));
      console.error(error);
      scenarios[scenario.id] = { title: scenario.title, minutes: minutes(), error: String(error?.message ?? error).slice(0, 4000) };
      problems.push(`scenario ${scenario.id} failed: ${String(error?.message ?? error).split('\n')[0]}`);
    }
    log(`scenario ${scenario.id} done in ${scenarios[scenario.id].minutes} min`);
  }

  const results = {
    ...runRecord(started, machine),
    config,
    operator: OPERATOR_NOTES,
    scenarios,
  };
  const dir = path.join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const base = `${results.date}-scale${config.smoke ? '-smoke' : ''}${config.partial ? '-partial' : ''}`;
  // The JSON keeps the raw runs; the Markdown is rendered from the same object.
  const chart = renderScaleChart(results);
  if (chart) writeFileSync(path.join(dir, `${base}.svg`), chart);
  const markdown = renderScaleMarkdown(results, chart ? `${base}.svg` : null);
  writeFileSync(path.join(dir, `${base}.json`), `${JSON.stringify({ ...results, scenarios: Object.fromEntries(Object.entries(scenarios).map(([k, s]) => [k, { ...s, markdown: undefined }])) }, null, 2)}\n`);
  writeFileSync(path.join(dir, `${base}.md`), markdown);
  log(`done in ${results.durationMinutes} min: bench/results/${base}.{json,md${chart ? ',svg' : ''}}`);
  console.log(`\n${markdown}`);
  if (problems.length) {
    for (const p of problems) console.error(`${config.smoke ? 'smoke' : 'scale'}: ${p}`);
    process.exitCode = 1;
  }
}
