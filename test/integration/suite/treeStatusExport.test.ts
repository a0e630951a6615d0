import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LearningViewerApi } from '../../../src/extension/extension';
import type { Node } from '../../../src/extension/examples/examplePages';
import { generateKimiRecords } from '../../../src/core/sample/generateExamples';
import { localDay } from '../../../src/shared/series';
import { localDayStart } from '../../../src/core/queries/rollupPlan';
import { screenshot, workbenchShows } from './bridge';

async function api(): Promise<LearningViewerApi> {
  return vscode.extensions.getExtension<LearningViewerApi>('learning-viewer.learning-viewer')!.activate();
}

type Group = Extract<Node, { kind: 'group' }>;

describe('Examples tree, status bar and export, in a real VS Code', () => {
  // A known dataset: 450 examples of "TreeModel" tagged tree-x, 50 of "TreeModel-B", all in the last 5 days.
  const records = [...generateKimiRecords(500, { seed: 99, days: 5, end: Date.now() - 60_000 })].map((r, i) => ({
    ...r,
    id: `tree-${i}`,
    model_used: i < 450 ? 'TreeModel' : 'TreeModel-B',
    tags: i < 450 ? ['tree-x'] : ['tree-y'],
  })) as unknown as (Record<string, unknown> & { id: string; success: boolean })[];

  before(async () => {
    const a = await api();
    await a.container.data.opened;
    const file = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'tree-data.jsonl');
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    const report = (await vscode.commands.executeCommand('learningViewer.importLogs', [vscode.Uri.file(file)])) as { added: number };
    assert.equal(report.added, 500);
  });

  it('groups by model with the right counts, and pages a large group 200 at a time', async () => {
    const { container } = await api();
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'model');
    const roots = (await container.tree.getChildren()) as Group[];
    const group = roots.find((g) => g.key === 'TreeModel')!;
    assert.equal(group.total, 450);
    assert.equal(group.successes, records.slice(0, 450).filter((r) => r.success).length);
    assert.equal(roots.find((g) => g.key === 'TreeModel-B')!.total, 50);
    let children = await container.tree.getChildren(group);
    assert.equal(children.filter((c) => c.kind === 'example').length, 200);
    const more = children.at(-1)!;
    assert.equal(more.kind, 'more');
    await vscode.commands.executeCommand('learningViewer.loadMore', more);
    children = await container.tree.getChildren(group);
    assert.equal(children.filter((c) => c.kind === 'example').length, 400);
    await vscode.commands.executeCommand('learningViewer.loadMore', children.at(-1));
    children = await container.tree.getChildren(group);
    assert.equal(children.filter((c) => c.kind === 'example').length, 450);
    assert.equal(children.some((c) => c.kind === 'more'), false, 'no Load more once all are shown');
    await vscode.commands.executeCommand('workbench.view.extension.learningViewer');
    await container.tree.view.reveal(group, { expand: true, focus: true });
    // The tree is virtualised: only what is on screen is in the page.
    await workbenchShows('450 ·');
    await screenshot('tree-by-model');
  });

  it('groups by tag and by outcome', async () => {
    const { container } = await api();
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'tag');
    const byTag = (await container.tree.getChildren()) as Group[];
    assert.equal(byTag.find((g) => g.key === 'tree-x')!.total, 450);
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'outcome');
    const byOutcome = (await container.tree.getChildren()) as Group[];
    const all = (await container.data.request('summary', {})).rate;
    assert.equal(byOutcome.find((g) => g.key === 'success')!.total, all.successes);
    assert.equal(byOutcome.find((g) => g.key === 'failure')!.total, all.total - all.successes);
  });

  it('copies an id, edits feedback, filters by a group and clears it', async () => {
    const { container } = await api();
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'tag');
    const group = ((await container.tree.getChildren()) as Group[]).find((g) => g.key === 'tree-y')!;
    const first = (await container.tree.getChildren(group))[0]!;
    assert.equal(first.kind, 'example');
    await vscode.commands.executeCommand('learningViewer.copyExampleId', first);
    const id = (first as Extract<Node, { kind: 'example' }>).example.id;
    assert.equal(await vscode.env.clipboard.readText(), id);
    assert.equal(await vscode.commands.executeCommand('learningViewer.editFeedback', first, 'checked by hand'), true);
    assert.equal((await container.data.request('example', { id }))!.humanFeedback, 'checked by hand');

    await vscode.commands.executeCommand('learningViewer.filterByGroup', group);
    assert.deepEqual(container.filters.filters.tags, ['tree-y']);
    const filtered = (await container.tree.getChildren()) as Group[];
    assert.deepEqual(
      filtered.map((g) => g.key),
      ['tree-y'],
    );
    assert.match(container.tree.view.description ?? '', /filtered: tag tree-y/);
    await vscode.commands.executeCommand('learningViewer.clearFilters');
    assert.equal(container.filters.active, false);
    assert.ok(((await container.tree.getChildren()) as Group[]).length > 1);
  });

  it('status bar: the last 7 days’ rate, and its colour under the thresholds', async () => {
    const { container } = await api();
    // Expected from the rows themselves (not the rollups the item reads).
    const since = localDayStart(localDay(Date.now()) - 6);
    const rows = await container.data.request('examplesPage', { filters: { since }, limit: 1000 });
    const rate = (rows.rows.filter((r) => r.success).length / rows.rows.length) * 100;
    await container.statusBar.update();
    assert.ok(container.statusBar.item.text.startsWith(`$(pass) ${rate.toFixed(1)}%`), container.statusBar.item.text);
    const config = vscode.workspace.getConfiguration('learningViewer');
    await config.update('statusBar.warningBelow', 0.999, vscode.ConfigurationTarget.Workspace);
    await container.statusBar.update();
    assert.equal((container.statusBar.item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.warningBackground');
    await config.update('statusBar.errorBelow', 0.999, vscode.ConfigurationTarget.Workspace);
    await container.statusBar.update();
    assert.equal((container.statusBar.item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.errorBackground');
    await screenshot('status-bar-error');
    await config.update('statusBar.errorBelow', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('statusBar.warningBelow', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('exports a group to CSV and the file reads back with every example', async () => {
    const { container } = await api();
    const target = vscode.Uri.file(join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'tree-y.csv'));
    const result = (await vscode.commands.executeCommand('learningViewer.exportData', {
      format: 'csv',
      target,
      filters: { tags: ['tree-y'] },
    })) as { written: number };
    assert.equal(result.written, 50);
    const lines = readFileSync(target.fsPath, 'utf8').trimEnd().split('\r\n');
    assert.ok(lines[0]!.startsWith('id,timestamp,success,model_used'));
    assert.equal(lines.length, 51);
    const ids = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    assert.deepEqual([...ids].sort(), records.slice(450).map((r) => r.id).sort());
    assert.ok(container.filters.active === false, 'exporting a scope does not change the shared filters');
  });
});
