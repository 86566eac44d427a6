#!/usr/bin/env node
// The whole test suite, in the order that fails fastest: static checks, unit tests, one production
// build, then the suites that run against that build (integration with real `next start`, a local
// feed server and redis-server; end-to-end in Chromium). Used by the README and by .ci/run.
import { spawnSync } from 'node:child_process';

const steps = [
  // eslint, then dependency-cruiser: no import cycles, every lib/ import pointing down a layer.
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['unit', 'npx', ['vitest', 'run', '--project', 'unit']],
  ['build', 'npx', ['next', 'build']],
  ['integration', 'npx', ['vitest', 'run', '--project', 'integration']],
  ['e2e', 'npx', ['playwright', 'test']],
];
// Everything after the build reuses it rather than rebuilding.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FORCE_BUILD: '0' };

const results = [];
for (const [name, command, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const { status } = spawnSync(command, args, { stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: status === 0, seconds });
  // Without a clean build the later suites would only repeat its failure.
  if (status !== 0 && ['lint', 'typecheck', 'build'].includes(name)) break;
}

console.log('\nSummary');
for (const r of results) console.log(`  ${r.ok ? '✔' : '✘'} ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
if (failed > 0 || results.length < steps.length) {
  console.log(`\n${failed} step(s) failed`);
  process.exit(1);
}
