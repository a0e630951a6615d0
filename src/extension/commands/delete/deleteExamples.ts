import * as vscode from 'vscode';
import type { Container } from '../../container';
import { showInfo } from '../../notify';
import { deleteSelected } from './deleteSelected';

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
