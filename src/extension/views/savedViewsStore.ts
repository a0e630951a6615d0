import * as vscode from 'vscode';
import { parseSavedViews, SAVED_VIEWS_FILE, serializeSavedViews, upsertView, type SavedView, type SavedViewsFile } from '../../core/views/savedViews';

/** The workspace's `.vscode/learning-views.json`, read on demand and watched for edits. */
export class SavedViewsStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly watcher: vscode.FileSystemWatcher | undefined;

  constructor() {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, SAVED_VIEWS_FILE));
      for (const event of [this.watcher.onDidChange, this.watcher.onDidCreate, this.watcher.onDidDelete]) event(() => this.emitter.fire());
    }
  }

  private uri(): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, SAVED_VIEWS_FILE) : undefined;
  }

  /** The views, or the file's problem (the views are then empty). A missing file has no views and no problem. */
  async read(): Promise<{ views: SavedView[]; problem: string | null }> {
    const uri = this.uri();
    if (!uri) return { views: [], problem: null };
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return { views: [], problem: null };
    }
    const parsed = parseSavedViews(text);
    return parsed.ok ? { views: parsed.file.views, problem: null } : { views: [], problem: parsed.problem };
  }

  /** Adds or replaces a view. A malformed file is never overwritten: this throws with its problem instead. */
  async save(view: SavedView): Promise<void> {
    const uri = this.uri();
    if (!uri) throw new Error('Open a folder to save views: they are kept in its .vscode/learning-views.json.');
    let file: SavedViewsFile = { version: 1, views: [] };
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const parsed = parseSavedViews(text);
      if (!parsed.ok) throw new Error(`${parsed.problem}. Fix the file first; it was not changed.`);
      file = parsed.file;
    } catch (e) {
      if (!(e instanceof vscode.FileSystemError) || e.code !== 'FileNotFound') throw e;
    }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(serializeSavedViews(upsertView(file, view))));
    this.emitter.fire();
  }

  dispose(): void {
    this.watcher?.dispose();
    this.emitter.dispose();
  }
}
