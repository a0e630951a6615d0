import * as vscode from 'vscode';
import type { Container } from '../../container';
import { askModal, showInfo } from '../../notify';
import { formatWhen } from '../../../shared/dates';
import { KIND_LABEL, size } from './backupText';

/**
 * Offers the backups (date, kind, examples, size), confirms, and restores.
 * `path` (and `confirmed`) let a test or a keybinding skip the questions.
 */
export async function restoreBackup(container: Container, path?: unknown, confirmed?: unknown): Promise<number | undefined> {
  const backups = await container.data.request('backups', {});
  if (backups.length === 0) {
    void showInfo(vscode.l10n.t('Learning Viewer: there is no backup yet. Learning Viewer: Back Up Now makes one; with learningViewer.backup.enabled one is made every day.'));
    return undefined;
  }
  let chosen = typeof path === 'string' ? backups.find((b) => b.path === path) : undefined;
  if (typeof path === 'string' && !chosen) throw new Error(`no backup at ${path}`);
  if (!chosen) {
    const picked = await vscode.window.showQuickPick(
      backups.map((b) => ({
        label: formatWhen(b.createdAt),
        description: KIND_LABEL[b.kind],
        detail: `${b.examples.toLocaleString()} examples · ${size(b.totalBytes)}`,
        backup: b,
      })),
      { title: 'Restore from Backup', placeHolder: 'The learning data goes back to the state of the backup; the current state is backed up first' },
    );
    chosen = picked?.backup;
  }
  if (!chosen) return undefined;
  if (confirmed !== true) {
    const when = formatWhen(chosen.createdAt);
    const answer = await askModal(
      `Restore the learning data to ${when} (${chosen.examples.toLocaleString()} examples)?`,
      'Examples, feedback and tasks added since then are replaced. The current state is backed up first, so this can be undone by restoring that backup.',
      'Restore',
    );
    if (answer !== 'Restore') return undefined;
  }
  const target = chosen;
  const { examples } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Learning Viewer: restoring…' }, () =>
    container.data.request('restoreBackup', { path: target.path }, 0),
  );
  container.log.info(`restored the backup of ${target.createdAt}: ${examples} examples`);
  container.notifyChanged();
  void showInfo(vscode.l10n.t('Learning Viewer: restored the backup of {0}: {1} examples.', formatWhen(target.createdAt), examples.toLocaleString()));
  return examples;
}
