// Delete Examples… (the current filters) and Remove Sample Data: a count, a
// confirmation, then the deletion in the data worker with progress; every
// slice is journalled like any other write.
import * as vscode from 'vscode';
import type { Container } from '../container';
import { NO_FILTERS, type Filters } from '../../shared/filters';
import { SAMPLE_FILE_NAME } from '../../shared/example';
import { askModal, showInfo } from '../notify';

/** Where Load Sample Data writes the sample log: its examples keep it as their source. */
export function sampleFile(container: Container): vscode.Uri {
  return vscode.Uri.joinPath(container.context.globalStorageUri, SAMPLE_FILE_NAME);
}

async function deleteSelected(container: Container, filters: Filters, sourcePath: string | null, question: (n: number) => string, confirmed: unknown): Promise<number | undefined> {
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

/** Deletes the examples the current filters select, after saying how many and asking. `confirmed` lets a test skip the question. */
export async function deleteExamples(container: Container, confirmed?: unknown): Promise<number | undefined> {
  const filters = container.filters.filters;
  const question = (n: number) =>
    container.filters.active
      ? vscode.l10n.t('Delete the {0} examples selected by the current filters ({1})?', n.toLocaleString(), container.filters.describe())
      : vscode.l10n.t('Delete the {0} examples stored (no filter is set)?', n.toLocaleString());
  const deleted = await deleteSelected(container, filters, null, question, confirmed);
  if (deleted === 0) void showInfo(vscode.l10n.t('Learning Viewer: no example matches the current filters; nothing was deleted.'));
  else if (deleted !== undefined) void showInfo(vscode.l10n.t('Learning Viewer: deleted {0} examples.', deleted.toLocaleString()));
  return deleted;
}

/** Removes every example Load Sample Data added. */
export async function removeSampleData(container: Container, confirmed?: unknown): Promise<number | undefined> {
  const question = (n: number) => vscode.l10n.t('Remove the {0} sample examples?', n.toLocaleString());
  const deleted = await deleteSelected(container, NO_FILTERS, sampleFile(container).fsPath, question, confirmed);
  if (deleted === 0) void showInfo(vscode.l10n.t('Learning Viewer: no sample data is stored.'));
  else if (deleted !== undefined) void showInfo(vscode.l10n.t('Learning Viewer: removed {0} sample examples.', deleted.toLocaleString()));
  return deleted;
}
