/**
 * Preloaded into each server under benchmark (NODE_OPTIONS=--import): on SIGUSR2 it forces a full
 * GC and writes process.memoryUsage() to $BENCH_PROBE_DIR/<pid>.json, so the bench can read the
 * live heap of any server (node:http, Next.js reference, the app) from outside without the server
 * exposing anything. Node 20 does not accept --expose-gc in NODE_OPTIONS, hence the flag is set at
 * runtime.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  process.on('SIGUSR2', () => {
    gc();
    const file = path.join(dir, `${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
    renameSync(`${file}.tmp`, file);
  });
}
