// Alerts as a user meets them in VS Code: a real drop in one technology raises
// one notification (not one per check), Open in Dashboard shows the alert and
// the examples it is about.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { daysAgo } from '../../helpers/clock';
import { notificationClick, notificationShows, screenshot, webviewText } from './bridge';
import { api } from './extensionApi';

describe('alerts, in a real VS Code', () => {
  const config = () => vscode.workspace.getConfiguration('learningViewer');

  after(async () => {
    await config().update('alerts.rules', undefined, vscode.ConfigurationTarget.Global);
    await config().update('alerts.enabled', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('learningViewer.clearFilters');
  });

  it('a significant drop raises one notification after two checks; Open in Dashboard shows the alert and filters to its tag', async () => {
    const { container } = await api();
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = join(workspace, 'alerting.jsonl');
    const lines: string[] = [];
    // 80% over the four weeks before the last week, 30% in it: 220 and 50 examples.
    for (let day = 8; day <= 29; day++) for (let i = 0; i < 10; i++) lines.push(JSON.stringify({ id: `alerting-${day}-${i}`, timestamp: daysAgo(day, 10, i), success: i < 8, tags: ['alerting'] }));
    for (let day = 1; day <= 5; day++) for (let i = 0; i < 10; i++) lines.push(JSON.stringify({ id: `alerting-${day}-${i}`, timestamp: daysAgo(day, 10, i), success: i < 3, tags: ['alerting'] }));
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(lines.join('\n') + '\n'));
    const report = (await vscode.commands.executeCommand('learningViewer.importLogs', [vscode.Uri.file(file)])) as { added: number };
    assert.equal(report.added, 270);

    await config().update('alerts.enabled', true, vscode.ConfigurationTarget.Global);
    await config().update('alerts.rules', [{ id: 'alerting-drop', kind: 'successDrop', scope: 'tag', subject: 'alerting' }], vscode.ConfigurationTarget.Global);
    // The change reaches the worker through the settings listener too; this waits for it to be applied (no first check on a timer here).
    const applied = await container.alerts.configure(3_600_000);
    assert.deepEqual(
      applied.rules.map((r) => r.id),
      ['alerting-drop'],
    );

    const first = (await vscode.commands.executeCommand('learningViewer.checkAlerts')) as { fired: number; checked: number };
    assert.deepEqual([first.fired, first.checked], [0, 1], 'one check is not enough');
    // Earlier suites' notifications off the screen: the alert's toast is the one on top.
    await vscode.commands.executeCommand('notifications.clearAll');
    const second = (await vscode.commands.executeCommand('learningViewer.checkAlerts')) as { fired: number };
    assert.equal(second.fired, 1);
    await notificationShows('Success rate of tag alerting down 50 points: 80% → 30% on 50 examples');
    await notificationClick('tag alerting down 50 points', 'Open in Dashboard');
    const third = (await vscode.commands.executeCommand('learningViewer.checkAlerts')) as { fired: number };
    assert.equal(third.fired, 0, 'it holds; it does not fire again');

    await webviewText('alerts-active', 'Success rate of tag alerting down 50 points');
    await webviewText('alerts-history', 'firing');
    assert.deepEqual(container.filters.filters.tags, ['alerting']);
    assert.ok(container.filters.filters.since !== null, "the filters show the alert's window");
    await screenshot('alerts');

    const overview = await container.data.request('alerts', {});
    assert.equal(overview.active.length, 1);
    assert.match(overview.active[0]!.detail, /p < 0\.001/);
    await vscode.workspace.fs.delete(vscode.Uri.file(file));
  });
});
