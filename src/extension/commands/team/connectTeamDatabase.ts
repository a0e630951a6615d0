import * as vscode from 'vscode';
import type { Container } from '../../container';
import { askForTeamDatabase } from '../../team/teamDatabase';
import { showError, showInfo } from '../../notify';
import type { Health } from '../../../shared/example';

/** Connect to Team Database…: asks, keeps the password in SecretStorage, and switches every view to it. */
export async function connectTeamDatabase(c: Container): Promise<boolean> {
  if (!(await askForTeamDatabase(c.context))) return false;
  const health: Health | Error = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Learning Viewer: connecting to the team database…' },
    // The settings' change may have switched already: then the health of what is open.
    async () => (await c.switchData()) ?? c.data.request('health', {}).catch((e: Error) => e),
  );
  const problem = health instanceof Error ? health.message : health.state === 'unavailable' ? (health.reason ?? 'the team database could not be opened') : null;
  if (problem || health instanceof Error) {
    void showError(`Learning Viewer: ${problem}`, "Use This Workspace's Database", 'Connect to Team Database…').then((choice) => {
      if (choice === "Use This Workspace's Database") void vscode.commands.executeCommand('learningViewer.useWorkspaceDatabase');
      if (choice === 'Connect to Team Database…') void vscode.commands.executeCommand('learningViewer.connectTeamDatabase');
    });
    return false;
  }
  void showInfo(`Learning Viewer: connected to the team database ${health.place.name} (${health.examples.toLocaleString()} examples). This workspace's followed logs are read into it.`);
  return true;
}
