/**
 * Builds what the bench measures: the app into .next-bench (never `.next`, which belongs to the
 * developer and the tests) and the minimal reference route into bench/.tmp. Shared by every mode.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { APP_DIST_DIR, REFERENCE_DIST_DIR, REFERENCE_MIDDLEWARE_DIST_DIR, benchTmp, nextBin, referenceDir, referenceMiddlewareDir, repoRoot } from './server-process.mjs';

/**
 * The minimal route with a pass-through middleware, as a copy in bench/.tmp so the source tree
 * keeps one reference. The route imports ../../../../../servers/sse-schedule.mjs, which from the
 * copy is bench/.tmp/servers: the schedule goes there too.
 */
function prepareReferenceWithMiddleware() {
  rmSync(referenceMiddlewareDir, { recursive: true, force: true });
  mkdirSync(referenceMiddlewareDir, { recursive: true });
  cpSync(path.join(referenceDir, 'app'), path.join(referenceMiddlewareDir, 'app'), { recursive: true });
  cpSync(path.join(referenceDir, 'next.config.mjs'), path.join(referenceMiddlewareDir, 'next.config.mjs'));
  cpSync(path.join(repoRoot, 'bench/servers/reference-middleware.js'), path.join(referenceMiddlewareDir, 'middleware.js'));
  mkdirSync(path.join(benchTmp, 'servers'), { recursive: true });
  cpSync(path.join(repoRoot, 'bench/servers/sse-schedule.mjs'), path.join(benchTmp, 'servers/sse-schedule.mjs'));
}

/** Builds the Next.js servers among `servers`; with `reuse`, keeps a build that already exists. */
export function build({ servers, reuse, log }) {
  const builds = [
    { name: 'app', cwd: repoRoot, dist: path.join(repoRoot, APP_DIST_DIR), env: { NEXT_DIST_DIR: APP_DIST_DIR }, args: [] },
    // Webpack for the reference: Turbopack would adopt the repository's own middleware.ts (it
    // looks for it at the workspace root), and the reference must be a route doing nothing else.
    { name: 'reference', cwd: referenceDir, dist: path.join(referenceDir, REFERENCE_DIST_DIR), env: { NEXT_DIST_DIR: REFERENCE_DIST_DIR }, args: ['--webpack'] },
    {
      name: 'reference-mw',
      cwd: referenceMiddlewareDir,
      dist: path.join(referenceMiddlewareDir, REFERENCE_MIDDLEWARE_DIST_DIR),
      env: { NEXT_DIST_DIR: REFERENCE_MIDDLEWARE_DIST_DIR },
      args: ['--webpack'],
      prepare: prepareReferenceWithMiddleware,
    },
  ];
  for (const b of builds) {
    if (!servers.includes(b.name)) continue;
    if (reuse && existsSync(path.join(b.dist, 'BUILD_ID'))) continue;
    log(`building ${b.name} …`);
    b.prepare?.();
    const result = spawnSync(process.execPath, [nextBin, 'build', ...b.args], {
      cwd: b.cwd,
      env: { ...process.env, ...b.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (result.status !== 0) {
      console.error(result.stdout.toString(), result.stderr.toString());
      throw new Error(`next build of ${b.name} failed`);
    }
  }
}
