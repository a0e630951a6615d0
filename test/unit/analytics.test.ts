import { strict as assert } from 'node:assert';
import { mulberry32 } from '../../src/core/sample/generateExamples';
import { heatmap, localWeekdayHour, QUARTER_HOUR_MS } from '../../src/core/analytics/heatmap';
import { analyticsReport, compareModels, predictionFor } from '../../src/core/queries/analyticsReport';
import type { DayCount } from '../../src/core/analytics/trends';
import { movingAverage, predict, trend, weekOf, weekStart } from '../../src/core/analytics/trends';
import { dayLabel } from '../../src/shared/series';
import { localDay } from '../../src/shared/series';
import { filtersSchema } from '../../src/shared/filters';
import { capForPanel } from '../../src/shared/panelLists';
import { relatedTags, type CoOccurrence } from '../../src/core/analytics/advice';
import { compareProportions } from '../../src/core/analytics/statistics';
import { kimi, storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

/** Monday 2026-06-01 as a day number. */
const MONDAY = Date.UTC(2026, 5, 1) / 86_400_000;

/** `weeks` weeks of one day each (the Monday) with the given weekly rate in points and `n` examples. */
function weeksOf(rates: number[], n = 100): DayCount[] {
  return rates.map((r, i) => ({ day: MONDAY + 7 * i, total: n, successes: Math.round((r / 100) * n), unknown: 0 }));
}

describe('analytics: trends and predictions', () => {
  it('weeks start on Monday', () => {
    assert.equal(new Date(weekStart(weekOf(MONDAY + 6)) * 86_400_000).getUTCDay(), 1);
    assert.equal(weekOf(MONDAY), weekOf(MONDAY + 6));
    assert.notEqual(weekOf(MONDAY), weekOf(MONDAY + 7));
  });

  it('7-day moving average counts calendar days, not rows', () => {
    const days = [
      { day: 10, total: 10, successes: 10, unknown: 0 },
      { day: 16, total: 10, successes: 0, unknown: 0 },
      { day: 17, total: 10, successes: 0, unknown: 0 },
    ];
    // Day 16's window is days 10–16 (20 examples, 10 successes); day 17's drops day 10.
    assert.deepEqual(movingAverage(days), [1, 0.5, 0]);
  });

  it('states a known upward trend in points a week with its p-value', () => {
    const t = trend(weeksOf([50, 52, 54, 56, 58, 60, 62, 64]));
    assert.ok(t.significant);
    assert.equal(t.slopePerWeek, 2);
    assert.match(t.statement, /^Improving by 2\.0 points a week \(p < 0\.001, R² = 1\.00, 8 weeks from 2026-06-01 to 2026-07-20\)\.$/);
  });

  it('time axes are time: a ten-month gap between two datasets is ten months of empty slots, and no line is drawn through it', () => {
    // Five weeks around 50%, 43 weeks with nothing, five weeks around 85%: two clusters, not a smooth climb.
    const early = weeksOf([50, 52, 49, 51, 50]);
    const late = weeksOf([85, 86, 84, 85, 86]).map((d) => ({ ...d, day: d.day + 48 * 7 }));
    const t = trend([...early, ...late]);
    assert.equal(t.slopePerWeek, null);
    assert.equal(t.significant, false);
    assert.deepEqual(t.span, { from: '2026-06-01', to: dayLabel(MONDAY + 52 * 7), weeks: 53, emptyWeeks: 43, longestGap: 43 });
    assert.match(t.statement, /^No trend: the 10 weeks with at least 5 examples are spread over 53 weeks \(2026-06-01 to .*, the longest gap 43 weeks\)/);
    assert.equal(t.weekly.length, 53, 'one slot per calendar week');
    assert.equal(t.weekly.filter((w) => w.total === 0).length, 43);
    assert.equal(t.daily.length, 52 * 7 + 1, 'one slot per calendar day from the first to the last');
    assert.equal(t.daily.filter((d) => d.total > 0).length, 10);
    const p = predict([...early, ...late, ...weeksOf([86, 85, 87]).map((d) => ({ ...d, day: d.day + 53 * 7 }))]);
    assert.deepEqual(p.forecasts, []);
    assert.match(p.explanation, /^No prediction for the success rate: the 13 weeks .* spread over 56 weeks/);
  });

  it('the Overview\'s daily series has a slot for every day, the ones without examples empty', () => {
    const daily = [
      { day: '2026-03-01', total: 4, successes: 3, unknown: 0 },
      { day: '2026-03-11', total: 2, successes: 1, unknown: 0 },
    ];
    const capped = capForPanel({ byTag: [], byModel: [], daily });
    assert.equal(capped.daily.length, 11);
    assert.deepEqual(capped.daily[5], { day: '2026-03-06', total: 0, successes: 0, unknown: 0 });
    assert.deepEqual(capped.omitted.days, { groups: 0, total: 0, before: null });
  });

  it('a few missing weeks keep the line, and the statement says which weeks it was fitted on and how many were empty', () => {
    const days = weeksOf([50, 52, 54, 56, 58, 60, 62, 64, 66, 68]).filter((_, i) => i !== 3 && i !== 6);
    const t = trend(days);
    assert.equal(t.slopePerWeek, 2);
    assert.match(t.statement, /8 weeks from 2026-06-01 to 2026-08-03; 2 of the 10 weeks in that span had too few examples \(the longest gap 1 week\)\)\.$/);
    assert.equal(t.weekly.length, 10);
  });

  it('says there is no significant trend for a flat or noisy series', () => {
    const t = trend(weeksOf([60, 70, 55, 66, 58, 69, 61, 64]));
    assert.equal(t.significant, false);
    assert.match(t.statement, /^No significant trend/);
  });

  it('says why there is no trend with too little history', () => {
    const t = trend(weeksOf([60, 70]));
    assert.equal(t.slopePerWeek, null);
    assert.match(t.statement, /Too little history for a trend: 2 weeks with at least 5 examples, 3 needed/);
  });

  it('predicts a known linear trend 7 and 30 days ahead, with a backtest error near zero', () => {
    // 40 + 2 points a week over 12 weeks: the last week (index 11) is 62.
    const p = predict(weeksOf(Array.from({ length: 12 }, (_, i) => 40 + 2 * i)));
    assert.equal(p.forecasts.length, 2);
    assert.ok(Math.abs(p.forecasts[0]!.value - 64) < 1e-9, `7 days: ${p.forecasts[0]!.value}`);
    assert.ok(Math.abs(p.forecasts[1]!.value - (62 + (2 * 30) / 7)) < 1e-9, `30 days: ${p.forecasts[1]!.value}`);
    assert.ok(p.backtest!.meanAbsoluteError < 1e-9);
    assert.equal(p.backtest!.heldOutWeeks, 3);
    assert.match(p.explanation, /within 0\.0 points/);
  });

  it('shows no prediction for noise: the backtest misses by more than 10 points', () => {
    const rand = mulberry32(7);
    const p = predict(weeksOf(Array.from({ length: 16 }, () => 10 + rand() * 80)));
    assert.deepEqual(p.forecasts, []);
    assert.ok(p.backtest!.meanAbsoluteError > 10);
    assert.match(p.explanation, /missed the next 4 by \d+\.\d points on average, worse than the ±10/);
  });

  it('shows no prediction with too little history and says how much is needed', () => {
    const p = predict(weeksOf([50, 55, 60, 65, 70]));
    assert.deepEqual(p.forecasts, []);
    assert.equal(p.backtest, null);
    assert.match(p.explanation, /5 weeks have at least 5 examples; 8 are needed/);
  });

  it('keeps forecasts and their band within 0–100', () => {
    const p = predict(weeksOf(Array.from({ length: 12 }, (_, i) => 78 + 2 * i)));
    for (const f of p.forecasts) for (const v of [f.value, f.low, f.high]) assert.ok(v >= 0 && v <= 100, String(v));
  });
});

