/**
 * Preloaded into each server under benchmark (NODE_OPTIONS=--import): on SIGUSR2 it forces a full
 * GC and writes process.memoryUsage() to $BENCH_PROBE_DIR/<pid>.json, so the bench can read the
 * live heap of any server (node:http, Next.js reference, the app) from outside without the server
 * exposing anything. Node 20 does not accept --expose-gc in NODE_OPTIONS, hence the flag is set at
 * runtime.
 *
 * With BENCH_ELD=1 (the scale scenarios) it also watches the server's own event-loop delay with
 * monitorEventLoopDelay and adds what it saw since the previous probe to each report: read before
 * the forced GC and reset after it, so the probe's own GC pause never shows in the next window.
 * It also turns on V8's trace of full collections (scavenges left out) on stdout, which
 * gc-trace.mjs reads: only the trace tells how long a full GC's incremental marking held the
 * main thread.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  // 5 ms sampling: fine enough to judge a 50 ms target, cheap enough to leave on.
  const RESOLUTION_MS = 5;
  const delay = process.env.BENCH_ELD === '1' ? monitorEventLoopDelay({ resolution: RESOLUTION_MS }) : undefined;
  delay?.enable();
  if (delay) {
    v8.setFlagsFromString('--trace-gc');
    v8.setFlagsFromString('--trace-gc-ignore-scavenger');
  }
  // The histogram records each sampling timer's whole interval: the delay is what exceeds it.
  const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  process.on('SIGUSR2', () => {
    const eventLoopDelayMs = delay && delay.count > 0
      ? { samples: delay.count, p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean) }
      : undefined;
    gc();
    // Where the old generation stands after the collection: how close the next one is depends on
    // what V8 has left it to grow into, which memoryUsage() does not say.
    const heap = v8.getHeapStatistics();
    const old = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space');
    const v8Heap = {
      totalHeapSize: heap.total_heap_size,
      usedHeapSize: heap.used_heap_size,
      heapSizeLimit: heap.heap_size_limit,
      totalAvailableSize: heap.total_available_size,
      oldSpaceSize: old?.space_size,
      oldSpaceUsed: old?.space_used_size,
      oldSpaceAvailable: old?.space_available_size,
    };
    const file = path.join(dir, `${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), ...process.memoryUsage(), v8Heap, ...(eventLoopDelayMs ? { eventLoopDelayMs } : {}) }));
    renameSync(`${file}.tmp`, file);
    delay?.reset();
  });
}
