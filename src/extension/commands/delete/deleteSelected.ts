// Delete Examples… (the current filters) and Remove Sample Data: a count, a
// confirmation, then the deletion in the data worker with progress; every
// slice is journalled like any other write.
import * as vscode from 'vscode';
import type { Container } from '../../container';
import { type Filters } from '../../../shared/filters';
import { SAMPLE_FILE_NAME } from '../../../shared/example';
import { askModal } from '../../notify';

/** Where Load Sample Data writes the sample log: its examples keep it as their source. */
export function sampleFile(container: Container): vscode.Uri {
  return vscode.Uri.joinPath(container.context.globalStorageUri, SAMPLE_FILE_NAME);
}

export async function deleteSelected(container: Container, filters: Filters, sourcePath: string | null, question: (n: number) => string, confirmed: unknown): Promise<number | undefined> {
  const { examples } = await container.data.request('countForDelete', { filters, sourcePath });
  if (examples === 0) return 0;
  if (confirmed !== true) {
    const detail = vscode.l10n.t(
      'They go from every view and every figure (their per-day counts too). Restore from Backup brings back an earlier state; the log files are not changed, and a followed file is not read again.',
    );
    const yes = vscode.l10n.t('Delete');
    if ((await askModal(question(examples), detail, yes)) !== yes) return undefined;
  }
  const { deleted } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Learning Viewer: deleting {0} examples…', examples.toLocaleString()) }, () =>
    container.data.request('deleteExamples', { filters, sourcePath }, 0),
  );
  container.log.info(`deleted ${deleted} examples${sourcePath ? ` read from ${sourcePath}` : ''}`);
  container.notifyChanged();
  return deleted;
}
