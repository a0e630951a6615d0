import * as vscode from 'vscode';
import type { Container } from '../../container';
import { exampleId } from './commandArgs';

/** Shows one example, every field, as a read-only JSON document. */
export async function showExampleJson(_container: Container, ...args: unknown[]): Promise<void> {
  const id = exampleId(args[0]);
  if (!id) return;
  const uri = vscode.Uri.from({ scheme: 'learning-viewer-example', path: `/${encodeURIComponent(id)}.json` });
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
}
