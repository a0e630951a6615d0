import * as vscode from 'vscode';
import { showInfo } from '../../notify';
import type { Container } from '../../container';

export async function startApiServer(c: Container): Promise<string> {
  const url = await c.api.start();
  void showInfo(c.api.status?.requireToken ? vscode.l10n.t('Learning Viewer: the API server listens on {0} (tokens required: Learning Viewer: Create API Token…).', url) : vscode.l10n.t('Learning Viewer: the API server listens on {0}.', url));
  return url;
}
