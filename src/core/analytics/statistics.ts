// The statistical tests behind the analytics. simple-statistics gives the
// regression, the error function and log-gamma; what it lacks (the t
// distribution's tail, Fisher's exact test, Newcombe's interval for a
// difference) is built here from those pieces.
import { errorFunction, gammaln, linearRegression, mean, rSquared } from 'simple-statistics';
import { knownOutcomes, wilsonInterval } from './successRate';

/** Standard normal cumulative probability, from the error function. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/** Continued fraction for the regularized incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t statistic with `df` degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The t value with P(|T| > t) = 1 - level, by bisection on tTwoSidedP. */
export function tQuantile(df: number, level = 0.95): number {
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (tTwoSidedP(mid, df) > 1 - level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface LinearFit {
  n: number;
  slope: number;
  intercept: number;
  rSquared: number;
  /** Two-sided p-value of the slope being zero (t test, n - 2 degrees of freedom); null when n < 3. */
  pValue: number | null;
  /** Residual standard error; null when n < 3. */
  residualSe: number | null;
  meanX: number;
  sxx: number;
}

/** Ordinary least squares of y on x with the slope's significance. */
export function linearFit(points: readonly (readonly [number, number])[]): LinearFit | null {
  const n = points.length;
  if (n < 2) return null;
  const xs = points.map((p) => p[0]);
  const meanX = mean(xs);
  const sxx = xs.reduce((s, x) => s + (x - meanX) ** 2, 0);
  if (sxx === 0) return null;
  const data = points.map(([x, y]) => [x, y]);
  const { m, b } = linearRegression(data);
  const line = (x: number) => m * x + b;
  const r2 = rSquared(data, line);
  if (n < 3) return { n, slope: m, intercept: b, rSquared: r2, pValue: null, residualSe: null, meanX, sxx };
  const sse = points.reduce((s, [x, y]) => s + (y - line(x)) ** 2, 0);
  const residualSe = Math.sqrt(sse / (n - 2));
  const seSlope = residualSe / Math.sqrt(sxx);
  const pValue = seSlope === 0 ? (m === 0 ? 1 : 0) : tTwoSidedP(m / seSlope, n - 2);
  return { n, slope: m, intercept: b, rSquared: Number.isFinite(r2) ? r2 : 1, pValue, residualSe, meanX, sxx };
}

/** The fit's value at x with its 95% prediction interval for one new observation. */
export function predictAt(fit: LinearFit, x: number): { value: number; low: number; high: number } {
  const value = fit.slope * x + fit.intercept;
  if (fit.residualSe === null) return { value, low: value, high: value };
  const half = tQuantile(fit.n - 2) * fit.residualSe * Math.sqrt(1 + 1 / fit.n + (x - fit.meanX) ** 2 / fit.sxx);
  return { value, low: value - half, high: value + half };
}

/** log(n!) */
function logFactorial(n: number): number {
  return gammaln(n + 1);
}

/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]], two-sided: the sum of
 * the probabilities of every table with the same margins that is no more
 * likely than the one observed (the convention R's fisher.test uses).
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const n = r1 + r2;
  const logP = (x: number) =>
    logFactorial(r1) + logFactorial(r2) + logFactorial(c1) + logFactorial(n - c1) - logFactorial(n) - logFactorial(x) - logFactorial(r1 - x) - logFactorial(c1 - x) - logFactorial(r2 - c1 + x);
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, c1 - r2); x <= Math.min(r1, c1); x++) {
    const lp = logP(x);
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

export interface ProportionComparison {
  /** Rate of B minus rate of A (0–1). */
  difference: number;
  /** Newcombe's hybrid score 95% interval of the difference (method 10, from the two Wilson intervals). */
  interval: [number, number];
  pValue: number;
  test: 'two-proportion z test' | "Fisher's exact test";
}

/**
 * Compares two success rates. With every expected cell count at least 5 the
 * pooled two-proportion z test is used; otherwise Fisher's exact test.
 */
export function compareProportions(successesA: number, totalA: number, successesB: number, totalB: number): ProportionComparison | null {
  if (totalA <= 0 || totalB <= 0) return null;
  const pA = successesA / totalA;
  const pB = successesB / totalB;
  const [lA, uA] = wilsonInterval(successesA, totalA)!;
  const [lB, uB] = wilsonInterval(successesB, totalB)!;
  const difference = pB - pA;
  const interval: [number, number] = [
    difference - Math.sqrt((pB - lB) ** 2 + (uA - pA) ** 2),
    difference + Math.sqrt((uB - pB) ** 2 + (pA - lA) ** 2),
  ];
  const pooled = (successesA + successesB) / (totalA + totalB);
  const expected = [totalA * pooled, totalA * (1 - pooled), totalB * pooled, totalB * (1 - pooled)];
  if (expected.some((e) => e < 5)) {
    return { difference, interval, pValue: fisherExact(successesA, totalA - successesA, successesB, totalB - successesB), test: "Fisher's exact test" };
  }
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / totalA + 1 / totalB));
  const z = se === 0 ? 0 : difference / se;
  return { difference, interval, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))), test: 'two-proportion z test' };
}

/** The level every test in the product uses: a difference is called one only below it (advice, changes, A/B). */
export const SIGNIFICANCE_LEVEL = 0.05;

export interface RateChange {
  /** Current rate minus the previous one, in percentage points. */
  points: number;
  pValue: number;
  significant: boolean;
}

/** A success rate's change against the period before, and whether it is a difference at all. Null when either is empty. */
export function rateChange(previous: { successes: number; total: number; unknown?: number }, current: { successes: number; total: number; unknown?: number }): RateChange | null {
  const c = compareProportions(previous.successes, knownOutcomes(previous), current.successes, knownOutcomes(current));
  return c && { points: c.difference * 100, pValue: c.pValue, significant: c.pValue < SIGNIFICANCE_LEVEL };
}

/** "up 2.1 points (p = 0.03)", or "up 2.1 points, not significant (p = 0.17)". */
export function describeChange(c: RateChange): string {
  const size = `${c.points >= 0 ? 'up' : 'down'} ${Math.abs(c.points).toFixed(1)} points`;
  return c.significant ? `${size} (${formatP(c.pValue)})` : `${size}, not significant (${formatP(c.pValue)})`;
}

/** How much more often two things occur together than if they were independent. */
export function lift(together: number, countA: number, countB: number, total: number): number | null {
  if (countA === 0 || countB === 0 || total === 0) return null;
  return (together * total) / (countA * countB);
}

/** A p-value for people: "p = 0.004", "p < 0.001". */
export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}
