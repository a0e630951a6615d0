import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { successRate } from '../../src/core/analytics/successRate';
import type { KnowledgeEntry, Task } from '../../src/shared/tasks';
import { answer, fromHost, nextRequest, PanelHarness, posted, state, type ThemeName } from './panelHarness';

const shots = join(__dirname, '..', '..', 'test-results', 'screenshots');
const T0 = Date.UTC(2026, 10, 21, 9);

function task(id: string, over: Partial<Task>): Task {
  return {
    id,
    seq: Number(id.replace(/\D/g, '')) || 1,
    technology: 'auth',
    depth: 'standard',
    priority: 'normal',
    learner: 'builtin',
    state: 'pending',
    progress: 0,
    message: 'Queued',
    createdAt: T0,
    startedAt: null,
    endedAt: null,
    attempts: 0,
    result: null,
    ...over,
  };
}

const TASKS: Task[] = [
  task('t1', { technology: 'auth', state: 'running', progress: 45, message: 'Finding related technologies', startedAt: T0, attempts: 1 }),
  task('t2', { technology: 'api', state: 'pending', priority: 'high' }),
  task('t3', { technology: '<img src=x onerror=alert(1)>', state: 'failed', message: 'The learner exited with code 3: Traceback: boom', endedAt: T0 + 5000, learner: 'external' }),
  task('t4', { technology: 'css', state: 'completed', progress: 100, message: '40 examples', endedAt: T0 + 9000, result: { proficiency: 0.75, summary: 'ok', knowledgeId: 'k1', examplesAdded: 0 } }),
];

function entry(id: string, createdAt: number, successes: number): KnowledgeEntry {
  return {
    id,
    taskId: null,
    technology: 'auth',
    depth: 'quick',
    createdAt,
    since: createdAt - 7 * 86_400_000,
    until: createdAt,
    examplesAnalysed: 40,
    proficiency: successRate(successes, 40),
    trend: { slopePerWeek: null, pValue: null, statement: 'Too little history for a trend: 1 week with at least 5 examples, 3 needed.' },
    failsWith: [{ tag: 'oauth', failures: 10, total: 10, failureRate: 1 }],
    related: [{ tag: 'oauth', lift: 2.3, together: 10 }],
    metrics: { avgExecutionTime: 1.5, avgTokens: 150, tokensPerSuccess: 200 },
    byModel: [{ model: 'M1', rate: successRate(30, 30) }],
    nextSteps: [{ step: 'Practise auth together with oauth', reason: '10 of the 10 examples with both failed (100%).' }],
    summary: null,
  };
}

async function openTab(p: Page, name: 'Learning' | 'Knowledge', external: { available: boolean; reason: string | null } = { available: false, reason: 'No external learner is configured.' }) {
  await fromHost(p, { type: 'didChangeState', state: state() });
  await fromHost(p, { type: 'didChangeTasks', tasks: TASKS, external });
  await p.getByRole('tab', { name }).click();
}