describe('analytics: heatmap', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('buckets by local wall-clock hour on both sides of a daylight-saving change', () => {
    process.env.TZ = 'America/New_York';
    // 09:30 on Saturday 7 March 2026 (EST, UTC−5) and on Monday 9 March 2026 (EDT, UTC−4): both 09:00–10:00 local.
    const before = Date.UTC(2026, 2, 7, 14, 30);
    const after = Date.UTC(2026, 2, 9, 13, 30);
    // 01:30 on Sunday 1 November 2026 happens twice (EDT then EST): both in the 01:00 row.
    const first = Date.UTC(2026, 10, 1, 5, 30);
    const second = Date.UTC(2026, 10, 1, 6, 30);
    const q = (ms: number, total: number, successes: number) => ({ quarter: Math.floor(ms / QUARTER_HOUR_MS), total, successes, unknown: 0 });
    const h = heatmap([q(before, 3, 2), q(after, 5, 5), q(first, 1, 1), q(second, 1, 0)], 0);
    const cell = (weekday: number, hour: number) => h.cells.find((c) => c.weekday === weekday && c.hour === hour)!;
    assert.deepEqual([cell(5, 9).total, cell(5, 9).successes], [3, 2]); // Saturday
    assert.deepEqual([cell(0, 9).total, cell(0, 9).successes], [5, 5]); // Monday
    assert.deepEqual([cell(6, 1).total, cell(6, 1).successes], [2, 1]); // Sunday, both 01:30s
    assert.equal(h.cells.length, 168);
    assert.equal(h.cells.reduce((s, c) => s + c.total, 0), 10);
    assert.equal(h.timeZone, 'America/New_York');
  });

  it('a zone with a 45-minute offset still lands on the local hour', () => {
    process.env.TZ = 'Asia/Kathmandu'; // UTC+05:45
    // 2026-06-03 03:20Z is 09:05 local on a Wednesday.
    assert.deepEqual(localWeekdayHour(Math.floor(Date.UTC(2026, 5, 3, 3, 20) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS), { weekday: 2, hour: 9 });
  });
});

