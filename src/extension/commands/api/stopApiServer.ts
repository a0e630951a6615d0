import * as vscode from 'vscode';
import { showInfo } from '../../notify';
import type { Container } from '../../container';

export async function stopApiServer(c: Container): Promise<boolean> {
  const stopped = await c.api.stop();
  void showInfo(stopped ? vscode.l10n.t('Learning Viewer: the API server stopped.') : vscode.l10n.t('Learning Viewer: the API server was not running.'));
  return stopped;
}
