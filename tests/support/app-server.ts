import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');
/** Harnesses may build into their own dist dir (NEXT_DIST_DIR) so parallel work does not collide. */
export const distDir = process.env.NEXT_DIST_DIR || '.next';
const nextBin = path.join(repoRoot, 'node_modules/next/dist/bin/next');

/**
 * Runs `next build` unless a production build already exists: `npm test` builds once before the
 * suites; FORCE_BUILD=1 rebuilds when running a suite on its own after changing code.
 */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(path.join(repoRoot, distDir, 'BUILD_ID')) && process.env.FORCE_BUILD !== '1') return;
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed with status ${result.status}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppServer {
  url: string;
  port: number;
  /** Everything the server printed, for log assertions. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  process: ChildProcess;
}

/** Starts `next start` of the production build with the given environment and waits until it answers. */
export async function startApp(env: Record<string, string | undefined> = {}): Promise<AppServer> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: distDir,
      NEWS_FEEDS: 'demo',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`next start did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port,
    process: child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill(signal);
      }),
  };
}

export function buildId(): string {
  return readFileSync(path.join(repoRoot, distDir, 'BUILD_ID'), 'utf8').trim();
}
