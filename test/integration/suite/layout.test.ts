import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { LearningViewerApi } from '../../../src/extension/extension';
import { describeChange, rateChange } from '../../../src/core/analytics/statistics';
import type { Filters } from '../../../src/shared/filters';
import { screenshot, webviewClick, webviewFillLabel, webviewLayout, webviewSelect, webviewText } from './bridge';

async function api(): Promise<LearningViewerApi> {
  return vscode.extensions.getExtension<LearningViewerApi>('learning-viewer.learning-viewer')!.activate();
}

/** A local day as a date input takes it (YYYY-MM-DD), `daysAgo` days before today. */
function dateInput(daysAgo: number): string {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Resolves with the shared filters once they satisfy `ok`. */
function filtersWhere(container: LearningViewerApi['container'], ok: (f: Filters) => boolean): Promise<Filters> {
  if (ok(container.filters.filters)) return Promise.resolve(container.filters.filters);
  return new Promise((resolve) => {
    const sub = container.filters.onDidChange(() => {
      if (!ok(container.filters.filters)) return;
      sub.dispose();
      resolve(container.filters.filters);
    });
  });
}

/** Polls the webview until its layout satisfies `ok` (a theme or a size is applied after a frame or two). */
async function layoutWhere(ok: (l: Awaited<ReturnType<typeof webviewLayout>>) => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const l = await webviewLayout();
    if (ok(l)) return l;
    if (Date.now() > deadline) throw new Error(`the panel never became ${what}: ${JSON.stringify(l)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs after the panel suite: the store holds the tree suite's 500 examples over the last 5 days. */
describe('the panel in a real VS Code: a custom range, every width and theme', () => {
  after(async () => {
    const { container } = await api();
    await container.filters.clear();
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.joinAllGroups');
  });

  it('Custom… opens its dates; a range from them shows its change against the days just before', async () => {
    const { container } = await api();
    await container.filters.clear();
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    // The panel keeps its tab: an earlier suite may have left it on Examples (a tree click shows details there).
    await webviewClick('tab', 'Overview');
    await webviewText('card-examples');
    await webviewSelect('Date range', 'custom');
    // The inputs stay open (Custom… once snapped back to a preset); from yesterday to today, local days.
    const start = new Date();
    start.setHours(0, 0, 0, 0);
    start.setDate(start.getDate() - 1);
    const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 2).getTime();
    await webviewFillLabel('From', dateInput(1));
    // The panel has the host's state with that start (from yesterday to the end of today: 2 days) before To is typed:
    // a refresh built before the host applied From may reach the panel after it, and the next edit builds on the state.
    await webviewText('card-success', 'vs the previous 2 days');
    await webviewFillLabel('To', dateInput(0));
    // Choosing Custom… may first send the range it opens with: wait for the one typed.
    const f = await filtersWhere(container, (x) => x.since === start.getTime() && x.until === end);
    // The change the host computes is the one on the card, against the 2 days before.
    const s = await container.data.request('summary', { filters: f });
    assert.ok(s.previous, 'a bounded range has a previous period');
    assert.equal(s.previous.since, f.since! - (f.until! - f.since!));
    const change = rateChange(s.previous.rate, s.rate);
    assert.ok(change, 'both periods have examples');
    const card = await webviewText('card-success', 'vs the previous 2 days');
    assert.ok(card.includes(describeChange(change)), `${card} says ${describeChange(change)}`);
    await screenshot('panel-custom-range');
  });

  it('reads well wide and in a narrow side column, in the light theme and the dark: nothing scrolls sideways', async () => {
    const { container } = await api();
    await container.filters.clear();
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    await webviewClick('tab', 'Overview');
    await webviewText('card-examples', '505');
    // Earlier suites' notifications would cover the panel in the screenshots.
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Light Modern', vscode.ConfigurationTarget.Global);
    const wide = await layoutWhere((l) => l.bodyClass.includes('vscode-light'), 'light');
    assert.ok(wide.clientWidth > 900, `wide: ${wide.clientWidth} px`);
    assert.ok(wide.scrollWidth <= wide.clientWidth, `wide, light: ${wide.scrollWidth} px of content in ${wide.clientWidth}`);
    await screenshot('panel-wide-light');
    // A side column: the panel in a second group a quarter of the editor area wide.
    await vscode.commands.executeCommand('workbench.action.moveEditorToRightGroup');
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 0.75 }, { size: 0.25 }] });
    const narrow = await layoutWhere((l) => l.clientWidth < 576, 'narrow');
    await webviewText('card-examples', '505');
    assert.ok(narrow.scrollWidth <= narrow.clientWidth, `narrow, light: ${narrow.scrollWidth} px of content in ${narrow.clientWidth}`);
    await screenshot('panel-narrow-light');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
    const dark = await layoutWhere((l) => l.bodyClass.includes('vscode-dark'), 'dark');
    assert.ok(dark.scrollWidth <= dark.clientWidth, `narrow, dark: ${dark.scrollWidth} px of content in ${dark.clientWidth}`);
    console.log(`integration: panel widths: wide ${wide.clientWidth} px, side column ${narrow.clientWidth} px`);
    await screenshot('panel-narrow-dark');
  });
});
