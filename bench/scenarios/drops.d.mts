export interface Drop {
  toZeroMs: number | null;
  cpuMs?: number | null;
  [key: string]: unknown;
}

export function dropsOf(run: { drops?: Drop[]; disconnect?: Drop }): Drop[];

export function dropMedian(run: { drops?: Drop[]; disconnect?: Drop }, get: (drop: Drop) => number | null | undefined): number | null;
