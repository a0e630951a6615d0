import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { answer, fromHost, nextRequest, PanelHarness, posted, row, state } from './panelHarness';

const shots = join(__dirname, '..', '..', 'test-results', 'screenshots');

async function lastPosted(p: Page, type: string): Promise<Record<string, unknown> | undefined> {
  return ((await posted(p)) as Record<string, unknown>[]).filter((m) => m.type === type).at(-1);
}

async function examplesTab(p: Page, rows = Array.from({ length: 5 }, (_, i) => row(i))): Promise<void> {
  await fromHost(p, { type: 'didChangeState', state: state() });
  await p.getByRole('tab', { name: 'Examples' }).click();
  const req = await nextRequest(p, 'examplesPage');
  await answer(p, req.id, { rows, total: rows.length });
  await p.getByTestId('row').first().waitFor();
}

describe('panel interactions in Chromium', () => {
  const harness = new PanelHarness();
  before(() => harness.start());
  after(() => harness.stop());

  it('filters produce the right setFilters messages: outcome, model, tag click, chip removal', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state() });
    await p.getByLabel('Outcome').selectOption('failure');
    assert.deepEqual((await lastPosted(p, 'setFilters'))!.filters, { ...state().filters, success: false });
    await p.getByLabel('Model', { exact: true }).selectOption('Mistral 7B');
    assert.equal(((await lastPosted(p, 'setFilters'))!.filters as { model: string }).model, 'Mistral 7B');
    await p.getByTestId('tags').getByRole('button', { name: 'auth' }).click();
    assert.deepEqual(((await lastPosted(p, 'setFilters'))!.filters as { tags: string[] }).tags, ['auth']);
    // The host answers with the new state, echoing the number of the change it applied (its filters are then the truth:
    // here without the model, as if another view had cleared it): chips show, and removing one sends the filters without it.
    const applied = ((await lastPosted(p, 'setFilters'))! as { seq: number }).seq;
    await fromHost(p, { type: 'didChangeState', state: state({ version: 2, filters: { ...state().filters, tags: ['auth'], success: false }, filtersSeq: applied }) });
    await p.getByTestId('chip').filter({ hasText: 'tag: auth' }).waitFor();
    await p.getByRole('button', { name: 'Remove filter tag: auth' }).click();
    assert.deepEqual((await lastPosted(p, 'setFilters'))!.filters, { ...state().filters, success: false });
    await p.getByLabel('Session', { exact: true }).fill('sess-42');
    await p.getByLabel('Session', { exact: true }).press('Enter');
    assert.equal(((await lastPosted(p, 'setFilters'))!.filters as { session: string }).session, 'sess-42');
    await p.getByLabel('Date range').selectOption('7');
    const since = ((await lastPosted(p, 'setFilters'))!.filters as { since: number }).since;
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    midnight.setDate(midnight.getDate() - 6);
    assert.equal(since, midnight.getTime(), 'the last 7 days start at local midnight six days ago');
    await p.close();
  });

  it('Custom… opens its date inputs and keeps them open, even on the range of a preset; the change against the previous period says whether it is significant', async () => {
    const p = await harness.open();
    const last7 = new Date();
    last7.setHours(0, 0, 0, 0);
    last7.setDate(last7.getDate() - 6);
    const filters = { ...state().filters, since: last7.getTime() };
    const DAY = 86_400_000;
    const previous = { rate: { total: 1000, successes: 700, unknown: 0, rate: 0.7, interval: [0.67, 0.73] as [number, number] }, avgExecutionTime: null, tokens: { tokens: 0, tokenExamples: 0, tokenSuccesses: 0, knownTokens: 0 } };
    const s = state({ filters, summary: { ...state().summary, previous: { ...previous, since: last7.getTime() - 7 * DAY, until: last7.getTime() } } });
    await fromHost(p, { type: 'didChangeState', state: s });
    assert.equal(await p.getByLabel('Date range').inputValue(), '7');
    // 987 of 1,234 against 700 of 1,000: a significant rise, named with the previous period's dates.
    assert.match((await p.getByTestId('card-success').getByTestId('detail').textContent())!, /up 10\.0 points \(p < 0\.001\) vs the previous 7 days \(/);
    await p.getByLabel('Date range').selectOption('custom');
    await p.getByLabel('From', { exact: true }).waitFor();
    assert.equal(await p.getByLabel('Date range').inputValue(), 'custom', 'it does not snap back to Last 7 days');
    const focused = await p.evaluate(() => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.getAttribute('aria-label') ?? null;
    });
    assert.equal(focused, 'From', 'the From date takes the focus');
    await p.getByLabel('To', { exact: true }).fill(new Date(last7.getTime() - last7.getTimezoneOffset() * 60_000 + 3 * DAY).toISOString().slice(0, 10));
    const sent = (await lastPosted(p, 'setFilters'))!.filters as { since: number; until: number };
    assert.deepEqual([sent.since, sent.until], [last7.getTime(), new Date(last7.getFullYear(), last7.getMonth(), last7.getDate() + 4).getTime()]);
    // From, then To, before the host's state comes back: the second edit keeps the first.
    const day = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
    const from = new Date(last7.getFullYear(), last7.getMonth(), last7.getDate() - 10);
    await p.getByLabel('From', { exact: true }).fill(day(from));
    await p.getByLabel('To', { exact: true }).fill(day(new Date(last7.getFullYear(), last7.getMonth(), last7.getDate() - 5)));
    const both = (await lastPosted(p, 'setFilters'))!.filters as { since: number; until: number };
    assert.deepEqual([both.since, both.until], [from.getTime(), new Date(last7.getFullYear(), last7.getMonth(), last7.getDate() - 4).getTime()]);
    // Not significant: said so, with no rise or fall colour.
    const flat = state({ filters, summary: { ...state().summary, rate: { total: 1000, successes: 710, unknown: 0, rate: 0.71, interval: [0.68, 0.74] }, previous: { ...previous, since: 0, until: 7 * DAY } } });
    await fromHost(p, { type: 'didChangeState', state: { ...flat, version: 3 } });
    await p.getByTestId('card-success').getByTestId('detail').filter({ hasText: 'not significant' }).waitFor();
    assert.match((await p.getByTestId('card-success').getByTestId('detail').textContent())!, /up 1\.0 points, not significant \(p = 0\.6\d\)/);
    await p.close();
  });

  it('an edit waits for the host to apply it: a state built before that (an older number) does not undo it', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state() });
    await p.getByLabel('Date range').selectOption('custom');
    const range = (await lastPosted(p, 'setFilters'))! as { filters: { since: number }; seq: number };
    // The host applies Custom's range and echoes its number.
    await fromHost(p, { type: 'didChangeState', state: state({ version: 2, filters: { ...state().filters, since: range.filters.since }, filtersSeq: range.seq }) });
    const day = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
    const now = new Date();
    const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 20);
    await p.getByLabel('From', { exact: true }).fill(day(from));
    const fromSent = (await lastPosted(p, 'setFilters'))! as { seq: number };
    assert.ok(fromSent.seq > range.seq, 'each change carries a larger number');
    // A refresh the host built before it applied From arrives now: the range it holds is the old one.
    await fromHost(p, { type: 'didChangeState', state: state({ version: 3, filters: { ...state().filters, since: range.filters.since }, filtersSeq: range.seq }) });
    await p.getByLabel('To', { exact: true }).fill(day(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 5)));
    const both = (await lastPosted(p, 'setFilters'))! as { filters: { since: number; until: number }; seq: number };
    assert.equal(both.filters.since, from.getTime(), 'To keeps the From that was not applied yet');
    assert.equal(both.filters.until, new Date(now.getFullYear(), now.getMonth(), now.getDate() - 4).getTime());
    // Once the host's state echoes the last number, its filters are the truth again: a change from elsewhere is kept.
    const elsewhere = { ...state().filters, since: from.getTime(), until: both.filters.until, model: 'Mistral 7B' };
    await fromHost(p, { type: 'didChangeState', state: state({ version: 4, filters: elsewhere, filtersSeq: both.seq }) });
    await p.getByLabel('Outcome').selectOption('failure');
    const after = (await lastPosted(p, 'setFilters'))! as { filters: { model: string | null; success: boolean | null } };
    assert.deepEqual([after.filters.model, after.filters.success], ['Mistral 7B', false]);
    await p.close();
  });

  it('an invalid regular expression is said beside the box and never sent; fixing it clears the message and sends it', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state() });
    await p.getByLabel('regex in code').check();
    await p.getByLabel('Search descriptions, code and feedback').fill('def (refresh');
    await p.getByTestId('regex-error').filter({ hasText: 'is not valid' }).waitFor();
    assert.equal(await p.getByLabel('Search descriptions, code and feedback').getAttribute('aria-invalid'), 'true');
    assert.equal(await lastPosted(p, 'setFilters'), undefined, 'nothing reaches the host while it is invalid');
    await p.getByLabel('Search descriptions, code and feedback').fill('def (refresh)');
    await p.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'setFilters'));
    assert.equal(((await lastPosted(p, 'setFilters'))!.filters as { codeRegex: string }).codeRegex, 'def (refresh)');
    assert.equal(await p.getByTestId('regex-error').textContent(), '');
    await p.close();
  });

  it('the daily trend: a click on a day filters to it; its table form reaches every day by keyboard', async () => {
    const p = await harness.open('dark', 1100);
    await fromHost(p, { type: 'didChangeState', state: state() });
    // The chart drawn (it marks itself), then a click: Chart.js handles it on the next animation frame.
    await p.locator('lv-chart[data-testid="daily-chart"][data-line]').waitFor();
    const box = (await p.locator('lv-chart[data-testid="daily-chart"] canvas').boundingBox())!;
    await p.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.6);
    await p.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'setFilters'));
    const picked = (await lastPosted(p, 'setFilters'))!.filters as { since: number; until: number };
    const start = new Date(picked.since);
    assert.equal(start.getHours(), 0, 'from a local midnight');
    assert.equal(new Date(picked.until).getTime(), new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1).getTime(), 'to the next');
    // The table form: opened from the keyboard, a day's button filters to it.
    await p.getByText('The daily trend as a table').focus();
    await p.keyboard.press('Enter');
    const first = p.getByTestId('daily-table').getByRole('button').first();
    await first.focus();
    await p.keyboard.press('Enter');
    const fromTable = (await lastPosted(p, 'setFilters'))!.filters as { since: number; until: number };
    // The newest day of the fixture is 2026-10-30.
    assert.equal(fromTable.since, new Date(2026, 9, 30).getTime());
    assert.equal(await p.getByTestId('daily-table').locator('tbody tr').count(), 30);
    await p.close();
  });

  it('every Overview table says so when the filters leave it empty', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state({ byTag: [], byModel: [] }) });
    await p.getByTestId('tags-empty').getByText('No tagged example under these filters.').waitFor();
    await p.getByTestId('models-empty').getByText('No example names its model under these filters.').waitFor();
    await p.close();
  });

  it('search is debounced into one request; / focuses it', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state() });
    await p.locator('body').press('/');
    await p.keyboard.type('refresh token');
    await p.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'setFilters'));
    const sets = ((await posted(p)) as { type: string; filters?: { search: string } }[]).filter((m) => m.type === 'setFilters');
    assert.equal(sets.length, 1);
    assert.equal(sets[0]!.filters!.search, 'refresh token');
    await p.close();
  });

  it('keyboard: j/k move, Enter opens details, f focuses feedback, Esc closes; feedback is saved', async () => {
    const p = await harness.open();
    await examplesTab(p);
    await p.locator('.table-focus').focus();
    await p.keyboard.press('j');
    await p.keyboard.press('j');
    assert.equal(await p.locator('tr[aria-selected="true"]').getAttribute('data-id'), 'ex-1');
    await p.keyboard.press('k');
    assert.equal(await p.locator('tr[aria-selected="true"]').getAttribute('data-id'), 'ex-0');
    await p.keyboard.press('Enter');
    const detail = await nextRequest(p, 'example');
    assert.deepEqual(detail.params, { id: 'ex-0' });
    await answer(p, detail.id, row(0, { codeContext: 'def f():\n    return 1', extra: { kimi_version: '0.9' }, humanFeedback: 'first look', feedbackBy: 'Ana', feedbackAt: new Date(Date.now() - 3_600_000).toISOString() }));
    await p.getByTestId('details').waitFor();
    assert.match(await p.getByTestId('feedback-by').innerText(), /^Last edited by Ana, .+\.$/, 'who edited the feedback, and when (a team database keeps it)');
    await p.getByTestId('code').getByText('return 1').waitFor();
    await p.getByText('kimi_version').waitFor();
    await p.screenshot({ path: join(shots, 'details-dark.png') });
    await p.keyboard.press('f');
    await p.waitForFunction(() => document.querySelector('lv-app')!.shadowRoot!.querySelector('lv-examples')!.shadowRoot!.querySelector('lv-details')!.shadowRoot!.activeElement?.id === 'feedback');
    await p.getByTestId('feedback').fill('Missed the edge case');
    await p.getByRole('button', { name: 'Save feedback' }).click();
    const save = await nextRequest(p, 'setFeedback');
    assert.deepEqual(save.params, { id: 'ex-0', feedback: 'Missed the edge case' });
    await answer(p, save.id, true);
    await p.getByText('Saved.').waitFor();
    await p.getByTestId('feedback').press('Escape');
    await p.keyboard.press('Escape');
    await p.getByTestId('details').waitFor({ state: 'detached' });
    await p.close();
  });

  it('ignores a stale reply: an older page answered last does not replace the newer one', async () => {
    const p = await harness.open();
    await examplesTab(p, [row(1)]);
    // Two refreshes in a row: requests A then B.
    await fromHost(p, { type: 'didChangeState', state: state({ version: 2 }) });
    const a = await nextRequest(p, 'examplesPage', 1);
    await fromHost(p, { type: 'didChangeState', state: state({ version: 3 }) });
    const b = await nextRequest(p, 'examplesPage', a.id);
    await answer(p, b.id, { rows: [row(200, { taskDescription: 'Newest' })], total: 1 });
    await p.getByText('Newest').waitFor();
    await answer(p, a.id, { rows: [row(100, { taskDescription: 'Stale' })], total: 1 });
    await p.waitForTimeout(0);
    assert.equal(await p.getByText('Stale').count(), 0);
    assert.equal(await p.getByText('Newest').count(), 1);
    // An older state snapshot arriving late is ignored too.
    await fromHost(p, { type: 'didChangeState', state: state({ version: 1 }, { examples: 7 }) });
    assert.equal(await p.getByTestId('examples-stored').textContent(), '1,234 examples stored');
    await p.close();
  });

  it('renders HTML and script in descriptions, tags and model names as text, running nothing', async () => {
    const p = await harness.open();
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await fromHost(p, {
      type: 'didChangeState',
      state: state({
        byTag: [{ tag: payload, total: 3, successes: 1, unknown: 0 }],
        byModel: [{ model: `<b id="inj">${payload}</b>`, total: 3, successes: 1, unknown: 0, tokens: { tokens: 1, tokenExamples: 1, tokenSuccesses: 1, knownTokens: 1 }, avgExecutionTime: null }],
      }),
    });
    await p.getByTestId('tags').getByText(payload).waitFor();
    await p.getByRole('tab', { name: 'Examples' }).click();
    const req = await nextRequest(p, 'examplesPage');
    await answer(p, req.id, { rows: [row(1, { taskDescription: payload, tags: [payload], model: payload })], total: 1 });
    await p.getByTestId('row').first().waitFor();
    await p.getByTestId('row').first().click();
    const d = await nextRequest(p, 'example');
    await answer(p, d.id, row(1, { taskDescription: payload, codeContext: payload, humanFeedback: payload, extra: { [payload]: payload } }));
    await p.getByTestId('details').waitFor();
    assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await p.locator('#inj').count(), 0);
    assert.equal(await p.locator('lv-app img').count(), 0);
    await p.close();
  });

  it('re-colours the chart when the theme changes', async () => {
    const p = await harness.open('dark');
    await fromHost(p, { type: 'didChangeState', state: state() });
    const chart = p.locator('lv-chart[data-testid="daily-chart"]');
    await chart.locator('canvas').waitFor();
    const before = await chart.evaluate((el) => (el as HTMLElement).dataset.line);
    await p.evaluate(() => {
      document.body.style.setProperty('--vscode-charts-green', 'rgb(1, 2, 3)');
      document.body.className = 'vscode-light';
    });
    await p.waitForFunction(() => (document.querySelector('lv-app')!.shadowRoot!.querySelector('lv-overview')!.shadowRoot!.querySelector('lv-chart[data-testid="daily-chart"]') as HTMLElement).dataset.line === 'rgb(1, 2, 3)');
    assert.notEqual(before, 'rgb(1, 2, 3)');
    const drawMs = await chart.evaluate((el) => (el as unknown as { lastDrawMs: number }).lastDrawMs);
    console.log(`      chart redraw: ${drawMs.toFixed(1)} ms`);
    await p.close();
  });

  for (const theme of ['dark', 'light'] as const) it(`shows a failed request in place with Retry, not a blank panel (${theme})`, async () => {
    const p = await harness.open(theme);
    await fromHost(p, { type: 'didChangeState', state: state({ error: 'The figures could not be computed: the data worker stopped' }) });
    await p.getByTestId('error').getByText('the data worker stopped').waitFor();
    await p.getByRole('button', { name: 'Retry' }).click();
    assert.deepEqual(await lastPosted(p, 'refresh'), { type: 'refresh' });
    await p.screenshot({ path: join(shots, `error-${theme}.png`) });
    await p.close();
  });
});

describe('saved views in the panel', () => {
  const harness = new PanelHarness();
  before(() => harness.start());
  after(() => harness.stop());

  it('applies a saved view by name, asks to save one, and shows a broken file’s problem', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state({ savedViews: ['Auth failures', 'Mistral'] }) });
    await p.getByLabel('Saved view').selectOption('Mistral');
    assert.deepEqual(await lastPosted(p, 'applyView'), { type: 'applyView', name: 'Mistral' });
    await p.getByRole('button', { name: 'Save view…' }).click();
    assert.deepEqual(await lastPosted(p, 'runCommand'), { type: 'runCommand', command: 'learningViewer.saveView' });
    await fromHost(p, { type: 'didChangeState', state: state({ version: 2, savedViewsProblem: '.vscode/learning-views.json is not valid JSON (Unexpected end)' }) });
    await p.getByRole('alert').filter({ hasText: 'is not valid JSON' }).waitFor();
    await p.close();
  });
});
