// The learning-task queue: priority first, then first come; at most N running.
// It knows nothing of VS Code or of how a task runs: a runner does the work and
// a persistence hook stores every state change.
import { randomUUID } from 'node:crypto';
import type { Priority, Task, TaskEvent, TaskRequest, TaskState } from '../../shared/tasks';
import { FINISHED } from '../../shared/tasks';

export interface TaskOutcome {
  proficiency: number | null;
  summary: string;
  knowledgeId: string | null;
  examplesAdded: number;
}

export interface TaskRunContext {
  /** Aborted when the task is cancelled, times out or the queue is disposed. */
  signal: AbortSignal;
  /** Reports progress (clamped to 0–100) and what is happening. */
  progress(progress: number, message: string): void;
  /** Adds a line to the task's log. */
  log(kind: 'log' | 'example', message: string): void;
}

export type TaskRunner = (task: Task, context: TaskRunContext) => Promise<TaskOutcome>;

export interface TaskQueueOptions {
  runner: TaskRunner;
  maxConcurrent: number;
  /** A running task is failed after this long; 0 for no limit. */
  timeoutMs?: number;
  now?: () => number;
  newId?: () => string;
}

const RANK: Record<Priority, number> = { high: 0, normal: 1, low: 2 };

/** The legal moves of the state machine. */
export const TRANSITIONS: Record<TaskState, readonly TaskState[]> = {
  pending: ['running', 'cancelled'],
  running: ['completed', 'failed', 'cancelled'],
  completed: [],
  failed: ['pending'],
  cancelled: ['pending'],
  interrupted: ['pending'],
};

type Why = 'cancel' | 'timeout' | 'dispose';

