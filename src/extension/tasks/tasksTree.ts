import * as vscode from 'vscode';
import { markdownText, showControls } from '../../shared/plainText';
import type { Task } from '../../shared/tasks';
import type { TaskService } from './taskService';

type GroupKey = 'running' | 'queued' | 'finished' | 'elsewhere';
/** A task; `owner` when another editor or server on the team database runs it. */
export type TaskNode = { kind: 'group'; key: GroupKey } | { kind: 'task'; task: Task; owner?: string };

const GROUPS: { key: GroupKey; label: string }[] = [
  { key: 'running', label: 'Running' },
  { key: 'queued', label: 'Queued' },
  { key: 'finished', label: 'Finished' },
  { key: 'elsewhere', label: 'Started elsewhere on the team database' },
];

const ICONS: Record<Task['state'], [string, string | undefined]> = {
  pending: ['clock', undefined],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'disabledForeground'],
  interrupted: ['debug-disconnect', 'editorWarning.foreground'],
};

const RANK = { high: 0, normal: 1, low: 2 } as const;

function groupOf(t: Task): GroupKey {
  return t.state === 'running' ? 'running' : t.state === 'pending' ? 'queued' : 'finished';
}

/** The Tasks view: running, queued and finished learning tasks with their progress and actions. */
export class TasksTree implements vscode.TreeDataProvider<TaskNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TaskNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<TaskNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly tasks: TaskService) {
    this.view = vscode.window.createTreeView('learningViewer.tasks', { treeDataProvider: this, showCollapseAll: false });
    this.disposables.push(
      this.view,
      this.emitter,
      // Progress can tick many times a second: redraw at most every 200 ms.
      tasks.onDidChange(() => {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.emitter.fire(undefined);
          this.updateBadge();
        }, 200);
      }),
    );
  }

  private updateBadge(): void {
    const active = this.tasks.queue.list().filter((t) => t.state === 'running' || t.state === 'pending').length;
    this.view.badge = active ? { value: active, tooltip: `${active} learning ${active === 1 ? 'task' : 'tasks'} running or queued` } : undefined;
  }

  getChildren(node?: TaskNode): TaskNode[] {
    const all = this.tasks.queue.list();
    const elsewhere = this.tasks.elsewhere;
    if (!node) return GROUPS.filter((g) => (g.key === 'elsewhere' ? elsewhere.length > 0 : all.some((t) => groupOf(t) === g.key))).map((g) => ({ kind: 'group', key: g.key }));
    if (node.kind === 'task') return [];
    // Newest first, as stored: who runs each says where it can be cancelled.
    if (node.key === 'elsewhere') return elsewhere.map(({ task, owner }) => ({ kind: 'task', task, owner }));
    const mine = all.filter((t) => groupOf(t) === node.key);
    if (node.key === 'queued') mine.sort((a, b) => RANK[a.priority] - RANK[b.priority] || a.seq - b.seq);
    else if (node.key === 'finished') mine.sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
    else mine.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
    return mine.map((task) => ({ kind: 'task', task }));
  }

  getTreeItem(node: TaskNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const count = this.getChildren(node).length;
      const item = new vscode.TreeItem(GROUPS.find((g) => g.key === node.key)!.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.key}`;
      item.description = String(count);
      item.contextValue = `taskGroup.${node.key}`;
      return item;
    }
    const t = node.task;
    const item = new vscode.TreeItem(showControls(t.technology), vscode.TreeItemCollapsibleState.None);
    item.id = `task:${t.id}`;
    const [icon, color] = ICONS[t.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    const learner = t.learner === 'builtin' ? 'built-in' : 'external';
    item.description =
      t.state === 'running'
        ? `${Math.round(t.progress)}% · ${showControls(t.message)}`
        : t.state === 'pending'
          ? `${t.priority} · ${t.depth} · ${learner}`
          : t.state === 'completed' && t.result?.proficiency != null
            ? `${Math.round(t.result.proficiency * 100)}% proficiency · ${t.depth}`
            : `${t.state} · ${t.depth}`;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**${markdownText(t.technology)}**\n\n`);
    tip.appendMarkdown(markdownText(`${t.state} · ${t.depth} · ${t.priority} priority · ${learner} learner · attempt ${t.attempts}`));
    tip.appendMarkdown(`\n\n${markdownText(t.message)}`);
    if (node.owner) {
      // Another editor's or server's: shown, its log readable, its actions theirs.
      item.description = `${showControls(node.owner)} · ${item.description}`;
      tip.appendMarkdown(`\n\n${markdownText(`Runs in ${node.owner}; cancel or retry it there.`)}`);
    }
    item.tooltip = tip;
    item.contextValue = node.owner ? 'task.elsewhere' : `task.${t.state}`;
    item.accessibilityInformation = { label: `${t.technology}, ${t.state}, ${item.description}` };
    if (!node.owner) item.command = { command: 'learningViewer.showTaskLog', title: 'Show Task Log', arguments: [t.id] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
