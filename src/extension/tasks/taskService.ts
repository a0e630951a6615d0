import * as vscode from 'vscode';
import { inertText } from '../../shared/plainText';
import { showInfo, showWarning, showError } from '../notify';
import { TaskQueue } from '../../core/tasks/taskQueue';
import type { LoggedTaskEvent, Task, TaskEvent, TaskRequest } from '../../shared/tasks';
import { FINISHED } from '../../shared/tasks';
import type { Container } from '../container';
import { readTaskSettings } from '../settings';
import { createTaskRunner, type LearnerConfig } from '../../core/tasks/taskRunner';
import { TaskEventBatcher } from './taskEventBatcher';

export const UNTRUSTED_MESSAGE =
  'The external learner does not run in an untrusted workspace: its command comes from the workspace settings. Trust the workspace (Workspaces: Manage Workspace Trust) or use the built-in learner.';

/**
 * The host's side of learning tasks: the queue, stored through the data worker;
 * a notification per task; events for the Tasks view and the panel.
 */
export class TaskService implements vscode.Disposable {
  readonly queue: TaskQueue;
  private readonly changeEmitter = new vscode.EventEmitter<Task | undefined>();
  /** A task changed (state, progress or message); undefined: reload everything. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly eventEmitter = new vscode.EventEmitter<{ taskId: string; events: LoggedTaskEvent[] }>();
  /** New log events of a task, batched, once stored: each with its place in the log. */
  readonly onDidAppendEvents = this.eventEmitter.event;
  /** Log events, stored in batches, in one line with the tasks' states. */
  private readonly writes: TaskEventBatcher;
  private readonly notifications = new Map<string, (task: Task) => void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Resolves once the stored tasks are back in the queue. */
  readonly ready: Promise<void>;
  /** Tests may replace how trust is decided; by default it is VS Code's workspace trust. */
  isTrusted: () => boolean = () => vscode.workspace.isTrusted;

