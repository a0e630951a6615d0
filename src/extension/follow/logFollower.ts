import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { Container } from '../container';
import { readSettings } from '../settings';

/** Debounce for bursts of appends: KIMI writes line by line. */
const DEBOUNCE_MS = 100;

/**
 * Follows the KIMI log files of `learningViewer.logFiles`: reads what was
 * appended since the saved offset whenever a file changes.
 */
export class LogFollower implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly container: Container) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('learningViewer.logFiles') || e.affectsConfiguration('learningViewer.followLogs')) void this.start();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.start()),
    );
    void this.start();
  }

  /** (Re)creates the watchers and catches up on every matched file. */
  async start(): Promise<void> {
    for (const w of this.watchers.splice(0)) w.dispose();
    const settings = readSettings();
    if (!settings.followLogs) return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const glob of settings.logFiles) {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
        watcher.onDidChange((uri) => this.schedule(uri));
        watcher.onDidCreate((uri) => this.schedule(uri));
        this.watchers.push(watcher);
      }
    }
    await this.rescan();
  }

  /** Reads every matched file from its saved offset. */
  async rescan(): Promise<void> {
    const settings = readSettings();
    if (!settings.followLogs) return;
    const found: vscode.Uri[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const glob of settings.logFiles) found.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), '**/node_modules/**')));
    }
    await this.container.trackImport(() => Promise.all(found.map((uri) => this.read(uri.fsPath))));
  }

  private schedule(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    clearTimeout(this.timers.get(uri.fsPath));
    this.timers.set(
      uri.fsPath,
      setTimeout(() => {
        this.timers.delete(uri.fsPath);
        void this.read(uri.fsPath);
      }, DEBOUNCE_MS),
    );
  }

  /** One read per file at a time; a change during a read triggers one more. */
  private async read(path: string): Promise<void> {
    const current = this.running.get(path);
    if (current) {
      this.again.add(path);
      return current;
    }
    const run = (async () => {
      do {
        this.again.delete(path);
        try {
          const report = await this.container.data.request('importFiles', { paths: [path], follow: true, importId: randomUUID() }, 0);
          if (report.added > 0 || report.rejected > 0) {
            this.container.log.info(`followed ${path}: added ${report.added}, rejected ${report.rejected}`);
          }
          for (const p of report.problems) this.container.log.warn(`${p.file}:${p.line}: ${p.reason}`);
        } catch (e) {
          this.container.log.error(`following ${path}: ${(e as Error).message}`);
        }
      } while (this.again.has(path));
    })().finally(() => this.running.delete(path));
    this.running.set(path, run);
    return run;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const w of this.watchers.splice(0)) w.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
