import { summarize } from './stats.js';

/**
 * Ratios of two candidates measured in the same rounds (`numerators[i] / denominators[i]`, one
 * per round both finished). On a shared machine the load drifts between rounds far more than
 * within one: a ratio taken inside each round cancels that drift, where the ratio of two medians
 * taken over different rounds keeps it.
 */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): number[] {
  if (numerators.length !== denominators.length) {
    throw new RangeError(
      `paired ratios need one sample of each per round, got ${numerators.length} and ${denominators.length}`,
    );
  }
  const ratios: number[] = [];
  for (let i = 0; i < numerators.length; i++) {
    const denominator = denominators[i]!;
    if (denominator > 0) ratios.push(numerators[i]! / denominator);
  }
  return ratios;
}

/** The median of the per-round ratios, or undefined without any round. */
export function medianPairedRatio(
  numerators: readonly number[],
  denominators: readonly number[],
): number | undefined {
  const ratios = pairedRatios(numerators, denominators);
  return ratios.length === 0 ? undefined : summarize(ratios).median;
}
