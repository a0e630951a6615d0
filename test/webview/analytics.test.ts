import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { heatmap, QUARTER_HOUR_MS } from '../../src/core/analytics/heatmap';
import { predict, trend, type DayCount } from '../../src/core/analytics/trends';
import { successRate } from '../../src/core/analytics/successRate';
import { analyticsReportSchema, type AnalyticsReport } from '../../src/shared/analytics';
import { answer, fromHost, nextRequest, PanelHarness, posted, state, type ThemeName } from './panelHarness';

const shots = join(__dirname, '..', '..', 'test-results', 'screenshots');
const MONDAY = Date.UTC(2026, 5, 1) / 86_400_000;
// The heatmap is bucketed here, in the test process: fix its zone so the cells are known.
process.env.TZ = 'UTC';

/** Twelve weeks of daily examples rising from 60% to 80%. */
function days(): DayCount[] {
  return Array.from({ length: 84 }, (_, i) => ({ day: MONDAY + i, total: 50, successes: 30 + Math.floor(i / 8), unknown: 0 }));
}

function fullReport(): AnalyticsReport {
  const d = days();
  const quarters = d.map((x, i) => ({ quarter: Math.floor((x.day * 86_400_000 + (9 + (i % 7)) * 3_600_000) / QUARTER_HOUR_MS), total: x.total, successes: x.successes, unknown: 0 }));
  return analyticsReportSchema.parse({
    overall: successRate(3000, 4200),
    trend: trend(d),
    proficiency: {
      series: [
        { tag: 'auth', weekly: [{ week: '2026-06-01', total: 40, successes: 30 }, { week: '2026-06-08', total: 40, successes: 34 }] },
        { tag: 'api', weekly: [{ week: '2026-06-01', total: 30, successes: 15 }, { week: '2026-06-08', total: 30, successes: 18 }] },
      ],
      mostPractised: [{ tag: 'auth', rate: successRate(64, 80), small: false }],
      mostProficient: [{ tag: 'auth', rate: successRate(64, 80), small: false }],
    },
    prediction: predict(d),
    recommendations: [{ kind: 'weak', technology: 'css', depth: 'deep', title: 'Strengthen css', reason: 'Success 30% (21%–40%) over 100 examples: even the top of its interval is below the overall 71%.' }],
    insights: [{ kind: 'regression', title: 'Biggest regression: api', detail: '90% → 50% against the previous period (40.0 points, p < 0.001; 100 and 100 examples).' }],
    heatmap: heatmap(quarters, MONDAY * 86_400_000),
    relatedFrom: { examples: 4200, sampled: false },
    computeMs: 12,
  });
}

function thinReport(): AnalyticsReport {
  const d = days().slice(0, 10);
  return analyticsReportSchema.parse({
    overall: successRate(5, 8),
    trend: trend(d),
    proficiency: { series: [], mostPractised: [], mostProficient: [] },
    prediction: predict(d),
    recommendations: [],
    insights: [],
    heatmap: heatmap([], 0),
    relatedFrom: { examples: 8, sampled: false },
    computeMs: 1,
  });
}

const models = [
  { model: 'A', total: 200, successes: 120, unknown: 0, tokens: { tokens: 1, tokenExamples: 1, tokenSuccesses: 1, knownTokens: 1 }, avgExecutionTime: null },
  { model: 'B', total: 200, successes: 160, unknown: 0, tokens: { tokens: 1, tokenExamples: 1, tokenSuccesses: 1, knownTokens: 1 }, avgExecutionTime: null },
];

async function openAnalytics(p: Page, report: AnalyticsReport): Promise<void> {
  await fromHost(p, { type: 'didChangeState', state: state({ byModel: models }) });
  await p.getByRole('tab', { name: 'Analytics' }).click();
  const req = await nextRequest(p, 'analytics');
  await answer(p, req.id, report);
}

