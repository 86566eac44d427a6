/**
 * Starts one server under benchmark as its own process tree (fd limit raised, heap probe preloaded),
 * waits until /api/health answers, and stops it. The three kinds serve the same two paths:
 * GET /api/mcp/stream-news and GET /api/health ({activeStreams}).
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { nextBin, repoRoot, startNextServer, startNodeServer } from '../../scripts/support/next-server.mjs';
import { waitFor } from '../../scripts/support/wait.mjs';
import { watchMajorGcs } from './gc-trace.mjs';
import { cpuSeconds } from './proc-stats.mjs';

export { nextBin, repoRoot };
export const benchTmp = path.join(repoRoot, 'bench/.tmp');
/** The app's production build (never `.next`, which belongs to the developer and the tests). */
export const APP_DIST_DIR = '.next-bench';
export const referenceDir = path.join(repoRoot, 'bench/reference-next');
/** Relative to referenceDir: Next wants a relative distDir. */
export const REFERENCE_DIST_DIR = '../.tmp/reference-next-dist';
/**
 * The minimal route behind a pass-through Node.js middleware: a copy of referenceDir with
 * bench/servers/reference-middleware.js as its middleware.js (build.mjs makes it).
 */
export const referenceMiddlewareDir = path.join(benchTmp, 'reference-next-mw');
export const REFERENCE_MIDDLEWARE_DIST_DIR = '.next';
export const probeDir = path.join(benchTmp, 'probe');
const heapProbe = path.join(repoRoot, 'bench/lib/heap-probe.mjs');

/** The fd hard limit here is 20,000; each held stream costs one at each end. */
export const FD_LIMIT = 20_000;

export const SERVER_KINDS = ['baseline', 'reference', 'app'];
export const SERVER_LABELS = {
  baseline: 'node:http baseline',
  reference: 'minimal Next.js route',
  app: 'Market Pulse (next start)',
};

/** `sh -c 'ulimit -n …; exec node …'`: the process keeps its pid, so /proc stats see the server itself. */
export function spawnWithFdLimit(args, options) {
  return spawn('sh', ['-c', `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`, process.execPath, ...args], options);
}

/**
 * Starts a server of `kind` with `extraEnv` (the app's NEWS_FEEDS and limits) on a free port;
 * `nodeArgs` go to node itself (e.g. --cpu-prof, which NODE_OPTIONS does not accept).
 * Returns {kind, url, pid, output(), majorGcs(from, to), health(), probeHeap(), stop()}.
 */
export async function startServer(kind, extraEnv = {}, nodeArgs = []) {
  const options = {
    name: `${kind} server`,
    env: { NODE_OPTIONS: `--import ${heapProbe}`, BENCH_PROBE_DIR: probeDir, ...extraEnv },
    spawn: spawnWithFdLimit,
    // A chatty server under load must not grow the bench's own memory.
    outputLimit: 20_000,
  };
  let server;
  switch (kind) {
    case 'baseline':
      server = await startNodeServer({ ...options, args: [...nodeArgs, path.join(repoRoot, 'bench/servers/baseline.mjs')] });
      break;
    case 'reference':
      server = await startNextServer({ ...options, nodeArgs, cwd: referenceDir, distDir: REFERENCE_DIST_DIR });
      break;
    case 'reference-mw':
      server = await startNextServer({ ...options, nodeArgs, cwd: referenceMiddlewareDir, distDir: REFERENCE_MIDDLEWARE_DIST_DIR });
      break;
    case 'app':
      server = await startNextServer({ ...options, nodeArgs, distDir: APP_DIST_DIR });
      break;
    default:
      throw new Error(`unknown server kind ${kind}`);
  }

  const majorGcs = watchMajorGcs(server.process.stdout);
  return {
    kind,
    url: server.url,
    pid: server.pid,
    output: server.output,
    /** The server's full GCs that ended between two times (ms), when its env has BENCH_ELD=1. */
    majorGcs: majorGcs.between,
    /** {status, activeStreams} or null when the server does not answer within `timeoutMs`. */
    async health(timeoutMs = 2000) {
      try {
        const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
        return res.ok ? await res.json() : null;
      } catch {
        return null;
      }
    },
    /** Forces a full GC in the server and returns its process.memoryUsage() (bytes). */
    async probeHeap(timeoutMs = 10_000) {
      const file = path.join(probeDir, `${server.pid}.json`);
      rmSync(file, { force: true });
      server.process.kill('SIGUSR2');
      return (await waitFor(() => readProbe(file), timeoutMs, 50)) ?? null;
    },
    stop: () => server.stop(),
  };
}

function readProbe(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // not written yet
  }
}

/** Polls /api/health until activeStreams is `count`; the time it got there, or null after `timeoutMs`. */
export async function waitForActive(server, count, timeoutMs) {
  const startedAt = Date.now();
  for (;;) {
    const health = await server.health(5000);
    if (health && health.activeStreams === count) return Date.now();
    if (Date.now() - startedAt > timeoutMs) return null;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** How long a timed drop waits after the heap probe (quietBeforeDrop), outside smoke and quick runs. */
export const QUIET_BEFORE_DROP_MS = 10_000;
/** The wait's CPU is read once per this many ms. */
export const QUIET_STEP_MS = 500;

/**
 * Every drop the benches time follows a heap probe, and the probe's forced full GC leaves a tail
 * (sweeping, on V8's threads as well as the main one): it kept a server of 10,000 streams above a
 * core for a second or more, longer for the larger heap, so a drop started at once was charged for
 * it. A drop waits `ms` here first; the server's CPU in each QUIET_STEP_MS of the wait is returned,
 * to show it had settled.
 */
export async function quietBeforeDrop(server, ms) {
  const samples = [];
  let last = cpuSeconds(server.pid);
  for (let waited = 0; waited < ms; waited += QUIET_STEP_MS) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_STEP_MS));
    const now = cpuSeconds(server.pid);
    samples.push(Math.round((now - last) * 1000));
    last = now;
  }
  return samples;
}
