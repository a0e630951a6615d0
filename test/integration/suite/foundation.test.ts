import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LearningViewerApi } from '../../../src/extension/extension';
import { screenshot, webviewText, workbenchShows } from './bridge';
import { daysAgo } from '../../helpers/clock';

const EXTENSION_ID = 'learning-viewer.learning-viewer';

async function api(): Promise<LearningViewerApi> {
  const ext = vscode.extensions.getExtension<LearningViewerApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this VS Code`);
  return ext.activate();
}

describe('foundation, in a real VS Code', () => {
  it('activates', async () => {
    const a = await api();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
    console.log(`integration: activated in ${a.activatedInMs.toFixed(1)} ms`);
  });

  it('registers every contributed command, and contributes every command it registers', async () => {
    await api();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    // VS Code itself registers focus/visibility commands for each view (`<viewId>.focus`…): not ours to contribute.
    const viewIds = ['learningViewer.examples', 'learningViewer.tasks'];
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('learningViewer.') && !viewIds.some((v) => c.startsWith(`${v}.`)))
      .sort();
    assert.deepEqual(registered, contributed);
  });

  it('Get Started opens the walkthrough: logs, the dashboard, the figures, a learning task', async () => {
    await vscode.commands.executeCommand('learningViewer.openWalkthrough');
    await workbenchShows('Get Started with Learning Viewer');
    for (const step of ["Follow or import KIMI's logs", 'Open the dashboard', 'Read the figures', 'Start a learning task']) await workbenchShows(step);
    await screenshot('walkthrough');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('keeps its database under the workspace storage folder', async () => {
    const a = await api();
    const storage = a.container.context.storageUri;
    assert.ok(storage, 'a folder is open, so there is workspace storage');
    assert.ok(a.container.dataDir.startsWith(storage.fsPath), `${a.container.dataDir} is under ${storage.fsPath}`);
    const userData = process.env.LV_TEST_USER_DATA;
    if (userData) assert.ok(storage.fsPath.startsWith(join(userData, 'User', 'workspaceStorage')), storage.fsPath);
    const health = await a.container.data.opened;
    assert.equal(health.state, 'ok');
  });

  it('shows the welcome view in the empty Examples tree', async () => {
    await api();
    await vscode.commands.executeCommand('workbench.view.extension.learningViewer');
    await workbenchShows('No learning examples yet. Import the JSON Lines logs');
    await screenshot('examples-welcome');
  });

  it('opens the dashboard, whose webview shows the state from the host', async () => {
    const a = await api();
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    assert.equal(await webviewText('examples-stored'), '0 examples stored');
    assert.equal(await webviewText('db-state'), 'ok');
    await webviewText('empty');
    await screenshot('dashboard-empty');
    // A second open reveals the same panel rather than making another.
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    const panels = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Learning Viewer');
    assert.equal(panels.length, 1);
    assert.ok(a.container);
  });

  it('imports a KIMI log through the command and the panel shows the new numbers', async () => {
    const a = await api();
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = join(workspace, 'exported.jsonl');
    const lines = [
      { id: 'i1', timestamp: daysAgo(1, 10), success: true, tags: ['auth'] },
      { id: 'i2', timestamp: daysAgo(1, 11), success: true, tags: ['auth'] },
      { id: 'i3', timestamp: daysAgo(1, 12), success: false, tags: ['api'] },
    ];
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n{broken\n'));
    const report = (await vscode.commands.executeCommand('learningViewer.importLogs', [vscode.Uri.file(file)])) as { added: number; rejected: number };
    assert.deepEqual([report.added, report.rejected], [3, 1]);
    assert.equal(await webviewText('examples-stored', '3 examples'), '3 examples stored');
    // 2 of 3: Wilson 95% interval 20.8%–93.9% (see the unit tests for where that comes from).
    assert.match(await webviewText('card-success'), /2 of 3.*only 3 examples: between 20\.8% and 93\.9%/);
    await screenshot('dashboard-data');
    assert.ok(a.container.statusBar.item.text.includes('66.7%'), a.container.statusBar.item.text);
  });

  it('follows learning_logs.jsonl as lines are appended', async () => {
    const a = await api();
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = join(workspace, 'learning_logs.jsonl');
    const before = await a.container.data.request('summary', {});
    const changed = new Promise<void>((resolve) => {
      const sub = a.container.onDidChangeData(async () => {
        const s = await a.container.data.request('summary', {});
        if (s.rate.total === before.rate.total + 2) {
          sub.dispose();
          resolve();
        }
      });
    });
    const started = Date.now();
    await vscode.workspace.fs.writeFile(
      vscode.Uri.file(file),
      Buffer.from(
        [
          { id: 'f1', timestamp: daysAgo(0, 0, 0), success: true },
          { id: 'f2', timestamp: daysAgo(0, 0, 1), success: true },
        ]
          .map((l) => JSON.stringify(l))
          .join('\n') + '\n',
      ),
    );
    await changed;
    console.log(`integration: appended lines stored in ${Date.now() - started} ms`);
    assert.ok(readFileSync(file, 'utf8').length > 0);
    assert.equal(await webviewText('examples-stored', `${before.rate.total + 2} examples`), `${before.rate.total + 2} examples stored`);
  });
});
