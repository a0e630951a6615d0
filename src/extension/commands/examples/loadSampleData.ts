import * as vscode from 'vscode';
import { sampleFile } from '../delete/deleteSelected';
import { askModal } from '../../notify';
import type { Container } from '../../container';

/**
 * Asks first, then writes generated sample examples into the extension's storage and imports
 * them; their source marks them as sample data, and Remove Sample Data takes them out again.
 */
export async function loadSampleData(container: Container, confirmed?: unknown): Promise<unknown> {
  if (confirmed !== true) {
    const yes = vscode.l10n.t('Add Sample Data');
    const answer = await askModal(
      vscode.l10n.t('Add 2,000 generated sample examples to this workspace’s learning data?'),
      vscode.l10n.t('They are not your agent’s: the details of each say “sample data”, and Learning Viewer: Remove Sample Data takes them all out again.'),
      yes,
    );
    if (answer !== yes) return undefined;
  }
  const { writeKimiLog } = await import('../../../core/sample/generateExamples');
  const dir = container.context.globalStorageUri;
  await vscode.workspace.fs.createDirectory(dir);
  const file = sampleFile(container);
  await writeKimiLog(file.fsPath, 2000, { days: 60, seed: Date.now() % 100000 });
  return vscode.commands.executeCommand('learningViewer.importLogs', [file]);
}
