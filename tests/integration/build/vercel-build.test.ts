import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@/tests/support/app-server';

/**
 * Deployability without a network: `vercel build` writes the Build Output API tree locally. It runs
 * on a fresh dist dir of its own so it neither reuses nor clobbers the build the other suites test.
 * A real `vercel link` writes .vercel/project.json too; it is set aside and put back afterwards.
 */
const vercelDir = path.join(repoRoot, '.vercel');
const projectFile = path.join(vercelDir, 'project.json');
const savedProject = path.join(vercelDir, 'project.json.saved-by-test');
const distDir = '.next-vercel';
const functions = path.join(vercelDir, 'output/functions');
let buildLog = '';

const vcConfig = (fn: string) =>
  JSON.parse(readFileSync(path.join(functions, `${fn}.func/.vc-config.json`), 'utf8')) as Record<string, unknown>;

beforeAll(() => {
  mkdirSync(vercelDir, { recursive: true });
  if (existsSync(projectFile)) renameSync(projectFile, savedProject);
  writeFileSync(projectFile, JSON.stringify({ settings: { framework: 'nextjs', installCommand: '', outputDirectory: distDir } }));
  rmSync(path.join(repoRoot, distDir), { recursive: true, force: true });
  rmSync(path.join(vercelDir, 'output'), { recursive: true, force: true });
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vercel/dist/vc.js'), 'build', '--yes'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1', VERCEL_TELEMETRY_DISABLED: '1' },
    timeout: 600_000,
  });
  buildLog = `${result.stdout}\n${result.stderr}`;
}, 660_000);

afterAll(() => {
  rmSync(projectFile, { force: true });
  if (existsSync(savedProject)) renameSync(savedProject, projectFile);
});

describe('vercel build', () => {
  it('writes the Build Output API tree', () => {
    expect(buildLog).toContain('Build Completed');
    expect(existsSync(path.join(vercelDir, 'output/config.json'))).toBe(true);
  });

  it('deploys the SSE stream as a streaming Node.js function with the intended maxDuration', () => {
    const config = vcConfig('api/mcp/stream-news');
    expect(config.runtime).toMatch(/^nodejs/);
    expect(config.supportsResponseStreaming).toBe(true);
    expect(config.maxDuration).toBe(300);
  });

  it('runs the middleware on the Node.js runtime, as middleware.ts asks', () => {
    const config = vcConfig('_middleware');
    expect(config.runtime).toMatch(/^nodejs/);
  });

  it('deploys the MCP endpoint as a streaming Node.js function', () => {
    const config = vcConfig('api/mcp');
    expect(config.runtime).toMatch(/^nodejs/);
    expect(config.supportsResponseStreaming).toBe(true);
    expect(config.maxDuration).toBe(300);
  });
});
