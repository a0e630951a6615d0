import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { Container } from '../../container';
import { askModal, showInfo, showWarning } from '../../notify';

type Direction = 'toTeam' | 'fromTeam';

const WORDS: Record<Direction, { title: string; confirm: string; done: string }> = {
  toTeam: {
    title: "Copying this workspace's data to the team database",
    confirm: "Copy every example of this workspace's own database, its learning tasks and knowledge, and its followed files' offsets into the team database? Examples already there are not added again.",
    done: "Learning Viewer: this workspace's data copied to the team database",
  },
  fromTeam: {
    title: "Copying the team database into this workspace's data",
    confirm: "Copy every example of the team database, its learning tasks and knowledge into this workspace's own database (a copy to take offline)? Examples already there are not added again.",
    done: "Learning Viewer: the team database copied into this workspace's data",
  },
};

/** Copy This Workspace's Data to the Team Database… / Copy the Team Database into This Workspace…: with progress and Cancel, re-runnable. */
export async function copyData(c: Container, direction: Direction, confirmed = false): Promise<{ added: number; duplicates: number; cancelled: boolean } | undefined> {
  if (!c.database) {
    void showWarning("Learning Viewer: connect to a team database first (Connect to Team Database…): copying goes between this workspace's data and the team's.");
    return undefined;
  }
  const words = WORDS[direction];
  if (!confirmed && (await askModal(words.title.replace(/^Copying/, 'Copy'), words.confirm, 'Copy')) !== 'Copy') return undefined;
  const operationId = randomUUID();
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: words.title, cancellable: true }, async (progress, token) => {
    token.onCancellationRequested(() => void c.data.request('cancel', { operationId }));
    const onProgress = (p: { operationId: string; written: number }) => {
      if (p.operationId === operationId) progress.report({ message: `${p.written.toLocaleString()} examples read` });
    };
    c.data.on('exportProgress', onProgress);
    try {
      return await c.data.request('copyData', { operationId, direction }, 0);
    } finally {
      c.data.off('exportProgress', onProgress);
    }
  });
  for (const p of report.problems.slice(0, 50)) c.log.warn(`copy: ${p.reason}`);
  const said = `added ${report.added.toLocaleString()}, already there ${report.duplicates.toLocaleString()}${report.conflicts ? `, ${report.conflicts.toLocaleString()} kept as they were there (other content under the same id; see the log)` : ''}; ${report.tasks} learning tasks, ${report.knowledge} knowledge entries`;
  void showInfo(report.cancelled ? `Learning Viewer: copy cancelled after ${said}. Running it again goes on: nothing is added twice.` : `${words.done}: ${said}.`);
  c.notifyChanged();
  return { added: report.added, duplicates: report.duplicates, cancelled: report.cancelled };
}
