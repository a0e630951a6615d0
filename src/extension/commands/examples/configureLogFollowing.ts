import * as vscode from 'vscode';

export async function configureLogFollowing(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', 'learningViewer.logFiles learningViewer.followLogs');
}
