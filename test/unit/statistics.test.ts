import { strict as assert } from 'node:assert';
import { compareProportions, fisherExact, formatP, lift, linearFit, predictAt, tQuantile, tTwoSidedP } from '../../src/core/analytics/statistics';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

// Expected values were computed independently with SciPy 1.17.1 (scipy.stats) unless
// a textbook is named; the call that gives each is written beside it.
describe('statistics', () => {
  it('t distribution: two-sided p and quantile', () => {
    close(tTwoSidedP(2.228138851986, 10), 0.05, 1e-9, '2 * t.sf(2.228138851986, 10)');
    close(tQuantile(8), 2.306004135204166, 1e-9, 't.ppf(0.975, 8)');
    close(tTwoSidedP(0, 5), 1, 1e-12, 't = 0');
  });

  it('linear regression slope, R² and the slope’s p-value', () => {
    // scipy.stats.linregress([1,2,3,4,5], [1,3,2,5,4]): slope 0.8, intercept 0.6, r² 0.64, p 0.10408803866182778
    const fit = linearFit([
      [1, 1],
      [2, 3],
      [3, 2],
      [4, 5],
      [5, 4],
    ])!;
    close(fit.slope, 0.8, 1e-12, 'slope');
    close(fit.intercept, 0.6, 1e-12, 'intercept');
    close(fit.rSquared, 0.64, 1e-12, 'R²');
    close(fit.pValue!, 0.10408803866182778, 1e-9, 'p');
    // linregress(range(10), [52,55,53,58,57,61,60,64,63,67]): slope 1.5515151515, p 1.1921949999621892e-05
    const fit2 = linearFit([52, 55, 53, 58, 57, 61, 60, 64, 63, 67].map((y, x) => [x, y] as [number, number]))!;
    close(fit2.slope, 1.5515151515151515, 1e-9, 'slope 2');
    close(fit2.pValue!, 1.1921949999621892e-5, 1e-10, 'p 2');
  });

  it('prediction interval widens away from the data', () => {
    const fit = linearFit([52, 55, 53, 58, 57, 61, 60, 64, 63, 67].map((y, x) => [x, y] as [number, number]))!;
    const near = predictAt(fit, 5);
    const far = predictAt(fit, 20);
    assert.ok(far.high - far.low > near.high - near.low);
    close(near.value, 1.5515151515151515 * 5 + 52.018181818181816, 1e-9, 'value at 5');
  });

  it("Fisher's exact test on textbook tables", () => {
    // Fisher's lady tasting tea, [[3,1],[1,3]]: fisher_exact → 0.48571428571428565 (= 34/70)
    close(fisherExact(3, 1, 1, 3), 0.48571428571428565, 1e-12, 'tea');
    // [[1,9],[11,3]] (Wikipedia's worked example): fisher_exact → 0.0027594561852200836
    close(fisherExact(1, 9, 11, 3), 0.0027594561852200836, 1e-12, 'wikipedia');
    // [[0,5],[5,0]]: fisher_exact → 0.007936507936507938 (= 2/252)
    close(fisherExact(0, 5, 5, 0), 0.007936507936507938, 1e-12, 'extreme');
    close(fisherExact(2, 2, 2, 2), 1, 1e-12, 'no difference');
  });

  it('two-proportion z test and Newcombe’s interval of the difference', () => {
    // 70/100 against 84/100: the pooled z test gives p 0.018654718442781278
    // (scipy.stats.chi2_contingency([[70,30],[84,16]], correction=False).pvalue, the same test squared).
    const c = compareProportions(70, 100, 84, 100)!;
    assert.equal(c.test, 'two-proportion z test');
    close(c.difference, 0.14, 1e-12, 'difference');
    close(c.pValue, 0.018654718442781278, 1e-6, 'p');
    // Newcombe (1998), Statistics in Medicine 17:873, Table II example (a): 56/70 − 48/80 = 0.2000, method 10 interval 0.0524 to 0.3339.
    const n = compareProportions(48, 80, 56, 70)!;
    close(n.difference, 0.2, 1e-12, 'difference');
    close(n.interval[0], 0.0524, 5e-5, 'lower');
    close(n.interval[1], 0.3339, 5e-5, 'upper');
  });

  it("falls back to Fisher's exact test when an expected count is under 5", () => {
    // 3 of 4 against 1 of 4 is the tea table [[3,1],[1,3]]: expected counts are 2.
    const c = compareProportions(3, 4, 1, 4)!;
    assert.equal(c.test, "Fisher's exact test");
    close(c.pValue, 0.48571428571428565, 1e-12, 'p');
  });

  it('lift: together / expected under independence', () => {
    // 10 of 100 examples carry both; 20 carry A and 25 carry B: expected 5, so lift 2.
    assert.equal(lift(10, 20, 25, 100), 2);
    assert.equal(lift(5, 20, 25, 100), 1);
    assert.equal(lift(1, 0, 25, 100), null);
  });

  it('writes p-values for people', () => {
    assert.equal(formatP(0.0004), 'p < 0.001');
    assert.equal(formatP(0.004), 'p = 0.004');
    assert.equal(formatP(0.3412), 'p = 0.34');
  });
});
