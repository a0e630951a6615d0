import * as vscode from 'vscode';
import type { Container } from '../../container';

export async function clearFinishedTasks(container: Container): Promise<void> {
  const n = await container.tasks.clearFinished();
  vscode.window.setStatusBarMessage(`Learning Viewer: ${n} finished ${n === 1 ? 'task' : 'tasks'} cleared`, 3000);
}
