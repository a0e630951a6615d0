import * as vscode from 'vscode';
import type { Container } from '../../container';
import { NO_FILTERS } from '../../../shared/filters';
import { showInfo } from '../../notify';
import { sampleFile, deleteSelected } from './deleteSelected';

/** Removes every example Load Sample Data added. */
export async function removeSampleData(container: Container, confirmed?: unknown): Promise<number | undefined> {
  const question = (n: number) => vscode.l10n.t('Remove the {0} sample examples?', n.toLocaleString());
  const deleted = await deleteSelected(container, NO_FILTERS, sampleFile(container).fsPath, question, confirmed);
  if (deleted === 0) void showInfo(vscode.l10n.t('Learning Viewer: no sample data is stored.'));
  else if (deleted !== undefined) void showInfo(vscode.l10n.t('Learning Viewer: removed {0} sample examples.', deleted.toLocaleString()));
  return deleted;
}
