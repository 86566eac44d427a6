import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { majorGcFigures, parseMajorGc, watchMajorGcs } from '../../../bench/lib/gc-trace.mjs';

// Real --trace-gc lines: Node 20 (V8 11) and Node 24 (V8 13, which adds "pooled").
const NODE20 =
  '[21950:0x38508e10]   148102 ms: Mark-Compact 957.4 (1149.6) -> 871.7 (1109.8) MB, 39.53 / 0.03 ms  ' +
  '(+ 706.0 ms in 140 steps since start of marking, biggest step 24.1 ms, walltime since start of marking 1176 ms) ' +
  '(average mu = 0.985, current mu = 0.971) finalize incremental marking via task; GC in old space requested';
const NODE24 =
  '[24404:0x7ac9000]      873 ms: Mark-Compact 89.8 (154.7) -> 47.1 (113.1) MB, pooled: 29 MB, 18.32 / 0.00 ms  ' +
  '(+ 0.1 ms in 2 steps since start of marking, biggest step 0.1 ms, walltime since start of marking 82 ms) ' +
  '(average mu = 0.979, current mu = 0.979) finalize incremental marking via stack guard;';
const FORCED =
  '[22015:0x1b7fce10]   268431 ms: Mark-Compact 279.4 (856.2) -> 29.1 (362.8) MB, 111.77 / 4.15 ms  ' +
  '(average mu = 0.996, current mu = 0.997) testing; GC in old space requested';

describe('parseMajorGc', () => {
  it('reads sizes, the pause and the incremental marking steps of a Node 20 line', () => {
    expect(parseMajorGc(NODE20)).toEqual({ beforeMB: 957.4, afterMB: 871.7, pauseMs: 39.53, mainThreadMs: 745.53, walltimeMs: 1176, forced: false });
  });

  it('reads a Node 24 line, whose V8 inserts the pooled size', () => {
    expect(parseMajorGc(NODE24)).toMatchObject({ beforeMB: 89.8, afterMB: 47.1, pauseMs: 18.32, mainThreadMs: 18.42, walltimeMs: 82 });
  });

  it('marks the heap probe forced GC and ignores other lines', () => {
    expect(parseMajorGc(FORCED)).toMatchObject({ forced: true, mainThreadMs: 111.77, walltimeMs: 111.77 });
    expect(parseMajorGc('[1:0x1]  5 ms: Scavenge 9.8 (10.1) -> 9.1 (11.1) MB, 0.5 / 0.0 ms')).toBeNull();
    expect(parseMajorGc('{"level":"warn","event":"config.no_contact"}')).toBeNull();
  });
});

describe('watchMajorGcs', () => {
  it('collects GCs from lines split across chunks, leaving forced ones out', () => {
    const stdout = new PassThrough();
    const gcs = watchMajorGcs(stdout);
    const from = Date.now();
    stdout.write(`${NODE20.slice(0, 50)}`);
    stdout.write(`${NODE20.slice(50)}\n${FORCED}\n${NODE24}`);
    expect(gcs.between(from, Date.now() + 1)).toHaveLength(1);
    stdout.write('\n');
    expect(gcs.between(from, Date.now() + 1).map((gc) => gc.beforeMB)).toEqual([957.4, 89.8]);
    expect(gcs.between(from - 10_000, from - 1)).toEqual([]);
  });
});

describe('majorGcFigures', () => {
  it('gives the interval, main-thread time and old-generation growth per stream per minute', () => {
    const gc = (at: number, beforeMB: number, afterMB: number, mainThreadMs: number) => ({ at, beforeMB, afterMB, pauseMs: 30, mainThreadMs, walltimeMs: 1000, forced: false });
    // 1,000 streams; the old generation grows 60 MiB in 30 s between two collections.
    const figures = majorGcFigures([gc(0, 900, 840, 600), gc(30_000, 900, 840, 800), gc(60_000, 900, 840, 700)], 1000);
    expect(figures).toEqual({ count: 3, intervalS: 30, mainThreadMs: 700, mainThreadMaxMs: 800, walltimeMs: 1000, oldGrowthKiBPerMin: 122.88 });
  });

  it('has no interval or growth from fewer than two collections', () => {
    expect(majorGcFigures([], 10)).toMatchObject({ count: 0, intervalS: null, mainThreadMs: null, oldGrowthKiBPerMin: null });
  });
});
