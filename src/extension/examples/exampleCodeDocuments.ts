// An example's code context as a read-only document of our own scheme: it opens
// with its language, is never dirty, never asks to be saved, and reads the code
// from the store each time VS Code asks (so a reopened editor shows it again).
import * as vscode from 'vscode';
import type { DataClient } from '../dataClient';
import { guessLanguage } from './guessLanguage';

export const CODE_SCHEME = 'learning-viewer-code';

const EXTENSIONS: Record<string, string> = { python: 'py', rust: 'rs', go: 'go', typescript: 'ts', javascript: 'js', java: 'java', cpp: 'cpp', plaintext: 'txt' };

/** The document's address: a readable name in the tab, the example's id in the query. */
export function codeUri(id: string, language: string): vscode.Uri {
  const name = id.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'example';
  return vscode.Uri.from({ scheme: CODE_SCHEME, path: `/${name}.${EXTENSIONS[language] ?? 'txt'}`, query: new URLSearchParams({ id }).toString() });
}

export class ExampleCodeDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(private readonly data: DataClient) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(CODE_SCHEME, this);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = new URLSearchParams(uri.query).get('id');
    const example = id === null ? null : await this.data.request('example', { id });
    if (!example) return `The example ${JSON.stringify(id)} is no longer stored.`;
    if (example.codeProblem) return `The code of this example cannot be shown: ${example.codeProblem}`;
    return example.codeContext ?? 'This example has no code context.';
  }

  /** Opens an example's code read-only, with the language its code looks like; null when it has none. */
  async open(id: string, viewColumn?: vscode.ViewColumn): Promise<vscode.TextDocument | null> {
    const example = await this.data.request('example', { id });
    if (!example?.codeContext) return null;
    const language = guessLanguage(example.codeContext);
    const doc = await vscode.workspace.openTextDocument(codeUri(id, language));
    const shown = doc.languageId === language ? doc : await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(shown, { preview: true, viewColumn });
    return shown;
  }

  dispose(): void {
    this.registration.dispose();
  }
}
