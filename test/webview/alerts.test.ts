import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { AlertRecord } from '../../src/shared/alerts';
import { filtersSchema } from '../../src/shared/filters';
import { fromHost, PanelHarness, posted, state } from './panelHarness';

const shots = join(__dirname, '..', '..', 'test-results', 'screenshots');
const NOW = Date.now();

function alert(overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id: 'a1',
    ruleId: 'success-drop-tag',
    kind: 'successDrop',
    subject: 'auth',
    title: 'Success rate of tag auth down 50 points: 80% → 30% on 50 examples',
    detail: '30% (95% interval 19–44%) on 50 examples in the last 7 days, against 80% (74–85%) on 220 examples in the 28 days before: −50 points, p < 0.001 (two-proportion z test).',
    firedAt: NOW - 3_600_000,
    resolvedAt: null,
    measure: { windowCount: 50, baselineCount: 220, windowValue: 0.3, baselineValue: 0.8, windowInterval: [0.19, 0.44], baselineInterval: [0.74, 0.85], pValue: 1e-10, test: 'two-proportion z test' },
    filters: filtersSchema.parse({ tags: ['auth'], since: NOW - 6 * 86_400_000 }),
    ...overrides,
  };
}

describe('alerts on the Overview, in Chromium', () => {
  const harness = new PanelHarness();
  before(() => harness.start());
  after(() => harness.stop());

  it('shows the alert firing above the cards and the history below; Show these examples filters to it', async () => {
    for (const [theme, width] of [['dark', 1100], ['light', 280]] as const) {
      const p = await harness.open(theme, width);
      const resolved = alert({ id: 'a0', subject: null, title: 'No examples for 30 hours: KIMI may have stopped logging', kind: 'noExamples', ruleId: 'no-examples', firedAt: NOW - 2 * 86_400_000, resolvedAt: NOW - 86_400_000, filters: filtersSchema.parse({}) });
      await fromHost(p, { type: 'didChangeState', state: state({ alerts: { active: [alert()], history: [alert(), resolved], muted: ['tokens-per-success-up'], lastCheck: NOW } }) });
      const active = p.getByTestId('alerts-active');
      await active.waitFor();
      assert.match(await active.innerText(), /tag auth down 50 points[\s\S]*p < 0\.001/);
      const history = p.getByTestId('alerts-history');
      assert.match(await history.innerText(), /firing/);
      assert.match(await history.innerText(), /resolved [^\n]*\tNo examples for 30 hours/);
      await p.getByText('Muted rules: tokens-per-success-up').waitFor();
      await p.screenshot({ path: join(shots, `alerts-${theme}-${width}.png`), fullPage: true });
      // Nothing overflows its box, even in a side column.
      const overflow = await history.evaluate((t) => t.scrollWidth - (t.parentElement?.clientWidth ?? t.scrollWidth));
      assert.ok(overflow <= 1, `the history table overflows by ${overflow}px at ${width}px`);
      await active.getByRole('button', { name: 'Show these examples' }).click();
      const sent = ((await posted(p)) as { type: string; filters?: { tags: string[] } }[]).filter((m) => m.type === 'setFilters').at(-1);
      assert.deepEqual(sent?.filters?.tags, ['auth']);
      await p.close();
    }
  });

  it('with no alerts: says so and when the rules were last checked; nothing above the cards', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state() });
    await p.getByTestId('alerts-none').waitFor();
    assert.match(await p.getByTestId('alerts-none').innerText(), /No alerts yet\. The rules have not been checked yet/);
    assert.equal(await p.getByTestId('alerts-active').count(), 0);
    await p.close();
  });
});

describe('git on the Overview and in the details, in Chromium', () => {
  const harness = new PanelHarness();
  before(() => harness.start());
  after(() => harness.stop());

  const rate = (successes: number, total: number) => ({ total, successes, unknown: 0, rate: total ? successes / total : null, interval: total ? ([0.1, 0.9] as [number, number]) : null });
  const row = (key: string, n: number, kimi: number, gitN: number, git: number) => ({ key, examples: n, kimi: rate(kimi, n), git: rate(git, gitN), pending: n - gitN });

  it("shows KIMI's rate beside git's per tag and model, readable from 280 px; a row filters to its examples", async () => {
    for (const [theme, width] of [['dark', 1100], ['light', 280]] as const) {
      const p = await harness.open(theme, width);
      const git = { overall: row('all', 120, 100, 90, 60), byTag: [row('auth', 80, 70, 60, 35)], byModel: [row('Mistral 7B', 120, 100, 90, 60)] };
      await fromHost(p, { type: 'didChangeState', state: state({ git }) });
      const table = p.getByTestId('git-rates');
      await table.waitFor();
      const text = await table.innerText();
      assert.match(text, /All linked examples\t120\t83\.3%/);
      // Each rate with its interval: beside it, or under it in a narrow column.
      assert.match(text, /tag auth\t80\t87\.5%\s*(\n78\.5%–93\.1%\n)?\t(78\.5%–93\.1%\t)?58\.3%/);
      assert.match(text, /78\.5%–93\.1%/);
      await p.screenshot({ path: join(shots, `git-${theme}-${width}.png`), fullPage: true });
      await table.getByRole('button', { name: 'tag auth' }).click();
      const sent = ((await posted(p)) as { type: string; filters?: { tags: string[]; hasCommit: boolean } }[]).filter((m) => m.type === 'setFilters').at(-1);
      assert.deepEqual([sent?.filters?.tags, sent?.filters?.hasCommit], [['auth'], true]);
      await p.close();
    }
  });
});
