#!/usr/bin/env node
/**
 * `node bench/profile-summary.mjs <dir-or-files…> [--from=S --to=S | --results=FILE.json --phase=P]
 * [--out=FILE.md]`: reads the V8 CPU profiles that `npm run bench -- --profile` leaves in
 * bench/.tmp/profiles and writes what a reader needs from them: where the CPU time went, by self
 * time and by inclusive time, and how much of it ran under the middleware's request adaptation,
 * under the stream route's, and under timers (the streams' own events). The raw profiles are tens
 * of MiB each, so the results keep this summary (and the profile itself, gzipped, beside it).
 *
 * --from/--to keep only the samples between those seconds of every profile. --results/--phase take
 * each profile's own window from a scale run's results, where every profiled run names its profile
 * and its phases (open, hold, drop) in those seconds (`profile.phasesS`); profiles the results do
 * not name are left out.
 *
 * Written by hand: Chrome DevTools reads one profile at a time interactively; we need the same
 * aggregation over every profile of a run, as text committed with the figures.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const fail = (message) => {
  console.error(message);
  process.exit(2);
};
const out = option('out');
const files = argv.filter((a) => !a.startsWith('--')).flatMap((p) =>
  statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(p, f)) : [p],
);
if (files.length === 0) fail('usage: node bench/profile-summary.mjs <profile dir or .cpuprofile files> [--from=S --to=S | --results=FILE.json --phase=P] [--out=summary.md]');

/** Each profile's window in seconds since it started ({from: 0, to: Infinity}: all of it), or none to leave it out. */
function windows() {
  const phase = option('phase');
  const results = option('results');
  if (Boolean(phase) !== Boolean(results)) fail('--phase and --results go together');
  if (phase) {
    // Scenario 6 runs two instances per run: each names its own profile.
    const runs = Object.values(JSON.parse(readFileSync(results, 'utf8')).scenarios ?? {})
      .flatMap((s) => s.runs ?? [])
      .flatMap((r) => [r, ...(r.instances ?? []).map((i, k) => ({ ...i, variant: `${r.variant} instance ${k + 1}`, rep: r.rep }))]);
    const byFile = new Map(runs.filter((r) => r.profile?.phasesS?.[phase]).map((r) => [r.profile.file, { run: r, span: r.profile.phasesS[phase] }]));
    return (file) => {
      const found = byFile.get(path.basename(file));
      return found && { from: found.span[0], to: found.span[1], label: `${found.run.variant} rep ${found.run.rep + 1}, ${phase}` };
    };
  }
  const window = { from: Number(option('from') ?? 0), to: Number(option('to') ?? Infinity) };
  if (!(window.from >= 0 && window.to > window.from)) fail('--from and --to are seconds since the profile started, with from < to');
  return () => window;
}
const windowOf = windows();
const inputs = files.map((file) => ({ file, window: windowOf(file) })).filter((i) => i.window);
if (inputs.length === 0) fail('no profile has a window: the results name none of these profiles for that phase');

