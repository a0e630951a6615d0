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

export function successRate(successes: number, total: number): Rate {
  return {
    total,
    successes,
    rate: total > 0 ? successes / total : null,
    interval: wilsonInterval(successes, total),
  };
}
