import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LearningViewerApi } from '../../../src/extension/extension';
import { screenshot, webviewClick, webviewSelect, webviewText } from './bridge';

async function api(): Promise<LearningViewerApi> {
  return vscode.extensions.getExtension<LearningViewerApi>('learning-viewer.learning-viewer')!.activate();
}

describe('the Analytics tab, in a real VS Code', () => {
  // A known dataset: model Alpha succeeds 40 times in 100, Beta 70 in 100, over the last three days.
  before(async () => {
    const records = Array.from({ length: 200 }, (_, i) => ({
      id: `ab-${i}`,
      timestamp: new Date(Date.now() - (i % 3) * 86_400_000 - 3_600_000).toISOString(),
      success: i < 100 ? i % 10 < 4 : i % 10 < 7,
      model_used: i < 100 ? 'Alpha' : 'Beta',
      tags: ['ab-test'],
      tokens_consumed: 100,
    }));
    const file = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'ab-data.jsonl');
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    const report = (await vscode.commands.executeCommand('learningViewer.importLogs', [vscode.Uri.file(file)])) as { added: number };
    assert.equal(report.added, 200);
  });

  it('compares two models and gives the verdict the counts support', async () => {
    const { container } = await api();
    await container.filters.clear();
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    await webviewClick('tab', 'Analytics');
    await webviewText('trend-statement');
    await webviewSelect('Model A', 'Alpha');
    await webviewSelect('Model B', 'Beta');
    // 40/100 against 70/100: pooled z = 4.26, two-sided p = 2.0e-5.
    const verdict = await webviewText('ab-verdict', 'Beta');
    assert.equal(verdict, 'Beta is better by 30.0 points, p < 0.001 (two-proportion z test).');
    await webviewSelect('A/B tag', 'ab-test');
    assert.equal(await webviewText('ab-verdict', 'Beta'), 'Beta is better by 30.0 points, p < 0.001 (two-proportion z test).');
    assert.match(await webviewText('ab'), /Alpha 100 40\.0%/);
    await screenshot('panel-analytics');
  });
});