  constructor(private readonly container: Container) {
    const settings = readTaskSettings();
    this.writes = new TaskEventBatcher({
      store: (taskId, events) => container.data.request('appendTaskEvents', { taskId, events }),
      stored: (taskId, events) => this.eventEmitter.fire({ taskId, events }),
      failed: (message) => container.log.error(message),
    });
    this.queue = new TaskQueue({
      maxConcurrent: settings.maxConcurrent,
      timeoutMs: settings.timeoutMinutes * 60_000,
      runner: createTaskRunner({ data: container.data, externalLearner: () => this.externalLearner() }),
    });
    this.queue.onDidChange((task) => this.changeEmitter.fire(task));
    this.queue.onDidChangeState((task) => {
      void this.writes.inOrder(() =>
        container.data.request('saveTask', { task }).then(
          () => undefined,
          (e: Error) => container.log.error(`saving task ${task.id}: ${e.message}`),
        ),
      );
      if (task.state === 'completed' && task.result?.examplesAdded) container.notifyChanged();
      if (FINISHED.has(task.state)) this.changeEmitter.fire(undefined);
    });
    this.queue.onEvent((taskId, event) => this.record(taskId, event));
    this.ready = container.data.opened
      .then(() => this.restoreStored())
      .catch((e: Error) => container.log.error(`learning tasks could not be restored: ${e.message}`));
    this.disposables.push(
      this.changeEmitter,
      this.eventEmitter,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('learningViewer.tasks')) return;
        const s = readTaskSettings();
        this.queue.setMaxConcurrent(s.maxConcurrent);
        this.queue.setTimeoutMs(s.timeoutMinutes * 60_000);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changeEmitter.fire(undefined)),
    );
  }

  /** The external learner's command, or why it may not run. */
  externalLearner(): LearnerConfig {
    if (!this.isTrusted()) return { refused: UNTRUSTED_MESSAGE };
    const { command } = readTaskSettings();
    if (command.length === 0) return { refused: 'No external learner is configured: set "learningViewer.learner.command" to the program and its arguments.' };
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) return { refused: 'The external learner runs in the workspace folder: open a folder first.' };
    // ${extensionPath} names where the extension is installed: the example learner ships there.
    return { command: command.map((arg) => arg.replaceAll('${extensionPath}', this.container.context.extensionPath)), cwd: folder };
  }

  /** Whether the external learner can be offered, and if not, why. */
  externalStatus(): { available: boolean; reason: string | null } {
    const config = this.externalLearner();
    return 'refused' in config ? { available: false, reason: config.refused } : { available: true, reason: null };
  }

  async start(request: TaskRequest): Promise<Task> {
    await this.ready;
    if (request.learner === 'external') {
      const config = this.externalLearner();
      if ('refused' in config) throw new Error(config.refused);
    }
    const task = this.queue.enqueue(request);
    this.container.log.info(`task ${task.id}: queued ${task.technology} (${task.depth}, ${task.priority}, ${task.learner})`);
    this.notify(task);
    return task;
  }

  cancel(id: string): boolean {
    const elsewhere = this.elsewhere.find((o) => o.task.id === id);
    if (elsewhere && !this.queue.get(id)) {
      void showInfo(`Learning Viewer: "${inertText(elsewhere.task.technology)}" runs in ${inertText(elsewhere.owner)}: it can be cancelled only there.`);
      return false;
    }
    return this.queue.cancel(id);
  }

  /** On a team database: the tasks others started, with who runs each (read again when anyone changes a task). */
  elsewhere: { task: Task; owner: string }[] = [];
  private readingElsewhere: Promise<void> | undefined;

  /** Reads the others' tasks again, one read at a time (a read asked for meanwhile runs after it). */
  refreshElsewhere(): Promise<void> {
    const read = async () => {
      try {
        this.elsewhere = await this.container.data.request('teamTasks', {});
      } catch (e) {
        this.container.log.warn(`the team's learning tasks could not be read: ${(e as Error).message}`);
      }
      this.changeEmitter.fire(undefined);
    };
    this.readingElsewhere = (this.readingElsewhere ?? Promise.resolve()).then(read);
    return this.readingElsewhere;
  }

  retry(id: string): Task | undefined {
    const task = this.queue.retry(id);
    if (task) this.notify(task);
    return task;
  }

  async forget(id: string): Promise<void> {
    if (this.queue.remove(id)) await this.container.data.request('forgetTask', { id });
    this.changeEmitter.fire(undefined);
  }

  async clearFinished(): Promise<number> {
    const finished = this.queue.list().filter((t) => FINISHED.has(t.state));
    for (const t of finished) await this.forget(t.id);
    return finished.length;
  }

  /**
   * A task's log, stored, with each event's place. What is buffered is written first, so the log is
   * whole up to now; what comes after reaches the panel as numbered events, and it keeps each once.
   */
  async events(taskId: string): Promise<LoggedTaskEvent[]> {
    await this.writes.flush();
    return this.container.data.request('taskEvents', { taskId, limit: 2000 });
  }

  /** A progress notification for the life of a task, with Cancel. */
  private notify(task: Task): void {
    if (this.notifications.has(task.id)) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: inertText(`Learning ${task.technology} (${task.depth})`), cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let reported = 0;
          token.onCancellationRequested(() => this.cancel(task.id));
          const update = (t: Task) => {
            if (t.id !== task.id) return;
            const increment = Math.max(0, t.progress - reported);
            reported = Math.max(reported, t.progress);
            progress.report({ increment, message: t.state === 'pending' ? 'queued' : inertText(t.message) });
            if (FINISHED.has(t.state)) {
              sub.dispose();
              this.notifications.delete(task.id);
              resolve();
              if (t.state === 'failed') void showError(vscode.l10n.t('Learning Viewer: learning {0} failed: {1}', t.technology, t.message), 'Show Log').then((c) => c && this.showLog(t.id));
              else if (t.state === 'completed') void showInfo(vscode.l10n.t('Learning Viewer: learned {0}. {1}', t.technology, t.message), 'Show Task').then((c) => c && this.showLog(t.id));
            }
          };
          const sub = this.onDidChange((t) => t && update(t));
          this.notifications.set(task.id, update);
          update(this.queue.get(task.id) ?? task);
        }),
    );
  }

  private showLog(taskId: string): void {
    void vscode.commands.executeCommand('learningViewer.showTaskLog', taskId);
  }

  private record(taskId: string, event: TaskEvent): void {
    const task = this.queue.get(taskId);
    const label = task ? `${task.technology} (${taskId.slice(0, 8)})` : taskId;
    if (event.kind === 'log' || event.kind === 'progress' || event.kind === 'example') this.container.log.trace(`task ${label}: ${event.message}`);
    else if (event.kind === 'failed') this.container.log.error(`task ${label}: ${event.kind}: ${event.message}`);
    else this.container.log.info(`task ${label}: ${event.kind}: ${event.message}`);
    this.writes.add(taskId, event);
  }

  /** Takes the stored tasks back into the queue (a task that was running is interrupted: the window closed). */
  private async restoreStored(): Promise<void> {
    const container = this.container;
    const { tasks, unreadable } = await container.data.request('tasks', {});
    if (unreadable) container.log.warn(`${unreadable} stored learning tasks could not be read and were skipped`);
    const { requeued, interrupted } = this.queue.restore(tasks);
    for (const t of this.queue.list()) if (t.state === 'pending' || t.state === 'running') this.notify(t);
    if (requeued) container.log.info(`${requeued} queued learning tasks taken back after a reload`);
    if (interrupted.length) {
      const names = interrupted.map((t) => t.technology).join(', ');
      void showWarning(interrupted.length === 1 ? vscode.l10n.t('Learning Viewer: a learning task was interrupted when the window closed ({0}).', names) : vscode.l10n.t('Learning Viewer: {0} learning tasks were interrupted when the window closed ({1}).', interrupted.length, names), 'Retry', 'Show Tasks')
        .then((choice) => {
          if (choice === 'Retry') for (const t of interrupted) this.retry(t.id);
          if (choice === 'Show Tasks') void vscode.commands.executeCommand('learningViewer.tasks.focus');
        });
    }
    this.changeEmitter.fire(undefined);
    void this.refreshElsewhere();
  }

  /** After `shutdown`, on other data (another database): its tasks, as at start. */
  async reload(): Promise<void> {
    this.queue.reset();
    this.elsewhere = [];
    this.changeEmitter.fire(undefined);
    await this.restoreStored().catch((e: Error) => this.container.log.error(`learning tasks could not be restored: ${e.message}`));
  }

  /** Stops running tasks (their processes end), stores them as interrupted, and writes the last events. */
  async shutdown(): Promise<void> {
    await this.queue.dispose();
    await this.writes.flush();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
