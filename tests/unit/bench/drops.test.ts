import { describe, expect, it } from 'vitest';
import { dropMedian, dropsOf } from '../../../bench/scenarios/drops.mjs';

const drop = (toZeroMs: number | null, cpuMs: number | null = null) => ({ toZeroMs, cpuMs });

describe('scenario 1 drops', () => {
  it('judges a run on the median of its drops, not on its first', () => {
    const run = { drops: [drop(4757), drop(3561), drop(4352)], disconnect: drop(4352) };
    expect(dropMedian(run, (d) => d.toZeroMs)).toBe(4352);
    expect(dropMedian({ drops: [drop(3000), drop(2000)] }, (d) => d.toZeroMs)).toBe(2500);
  });

  it('has no median when a drop never got back to 0 active streams', () => {
    expect(dropMedian({ drops: [drop(3000), drop(null), drop(2000)] }, (d) => d.toZeroMs)).toBeNull();
    expect(dropMedian({ drops: [drop(3000, 3100), drop(2000)] }, (d) => d.cpuMs)).toBeNull();
  });

  it('reads a results file from before --drops1 as one drop', () => {
    const old = { disconnect: drop(2777, 3130) };
    expect(dropsOf(old)).toEqual([drop(2777, 3130)]);
    expect(dropMedian(old, (d) => d.cpuMs)).toBe(3130);
  });
});
