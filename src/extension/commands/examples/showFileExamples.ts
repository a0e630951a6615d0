import * as vscode from 'vscode';
import type { Container } from '../../container';

/** From a file's CodeLens: the panel filtered to the examples whose commits touched that file. */
export async function showFileExamples(c: Container, path: unknown): Promise<void> {
  if (typeof path !== 'string') return;
  await c.filters.set({ file: path });
  await vscode.commands.executeCommand('learningViewer.openDashboard');
}
