import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, nextBin, repoRoot, startNextServer, type ServerProcess } from '../../scripts/support/next-server.mjs';

export { freePort, repoRoot };
/** Harnesses may build into their own dist dir (NEXT_DIST_DIR) so parallel work does not collide. */
export const distDir = process.env.NEXT_DIST_DIR || '.next';

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

export type AppServer = ServerProcess;

/**
 * Starts `next start` of the production build with the given environment and waits until it answers.
 * NEWS_FEEDS is the built-in demo unless `env` names feeds, so no test depends on the network by accident.
 */
export function startApp(env: Record<string, string | undefined> = {}): Promise<AppServer> {
  return startNextServer({ distDir, env: { NEWS_FEEDS: 'demo', ...env } });
}

export function buildId(): string {
  return readFileSync(path.join(repoRoot, distDir, 'BUILD_ID'), 'utf8').trim();
}
