/**
 * A throwaway redis-server (the apt package) on a free port with persistence off, for scenario 6,
 * as tests/support/redis-server.ts starts one for the tests; and its command counters
 * (INFO commandstats / INFO stats via redis-cli), read before and after a hold.
 */
import { execFileSync, spawn } from 'node:child_process';
import { freePort } from '../../scripts/support/next-server.mjs';
import { waitFor } from '../../scripts/support/wait.mjs';

/** redis-cli's answer; its complaints (e.g. "Could not connect" while the server starts) are not shown. */
function cli(port, ...args) {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

const info = (port, section) => cli(port, 'INFO', section);

export async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const up = await waitFor(() => {
    try {
      return cli(port, 'PING').trim() === 'PONG';
    } catch {
      return false;
    }
  }, 10_000, 50);
  if (!up) {
    child.kill('SIGKILL');
    throw new Error('redis-server did not answer within 10 s');
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    /** {total, byCommand {name: calls}}: counters since the server started. */
    counters() {
      const byCommand = {};
      for (const match of info(port, 'commandstats').matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) byCommand[match[1]] = Number(match[2]);
      const total = Number(/total_commands_processed:(\d+)/.exec(info(port, 'stats'))?.[1] ?? 0);
      return { total, byCommand };
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
