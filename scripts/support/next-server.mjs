/**
 * Starts a Node server as a child process and waits until it answers: `next start` of a production
 * build for the integration and end-to-end tests, scripts/mcp-conformance.mjs and the bench, and
 * the bench's plain node:http baseline. Plain ESM so that bare `node` can run the scripts and the
 * bench; TypeScript reads next-server.d.mts beside it.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const nextBin = path.join(repoRoot, 'node_modules/next/dist/bin/next');

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    // Must not keep the caller alive should it exit between listen and close.
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const spawnNode = (args, options) => spawn(process.execPath, args, options);

/** Options and result: next-server.d.mts. */
export async function startNodeServer({
  args,
  cwd = repoRoot,
  env = {},
  port,
  healthPath = '/api/health',
  timeoutMs = 60_000,
  intervalMs = 100,
  graceMs = 5_000,
  outputLimit = Infinity,
  name = 'server',
  spawn: launch = spawnNode,
}) {
  port ??= await freePort();
  let output = '';
  const child = launch(args, {
    cwd,
    env: {
      // Not the caller's whole environment: a developer's shell or CI settings must not change what is tested.
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    output += chunk.toString();
    // The bench bounds it (a chatty server under load must not grow the bench's memory); tests read every line.
    if (output.length > outputLimit) output = output.slice(-outputLimit);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const url = `http://127.0.0.1:${port}`;

  const server = {
    url,
    port,
    pid: child.pid,
    process: child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (exited()) return resolve();
        // A server stuck in shutdown (open streams, a hung handler) must not hang its caller.
        const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill(signal);
      }),
  };

  const answering = await waitFor(
    async () => {
      if (exited()) throw new Error(`${name} exited early (${child.exitCode ?? child.signalCode}):\n${output}`);
      return answers(`${url}${healthPath}`);
    },
    timeoutMs,
    intervalMs,
  );
  if (!answering) {
    await server.stop('SIGKILL');
    throw new Error(`${name} did not answer ${healthPath} within ${timeoutMs / 1000} s:\n${output}`);
  }
  return server;
}

async function answers(url) {
  try {
    // A server that accepts but hangs must not hold one attempt past the deadline.
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** `next start` of the build in `distDir` on 127.0.0.1; options and result: next-server.d.mts. */
export async function startNextServer({ distDir = '.next', nodeArgs = [], env = {}, port, ...options } = {}) {
  port ??= await freePort();
  return startNodeServer({
    name: 'next start',
    ...options,
    port,
    args: [...nodeArgs, nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
    env: { NEXT_DIST_DIR: distDir, ...env },
  });
}
