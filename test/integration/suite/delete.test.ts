import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { LearningViewerApi } from '../../../src/extension/extension';
import { NO_FILTERS } from '../../../src/shared/filters';
import { sampleFile } from '../../../src/extension/commands/delete/deleteSelected';

async function api(): Promise<LearningViewerApi> {
  return vscode.extensions.getExtension<LearningViewerApi>('learning-viewer.learning-viewer')!.activate();
}

/**
 * Runs a command whose modal question is answered with `answer`: VS Code refuses to show a modal
 * dialog while extension tests run, so the question is taken here, as a person would read it.
 */
async function answering<T>(answer: string | undefined, run: () => Thenable<T>): Promise<{ result: T; asked: string[] }> {
  const window = vscode.window as unknown as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
  const original = window.showWarningMessage;
  const asked: string[] = [];
  window.showWarningMessage = (message: unknown, options: unknown, ...items: unknown[]) => {
    if (typeof options === 'object' && options !== null && (options as { modal?: boolean }).modal) {
      asked.push(String(message));
      return Promise.resolve(items.includes(answer) ? answer : undefined);
    }
    return original(message, options, ...items);
  };
  try {
    return { result: await run(), asked };
  } finally {
    window.showWarningMessage = original;
  }
}

/** Runs last: it deletes the tree suite's tree-y examples. */
describe('Delete Examples… and sample data, in a real VS Code', () => {
  it('Load Sample Data asks first; its examples are known by their source; Remove Sample Data asks and takes them all out', async function () {
    this.timeout(120_000);
    const { container } = await api();
    await container.filters.clear();
    const total = async () => (await container.data.request('summary', {})).rate.total;
    const before = await total();
    const declined = await answering(undefined, () => vscode.commands.executeCommand('learningViewer.loadSampleData'));
    assert.match(declined.asked[0] ?? '', /^Add 2,000 generated sample examples/);
    assert.equal(await total(), before, 'nothing is added without a yes');
    const load = await answering('Add Sample Data', () => vscode.commands.executeCommand('learningViewer.loadSampleData'));
    assert.equal(load.asked.length, 1);
    assert.equal(await total(), before + 2000);
    const sample = sampleFile(container).fsPath;
    assert.equal((await container.data.request('countForDelete', { filters: NO_FILTERS, sourcePath: sample })).examples, 2000);
    const removed = await answering('Delete', () => vscode.commands.executeCommand('learningViewer.removeSampleData') as Thenable<number | undefined>);
    assert.deepEqual(removed.asked, ['Remove the 2,000 sample examples?']);
    assert.equal(removed.result, 2000);
    assert.equal(await total(), before, 'the agent’s own examples are all still there');
  });

  it('Delete Examples… says how many the filters select and asks; Cancel keeps them, Delete removes them from every figure', async () => {
    const { container } = await api();
    await container.filters.set({ tags: ['tree-y'] });
    const selected = async () => (await container.data.request('summary', { filters: container.filters.filters })).rate.total;
    assert.equal(await selected(), 50, 'the tree suite’s tree-y examples');
    const kept = await answering(undefined, () => vscode.commands.executeCommand('learningViewer.deleteExamples') as Thenable<number | undefined>);
    assert.deepEqual(kept.asked, ['Delete the 50 examples selected by the current filters (tag tree-y)?']);
    assert.equal(kept.result, undefined);
    assert.equal(await selected(), 50);
    const deleted = await answering('Delete', () => vscode.commands.executeCommand('learningViewer.deleteExamples') as Thenable<number | undefined>);
    assert.equal(deleted.result, 50);
    assert.equal(await selected(), 0);
    assert.equal((await container.data.request('breakdowns', {})).byTag.find((t) => t.tag === 'tree-y'), undefined, 'the per-tag figures no longer count them');
    await container.filters.clear();
  });
});
