import * as vscode from 'vscode';
import type { Container } from '../../container';
import { exampleId } from './commandArgs';

export async function copyExampleId(_container: Container, ...args: unknown[]): Promise<void> {
  const id = exampleId(args[0]);
  if (!id) return;
  await vscode.env.clipboard.writeText(id);
  void vscode.window.setStatusBarMessage(`Copied example id ${id}`, 3000);
}
