// Git in the editor: the workspace folder's repository is read in the data
// worker (git in child processes) after the data changes and every few
// minutes; a CodeLens at the top of a file says how the examples that touched
// it fared, by KIMI's word and by git's; Open Commit shows `git show`
// read-only.
import { UNKNOWN } from '../../shared/figures';
import * as vscode from 'vscode';
import { relative, sep } from 'node:path';
import type { Container } from '../container';
import { gitOk } from '../../core/git/gitCommand';
import { showError } from '../notify';
import type { GitRefresh } from '../../shared/git';
import { rateOfRow } from '../../core/analytics/successRate';

export const COMMIT_SCHEME = 'learning-viewer-commit';
const REFRESH_MS = 5 * 60_000;

/** A rate over the known outcomes, "—" without one. */
function percent(successes: number, total: number, unknown = 0): string {
  const rate = rateOfRow({ successes, total, unknown }).rate;
  return rate === null ? UNKNOWN : `${Math.round(rate * 100)}%`;
}

export class GitControl implements vscode.Disposable, vscode.CodeLensProvider, vscode.TextDocumentContentProvider {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly commits = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<GitRefresh | null> | null = null;
  private last: GitRefresh | null = null;
  /** The repository's top folder (the workspace folder may be inside it): git's paths are relative to it. */
  private top: string | null = null;

  constructor(private readonly c: Container) {
    this.disposables.push(
      this.lensesChanged,
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.workspace.registerTextDocumentContentProvider(COMMIT_SCHEME, this),
      c.onDidChangeData(() => {
        this.lensesChanged.fire();
        this.soon();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('learningViewer.git')) this.soon(0);
      }),
    );
    const interval = setInterval(() => this.soon(0), REFRESH_MS);
    this.disposables.push({ dispose: () => clearInterval(interval) });
    void c.data.opened.then(() => this.soon(0));
  }

  private get settings() {
    const cfg = vscode.workspace.getConfiguration('learningViewer.git');
    const main = cfg.get<unknown>('mainBranch');
    return { enabled: cfg.get<unknown>('enabled') !== false, mainRef: typeof main === 'string' && main.trim() && !main.startsWith('-') ? main.trim() : null };
  }

  /** The repository: the first workspace folder. */
  get folder(): string | null {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? null;
  }

  private soon(delay = 3000): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch((e: Error) => this.c.log.warn(`git: ${e.message}`)), delay);
  }

  /** Links and judges now (one at a time); null when git is off or there is no folder. */
  refresh(): Promise<GitRefresh | null> {
    this.running ??= (async () => {
      const { enabled, mainRef } = this.settings;
      if (!enabled || !this.folder) return null;
      const r = await this.c.data.request('refreshGit', { dir: this.folder, mainRef }, 0);
      // Asked at each refresh: a folder can become (or stop being) a repository of its own.
      this.top = r.mainRef ? (await gitOk(this.folder, ['rev-parse', '--show-toplevel']).catch(() => this.folder!)).trim() : null;
      if (r.problem && r.problem !== this.last?.problem) this.c.log.info(`git: ${r.problem}`);
      else if (r.judged || r.linked) this.c.log.info(`git: ${r.linked} examples linked by trailers, ${r.judged} commits judged against ${r.mainRef}`);
      this.last = r;
      if (r.judged || r.linked) this.lensesChanged.fire();
      return r;
    })().finally(() => (this.running = null));
    return this.running;
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const top = this.top;
    if (!top || !this.settings.enabled || !this.last?.commits) return [];
    const path = relative(top, document.uri.fsPath);
    if (path.startsWith('..') || path === '') return [];
    const gitPath = path.split(sep).join('/');
    const r = await this.c.data.request('fileRates', { path: gitPath }).catch(() => null);
    if (!r || r.examples === 0) return [];
    const title = `Learning Viewer: ${r.examples} example${r.examples === 1 ? '' : 's'} touched this file · KIMI ${percent(r.kimi.successes, r.kimi.total, r.kimi.unknown)} success${r.kimi.unknown > 0 ? ` (${r.kimi.unknown} unknown)` : ''} · git ${r.git.total ? `${percent(r.git.successes, r.git.total)} kept of ${r.git.total} judged` : 'not judged yet'}`;
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: 'learningViewer.showFileExamples', arguments: [gitPath], tooltip: 'Show these examples in the Learning Viewer panel' })];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.commits.get(uri.toString()) ?? '';
  }

  /** `git show` of the example's commit in a read-only editor. */
  async openCommit(exampleId: string): Promise<vscode.TextDocument | undefined> {
    const commit = await this.c.data.request('exampleCommit', { id: exampleId });
    if (!commit) {
      void showError(vscode.l10n.t('Learning Viewer: this example is not linked to a commit.'));
      return undefined;
    }
    const folder = this.folder;
    if (!folder) throw new Error('open a folder that holds the repository to see its commits');
    const sha = commit.verdict?.sha ?? commit.sha;
    const text = await gitOk(folder, ['show', '--stat', '--patch', '--no-color', '--format=fuller', `${sha}^{commit}`]).catch((e: Error) => {
      throw new Error(`the commit ${sha.slice(0, 10)} cannot be shown: ${e.message}`);
    });
    const uri = vscode.Uri.from({ scheme: COMMIT_SCHEME, path: `/${sha.slice(0, 12)}.diff` });
    this.commits.set(uri.toString(), text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'diff');
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return doc;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
