import * as vscode from 'vscode';
import { showInfo } from '../notify';
import type { Container } from '../container';

/** Opens an example's code context read-only (our own scheme, language detected); says so when there is none. */
export async function openExampleCode(container: Container, id: string, viewColumn?: vscode.ViewColumn): Promise<void> {
  if (!(await container.codeDocuments.open(id, viewColumn))) void showInfo(vscode.l10n.t('Learning Viewer: this example has no code context.'));
}

/** Opens the log file an example was imported from, at its line; says so when the file is gone. */
export async function openExampleSource(container: Container, id: string): Promise<void> {
  const example = await container.data.request('example', { id });
  if (!example?.source) {
    void showInfo(vscode.l10n.t('Learning Viewer: this example did not come from a file (it was posted or written by a learner).'));
    return;
  }
  const uri = vscode.Uri.file(example.source.file);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void showInfo(vscode.l10n.t('Learning Viewer: the log {0} is no longer there.', example.source.file));
    return;
  }
  const line = Math.max(0, example.source.line - 1);
  await vscode.window.showTextDocument(uri, { preview: true, selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.Beside });
}