describe('the Learning and Knowledge tabs in Chromium', () => {
  const harness = new PanelHarness();
  before(async () => {
    mkdirSync(shots, { recursive: true });
    await harness.start();
  });
  after(() => harness.stop());

  for (const theme of ['dark', 'light'] as ThemeName[]) {
    it(`shows the queue with progress, cancels and retries, and streams a task's log (${theme})`, async () => {
      const p = await harness.open(theme, 1300);
      await openTab(p, 'Learning');
      const rows = p.getByTestId('task-row');
      await rows.first().waitFor();
      // Running first, then queued, then finished newest first.
      assert.deepEqual(
        (await rows.allTextContents()).map((t) => t.trim().split(/\s/)[0]),
        ['auth', 'api', 'css', '<img'],
      );
      assert.equal(await p.getByRole('progressbar', { name: 'auth: 45%' }).count(), 1);
      assert.equal(await p.locator('img').count(), 0, 'a technology name is text, never markup');
      await rows.first().getByRole('button', { name: 'Cancel' }).click();
      assert.deepEqual((await posted(p)).at(-1), { type: 'cancelTask', id: 't1' });
      await rows.nth(3).getByRole('button', { name: 'Retry' }).click();
      assert.deepEqual((await posted(p)).at(-1), { type: 'retryTask', id: 't3' });
      // Select the running task: its stored log is asked for, then new events stream in.
      await rows.first().click();
      const req = await nextRequest(p, 'taskLog');
      assert.deepEqual(req.params, { taskId: 't1' });
      // An event streams in while the log is loading: it is kept when the stored log arrives (load, then follow).
      await fromHost(p, { type: 'taskEvents', taskId: 't1', events: [{ at: T0 + 15, kind: 'log', message: 'Reading examples', progress: null, seq: 3 }] });
      await answer(p, req.id, [
        { at: T0, kind: 'queued', message: 'Queued: auth', progress: null, seq: 1 },
        { at: T0 + 10, kind: 'started', message: 'Started (attempt 1).', progress: null, seq: 2 },
      ]);
      await p.getByRole('log').getByText('Started (attempt 1).').waitFor();
      await p.getByRole('log').getByText('Reading examples').waitFor();
      // The host may send live an event the stored log already had: it shows once.
      await fromHost(p, { type: 'taskEvents', taskId: 't1', events: [{ at: T0 + 10, kind: 'started', message: 'Started (attempt 1).', progress: null, seq: 2 }] });
      await fromHost(p, { type: 'taskEvents', taskId: 't1', events: [{ at: T0 + 20, kind: 'progress', message: 'Comparing models', progress: 75, seq: 4 }] });
      await p.getByRole('log').getByText(/75% Comparing models/).waitFor();
      // The same words twice in the log are two events, and show twice.
      await fromHost(p, { type: 'taskEvents', taskId: 't1', events: [{ at: T0 + 20, kind: 'progress', message: 'Comparing models', progress: 75, seq: 5 }] });
      await fromHost(p, { type: 'taskEvents', taskId: 't2', events: [{ at: T0 + 30, kind: 'log', message: 'another task', progress: null, seq: 1 }] });
      await fromHost(p, { type: 'taskEvents', taskId: 't1', events: [{ at: T0 + 40, kind: 'completed', message: 'Knowledge entry written', progress: null, seq: 6 }] });
      await p.getByRole('log').getByText('Knowledge entry written').waitFor();
      assert.equal(await p.getByRole('log').getByText('another task').count(), 0, 'only the selected task’s events show');
      assert.equal(await p.getByRole('log').getByText('Started (attempt 1).').count(), 1);
      assert.equal(await p.getByRole('log').getByText(/75% Comparing models/).count(), 2);
      // In the order of the log, whatever order they arrived in.
      assert.match((await p.getByRole('log').innerText()).replace(/\s+/g, ' '), /Queued: auth.*Started \(attempt 1\)\..*Reading examples.*Comparing models.*Comparing models.*Knowledge entry written/);
      await p.getByTestId('external-reason').getByText('External learner: No external learner is configured.').waitFor();
      assert.equal(await p.locator('select[name=learner] option[value=external]').isDisabled(), true);
      await p.screenshot({ path: join(shots, `learning-${theme}.png`), fullPage: true });
      assert.deepEqual((p as Page & { errors: string[] }).errors, []);
      await p.close();
    });
  }

  it('the start form sends what was chosen; an empty technology is refused in place', async () => {
    const p = await harness.open();
    await openTab(p, 'Learning', { available: true, reason: null });
    await p.getByRole('button', { name: 'Start' }).click();
    // The browser's own required check stops an empty submit.
    assert.equal((await posted(p)).filter((m) => (m as { type: string }).type === 'startTask').length, 0);
    await p.getByLabel('Technology').fill('database');
    await p.getByLabel('Depth').selectOption('deep');
    await p.getByLabel('Priority').selectOption('high');
    await p.getByLabel('Learner').selectOption('external');
    await p.getByRole('button', { name: 'Start' }).click();
    assert.deepEqual((await posted(p)).at(-1), { type: 'startTask', technology: 'database', depth: 'deep', priority: 'high', learner: 'external' });
    assert.equal(await p.getByLabel('Technology').inputValue(), '');
    await p.close();
  });

  it('the Learning tab works with no examples stored yet', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state({}, { examples: 0, lastImport: null }) });
    await p.getByTestId('empty').waitFor();
    await fromHost(p, { type: 'didChangeTasks', tasks: [], external: { available: true, reason: null } });
    await p.getByRole('tab', { name: 'Learning' }).click();
    await p.getByTestId('start-form').waitFor();
    await p.getByTestId('queue').getByText(/No tasks yet/).waitFor();
    assert.equal(await p.getByTestId('empty').count(), 0);
    await p.close();
  });

  it('a finished task links to the knowledge entry it wrote', async () => {
    const p = await harness.open();
    await openTab(p, 'Learning');
    await p.getByTestId('task-row').filter({ hasText: 'css' }).getByRole('button', { name: 'Knowledge' }).click();
    assert.equal(await p.getByRole('tab', { name: 'Knowledge' }).getAttribute('aria-selected'), 'true');
    const req = await nextRequest(p, 'knowledge');
    await answer(p, req.id, [entry('k2', T0, 32), entry('k1', T0 - 7 * 86_400_000, 24)]);
    // k1 (60%) is shown, not the newest entry (k2, 80%) the list would open on.
    await p.getByTestId('knowledge-proficiency').getByText(/Proficiency: 60\.0%/).waitFor();
    await p.close();
  });

  it('the host can open a task’s log on the Learning tab', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state() });
    await fromHost(p, { type: 'didChangeTasks', tasks: TASKS, external: { available: false, reason: null } });
    await fromHost(p, { type: 'showTask', id: 't4' });
    const req = await nextRequest(p, 'taskLog');
    assert.deepEqual(req.params, { taskId: 't4' });
    assert.equal(await p.getByRole('tab', { name: 'Learning' }).getAttribute('aria-selected'), 'true');
    await p.close();
  });

  for (const theme of ['dark', 'light'] as ThemeName[]) {
    it(`Knowledge: lists entries, shows one with its growth chart and next steps, and searches (${theme})`, async () => {
      const p = await harness.open(theme, 1300);
      await openTab(p, 'Knowledge');
      const req = await nextRequest(p, 'knowledge');
      assert.deepEqual(req.params, { technology: null, search: null });
      await answer(p, req.id, [entry('k2', T0, 32), entry('k1', T0 - 7 * 86_400_000, 24)]);
      await p.getByTestId('knowledge-proficiency').getByText(/Proficiency: 80\.0%/).waitFor();
      await p.getByTestId('next-steps').getByText('Practise auth together with oauth').waitFor();
      assert.equal(await p.locator('lv-knowledge lv-chart canvas').count(), 1);
      await p.getByTestId('knowledge-entry').nth(1).click();
      await p.getByTestId('knowledge-proficiency').getByText(/Proficiency: 60\.0%/).waitFor();
      await p.screenshot({ path: join(shots, `knowledge-${theme}.png`), fullPage: true });
      await p.getByLabel('Search knowledge').fill('oauth');
      const search = await nextRequest(p, 'knowledge', req.id);
      assert.deepEqual(search.params, { technology: null, search: 'oauth' });
      await answer(p, search.id, []);
      await p.getByTestId('knowledge-empty').getByText('No knowledge entry matches.').waitFor();
      await p.close();
    });
  }

  it('Knowledge: says what to do when there is none yet', async () => {
    const p = await harness.open();
    await openTab(p, 'Knowledge');
    const req = await nextRequest(p, 'knowledge');
    await answer(p, req.id, []);
    await p.getByTestId('knowledge-empty').getByText('No knowledge yet: a finished learning task writes an entry here.').waitFor();
    await p.close();
  });
});
