import * as vscode from 'vscode';
import type { Container } from '../../container';
import { taskIdOf } from './taskArg';

/** Opens the panel's Learning tab on a task's log. */
export async function showTaskLog(container: Container, arg: unknown): Promise<void> {
  const id = taskIdOf(arg);
  if (!id) return;
  await vscode.commands.executeCommand('learningViewer.openDashboard');
  await container.showTaskInPanel(id);
}
