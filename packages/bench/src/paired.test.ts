import { describe, expect, it } from 'vitest';
import { medianPairedRatio, pairedRatios } from './paired.js';

describe('paired ratios', () => {
  it('divides round by round, so drift between rounds cancels', () => {
    // The machine got 3x slower in the middle rounds: both candidates slowed alike.
    const plain = [10, 30, 30, 10];
    const traced = [10.2, 30.6, 30.6, 10.2];
    const ratios = pairedRatios(traced, plain);
    expect(ratios).toHaveLength(4);
    for (const ratio of ratios) expect(ratio).toBeCloseTo(1.02, 10);
    expect(medianPairedRatio(traced, plain)).toBeCloseTo(1.02, 10);
  });

  it('takes the median, so one disturbed round does not move the result', () => {
    expect(medianPairedRatio([11, 10, 10, 30, 10], [10, 10, 10, 10, 10])).toBe(1);
  });

  it('skips rounds with a zero denominator, and has no ratio without rounds', () => {
    expect(pairedRatios([1, 2], [0, 1])).toEqual([2]);
    expect(medianPairedRatio([], [])).toBeUndefined();
  });

  it('rejects samples that are not paired', () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(/one sample of each per round/);
  });
});
