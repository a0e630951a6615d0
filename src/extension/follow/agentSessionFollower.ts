import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { Container } from '../container';
import type { WorkerResult } from '../../shared/workerProtocol';
import { workspaceSessions } from '../commands/importAgentSessions';
import { readAgentSessionSettings } from '../settings';

/** How often the agents' folders are looked at (they live outside the workspace, where no watcher reaches cheaply). */
export const AGENT_POLL_MS = 60_000;

/**
 * `learningViewer.agentSessions.follow` (off by default): the sessions of this workspace's folders
 * are imported as the agents write them. A session is read again only when its file changed; a
 * turn still running waits until it has ended (the import leaves it for the next look).
 */
export class AgentSessionFollower implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly seen = new Map<string, number>();
  private running: Promise<void> | null = null;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly container: Container) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('learningViewer.agentSessions')) this.start();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.start()),
    );
    this.start();
  }

  start(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!readAgentSessionSettings().follow) return;
    this.timer = setInterval(() => void this.look(), AGENT_POLL_MS);
    void this.look();
  }

  /** One look: import this workspace's sessions that changed since the last. Resolves when done. */
  look(): Promise<void> {
    this.running ??= this.lookOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async lookOnce(): Promise<void> {
    const { follow, successFromTests, maxPromptChars } = readAgentSessionSettings();
    if (!follow) return;
    try {
      const found: WorkerResult<'findSessions'> = await this.container.data.request('findSessions', {}, 0);
      const changed = workspaceSessions(found).filter((s) => (this.seen.get(s.path) ?? -1) < s.mtime);
      if (changed.length === 0) return;
      const report = await this.container.trackImport(() =>
        this.container.data.request('importSessions', { sessions: changed, importId: randomUUID(), successFromTests, maxPromptChars }, 0),
      );
      // A session with a turn still running is looked at again next time, even if it does not change.
      if (report.waiting === 0) for (const s of changed) this.seen.set(s.path, s.mtime);
      else for (const s of changed) this.seen.set(s.path, s.mtime - 1);
      if (report.added > 0) {
        this.container.log.info(`agent sessions followed: ${report.added} new turns from ${changed.length} sessions`);
        this.container.notifyChanged();
      }
      for (const p of report.problems) this.container.log.warn(`${p.path}: ${p.reason}`);
    } catch (e) {
      this.container.log.warn(`following agent sessions: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
