import * as vscode from 'vscode';
import type { Container } from '../container';

/** Learning tasks arrive with the task queue; until then the command says so plainly. */
export async function startLearningTask(container: Container): Promise<void> {
  container.log.info('Start Learning Task was run; learning tasks are not available in this version yet.');
  await vscode.window.showInformationMessage('Learning Viewer: learning tasks are not available in this version yet.');
}