describe('analytics report on a store', () => {
  const tmp = useTempDir();
  const NOW = Date.UTC(2026, 10, 21, 12);
  const day = (d: number, h = 10) => new Date(NOW - d * 86_400_000 + (h - 12) * 3_600_000).toISOString();

  it('recommends the weak technology, names the decline, and finds the related tag by lift', async () => {
    const records: Record<string, unknown>[] = [];
    let i = 0;
    const add = (n: number, daysAgo: () => number, success: (j: number) => boolean, extra: Record<string, unknown>) => {
      for (let j = 0; j < n; j++) records.push(kimi({ id: `r${i++}`, timestamp: day(daysAgo()), success: success(j), ...extra }));
    };
    const rand = mulberry32(3);
    // auth: 90% over 200 examples, always together with security (security only ever occurs with auth).
    add(200, () => Math.floor(rand() * 60), (j) => j % 10 !== 0, { tags: ['auth'], model_used: 'A' });
    add(30, () => Math.floor(rand() * 60), (j) => j % 5 !== 0, { tags: ['auth', 'security'], model_used: 'A' });
    // css: 30% over 100 examples: weak.
    add(100, () => Math.floor(rand() * 60), (j) => j % 10 < 3, { tags: ['css'], model_used: 'B' });
    // api: 90% in the previous 30 days, 50% in the last 30: a decline.
    add(100, () => 31 + Math.floor(rand() * 29), (j) => j % 10 !== 0, { tags: ['api'], model_used: 'B' });
    add(100, () => Math.floor(rand() * 29), (j) => j % 2 === 0, { tags: ['api'], model_used: 'B' });
    // Plenty of other examples so that auth and security are a small share of all.
    add(400, () => Math.floor(rand() * 60), (j) => j % 4 !== 0, { tags: ['misc'], model_used: 'A' });
    const store = await storeWith(tmp.path, records);
    try {
      const r = analyticsReport(store, filtersSchema.parse({}), { now: NOW });
      assert.equal(r.overall.total, 930);
      const kinds = r.recommendations.map((x) => `${x.kind}:${x.technology}`);
      assert.ok(kinds.includes('weak:css'), kinds.join());
      assert.ok(kinds.includes('decline:api') || kinds.includes('weak:api'), kinds.join());
      assert.ok(kinds.includes('related:security'), kinds.join());
      const related = r.recommendations.find((x) => x.kind === 'related')!;
      // security occurs in 30 of 930 examples, auth in 230, both in 30: lift = 30 × 930 / (230 × 30) = 4.04.
      assert.match(related.reason, /with auth 4\.0× more often than chance \(30 examples together, p < 0\.001\)/);
      const regression = r.insights.find((x) => x.kind === 'regression');
      assert.equal(regression?.title, 'Biggest regression: api');
      assert.equal(r.proficiency.mostPractised[0]!.tag, 'misc');
      assert.equal(r.proficiency.mostProficient[0]!.tag, 'auth');
      assert.equal(r.heatmap.cells.reduce((s, c) => s + c.total, 0), 930);
      assert.equal(r.relatedFrom.examples, 930);
    } finally {
      store.close();
    }
  });

  it('A/B: a real difference is called, with its test; a small one is not', async () => {
    const records: Record<string, unknown>[] = [];
    for (let j = 0; j < 200; j++) records.push(kimi({ id: `a${j}`, timestamp: day(j % 20), success: j % 100 < 60, model_used: 'A', tokens_consumed: 100, tags: ['x'] }));
    for (let j = 0; j < 200; j++) records.push(kimi({ id: `b${j}`, timestamp: day(j % 20), success: j % 100 < 80, model_used: 'B', tokens_consumed: 100, tags: ['x'] }));
    for (let j = 0; j < 8; j++) records.push(kimi({ id: `c${j}`, timestamp: day(1), success: j < 5, model_used: 'C', tags: ['y'] }));
    const store = await storeWith(tmp.path, records);
    try {
      const f = filtersSchema.parse({});
      const ab = compareModels(store, f, 'A', 'B', null);
      // 120/200 against 160/200: pooled z test p = scipy.stats.chi2_contingency([[120,80],[160,40]], correction=False).pvalue = 1.2749674921097076e-05.
      assert.match(ab.verdict, /^B is better by 20\.0 points, p < 0\.001 \(two-proportion z test\)\.$/);
      assert.ok(Math.abs(ab.pValue! - 1.2749674921097076e-5) < 1e-9, String(ab.pValue));
      assert.equal(ab.a.tokensPerSuccess, (200 * 100) / 120);
      const small = compareModels(store, f, 'C', 'A', null);
      assert.match(small.verdict, /^No significant difference at this sample size \(p = [\d.]+, Fisher's exact test; 8 and 200 examples\)\.$/);
      const tagged = compareModels(store, f, 'A', 'C', 'x');
      assert.match(tagged.verdict, /^No comparison: C has no examples tagged x/);
      const p = predictionFor(store, f, 'x');
      assert.match(p.explanation, /No prediction for “x”: 3 weeks have/);
      assert.equal(localDay(NOW) >= 0, true);
    } finally {
      store.close();
    }
  });

  it('A/B and the trend use known outcomes only: unknown ones are left out of the test and said', async () => {
    const records: Record<string, unknown>[] = [];
    // A: 120 of 200 known succeeded, and 300 more of unknown outcome; B: 160 of 200.
    for (let j = 0; j < 500; j++) records.push(kimi({ id: `a${j}`, timestamp: day(j % 20), success: j < 200 ? j % 100 < 60 : null, model_used: 'A', tags: ['x'] }));
    for (let j = 0; j < 200; j++) records.push(kimi({ id: `b${j}`, timestamp: day(j % 20), success: j % 100 < 80, model_used: 'B', tags: ['x'] }));
    const store = await storeWith(tmp.path, records);
    try {
      const ab = compareModels(store, filtersSchema.parse({}), 'A', 'B', null);
      // The same test as 120/200 against 160/200: the 300 unknown change nothing but the note.
      assert.ok(Math.abs(ab.pValue! - 1.2749674921097076e-5) < 1e-9, String(ab.pValue));
      assert.match(ab.verdict, /^B is better by 20\.0 points, p < 0\.001 \(two-proportion z test; 300 of unknown outcome left out\)\.$/);
      assert.deepEqual([ab.a.rate.total, ab.a.rate.unknown, ab.a.rate.rate], [500, 300, 0.6]);
      const report = analyticsReport(store, filtersSchema.parse({}), { now: NOW });
      assert.deepEqual([report.overall.total, report.overall.unknown, report.overall.successes], [700, 300, 280]);
      assert.equal(report.overall.rate, 280 / 400);
      const week = report.trend.weekly.find((w) => w.total > 0)!;
      assert.ok(week.unknown > 0, 'the weekly points carry their unknown outcomes');
    } finally {
      store.close();
    }
  });
});

describe('advice: related technologies only when the co-occurrence is significant', () => {
  const co = (together: number, examples = 1000): CoOccurrence => ({
    examples,
    counts: new Map([
      ['react', 100],
      ['redux', 100],
    ]),
    pairs: new Map([[`react\u0000redux`, together]]),
  });

  it('14 together out of 100 each in 1,000 (lift 1.4, p = 0.17) is not a relation; 40 together is, with its p-value', () => {
    assert.deepEqual(relatedTags('react', co(14)), []);
    const [r] = relatedTags('react', co(40));
    assert.ok(r);
    assert.deepEqual([r.tag, r.together, r.lift], ['redux', 40, 4]);
    // redux among react's examples (40 of 100) against among the rest (60 of 900): a two-proportion z test.
    const p = compareProportions(60, 900, 40, 100)!.pValue;
    assert.equal(r.pValue, p);
    assert.ok(p < 0.001);
  });

  it('when every example carries the tag there is nothing to compare against: no relation is claimed', () => {
    assert.deepEqual(relatedTags('react', { examples: 100, counts: new Map([['react', 100], ['redux', 100]]), pairs: new Map([[`react\u0000redux`, 100]]) }), []);
  });
});
