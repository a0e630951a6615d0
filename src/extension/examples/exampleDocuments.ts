import * as vscode from 'vscode';
import type { Container } from '../container';
import { toKimiRecord } from '../../core/export/kimiRecord';

/** Read-only documents `learning-viewer-example:/<id>.json`: one example, every field, as KIMI wrote it. */
export function registerExampleDocuments(container: Container): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider('learning-viewer-example', {
    async provideTextDocumentContent(uri) {
      const id = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.json$/, ''));
      const example = await container.data.request('example', { id });
      return example ? `${JSON.stringify(toKimiRecord(example), null, 2)}\n` : `// No example with id ${id} is stored.\n`;
    },
  });
}
