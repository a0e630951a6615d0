import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { z } from 'zod';
import type { Container } from '../container';
import { showInfo, showWarning } from '../notify';
import { AGENT_LABELS, inFolder, type SessionImportReportMessage } from '../../shared/agentSessions';
import type { WorkerResult } from '../../shared/workerProtocol';
import { formatWhen } from '../../shared/dates';
import { showControls } from '../../shared/plainText';
import { readAgentSessionSettings } from '../settings';

type SessionRef = WorkerResult<'findSessions'>[number];

/** What a caller (a test, another command) may pass instead of picking: every session, or this workspace's. */
const argsSchema = z.object({ sessions: z.enum(['all', 'workspace']) }).partial();

/** The sessions whose work folder is one of this workspace's folders (or inside one). */
export function workspaceSessions(sessions: readonly SessionRef[]): SessionRef[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  return sessions.filter((s) => folders.some((f) => inFolder(s.cwd, f)));
}

export function describeSessionReport(r: SessionImportReportMessage): string {
  const agents = Object.entries(r.byAgent)
    .filter(([, a]) => a.sessions > 0)
    .map(([name, a]) => `${AGENT_LABELS[name as keyof typeof AGENT_LABELS]} ${a.turns}`)
    .join(', ');
  const outcomes = Object.entries(r.outcomes)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${o}`)
    .join(', ');
  return (
    `${r.turns} turns from ${r.sessions} sessions${agents ? ` (${agents})` : ''}: added ${r.added}, already present ${r.duplicates}` +
    `${r.waiting ? `, ${r.waiting} still running (imported once they end)` : ''}` +
    `${r.notStored ? `, ${r.notStored} not stored (dated before the retention cutoff, or text the database cannot hold)` : ''}${outcomes ? `. Outcomes: ${outcomes}` : ''}`
  );
}

/** Runs the import in the data worker with progress and Cancel; the report, or undefined if nothing was chosen. */
export async function runSessionImport(container: Container, sessions: SessionRef[], title: string): Promise<SessionImportReportMessage> {
  const importId = randomUUID();
  const { successFromTests, maxPromptChars } = readAgentSessionSettings();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    token.onCancellationRequested(() => void container.data.request('cancel', { operationId: importId }));
    let last = 0;
    const onProgress = (p: { importId: string; bytesRead: number; totalBytes: number; added: number }) => {
      if (p.importId !== importId || p.totalBytes === 0) return;
      const now = (p.bytesRead / p.totalBytes) * 100;
      progress.report({ message: `${p.bytesRead} of ${p.totalBytes} sessions · ${p.added.toLocaleString()} turns added`, increment: now - last });
      last = now;
    };
    container.data.on('importProgress', onProgress);
    try {
      return await container.trackImport(() => container.data.request('importSessions', { sessions, importId, successFromTests, maxPromptChars }, 0));
    } finally {
      container.data.off('importProgress', onProgress);
    }
  });
}

/**
 * Import Agent Sessions…: finds the sessions of Kimi CLI, Kimi Code, Claude Code and Codex in
 * their usual folders, offers this workspace's first (already ticked), imports the chosen ones.
 */
export async function importAgentSessions(container: Container, ...args: unknown[]): Promise<SessionImportReportMessage | undefined> {
  const given = argsSchema.safeParse(args[0] ?? {});
  const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Looking for agent sessions' }, () => container.data.request('findSessions', {}, 0));
  if (found.length === 0) {
    void showInfo(
      'Learning Viewer: no agent sessions found. Looked in ~/.kimi, ~/.kimi-code, ~/.claude/projects, ~/.config/claude/projects and ~/.codex (or the folders KIMI_SHARE_DIR, KIMI_CODE_HOME, CLAUDE_CONFIG_DIR and CODEX_HOME name).',
    );
    return undefined;
  }
  const here = new Set(workspaceSessions(found).map((s) => s.path));
  let chosen: SessionRef[] | undefined;
  if (given.success && given.data.sessions) {
    chosen = given.data.sessions === 'all' ? found : found.filter((s) => here.has(s.path));
  } else {
    type Item = vscode.QuickPickItem & { session?: SessionRef };
    const item = (s: SessionRef): Item => ({
      label: `${AGENT_LABELS[s.agent]} · ${showControls(s.cwd ? basename(s.cwd) : s.sessionId.slice(0, 12))}`,
      description: `${formatWhen(s.mtime)} · ${Math.max(1, Math.round(s.bytes / 1024)).toLocaleString()} KB`,
      detail: showControls(s.cwd ?? s.path),
      picked: here.has(s.path),
      session: s,
    });
    const mine = found.filter((s) => here.has(s.path));
    const others = found.filter((s) => !here.has(s.path));
    const items: Item[] = [
      ...(mine.length ? [{ label: 'This workspace', kind: vscode.QuickPickItemKind.Separator }, ...mine.map(item)] : []),
      ...(others.length ? [{ label: 'Other folders', kind: vscode.QuickPickItemKind.Separator }, ...others.map(item)] : []),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: `Import Agent Sessions (${found.length} found, ${mine.length} of this workspace)`,
      placeHolder: 'Tick the sessions to import: one example per turn; no tool output or file contents are kept',
      matchOnDetail: true,
      matchOnDescription: true,
    });
    chosen = picked?.flatMap((p) => (p.session ? [p.session] : []));
  }
  if (!chosen?.length) return undefined;
  container.log.info(`importing ${chosen.length} agent sessions`);
  const report = await runSessionImport(container, chosen, 'Importing agent sessions');
  for (const p of report.problems) container.log.warn(`${p.path}: ${p.reason}`);
  container.log.info(`agent sessions ${report.cancelled ? 'import cancelled' : 'imported'}: ${describeSessionReport(report)}`);
  container.notifyChanged();
  const text = report.cancelled ? `Import cancelled; what was read before stays stored: ${describeSessionReport(report)}.` : `Agent sessions imported: ${describeSessionReport(report)}.`;
  const show = report.problems.length ? showWarning(`Learning Viewer: ${text}`, 'Show details') : showInfo(`Learning Viewer: ${text}`);
  void show.then((choice) => {
    if (choice === 'Show details') container.log.show(true);
  });
  return report;
}
