import type { Rate } from '../../shared/example';

/** Below this many examples a rate is marked as a small sample instead of being ranked as if it were large. */
export const SMALL_SAMPLE = 20;

/** The 0.975 quantile of the standard normal distribution: a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a binomial proportion. Unlike the normal
 * approximation it stays inside [0, 1] and is honest for small samples, so
 * 3 of 4 reads as "somewhere between 30% and 95%", not as 75%.
 */
export function wilsonInterval(successes: number, total: number, z = Z95): [number, number] | null {
  if (!Number.isFinite(total) || total <= 0) return null;
  if (successes < 0 || successes > total) throw new RangeError(`successes ${successes} outside 0..${total}`);
  const p = successes / total;
  const z2 = z * z;
  const denominator = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The rate of `successes` among the known outcomes: `total` examples of which
 * `unknown` say nothing of success. The one definition every view shows.
 */
export function successRate(successes: number, total: number, unknown = 0): Rate {
  const known = total - unknown;
  return {
    total,
    successes,
    unknown,
    rate: known > 0 ? successes / known : null,
    interval: wilsonInterval(successes, known),
  };
}

/** The examples whose outcome is known: a rate's sample. */
export function knownOutcomes(row: { total: number; unknown?: number }): number {
  return row.total - (row.unknown ?? 0);
}

/** A count row's rate: successes over its known outcomes. */
export function rateOfRow(row: { total: number; successes: number; unknown?: number }): Rate {
  return successRate(row.successes, row.total, row.unknown ?? 0);
}
