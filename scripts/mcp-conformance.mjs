#!/usr/bin/env node
/**
 * Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against /api/mcp.
 *
 *   node scripts/mcp-conformance.mjs                 # starts `next start` of the production build (NEXT_DIST_DIR, default .next)
 *   node scripts/mcp-conformance.mjs --url <url>     # tests a server that is already running
 *   node scripts/mcp-conformance.mjs --scenario ping # one scenario only
 *
 * The suite needs Node >= 22 while the app runs on the machine's Node (20): Node 24 is taken from
 * the npm package `node@24` and used only for the suite's own process, via npx (npm registry only).
 * Every active server scenario runs; scenarios that need what this server deliberately lacks
 * (resources, prompts, completions, the suite's fixture tools) are listed with their reason in
 * scripts/mcp-conformance-baseline.yml. The suite exits non-zero on an unexpected failure and on a
 * stale baseline entry (a listed scenario that now passes), so the baseline cannot rot.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot as root, startNextServer } from './support/next-server.mjs';

const CONFORMANCE = '@modelcontextprotocol/conformance@0.1.16';
const NODE = 'node@24';
const baseline = path.join(root, 'scripts/mcp-conformance-baseline.yml');

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

async function startApp() {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (!existsSync(path.join(root, distDir, 'BUILD_ID'))) {
    throw new Error(`no production build in ${distDir}: run \`NEXT_DIST_DIR=${distDir} npx next build\` first, or pass --url`);
  }
  const server = await startNextServer({
    distDir,
    env: {
      NEWS_FEEDS: 'demo',
      // The suite opens many short connections; the guard's limits are tested elsewhere.
      RATE_LIMIT_PER_MINUTE: '0',
      MAX_STREAMS_PER_CLIENT: '0',
    },
  });
  // The server's errors belong beside the suite's report; its request log on stdout does not.
  server.process.stderr.pipe(process.stderr);
  return { url: `${server.url}/api/mcp`, stop: () => server.stop() };
}

function runSuite(url) {
  const scenario = option('--scenario');
  const suiteArgs = ['server', '--url', url, ...(scenario ? ['--scenario', scenario] : ['--expected-failures', baseline])];
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  return new Promise((resolve) => {
    const child = spawn(npx, ['-y', '-p', NODE, '-p', CONFORMANCE, '--', 'conformance', ...suiteArgs], {
      // The suite writes results/ into its working directory; keep that out of the repo.
      cwd: process.env.TMPDIR || '/tmp',
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' },
      stdio: 'inherit',
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const given = option('--url');
const app = given ? undefined : await startApp();
let code = 1;
try {
  code = await runSuite(given ?? app.url);
} finally {
  await app?.stop();
}
process.exit(code);
