import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { LearningViewerApi } from '../../../src/extension/extension';
import { CODE_SCHEME } from '../../../src/extension/examples/exampleCodeDocuments';
import { guessLanguage } from '../../../src/extension/examples/guessLanguage';
import { screenshot, webviewClick, webviewClickTestId, webviewFill, webviewSelect, webviewText, workbenchType } from './bridge';

/** Closes the panel if it is open, so the next open is a cold one. */
async function closeDashboard(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Learning Viewer');
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

async function api(): Promise<LearningViewerApi> {
  return vscode.extensions.getExtension<LearningViewerApi>('learning-viewer.learning-viewer')!.activate();
}

/** Runs after the tree suite: the store holds its 500 examples and the 5 of the foundation suite. */
describe('the Learning Viewer panel, in a real VS Code', () => {
  it('shows the card numbers of the known dataset and a table row', async () => {
    const { container } = await api();
    await container.filters.clear();
    await closeDashboard();
    const opened = Date.now();
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    await webviewText('card-examples', '505');
    const t = (await api()).dashboard!.timings;
    console.log(
      `integration: panel open: webview ready ${t.readyMs?.toFixed(0)} ms, first figures sent ${t.firstStateMs?.toFixed(0)} ms, seen through the bridge ${Date.now() - opened} ms (505 examples)`,
    );
    // Expected from the rows, one by one, not from the totals the cards are built from.
    const all = await container.data.request('examplesPage', { limit: 1000 });
    assert.equal(all.total, 505);
    const successes = all.rows.filter((r) => r.success).length;
    const tokens = all.rows.reduce((sum, r) => sum + (r.tokens ?? 0), 0);
    assert.match(await webviewText('card-examples', '505'), new RegExp(`505 ${successes} succeeded`));
    assert.match(await webviewText('card-success'), new RegExp(`${((successes / 505) * 100).toFixed(1)}%`));
    assert.match(await webviewText('card-tokens'), new RegExp(tokens.toLocaleString('en-US')));
    await screenshot('panel-overview');
    await webviewClick('tab', 'Examples');
    const newest = all.rows[0]!;
    assert.match(await webviewText('row', newest.taskDescription ?? newest.id), new RegExp((newest.taskDescription ?? newest.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('edits feedback in the details and the store has it', async () => {
    const { container } = await api();
    const first = (await container.data.request('examplesPage', { limit: 1 })).rows[0]!;
    await webviewClickTestId('row', 0);
    await webviewText('details', first.id);
    await webviewFill('feedback', 'Reviewed in the panel');
    await webviewClick('button', 'Save feedback');
    await webviewText('details', 'Saved.');
    assert.equal((await container.data.request('example', { id: first.id }))!.humanFeedback, 'Reviewed in the panel');
    await screenshot('panel-details');
  });

  it('a filter set in the panel is shared: the tree and the figures follow', async () => {
    const { container } = await api();
    const changed = new Promise<void>((resolve) => {
      const sub = container.filters.onDidChange(() => {
        sub.dispose();
        resolve();
      });
    });
    await webviewSelect('Outcome', 'failure');
    await changed;
    assert.equal(container.filters.filters.success, false);
    assert.match(container.tree.view.description ?? '', /failures/);
    await webviewClick('tab', 'Overview');
    const failures = (await container.data.request('summary', { filters: container.filters.filters })).rate.total;
    assert.match(await webviewText('card-examples', `${failures}`), new RegExp(`^EXAMPLES ${failures}`, 'i'));
    await container.filters.clear();
  });

  it('clicking an example in the tree opens its details in the panel', async () => {
    const { container } = await api();
    const id = 'tree-7';
    await vscode.commands.executeCommand('learningViewer.showExample', id);
    assert.match(await webviewText('details', id), new RegExp(id));
    assert.ok(container);
  });

  it('Open in Editor shows the code read-only (our scheme, its language, never a dirty untitled file); the source opens the log at its line', async () => {
    const { container } = await api();
    const id = 'tree-7';
    const example = (await container.data.request('example', { id }))!;
    assert.ok(example.codeContext && example.source, 'the tree data carries code and its source line');
    const code = editorOpened((e) => e.document.uri.scheme === CODE_SCHEME);
    await webviewClick('button', 'Open in Editor');
    const editor = await code;
    assert.equal(editor.document.getText(), example.codeContext);
    assert.equal(editor.document.isUntitled, false);
    assert.equal(editor.document.isDirty, false);
    assert.equal(editor.document.languageId, guessLanguage(example.codeContext));
    // A person typing into it: nothing changes (an untitled document would take the keys and turn dirty).
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    await workbenchType('typed', 'Enter');
    assert.equal(editor.document.getText(), example.codeContext, 'the code cannot be edited');
    assert.equal(editor.document.isDirty, false);
    const log = editorOpened((e) => e.document.uri.fsPath === example.source!.file);
    await webviewClick('button', `tree-data.jsonl:${example.source.line}`);
    assert.equal((await log).selection.active.line, example.source.line - 1);
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
  });
});

/** The next editor that becomes active and matches. */
function editorOpened(match: (e: vscode.TextEditor) => boolean): Promise<vscode.TextEditor> {
  return new Promise((resolve) => {
    const sub = vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e && match(e)) {
        sub.dispose();
        resolve(e);
      }
    });
  });
}

describe('saved views, in a real VS Code', () => {
  const file = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, '.vscode', 'learning-views.json');

  it('applies a view from .vscode/learning-views.json and saves the current filters as a new one', async () => {
    const { container } = await api();
    await vscode.workspace.fs.writeFile(
      file(),
      Buffer.from(JSON.stringify({ version: 1, views: [{ name: 'Tree-y failures', filters: { tags: ['tree-y'], success: false } }] }, null, 2)),
    );
    assert.equal(await vscode.commands.executeCommand('learningViewer.applySavedView', 'Tree-y failures'), true);
    assert.deepEqual(container.filters.filters.tags, ['tree-y']);
    assert.equal(container.filters.filters.success, false);
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    await webviewText('chip', 'tag: tree-y');
    await container.filters.set({ model: 'TreeModel-B', tags: [], success: null });
    assert.equal(await vscode.commands.executeCommand('learningViewer.saveView', 'Model B'), true);
    const saved = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(file())).toString('utf8')) as { views: { name: string }[] };
    assert.deepEqual(saved.views.map((v) => v.name), ['Model B', 'Tree-y failures']);
    await container.filters.clear();
  });

  it('reports a malformed views file and never overwrites it', async () => {
    const broken = '{"views": [ {"name": "half';
    await vscode.workspace.fs.writeFile(file(), Buffer.from(broken));
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('learningViewer.saveView', 'Another')).then((ok) => {
      if (!ok) throw new Error('not saved');
    }));
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(file())).toString('utf8'), broken);
    assert.match(await webviewText('health', ''), /examples stored/);
    await vscode.workspace.fs.delete(file());
  });
});
