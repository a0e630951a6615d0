import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { answer, fromHost, nextRequest, PanelHarness, posted, row, state, type ThemeName } from './panelHarness';

const shots = join(__dirname, '..', '..', 'test-results', 'screenshots');

describe('the panel in Chromium (dist/webview.js)', () => {
  const harness = new PanelHarness();
  before(async () => {
    mkdirSync(shots, { recursive: true });
    await harness.start();
  });
  after(() => harness.stop());

  async function shot(p: Page, name: string) {
    await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }

  it('says ready on load and shows Loading until the host answers', async () => {
    const p = await harness.open();
    await p.getByText('Loading…').waitFor();
    await p.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.deepEqual(await posted(p), [{ type: 'ready' }]);
    await p.close();
  });

  for (const theme of ['dark', 'light'] as ThemeName[]) {
    it(`shows the numbers of the state snapshot (${theme})`, async () => {
      const p = await harness.open(theme);
      await fromHost(p, { type: 'didChangeState', state: state() });
      await p.getByTestId('card-examples').getByTestId('value').getByText('1,234').waitFor();
      assert.equal(await p.getByTestId('card-tokens').getByTestId('value').textContent(), '1,500,000');
      assert.equal(await p.getByTestId('card-time').getByTestId('value').textContent(), '4.25 s');
      await p.getByTestId('tags').getByText('auth').waitFor();
      await p.locator('lv-chart[data-testid="daily-chart"] canvas').waitFor();
      assert.equal(await p.getByTestId('card-success').getByTestId('value').textContent(), '80.0%');
      assert.equal(await p.getByTestId('card-success').getByText(/95% interval 77\.6% – 82\.1%/).count(), 1);
      assert.equal(await p.getByTestId('db-state').textContent(), 'ok');
      await shot(p, `data-${theme}`);
      await p.close();
    });

    it(`shows what to do when there are no examples (${theme})`, async () => {
      const p = await harness.open(theme);
      await fromHost(p, { type: 'didChangeState', state: state({}, { examples: 0, lastImport: null }) });
      await p.getByTestId('empty').waitFor();
      await p.getByRole('button', { name: 'Import KIMI Logs…' }).click();
      assert.deepEqual((await posted(p)).at(-1), { type: 'runCommand', command: 'learningViewer.importLogs' });
      await shot(p, `empty-${theme}`);
      await p.close();
    });
  }

  it('marks a small sample instead of stating its rate as a headline', async () => {
    const p = await harness.open();
    const base = state();
    await fromHost(p, {
      type: 'didChangeState',
      state: state({ summary: { ...base.summary, rate: { total: 4, successes: 3, unknown: 0, rate: 0.75, interval: [0.301, 0.954] } } }, { examples: 4 }),
    });
    await p.getByText(/only 4 examples: between 30\.1% and 95\.4%/).waitFor();
    assert.equal(await p.getByTestId('card-success').getByTestId('value').textContent(), '3 of 4');
    await p.close();
  });

  for (const theme of ['dark', 'light'] as ThemeName[]) it(`shows the read-only state and its reason (${theme})`, async () => {
    const p = await harness.open(theme);
    await fromHost(p, { type: 'didChangeState', state: state({}, { state: 'read-only', reason: 'another window is writing to this workspace' }) });
    await p.getByTestId('banner').getByText('another window is writing').waitFor();
    assert.equal(await p.getByTestId('db-state').textContent(), 'read-only');
    await shot(p, `read-only-${theme}`);
    await p.close();
  });

  for (const [theme, width] of [['dark', 300], ['light', 1100]] as [ThemeName, number][]) {
    it(`on a team database: names it in the header and the footer; out of reach, keeps the figures under a stale banner with Retry (${theme}, ${width} px)`, async () => {
      const p = await harness.open(theme, width);
      const place = { engine: 'postgresql' as const, name: 'ana@db.internal:5432/learning' };
      await fromHost(p, { type: 'didChangeState', state: state({}, { place, connection: { state: 'connected', since: null, reason: null } }) });
      assert.equal(await p.getByTestId('header-place').textContent(), 'Team database: ana@db.internal:5432/learning');
      assert.match((await p.getByTestId('data-place').textContent())!, /Team database: ana@db\.internal:5432\/learning · connected/);
      assert.equal(await p.getByTestId('stale-banner').count(), 0);
      const since = new Date(Date.now() - 12 * 60_000).toISOString();
      await fromHost(p, {
        type: 'didChangeState',
        state: state({}, { place, connection: { state: 'unreachable', since, reason: 'PostgreSQL at ana@db.internal:5432/learning refused the connection: is the server running and listening there?' } }),
      });
      const banner = p.getByTestId('stale-banner');
      await banner.waitFor();
      assert.match((await banner.textContent())!.replace(/\s+/g, ' '), /Team database unreachable since .+\. The figures below are the last read before then \(stale\)\. PostgreSQL at ana@db\.internal:5432\/learning refused/);
      assert.equal(await p.getByTestId('card-success').count(), 1, 'the figures stay');
      const scroll = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(scroll <= 0, `nothing scrolls sideways (${scroll} px)`);
      await shot(p, `team-stale-${theme}-${width}`);
      await banner.getByRole('button', { name: 'Retry now' }).click();
      assert.deepEqual((await posted(p)).at(-1), { type: 'runCommand', command: 'learningViewer.retryTeamDatabase' });
      await p.close();
    });
  }

  it('says when retention removed old examples, and how many', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state({}, { prunedBefore: '2026-11-03T00:00:00.000Z', prunedExamples: 1931 }) });
    const notice = p.getByTestId('pruned');
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /^Examples before .+ removed by retention \(1,931\)$/);
    assert.match((await notice.getAttribute('title')) ?? '', /Per-day figures .* still count them/);
    await p.close();
  });

  it('renders HTML and script in data as text and runs nothing', async () => {
    const p = await harness.open();
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b id="injected">bold</b>';
    await fromHost(p, { type: 'didChangeState', state: state({}, { state: 'read-only', reason: payload }) });
    await p.getByTestId('banner').waitFor();
    assert.equal(await p.getByTestId('banner').textContent(), payload);
    assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await p.locator('#injected').count(), 0);
    assert.equal(await p.locator('lv-app img').count(), 0);
    await p.close();
  });

  it('drops a message that does not match the protocol and keeps what it shows', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state() });
    await p.getByTestId('card-examples').waitFor();
    await fromHost(p, { type: 'didChangeState', state: { health: 'broken' } });
    await fromHost(p, { type: 'somethingElse' });
    await fromHost(p, { type: 'didChangeState', state: state({ version: 2 }, { examples: 99 }) });
    await p.getByTestId('examples-stored').getByText('99 examples stored').waitFor();
    assert.deepEqual((p as Page & { errors: string[] }).errors, []);
    await p.close();
  });

  it('fits a narrow side panel of 300 px without horizontal scrolling', async () => {
    const p = await harness.open('dark', 300);
    await fromHost(p, { type: 'didChangeState', state: state() });
    await p.getByTestId('card-examples').waitFor();
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `scrolls ${overflow} px sideways`);
    await shot(p, 'narrow-dark');
    await p.close();
  });

  for (const theme of ['dark', 'light'] as ThemeName[]) {
    for (const width of [280, 576, 900, 1500]) {
      it(`no table or card overflows its box at ${width} px (${theme}); a rate keeps its interval`, async () => {
        const p = await harness.open(theme, width);
        await fromHost(p, { type: 'didChangeState', state: state() });
        await p.getByTestId('card-examples').waitFor();
        // Every table and card in the Overview, through the shadow roots: its content fits its box.
        // (No named functions inside: the page does not have the bundler's helpers.)
        const overflowing = await p.evaluate(() => {
          const out: string[] = [];
          const roots: (Document | ShadowRoot)[] = [document];
          while (roots.length) {
            for (const el of Array.from(roots.pop()!.querySelectorAll('*'))) {
              if (el.shadowRoot) roots.push(el.shadowRoot);
              if (el.tagName === 'TABLE' || el.classList.contains('card')) {
                const box = el.parentElement ?? el;
                if (el.scrollWidth > box.clientWidth + 1) out.push(`${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}: ${el.scrollWidth} > ${box.clientWidth}`);
              }
            }
          }
          return out;
        });
        assert.deepEqual(overflowing, []);
        assert.equal(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'no sideways scrolling');
        // The per-tag rate shows its interval whichever the width (a column, or under the rate).
        assert.match((await p.getByTestId('tags').locator('tbody tr').first().innerText()).replace(/\s+/g, ' '), /75\.0%.*70\.\d%.79\.\d%/);
        await shot(p, `overview-${theme}-${width}`);
        await p.close();
      });
    }
  }

  for (const [theme, width] of [['dark', 300], ['light', 1100]] as const) {
    it(`with agent sessions: rates over the known outcomes, the unknown ones said beside every rate, and a turn's outcome with its evidence (${theme}, ${width} px)`, async () => {
      const p = await harness.open(theme, width);
      const base = state();
      // 153 turns: 25 succeeded, 15 failed, 113 of unknown outcome.
      const summary = {
        ...base.summary,
        rate: { total: 153, successes: 25, unknown: 113, rate: 25 / 40, interval: [0.47, 0.76] as [number, number] },
        activity: {
          turns: 153,
          toolCalls: 287,
          toolErrors: 12,
          interruptions: 46,
          rejections: 15,
          testTurns: 9,
          testsPassed: 7,
          byAgent: [
            { key: 'codex', turns: 120, toolCalls: 250, toolErrors: 10, interruptions: 40, rejections: 0, testTurns: 9, testsPassed: 7 },
            { key: 'claude-code', turns: 33, toolCalls: 37, toolErrors: 2, interruptions: 6, rejections: 15, testTurns: 0, testsPassed: 0 },
          ],
          byModel: [{ key: 'gpt-5.2', turns: 120, toolCalls: 250, toolErrors: 10, interruptions: 40, rejections: 0, testTurns: 9, testsPassed: 7 }],
        },
      };
      const byTag = [
        { tag: 'agent:codex', total: 120, successes: 20, unknown: 90 },
        { tag: 'agent:claude-code', total: 33, successes: 0, unknown: 33 },
      ];
      await fromHost(p, { type: 'didChangeState', state: state({ summary, byTag }, { examples: 153 }) });
      // Mostly unknown: what is known leads, before the success rate.
      await p.getByTestId('activity').waitFor();
      assert.equal(await p.getByTestId('card-tool-errors').getByTestId('value').textContent(), '4.2%');
      await p.getByTestId('card-tool-errors').getByText('12 of 287 calls').waitFor();
      assert.equal(await p.getByTestId('card-interruptions').getByTestId('value').textContent(), '0.30 · 0.10');
      assert.equal(await p.getByTestId('card-tests').getByTestId('value').textContent(), '77.8%');
      await p.getByTestId('card-tests').getByText('7 of 9 turns where tests ran').waitFor();
      // Per agent: each agent's own figures, and a click filters to its turns.
      const agents = p.getByTestId('activity-agents');
      assert.match(await agents.innerText(), /codex\s+120\s+4\.0%/);
      assert.match(await agents.innerText(), /claude-code\s+33\s+5\.4%/);
      const [activityBox, successBox] = [await p.getByTestId('activity').boundingBox(), await p.getByTestId('card-success').boundingBox()];
      const above = activityBox!.y < successBox!.y;
      assert.ok(above, 'the agent-session figures come before the success rate');
      const card = p.getByTestId('card-success');
      await card.getByText(/of 40 known · 113 unknown · 95% interval 47\.0% – 76\.0%/).waitFor();
      assert.equal(await card.getByTestId('value').textContent(), '62.5%');
      await p.getByTestId('card-examples').getByText('25 succeeded · 15 failed · 113 unknown').waitFor();
      // A tag with no known outcome shows no rate, and says why.
      const tags = p.getByTestId('tags');
      await tags.getByText('agent:claude-code').waitFor();
      // Wide, the interval has a column of its own; narrow, it goes under the rate: the unknown count goes with it.
      assert.match(await tags.innerText(), /agent:codex\s+120\s+66\.7%\s+48\.8%–80\.8% · 90 unknown/);
      assert.match(await tags.innerText(), /agent:claude-code\s+33\s+—\s*(—\s*)?· 33 unknown/);
      await shot(p, `unknown-outcomes-${theme}-${width}`);
      // The examples: an unknown outcome is neither a success nor a failure; the details show the turn's own outcome and why.
      await p.getByRole('tab', { name: 'Examples' }).click();
      const req = await nextRequest(p, 'examplesPage');
      const turn = row(1, {
        id: 'codex:s1:0',
        success: null,
        taskDescription: 'make the tests pass',
        tags: ['agent:codex', 'outcome:interrupted', 'tool:shell'],
        extra: { agent: 'codex', outcome: 'interrupted', outcome_evidence: ['turn_aborted.reason=interrupted', 'shell exit 1 (cargo test)'] },
      });
      await answer(p, req.id, { rows: [turn, row(2)], total: 2 });
      await p.getByTestId('row').first().getByText('? unknown').waitFor();
      await p.getByTestId('row').first().click();
      const detail = await nextRequest(p, 'example');
      await answer(p, detail.id, turn);
      await p.getByTestId('outcome').getByText(/Unknown · the turn interrupted/).waitFor();
      assert.deepEqual(await p.getByTestId('evidence').locator('li').allInnerTexts(), ['turn_aborted.reason=interrupted', 'shell exit 1 (cargo test)']);
      await shot(p, `unknown-outcome-details-${theme}-${width}`);
      await p.close();
    });
  }

  it('filters by an unknown outcome, and says so in the filter chips', async () => {
    const p = await harness.open();
    await fromHost(p, { type: 'didChangeState', state: state() });
    await p.getByLabel('Outcome').selectOption('unknown');
    const sent = (await posted(p)).filter((m) => (m as { type: string }).type === 'setFilters').at(-1) as { filters: { success: unknown } };
    assert.equal(sent.filters.success, 'unknown');
    await p.close();
  });

  it('in a side column, a row click shows the details where the user looks', async () => {
    const p = await harness.open('dark', 400);
    await fromHost(p, { type: 'didChangeState', state: state() });
    await p.getByRole('tab', { name: 'Examples' }).click();
    const req = await nextRequest(p, 'examplesPage');
    await answer(p, req.id, { rows: Array.from({ length: 50 }, (_, i) => row(i)), total: 50 });
    await p.getByTestId('row').nth(40).scrollIntoViewIfNeeded();
    await p.getByTestId('row').nth(40).click();
    const detail = await nextRequest(p, 'example');
    await answer(p, detail.id, row(40, { codeContext: 'x = 1' }));
    await p.getByTestId('details').waitFor();
    await p.waitForFunction(() => {
      const roots: (Document | ShadowRoot)[] = [document];
      let details: Element | null = null;
      while (roots.length && !details) {
        for (const el of Array.from(roots.pop()!.querySelectorAll('*'))) {
          if (el.tagName === 'LV-DETAILS') details = el;
          if (el.shadowRoot) roots.push(el.shadowRoot);
        }
      }
      const r = details?.getBoundingClientRect();
      return r !== undefined && r.top >= 0 && r.top < window.innerHeight;
    });
    await shot(p, 'side-column-details');
    await p.close();
  });
});
