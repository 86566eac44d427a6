/** The parent's side of load-client.mjs: starts it as a separate process and calls its commands. */
import path from 'node:path';
import { repoRoot, spawnWithFdLimit } from './server-process.mjs';

export function startLoadClient() {
  const child = spawnWithFdLimit(['--max-old-space-size=4096', path.join(repoRoot, 'bench/lib/load-client.mjs')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let seq = 0;
  child.on('message', (message) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`load client: ${message.error}`));
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`load client exited (${code ?? signal})`));
    pending.clear();
  });
  return {
    call(cmd, args) {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, cmd, args });
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ cmd: 'exit' });
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
