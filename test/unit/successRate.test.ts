import { strict as assert } from 'node:assert';
import { successRate, wilsonInterval } from '../../src/core/analytics/successRate';

/**
 * The Wilson interval is the set of p for which the score test does not reject:
 * |k/n − p| ≤ z·sqrt(p(1−p)/n). Expected bounds here come from finding that
 * set's edges by bisection, independently of the closed form under test.
 */
function scoreInterval(k: number, n: number, z = 1.959963984540054): [number, number] {
  const inside = (p: number) => Math.abs(k / n - p) <= z * Math.sqrt((p * (1 - p)) / n);
  const edge = (lo: number, hi: number, loInside: boolean) => {
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (inside(mid) === loInside) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const phat = k / n;
  const lower = phat === 0 ? 0 : edge(phat, 0, true);
  const upper = phat === 1 ? 1 : edge(phat, 1, true);
  return [lower, upper];
}

describe('Wilson 95% interval', () => {
  for (const [k, n] of [
    [3, 4],
    [750, 1000],
    [0, 10],
    [10, 10],
    [1, 3],
    [81, 263],
  ] as const) {
    it(`${k} of ${n} matches the inverted score test`, () => {
      const [lo, hi] = wilsonInterval(k, n)!;
      const [elo, ehi] = scoreInterval(k, n);
      assert.ok(Math.abs(lo - elo) < 1e-9, `lower ${lo} vs ${elo}`);
      assert.ok(Math.abs(hi - ehi) < 1e-9, `upper ${hi} vs ${ehi}`);
    });
  }

  it('shows 3 of 4 as far less certain than 750 of 1000', () => {
    const small = wilsonInterval(3, 4)!;
    const large = wilsonInterval(750, 1000)!;
    assert.ok(small[1] - small[0] > 0.5, 'a 4-example interval spans more than 50 points');
    assert.ok(large[1] - large[0] < 0.06, 'a 1000-example interval spans under 6 points');
  });

  it('0 of 10 gives the closed-form upper bound z²/(n+z²)', () => {
    const z2 = 1.959963984540054 ** 2;
    assert.ok(Math.abs(wilsonInterval(0, 10)![1] - z2 / (10 + z2)) < 1e-12);
  });

  it('has no interval and no rate without examples', () => {
    assert.deepEqual(successRate(0, 0), { total: 0, successes: 0, unknown: 0, rate: null, interval: null });
  });

  it('refuses more successes than examples', () => {
    assert.throws(() => wilsonInterval(5, 4), RangeError);
  });
});
