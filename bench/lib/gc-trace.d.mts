import type { Readable } from 'node:stream';

export interface MajorGc {
  beforeMB: number;
  afterMB: number;
  pauseMs: number;
  mainThreadMs: number;
  walltimeMs: number;
  forced: boolean;
}

export function parseMajorGc(line: string): MajorGc | null;

export function watchMajorGcs(stdout: Readable): { between(from: number, to: number): Array<MajorGc & { at: number }> };

export function majorGcFigures(
  gcs: Array<MajorGc & { at: number }>,
  n: number,
): {
  count: number;
  intervalS: number | null;
  mainThreadMs: number | null;
  mainThreadMaxMs: number | null;
  walltimeMs: number | null;
  oldGrowthKiBPerMin: number | null;
};
