// Backups as a user makes and uses them in VS Code: Back Up Now, a mistake
// (examples imported that should not be there), Restore from Backup… brings the
// earlier counts back in the panel.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatCount } from '../../../src/webview/format';
import type { BackupInfoMessage } from '../../../src/shared/workerProtocol';
import { daysAgo } from '../../helpers/clock';
import { webviewText } from './bridge';
import { api, untilData } from './extensionApi';

describe('backups, in a real VS Code', () => {
  it('Back Up Now, then an import, then Restore from Backup… brings the earlier count back in the panel and the status bar', async () => {
    const { container } = await api();
    const before = (await container.data.request('health', {})).examples;
    const made = (await vscode.commands.executeCommand('learningViewer.backupNow')) as BackupInfoMessage;
    assert.equal(made.examples, before);

    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = join(workspace, 'mistake.jsonl');
    const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ id: `mistake-${i}`, timestamp: daysAgo(0, 7, i), success: false, tags: ['mistake'] }));
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(lines.join('\n') + '\n'));
    const report = (await vscode.commands.executeCommand('learningViewer.importLogs', [vscode.Uri.file(file)])) as { added: number };
    assert.equal(report.added, 25);
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    await webviewText('examples-stored', `${formatCount(before + 25)} examples stored`);

    const restored = (await vscode.commands.executeCommand('learningViewer.restoreBackup', made.path, true)) as number;
    assert.equal(restored, before);
    await webviewText('examples-stored', `${formatCount(before)} examples stored`);
    await container.statusBar.update();
    assert.match((container.statusBar.item.tooltip as vscode.MarkdownString).value, new RegExp(`${before.toLocaleString().replace(/\./g, '\\.')} examples stored`));
    const backups = await container.data.request('backups', {});
    assert.ok(backups.some((b) => b.kind === 'before-restore' && b.examples === before + 25), 'the replaced state is backed up');
    await vscode.workspace.fs.delete(vscode.Uri.file(file));
  });

  it('a retention period removes the old examples after a backup; the panel and the Examples view say how many, before which date', async () => {
    const { container } = await api();
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = join(workspace, 'old.jsonl');
    const lines = Array.from({ length: 4 }, (_, i) => JSON.stringify({ id: `old-${i}`, timestamp: daysAgo(200 + i, 9), success: i > 0, tags: ['ancient'] }));
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(lines.join('\n') + '\n'));
    assert.equal(((await vscode.commands.executeCommand('learningViewer.importLogs', [vscode.Uri.file(file)])) as { added: number }).added, 4);
    const config = vscode.workspace.getConfiguration('learningViewer');
    await config.update('retention.days', 180, vscode.ConfigurationTarget.Global);
    await untilData(async () => (await container.data.request('health', {})).prunedExamples >= 4);
    assert.equal(await container.data.request('example', { id: 'old-0' }), null);
    await container.tree.getChildren();
    assert.match(container.tree.view.message ?? '', /^Retention removed \d[\d,.]* examples dated before .*: groups still count them/);
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    await webviewText('pruned', 'removed by retention');
    const backups = await container.data.request('backups', {});
    assert.ok(backups.some((b) => b.kind === 'before-prune'), 'a backup was made first');
    await config.update('retention.days', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.delete(vscode.Uri.file(file));
  });
});
