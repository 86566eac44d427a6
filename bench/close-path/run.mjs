/**
 * `npm run bench -- --close-path [--reps=5] [--n=10000]`: what our close of one SSE stream costs
 * beside the minimal route's, outside Next (worker.mts says why). Processes alternate (app, minimal,
 * app, …) so machine noise lands on both alike; each runs 3 rounds of N streams. Writes
 * bench/results/<date>-close-path.{json,md}.
 *
 * The figure that matters is the difference per stream times 10,000: how much of a mass drop of
 * 10,000 streams our own close can account for, against the drop's few seconds in scenario 1.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from '../lib/machine.mjs';
import { median, round, spread } from '../lib/stats.mjs';
import { cell } from '../scenarios/summary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const worker = path.join(root, 'bench/close-path/worker.mts');

function runWorker(kind, n) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NODE_ENV: 'production', CLOSE_PATH_KIND: kind, CLOSE_PATH_N: String(n), CLOSE_PATH_ROUNDS: '3' };
    const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', worker], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const rounds = out.split('\n').filter((line) => line.startsWith('{"kind"')).map((line) => JSON.parse(line));
      if (code !== 0 || rounds.length === 0) reject(new Error(`${kind} worker exited ${code}:\n${out.slice(-2000)}`));
      else resolve(rounds);
    });
  });
}


export async function runClosePath(argv) {
  const option = (name, fallback) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const reps = option('reps', 5);
  const n = option('n', 10_000);
  const startedAt = new Date();
  const processes = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const kind of ['app', 'minimal']) {
      const rounds = await runWorker(kind, n);
      const usPerStream = median(rounds.map((r) => r.usPerStream));
      processes.push({ kind, rep, usPerStream, rounds });
      console.log(`[close-path] ${kind} rep ${rep + 1}: ${rounds.map((r) => r.usPerStream).join(', ')} µs per stream`);
    }
  }
  const of = (kind) => processes.filter((p) => p.kind === kind).map((p) => p.usPerStream);
  // Paired by repetition: the two processes ran back to back.
  const differences = of('app').map((us, i) => us - of('minimal')[i]);
  const summary = {
    app: spread(of('app')),
    minimal: spread(of('minimal')),
    differenceUs: spread(differences),
    ratio: spread(of('app').map((us, i) => us / of('minimal')[i])),
    addedToADropOf10000Ms: round(median(differences) * 10, 0),
  };
  const results = { date: startedAt.toISOString(), machine: machineInfo(root), n, reps, summary, processes };
  const day = startedAt.toISOString().slice(0, 10);
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${day}-close-path.json`), `${JSON.stringify(results, null, 2)}\n`);
  const m = results.machine;
  const markdown = [
    `# Close path: our close of one SSE stream beside the minimal route's (${day})`,
    '',
    `Produced by \`npm run bench -- --close-path${argv.filter((a) => /^--(reps|n)=/.test(a)).map((a) => ` ${a}`).join('')}\` (bench/close-path/). ` +
      `${n.toLocaleString('en-US')} streams per round, 3 rounds per process, ${reps} processes of each kind, alternating. ` +
      'Each round opens every stream, waits for its first events and a forced GC, then closes them all as Next does when their sockets close: ' +
      'the request\'s signal aborts and the body is cancelled. Timed until the last stream is gone (the app\'s open-stream count at 0).',
    '',
    `**Machine:** ${m.cores} × ${m.cpuModel}, Node ${process.version}, commit ${m.commit ?? 'unknown'}.`,
    '',
    '| | µs per stream: median of processes (min–max) |',
    '|---|---:|',
    `| app: GET /api/mcp/stream-news's handler, guard on, demo feeds | ${cell(summary.app)} |`,
    `| minimal: a body with a timer, cancelled (the minimal route's stream) | ${cell(summary.minimal)} |`,
    `| app − minimal, paired by repetition | ${cell(summary.differenceUs)} |`,
    `| app ÷ minimal | ${cell(summary.ratio, 1, '×')} |`,
    '',
    `What our close adds to a mass drop of 10,000 streams: about **${summary.addedToADropOf10000Ms} ms** (the median difference × 10,000).`,
    '',
    `Every round, µs per stream: ${['app', 'minimal'].map((k) => `${k}: ${processes.filter((p) => p.kind === k).map((p) => p.rounds.map((r) => r.usPerStream).join(', ')).join(' | ')}`).join('; ')}.`,
    '',
  ].join('\n');
  writeFileSync(path.join(dir, `${day}-close-path.md`), markdown);
  console.log(`[close-path] done: bench/results/${day}-close-path.{json,md}`);
}
