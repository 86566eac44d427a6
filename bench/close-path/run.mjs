/**
 * `npm run bench -- --close-path [--reps=5] [--n=10000] [--against=<commit>]`: what our close of one
 * SSE stream costs beside the minimal route's, outside Next (worker.mts says why). Processes
 * alternate (app, minimal, app, …) so machine noise lands on both alike; each runs 3 rounds of N
 * streams. Writes bench/results/<date>-close-path.{json,md}.
 *
 * The figure that matters is the difference per stream times 10,000: how much of a mass drop of
 * 10,000 streams our own close can account for, against the drop's few seconds in scenario 1.
 *
 * `--against` also runs the app as it was at that commit (a git worktree under bench/.tmp), in
 * turn with the other two, and reports the change paired by repetition: two runs of the same code
 * can differ by a third, so a trim is only judged against its baseline measured in the same run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from '../lib/machine.mjs';
import { median, round, spread } from '../lib/stats.mjs';
import { cell, pairedRatio, pairedValues } from '../scenarios/summary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * One worker process of `kind` ('app' or 'minimal') on the app of the tree at `dir`. The worker is
 * always this tree's, so a baseline commit is measured by the same harness: its `@/` imports
 * resolve through the tsconfig tsx is pointed at.
 */
function runWorker(kind, n, dir = root) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NODE_ENV: 'production', CLOSE_PATH_KIND: kind, CLOSE_PATH_N: String(n), CLOSE_PATH_ROUNDS: '3', TSX_TSCONFIG_PATH: path.join(dir, 'tsconfig.json') };
    const script = path.join(root, 'bench/close-path/worker.mts');
    const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
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

/**
 * A checkout of `ref` to run the baseline app from: a detached git worktree under bench/.tmp (kept
 * for the next run), sharing this tree's node_modules.
 */
function baselineTree(ref) {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
  const dir = path.join(root, 'bench/.tmp', `close-path-${commit.slice(0, 12)}`);
  if (!existsSync(dir)) {
    execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: root, stdio: 'ignore' });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  }
  return { commit: commit.slice(0, 12), dir };
}

export async function runClosePath(argv) {
  const value = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const option = (name, fallback) => Number(value(name) ?? fallback);
  const reps = option('reps', 5);
  const n = option('n', 10_000);
  const baseline = value('against') ? baselineTree(value('against')) : undefined;
  const kinds = [
    { name: 'app', kind: 'app', dir: root },
    ...(baseline ? [{ name: 'baseline', kind: 'app', dir: baseline.dir }] : []),
    { name: 'minimal', kind: 'minimal', dir: root },
  ];
  const startedAt = new Date();
  const processes = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const { name, kind, dir } of kinds) {
      const rounds = await runWorker(kind, n, dir);
      const usPerStream = median(rounds.map((r) => r.usPerStream));
      processes.push({ variant: name, rep, usPerStream, rounds });
      console.log(`[close-path] ${name} rep ${rep + 1}: ${rounds.map((r) => r.usPerStream).join(', ')} µs per stream`);
    }
  }
  const of = (variant) => processes.filter((p) => p.variant === variant).map((p) => p.usPerStream);
  // Paired by repetition: the processes of one repetition ran back to back.
  const minus = (a, b) => a.usPerStream - b.usPerStream;
  const perStream = (p) => p.usPerStream;
  const differenceUs = pairedValues(processes, 'app', 'minimal', minus);
  const summary = {
    app: spread(of('app')),
    minimal: spread(of('minimal')),
    differenceUs,
    ratio: pairedRatio(processes, 'app', 'minimal', perStream),
    addedToADropOf10000Ms: round(differenceUs.median * 10, 0),
    ...(baseline && {
      baseline: spread(of('baseline')),
      changeUs: pairedValues(processes, 'app', 'baseline', minus),
      changeRatio: pairedRatio(processes, 'app', 'baseline', perStream),
    }),
  };
  const results = { date: startedAt.toISOString(), machine: machineInfo(root), n, reps, ...(baseline && { baselineCommit: baseline.commit }), summary, processes };
  const day = startedAt.toISOString().slice(0, 10);
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${day}-close-path.json`), `${JSON.stringify(results, null, 2)}\n`);
  const m = results.machine;
  const markdown = [
    `# Close path: our close of one SSE stream beside the minimal route's (${day})`,
    '',
    `Produced by \`npm run bench -- --close-path${argv.filter((a) => /^--(reps|n|against)=/.test(a)).map((a) => ` ${a}`).join('')}\` (bench/close-path/). ` +
      `${n.toLocaleString('en-US')} streams per round, 3 rounds per process, ${reps} processes of each kind, alternating. ` +
      'Each round opens every stream, piped as Next pipes a body to its response, waits for its first events and a forced GC, then closes them all as Next does when their sockets close: ' +
      'the request\'s signal aborts, then the pipe\'s. Timed until the last stream is gone (the app\'s open-stream count at 0).',
    '',
    `**Machine:** ${m.cores} × ${m.cpuModel}, Node ${process.version}, commit ${m.commit ?? 'unknown'}.`,
    '',
    '| | µs per stream: median of processes (min–max) |',
    '|---|---:|',
    `| app: GET /api/mcp/stream-news's handler, guard on, demo feeds | ${cell(summary.app)} |`,
    `| minimal: a body with a timer, cancelled (the minimal route's stream) | ${cell(summary.minimal)} |`,
    `| app − minimal, paired by repetition | ${cell(summary.differenceUs)} |`,
    `| app ÷ minimal | ${cell(summary.ratio, 1, '×')} |`,
    ...(baseline
      ? [
          `| baseline: the app at ${baseline.commit} | ${cell(summary.baseline)} |`,
          `| app − baseline, paired by repetition | ${cell(summary.changeUs)} |`,
          `| app ÷ baseline | ${cell(summary.changeRatio, 2, '×')} |`,
        ]
      : []),
    '',
    `What our close adds to a mass drop of 10,000 streams: about **${summary.addedToADropOf10000Ms} ms** (the median difference × 10,000).`,
    '',
    `Every round, µs per stream: ${kinds.map(({ name: k }) => `${k}: ${processes.filter((p) => p.variant === k).map((p) => p.rounds.map((r) => r.usPerStream).join(', ')).join(' | ')}`).join('; ')}.`,
    '',
  ].join('\n');
  writeFileSync(path.join(dir, `${day}-close-path.md`), markdown);
  console.log(`[close-path] done: bench/results/${day}-close-path.{json,md}`);
}
