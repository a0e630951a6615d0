import * as vscode from 'vscode';
import { showInfo } from '../notify';
import type { Container } from '../container';
import { guessLanguage } from './guessLanguage';

/** Opens an example's code context in an untitled editor (language guessed); says so when there is none. */
export async function openExampleCode(container: Container, id: string, viewColumn?: vscode.ViewColumn): Promise<void> {
  const example = await container.data.request('example', { id });
  if (!example?.codeContext) {
    void showInfo('Learning Viewer: this example has no code context.');
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ content: example.codeContext, language: guessLanguage(example.codeContext) });
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn });
}
