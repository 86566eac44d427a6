import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startApp, type AppServer } from '@/tests/support/app-server';

/**
 * The official MCP conformance suite against the production build, through
 * scripts/mcp-conformance.mjs (Node 24 from the npm package `node@24`, for the suite only). Every
 * active server scenario runs; those needing what this server lacks by design are in
 * scripts/mcp-conformance-baseline.yml, and the script fails on anything else.
 */

let app: AppServer;

beforeAll(async () => {
  app = await startApp({ NEWS_FEEDS: 'demo', RATE_LIMIT_PER_MINUTE: '0', MAX_STREAMS_PER_CLIENT: '0' });
});

afterAll(async () => {
  await app?.stop();
});

function runConformance(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts/mcp-conformance.mjs'), '--url', url], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('MCP conformance suite', () => {
  it(
    'passes server-initialize, ping, tools-list, dns-rebinding-protection and logging-set-level, with only baseline failures elsewhere',
    async () => {
      const { code, output } = await runConformance(`${app.url}/api/mcp`);
      const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
      for (const scenario of ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection', 'logging-set-level']) {
        expect(plain, scenario).toMatch(new RegExp(`✓ ${scenario}: [1-9]\\d* passed, 0 failed`));
      }
      expect(plain).toMatch(/Baseline check passed/);
      expect(code, plain.slice(-3000)).toBe(0);
    },
    // First run downloads Node 24 and the suite from the npm registry.
    300_000,
  );
});
