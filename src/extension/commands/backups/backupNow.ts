import * as vscode from 'vscode';
import type { Container } from '../../container';
import { showInfo } from '../../notify';
import { inertText } from '../../../shared/plainText';
import type { BackupInfoMessage } from '../../../shared/workerProtocol';
import { size } from './backupText';

export async function backupNow(container: Container): Promise<BackupInfoMessage> {
  const made = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Learning Viewer: backing up…' }, () => container.data.request('backupNow', {}, 0));
  void showInfo(vscode.l10n.t('Learning Viewer: backed up {0} examples ({1}) to {2}.', made.examples.toLocaleString(), size(made.totalBytes), inertText(made.path)));
  return made;
}