describe('the Analytics tab in Chromium', () => {
  const harness = new PanelHarness();
  before(async () => {
    mkdirSync(shots, { recursive: true });
    await harness.start();
  });
  after(() => harness.stop());

  for (const theme of ['dark', 'light'] as ThemeName[]) {
    it(`renders every chart and list of a full report, and a recommendation starts a task (${theme})`, async () => {
      const p = await harness.open(theme, 1300);
      await openAnalytics(p, fullReport());
      await p.getByTestId('trend-statement').getByText(/^Improving by \d+\.\d points a week/).waitFor();
      await p.getByTestId('forecasts').getByText(/In 7 days:/).waitFor();
      await p.getByTestId('backtest').getByText(/mean absolute error \d+\.\d points over the last 3 weeks/).waitFor();
      assert.equal(await p.locator('lv-chart canvas').count(), 3);
      await p.getByTestId('most-proficient').getByText(/auth: 80\.0%/).waitFor();
      // The heatmap: 168 cells, each with its count as text and its rate in words.
      assert.equal(await p.getByTestId('heatmap').locator('td').count(), 168);
      const monday9 = p.getByRole('cell', { name: /^Monday 09:00–10:00: 600 examples, \d+\.\d% success$/ });
      assert.equal(await monday9.textContent().then((t) => t?.trim()), '600');
      await monday9.focus();
      await p.getByTestId('heat-detail').getByText(/^Monday 09:00–10:00: 600 examples/).waitFor();
      // A/B: the panel asks for B against A and shows the verdict it gets.
      const ab = await nextRequest(p, 'compareModels');
      assert.deepEqual(ab.params, { a: 'B', b: 'A', tag: null });
      await answer(p, ab.id, {
        a: { model: 'B', rate: successRate(160, 200), small: false, tokensPerSuccess: 125, timePerSuccess: 2 },
        b: { model: 'A', rate: successRate(120, 200), small: false, tokensPerSuccess: 166.7, timePerSuccess: 3 },
        tag: null,
        difference: -0.2,
        interval: [-0.29, -0.11],
        pValue: 0.0000127,
        test: 'two-proportion z test',
        verdict: 'B is better by 20.0 points, p < 0.001 (two-proportion z test).',
      });
      await p.getByTestId('ab-verdict').getByText('B is better by 20.0 points, p < 0.001 (two-proportion z test).').waitFor();
      // Playwright's locators pierce the sections' shadow roots.
      const draws = await p.locator('lv-chart').evaluateAll((els) => els.map((c) => (c as unknown as { lastDrawMs: number }).lastDrawMs));
      console.log(`      analytics charts drew in ${draws.map((d) => d.toFixed(1)).join(', ')} ms`);
      await p.screenshot({ path: join(shots, `analytics-${theme}.png`), fullPage: true });
      await p.getByRole('button', { name: 'Start Learning Task (deep)' }).click();
      assert.deepEqual((await posted(p)).at(-1), { type: 'startTask', technology: 'css', depth: 'deep' });
      assert.deepEqual((p as Page & { errors: string[] }).errors, []);
      await p.close();
    });
  }

  it('a click on a week of the trend filters to that week; every chart has a table form a keyboard reaches', async () => {
    const p = await harness.open('dark', 1300);
    await openAnalytics(p, fullReport());
    const trendSection = p.getByTestId('trend');
    await trendSection.getByRole('button', { name: 'Weekly' }).click();
    // Drawn with the 12 weekly points (the chart marks itself), then clicked.
    await trendSection.locator('lv-chart[data-points="12"]').waitFor();
    const box = (await trendSection.locator('lv-chart canvas').boundingBox())!;
    await p.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await p.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'setFilters'));
    const sent = ((await posted(p)) as { type: string; filters?: { since: number; until: number } }[]).filter((m) => m.type === 'setFilters').at(-1)!.filters!;
    const start = new Date(sent.since);
    assert.equal(start.getDay(), 1, 'from a Monday');
    assert.equal(sent.until, new Date(start.getFullYear(), start.getMonth(), start.getDate() + 7).getTime(), 'for a week');
    // The table forms: one per chart (trend, prediction, proficiency), opened from the keyboard.
    const tables = p.getByTestId('chart-table');
    assert.equal(await tables.count(), 3);
    await tables.first().locator('summary').focus();
    await p.keyboard.press('Enter');
    const rows = tables.first().locator('tbody tr');
    await rows.last().waitFor(); // the table is built when it opens
    assert.equal(await rows.count(), 12, 'the 12 weeks of the report');
    // A rate never goes without its interval and its sample: in the table…
    assert.match((await rows.first().innerText()).replace(/\s+/g, ' '), /\d+\.\d% \(95% interval \d+\.\d%–\d+\.\d%, 350 examples\)/);
    // …and in the tooltip of a point under the pointer.
    await p.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const chart = trendSection.locator('lv-chart');
    const tooltip = await chart.evaluate(async (el) => {
      const c = (el as unknown as { chart: { tooltip: { opacity: number; title: string[]; body: { lines: string[] }[] } } }).chart;
      for (let i = 0; i < 100 && !(c.tooltip.opacity > 0 && c.tooltip.body?.length); i++) await new Promise((r) => requestAnimationFrame(r));
      return [...c.tooltip.title, ...c.tooltip.body.flatMap((b) => b.lines)].join(' | ');
    });
    assert.match(tooltip, /^[^|]*\d{2} \| Weekly success rate: \d+\.\d% \(95% interval \d+\.\d%–\d+\.\d%, 350 examples\)$/);
    await p.close();
  });

  it('says why when there is too little data: no trend, no prediction, nothing recommended', async () => {
    const p = await harness.open('dark', 1300);
    await openAnalytics(p, thinReport());
    await p.getByTestId('trend-statement').getByText('Too little history for a trend: 2 weeks with at least 5 examples, 3 needed.').waitFor();
    await p.getByTestId('prediction-explanation').getByText(/^No prediction for the success rate: 2 weeks have at least 5 examples; 8 are needed/).waitFor();
    assert.equal(await p.getByTestId('forecasts').count(), 0);
    await p.getByTestId('recommendations').getByText(/Nothing stands out/).waitFor();
    await p.getByTestId('insights').getByText('Not enough examples for insights yet.').waitFor();
    await p.getByTestId('heat-detail').getByText('No activity in this period.').waitFor();
    await p.getByTestId('most-proficient').getByText('None with at least 20 examples.').waitFor();
    await p.screenshot({ path: join(shots, 'analytics-thin.png'), fullPage: true });
    await p.close();
  });

  it('asks for a technology’s prediction when one is chosen, and shows a failure in place', async () => {
    const p = await harness.open();
    await openAnalytics(p, fullReport());
    await p.getByTestId('trend-statement').waitFor();
    await p.getByLabel('Prediction for').selectOption('auth');
    const req = await nextRequest(p, 'prediction');
    assert.deepEqual(req.params, { tag: 'auth' });
    await fromHost(p, { type: 'response', id: req.id, ok: false, error: 'the data worker stopped' });
    await p.getByTestId('analytics-error').getByText(/the data worker stopped/).waitFor();
    await p.close();
  });

  it('a slow answer never replaces a newer one: the prediction chosen last and the A/B pair chosen last are the ones shown', async () => {
    const p = await harness.open();
    await openAnalytics(p, fullReport());
    await p.getByTestId('trend-statement').waitFor();
    const first = await nextRequest(p, 'compareModels');
    // Two technologies chosen one after the other; the first one's answer comes last.
    await p.getByLabel('Prediction for').selectOption('auth');
    const auth = await nextRequest(p, 'prediction');
    await p.getByLabel('Prediction for').selectOption('api');
    const api = await nextRequest(p, 'prediction', auth.id);
    assert.deepEqual(api.params, { tag: 'api' });
    const base = fullReport().prediction;
    await answer(p, api.id, { ...base, explanation: 'The prediction for api.' });
    await p.getByTestId('prediction-explanation').getByText('The prediction for api.').waitFor();
    await answer(p, auth.id, { ...base, explanation: 'The prediction for auth.' });
    const comparison = (a: string, b: string, verdict: string) => ({
      a: { model: a, rate: successRate(160, 200), small: false, tokensPerSuccess: 125, timePerSuccess: 2 },
      b: { model: b, rate: successRate(120, 200), small: false, tokensPerSuccess: 166.7, timePerSuccess: 3 },
      tag: null,
      difference: -0.2,
      interval: [-0.29, -0.11],
      pValue: 0.0000127,
      test: 'two-proportion z test',
      verdict,
    });
    // The A/B pair changed while the first comparison is under way; the first answer comes last.
    await p.getByTestId('ab-a').selectOption('A');
    const second = await nextRequest(p, 'compareModels', first.id);
    assert.deepEqual(second.params, { a: 'A', b: 'A', tag: null });
    await answer(p, second.id, comparison('A', 'A', 'The second pair.'));
    await p.getByTestId('ab-verdict').getByText('The second pair.').waitFor();
    await answer(p, first.id, comparison('B', 'A', 'The first pair.'));
    // The late answers were handled (a frame later) and dropped.
    await p.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    assert.equal(await p.getByTestId('prediction-explanation').innerText(), 'The prediction for api.');
    assert.equal(await p.getByTestId('ab-verdict').innerText(), 'The second pair.');
    await p.close();
  });
});
