import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const runScript = promisify(execFile);
const script = path.resolve('bench/profile-summary.mjs');

/**
 * A V8 CPU profile in the format `node --cpu-prof` writes: one sample a second, each 1,000 ms of
 * self time (a sample's time is the delta before it), in `early` for the first two seconds and in
 * `late` for the next three.
 */
const frame = (id: number, functionName: string, url = '', children: number[] = []) => ({
  id,
  callFrame: { functionName, scriptId: '0', url, lineNumber: 0, columnNumber: 0 },
  hitCount: 0,
  children,
});
const profile = {
  nodes: [frame(1, '(root)', '', [2, 3]), frame(2, 'early', 'file:///app/.next/server/chunks/a.js'), frame(3, 'late', 'file:///app/.next/server/chunks/b.js')],
  startTime: 0,
  endTime: 5e6,
  samples: [2, 2, 3, 3, 3],
  timeDeltas: [1e6, 1e6, 1e6, 1e6, 1e6],
};

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'profile-summary-'));
  file = path.join(dir, 'app.cpuprofile');
  await writeFile(file, JSON.stringify(profile));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const selfMs = (text: string, name: string) => text.match(new RegExp(`\\| \`${name} [^|]*\\| (\\d+) \\|`))?.[1];

describe('bench/profile-summary.mjs', () => {
  it('without a window sums every sample', async () => {
    const { stdout } = await runScript(process.execPath, [script, file]);
    expect(stdout).toContain('The whole profile: sampled 5000 ms');
    expect(selfMs(stdout, 'early')).toBe('2000');
    expect(selfMs(stdout, 'late')).toBe('3000');
  });

  it('--from/--to keep only the samples taken in that window (seconds since the profile started)', async () => {
    const { stdout } = await runScript(process.execPath, [script, file, '--from=2.5', '--to=4.5']);
    expect(stdout).toContain('2.5–4.5 s of the profile: sampled 2000 ms');
    expect(selfMs(stdout, 'early')).toBeUndefined();
    expect(selfMs(stdout, 'late')).toBe('2000');
  });

  it('--results/--phase take each profile\'s window from a scale run\'s results and leave out profiles they do not name', async () => {
    const other = path.join(dir, 'reference.cpuprofile');
    await writeFile(other, JSON.stringify(profile));
    const results = path.join(dir, 'results.json');
    const run = (variant: string, file: string, drop: number[]) => ({ variant, rep: 0, profile: { file, phasesS: { open: [0, 1], drop } } });
    await writeFile(results, JSON.stringify({ scenarios: { 1: { runs: [run('app', 'app.cpuprofile', [0.5, 2.5])] } } }));
    const { stdout } = await runScript(process.execPath, [script, file, other, `--results=${results}`, '--phase=drop']);
    expect(stdout).toContain('0.5–2.5 s of the profile (app rep 1, drop): sampled 2000 ms');
    expect(selfMs(stdout, 'early')).toBe('2000');
    expect(stdout).toContain('Profiles: app.cpuprofile.');
    expect(stdout).not.toContain('## reference.cpuprofile');
  });

  it('--results/--phase also find the profiles of scenario 6\'s instances', async () => {
    const results = path.join(dir, 'results-6.json');
    const instance = { n: 1, profile: { file: 'app.cpuprofile', phasesS: { drop: [2.5, 4.5] } } };
    await writeFile(results, JSON.stringify({ scenarios: { 6: { runs: [{ variant: 'redis', rep: 1, instances: [{ n: 1 }, instance] }] } } }));
    const { stdout } = await runScript(process.execPath, [script, file, `--results=${results}`, '--phase=drop']);
    expect(stdout).toContain('2.5–4.5 s of the profile (redis instance 2 rep 2, drop): sampled 2000 ms');
    expect(selfMs(stdout, 'late')).toBe('2000');
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(runScript(process.execPath, [script, file, '--from=3', '--to=1'])).rejects.toMatchObject({ code: 2 });
  });
});
