/**
 * Starts one server under benchmark as its own process tree (fd limit raised, heap probe preloaded),
 * waits until /api/health answers, and stops it. The three kinds serve the same two paths:
 * GET /api/mcp/stream-news and GET /api/health ({activeStreams}).
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const benchTmp = path.join(repoRoot, 'bench/.tmp');
export const nextBin = path.join(repoRoot, 'node_modules/next/dist/bin/next');
/** The app's production build (never `.next`, which belongs to the developer and the tests). */
export const APP_DIST_DIR = '.next-bench';
export const referenceDir = path.join(repoRoot, 'bench/reference-next');
/** Relative to referenceDir: Next wants a relative distDir. */
export const REFERENCE_DIST_DIR = '../.tmp/reference-next-dist';
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

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `sh -c 'ulimit -n …; exec node …'`: the process keeps its pid, so /proc stats see the server itself. */
export function spawnWithFdLimit(args, options) {
  return spawn('sh', ['-c', `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`, process.execPath, ...args], options);
}

function commandFor(kind, port) {
  switch (kind) {
    case 'baseline':
      return { args: [path.join(repoRoot, 'bench/servers/baseline.mjs')], cwd: repoRoot, env: {} };
    case 'reference':
      return {
        args: [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
        cwd: referenceDir,
        env: { NEXT_DIST_DIR: REFERENCE_DIST_DIR },
      };
    case 'app':
      return {
        args: [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
        cwd: repoRoot,
        env: { NEXT_DIST_DIR: APP_DIST_DIR },
      };
    default:
      throw new Error(`unknown server kind ${kind}`);
  }
}

/**
 * Starts a server of `kind` with `extraEnv` (the app's NEWS_FEEDS and limits) on a free port;
 * `nodeArgs` go to node itself (e.g. --cpu-prof, which NODE_OPTIONS does not accept).
 * Returns {kind, url, pid, output(), health(), probeHeap(), stop()}.
 */
export async function startServer(kind, extraEnv = {}, nodeArgs = []) {
  const port = await freePort();
  const { args, cwd, env } = commandFor(kind, port);
  let output = '';
  const child = spawnWithFdLimit([...nodeArgs, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_OPTIONS: `--import ${heapProbe}`,
      BENCH_PROBE_DIR: probeDir,
      ...env,
      ...extraEnv,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    // Bounded: a chatty server must not grow the bench's own memory.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;

  const server = {
    kind,
    url,
    pid: child.pid,
    output: () => output,
    /** {status, activeStreams} or null when the server does not answer within `timeoutMs`. */
    async health(timeoutMs = 2000) {
      try {
        const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
        return res.ok ? await res.json() : null;
      } catch {
        return null;
      }
    },
    /** Forces a full GC in the server and returns its process.memoryUsage() (bytes). */
    async probeHeap(timeoutMs = 10_000) {
      const file = path.join(probeDir, `${child.pid}.json`);
      rmSync(file, { force: true });
      const sentAt = Date.now();
      child.kill('SIGUSR2');
      while (Date.now() - sentAt < timeoutMs) {
        await sleep(50);
        try {
          return JSON.parse(readFileSync(file, 'utf8'));
        } catch {
          // not written yet
        }
      }
      return null;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };

  const deadline = Date.now() + 60_000;
  while (!(await server.health())) {
    if (child.exitCode !== null) throw new Error(`${kind} server exited early:\n${output}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${kind} server did not answer within 60 s:\n${output}`);
    }
    await sleep(100);
  }
  return server;
}