/** Groups a frame for the "where the time went" table. */
function areaOf(url, name) {
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)' || name === '(program)') return name;
  if (/middleware/.test(url)) return 'middleware.ts (our guard, compiled)';
  if (/next\/dist\/server\/web\/|next-request|adapter/.test(url)) return 'Next.js request adaptation (server/web)';
  if (/next\/dist\//.test(url)) return 'Next.js (other)';
  // The build's own chunks (.next, .next-bench, or the minimal route's reference-next-dist): its
  // routes, lib and bundled packages.
  if (/\/(\.next[^/]*|reference-next-dist)\/server\//.test(url)) return 'the build (routes, lib, bundled packages)';
  if (/node_modules/.test(url)) return 'other packages';
  if (url.startsWith('node:') || url === '') return 'Node.js internals and native';
  return 'other';
}

/** The short place of a frame: the last two path segments and the line. */
const place = (cf) => (cf.url ? `${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}` : '(native)');

function summarize({ file, window }) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Self time per node from the samples and their time deltas, within the window.
  const selfUs = new Map();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at / 1e6 >= window.from && at / 1e6 < window.to) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);

  const self = new Map();
  const inclusive = new Map();
  const area = new Map();
  const under = { middleware: 0, streamRoute: 0, mcpRoute: 0, timers: 0 };
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const cf = node.callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${place(cf)}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const a = areaOf(cf.url, cf.functionName);
    area.set(a, (area.get(a) ?? 0) + us);
    // Walk up once per sample owner: inclusive time per function (counted once per stack) and
    // whether the stack runs under the middleware or a route.
    const seen = new Set();
    const flags = { middleware: false, streamRoute: false, mcpRoute: false, timers: false };
    for (let n = node; n; n = byId.get(parent.get(n.id))) {
      const f = n.callFrame;
      const k = `${f.functionName || '(anonymous)'} ${place(f)}`;
      if (!seen.has(k)) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + us);
      }
      if (/middleware/.test(f.url) || /^(runMiddleware|adapter)$/.test(f.functionName)) flags.middleware = true;
      if (/stream-news/.test(f.url)) flags.streamRoute = true;
      if (/api\/mcp\/route/.test(f.url)) flags.mcpRoute = true;
      // Streams' news ticks and heartbeats, and the socket writes they flush in the same turn.
      if (f.url === 'node:internal/timers' && /^(listOnTimeout|processTimers)$/.test(f.functionName)) flags.timers = true;
    }
    for (const k of Object.keys(under)) if (flags[k]) under[k] += us;
  }
  return { file, window, totalUs: total, busyUs: total - idle, self, inclusive, area, under };
}

const windowText = (w) => {
  const span = w.to === Infinity && w.from === 0 ? 'The whole profile' : `${w.from}–${w.to} s of the profile`;
  return w.label ? `${span} (${w.label})` : span;
};
const ms = (us) => (us / 1000).toFixed(0);
const pct = (us, of) => `${((us / of) * 100).toFixed(1)} %`;
const top = (map, n, skip = () => false) => [...map].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, n);
const isMeta = (k) => /^\((idle|program|root|garbage collector)\)/.test(k);

const lines = ['# CPU profile summary', '', `Produced by \`node bench/profile-summary.mjs ${argv.join(' ')}\`.`, '', `Profiles: ${inputs.map((i) => path.basename(i.file)).join(', ')}.`, ''];
for (const s of inputs.map(summarize)) {
  lines.push(`## ${path.basename(s.file)}`, '', `${windowText(s.window)}: sampled ${ms(s.totalUs)} ms, of which busy (not idle) ${ms(s.busyUs)} ms.`, '');
  lines.push('| area | self time, ms | share of busy |', '|---|---:|---:|');
  for (const [a, us] of top(s.area, 20, (k) => k === '(idle)')) lines.push(`| ${a} | ${ms(us)} | ${pct(us, s.busyUs)} |`);
  lines.push('', '| stacks running under | ms | share of busy |', '|---|---:|---:|');
  lines.push(`| the middleware (middleware.ts, Next's adapter/runMiddleware) | ${ms(s.under.middleware)} | ${pct(s.under.middleware, s.busyUs)} |`);
  lines.push(`| the SSE route (app/api/mcp/stream-news) | ${ms(s.under.streamRoute)} | ${pct(s.under.streamRoute, s.busyUs)} |`);
  lines.push(`| the MCP route (app/api/mcp) | ${ms(s.under.mcpRoute)} | ${pct(s.under.mcpRoute, s.busyUs)} |`);
  lines.push(`| timers: stream ticks and heartbeats, with the writes they flush | ${ms(s.under.timers)} | ${pct(s.under.timers, s.busyUs)} |`);
  lines.push('', 'Top functions by self time:', '', '| function | self, ms | share of busy |', '|---|---:|---:|');
  for (const [k, us] of top(s.self, 25, (k) => k.startsWith('(idle)'))) lines.push(`| \`${k}\` | ${ms(us)} | ${pct(us, s.busyUs)} |`);
  lines.push('', 'Top functions by inclusive time (outside Node internals):', '', '| function | inclusive, ms | share of busy |', '|---|---:|---:|');
  for (const [k, us] of top(s.inclusive, 25, (k) => isMeta(k) || / node:|\(native\)$/.test(k))) lines.push(`| \`${k}\` | ${ms(us)} | ${pct(us, s.busyUs)} |`);
  lines.push('');
}
const text = `${lines.join('\n')}\n`;
if (out) writeFileSync(out, text);
else process.stdout.write(text);
