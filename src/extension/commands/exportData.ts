import * as vscode from 'vscode';
import type { Container } from '../container';

/** Export arrives with the export feature; until then the command says so plainly. */
export async function exportData(container: Container): Promise<void> {
  container.log.info('Export Data… was run; export is not available in this version yet.');
  await vscode.window.showInformationMessage('Learning Viewer: exporting to CSV, JSON or JSONL is not available in this version yet.');
}