export class TaskQueue {
  private readonly tasks = new Map<string, Task>();
  private readonly running = new Map<string, { controller: AbortController; why?: Why; done: Promise<void> }>();
  private readonly changeListeners = new Set<(task: Task) => void>();
  private readonly eventListeners = new Set<(taskId: string, event: TaskEvent) => void>();
  private seq = 0;
  private maxConcurrent: number;
  private timeoutMs: number;
  private disposed = false;
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly options: TaskQueueOptions) {
    this.maxConcurrent = clampConcurrency(options.maxConcurrent);
    this.timeoutMs = options.timeoutMs ?? 0;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
  }

  /** Called with a copy of a task after each change (state, progress, message). */
  onDidChange(listener: (task: Task) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Called with every log event of every task. */
  onEvent(listener: (taskId: string, event: TaskEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  get runningCount(): number {
    return this.running.size;
  }

  list(): Task[] {
    return [...this.tasks.values()].map((t) => ({ ...t }));
  }

  get(id: string): Task | undefined {
    const t = this.tasks.get(id);
    return t && { ...t };
  }

  setMaxConcurrent(n: number): void {
    this.maxConcurrent = clampConcurrency(n);
    this.schedule();
  }

  setTimeoutMs(ms: number): void {
    this.timeoutMs = ms;
  }

  /**
   * Takes back the stored tasks after a reload: pending ones stay queued,
   * running ones are marked interrupted (their process is gone) and can be retried.
   */
  restore(stored: readonly Task[]): { requeued: number; interrupted: Task[] } {
    const interrupted: Task[] = [];
    let requeued = 0;
    for (const t of stored) {
      const task = { ...t };
      this.seq = Math.max(this.seq, task.seq);
      if (task.state === 'running') {
        Object.assign(task, { state: 'interrupted', endedAt: this.now(), message: 'Interrupted: the window closed while it ran.' });
        interrupted.push(task);
      } else if (task.state === 'pending') requeued++;
      this.tasks.set(task.id, task);
      if (task.state === 'interrupted' && interrupted.includes(task)) {
        this.emitEvent(task.id, 'interrupted', task.message);
        this.changed(task, true);
      }
    }
    this.schedule();
    return { requeued, interrupted };
  }

  /** Queues a task and returns it at once; it runs when a slot is free and nothing more urgent waits. */
  enqueue(request: TaskRequest): Task {
    if (this.disposed) throw new Error('the task queue has stopped');
    const task: Task = {
      ...request,
      id: this.newId(),
      seq: ++this.seq,
      state: 'pending',
      progress: 0,
      message: 'Queued',
      createdAt: this.now(),
      startedAt: null,
      endedAt: null,
      attempts: 0,
      result: null,
    };
    this.tasks.set(task.id, task);
    this.emitEvent(task.id, 'queued', `Queued: ${task.technology} (${task.depth}, ${task.priority} priority, ${task.learner === 'builtin' ? 'built-in' : 'external'} learner)`);
    this.changed(task, true);
    this.schedule();
    return { ...task };
  }

  /** Cancels a pending task at once, or asks a running one to stop (it is cancelled when its runner has ended). */
  cancel(id: string): boolean {
    const task = this.tasks.get(id);
    if (!task) return false;
    if (task.state === 'pending') {
      this.finish(task, 'cancelled', 'Cancelled before it started.');
      return true;
    }
    const run = this.running.get(id);
    if (task.state === 'running' && run) {
      run.why ??= 'cancel';
      task.message = 'Cancelling…';
      this.changed(task, false);
      run.controller.abort();
      return true;
    }
    return false;
  }

  /** Puts a failed, cancelled or interrupted task back in the queue, behind the others of its priority. */
  retry(id: string): Task | undefined {
    const task = this.tasks.get(id);
    if (!task || !TRANSITIONS[task.state].includes('pending')) return undefined;
    Object.assign(task, { state: 'pending', seq: ++this.seq, progress: 0, message: 'Queued again', startedAt: null, endedAt: null, result: null });
    this.emitEvent(task.id, 'queued', 'Queued again (retry).');
    this.changed(task, true);
    this.schedule();
    return { ...task };
  }

  /** Forgets a finished task. */
  remove(id: string): boolean {
    const task = this.tasks.get(id);
    if (!task || !FINISHED.has(task.state)) return false;
    this.tasks.delete(id);
    return true;
  }

  /** Resolves when nothing is running or waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Stops every running task (their runners are aborted) and waits for them to end; pending tasks stay stored as pending. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const run of this.running.values()) {
      run.why ??= 'dispose';
      run.controller.abort();
    }
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** After `dispose`: forgets every task (the data switched to another database), and takes new ones again. */
  reset(): void {
    this.tasks.clear();
    this.running.clear();
    this.seq = 0;
    this.disposed = false;
  }

  private schedule(): void {
    if (this.disposed) return;
    while (this.running.size < this.maxConcurrent) {
      let next: Task | undefined;
      for (const t of this.tasks.values()) {
        if (t.state !== 'pending') continue;
        if (!next || RANK[t.priority] < RANK[next.priority] || (RANK[t.priority] === RANK[next.priority] && t.seq < next.seq)) next = t;
      }
      if (!next) return;
      this.start(next);
    }
  }

  private start(task: Task): void {
    const controller = new AbortController();
    Object.assign(task, { state: 'running', startedAt: this.now(), endedAt: null, attempts: task.attempts + 1, progress: 0, message: 'Started' });
    let resolveDone!: () => void;
    const run: { controller: AbortController; why?: Why; done: Promise<void> } = { controller, done: new Promise((r) => (resolveDone = r)) };
    this.running.set(task.id, run);
    this.emitEvent(task.id, 'started', `Started (attempt ${task.attempts}).`);
    this.changed(task, true);
    const timer =
      this.timeoutMs > 0
        ? setTimeout(() => {
            run.why ??= 'timeout';
            controller.abort();
          }, this.timeoutMs)
        : undefined;
    const context: TaskRunContext = {
      signal: controller.signal,
      progress: (progress, message) => {
        if (task.state !== 'running' || controller.signal.aborted) return;
        task.progress = Math.min(100, Math.max(0, Number.isFinite(progress) ? progress : 0));
        task.message = message.slice(0, 2000);
        this.emitEvent(task.id, 'progress', task.message, task.progress);
        this.changed(task, false);
      },
      log: (kind, message) => this.emitEvent(task.id, kind, message),
    };
    let settle: Promise<void>;
    try {
      settle = this.options.runner({ ...task }, context).then(
        (outcome) => {
          if (run.why) return this.aborted(task, run.why);
          task.result = outcome;
          task.progress = 100;
          this.finish(task, 'completed', outcome.summary || 'Completed.');
        },
        (error: unknown) => {
          if (run.why) return this.aborted(task, run.why);
          this.finish(task, 'failed', (error as Error)?.message ?? String(error));
        },
      );
    } catch (error) {
      settle = Promise.resolve(this.finish(task, 'failed', (error as Error).message));
    }
    void settle.finally(() => {
      clearTimeout(timer);
      this.running.delete(task.id);
      resolveDone();
      this.schedule();
    });
  }

  private aborted(task: Task, why: Why): void {
    if (why === 'timeout') this.finish(task, 'failed', `Timed out after ${Math.round(this.timeoutMs / 1000)} s; the learner was stopped.`);
    else if (why === 'dispose') this.finish(task, 'interrupted', 'Interrupted: the extension stopped while it ran.');
    else this.finish(task, 'cancelled', 'Cancelled.');
  }

  private finish(task: Task, state: TaskState, message: string): void {
    task.state = state;
    task.endedAt = this.now();
    task.message = message.slice(0, 2000);
    this.emitEvent(task.id, state as TaskEvent['kind'], task.message);
    this.changed(task, true);
  }

  private emitEvent(taskId: string, kind: TaskEvent['kind'], message: string, progress: number | null = null): void {
    const event: TaskEvent = { at: this.now(), kind, message: message.slice(0, 10_000), progress };
    for (const l of this.eventListeners) l(taskId, event);
  }

  /** `stateChange` marks changes worth storing (not every progress tick). */
  private changed(task: Task, stateChange: boolean): void {
    const copy = { ...task };
    for (const l of this.changeListeners) l(copy);
    if (stateChange) this.stateListeners.forEach((l) => l(copy));
  }

  private readonly stateListeners = new Set<(task: Task) => void>();

  /** Called with a copy of a task after each state change only: what must be stored. */
  onDidChangeState(listener: (task: Task) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }
}

function clampConcurrency(n: number): number {
  return Math.min(8, Math.max(1, Math.floor(Number.isFinite(n) ? n : 2)));
}
