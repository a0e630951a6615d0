// Learning tasks for `serve`: the core's queue with the built-in learner,
// every state change stored (journalled in a folder, committed in PostgreSQL),
// on whichever engine the server has; and for each task a
// numbered stream of events (started, progress, completed, error) that a
// client follows live and resumes from the last number it saw.
import { knowledgeSummary, learnTechnology } from '../core/tasks/builtinLearner';
import { TaskQueue, type TaskOutcome, type TaskRunner } from '../core/tasks/taskQueue';
import type { LearnerSource, TaskStore } from '../core/engine/contract';
import { FINISHED, type LoggedTaskEvent, type Task } from '../shared/tasks';

export type LiveEventKind = 'queued' | 'started' | 'progress' | 'completed' | 'error';

export interface LiveEvent {
  /** 1, 2, 3… per task: what `Last-Event-ID` names to resume. */
  seq: number;
  event: LiveEventKind;
  data: { task_id: string; status: Task['state']; progress: number; message: string; result?: Task['result'] };
}

/** The events kept per task for a client that reconnects. */
const KEPT = 1000;

export class ApiTasks {
  readonly queue: TaskQueue;
  private readonly events = new Map<string, LiveEvent[]>();
  private readonly listeners = new Map<string, Set<(e: LiveEvent) => void>>();
  private readonly last = new Map<string, { state: Task['state']; progress: number; message: string }>();
  /** The last number given per task: it only grows, so a retry's events come after every number a client has seen. */
  private readonly numbered = new Map<string, number>();

  /** Writes to the store, one after another in the order of the changes, so a task's last state is the one stored. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: TaskStore & LearnerSource,
    owner: string,
    options: { maxConcurrent: number; timeoutMs: number; afterWrite: () => void; external?: TaskRunner; onError?: (message: string) => void },
  ) {
    const write = (what: string, work: () => Promise<unknown>) => {
      this.writing = this.writing.then(work).then(
        () => options.afterWrite(),
        (e: Error) => options.onError?.(`storing ${what} failed: ${e.message}`),
      );
    };
    this.queue = new TaskQueue({
      maxConcurrent: options.maxConcurrent,
      timeoutMs: options.timeoutMs,
      runner: async (task, ctx): Promise<TaskOutcome> => {
        if (task.learner === 'external') {
          if (!options.external) throw new Error('this server has no external learner (start it with --learner "COMMAND ARGS…")');
          return options.external(task, ctx);
        }
        const entry = await learnTechnology(store, { technology: task.technology, depth: task.depth, taskId: task.id, signal: ctx.signal, onProgress: (p, m) => ctx.progress(p, m) });
        await store.addKnowledge(entry);
        options.afterWrite();
        return { proficiency: entry.proficiency.rate, summary: knowledgeSummary(entry), knowledgeId: entry.id, examplesAdded: 0 };
      },
    });
    // Every state change is stored (progress ticks are not): a task survives a restart of the server.
    this.queue.onDidChangeState((task) => write(`task ${task.id}`, () => store.saveTask(task, owner)));
    this.queue.onDidChange((task) => this.record(task));
    this.queue.onEvent((taskId, event) => write(`the log of task ${taskId}`, () => store.appendTaskEvents(taskId, [event])));
  }

  /**
   * The queue of `owner` (this server) on `store`: its stored tasks restored (a running one is marked
   * interrupted, a pending one queued again); on a shared database other owners' tasks stay theirs.
   */
  static async open(
    store: TaskStore & LearnerSource,
    options: { owner?: string; maxConcurrent: number; timeoutMs: number; afterWrite: () => void; external?: TaskRunner; onError?: (message: string) => void },
  ): Promise<ApiTasks> {
    const owner = options.owner ?? '';
    const { tasks } = await store.tasks(owner);
    const api = new ApiTasks(store, owner, options);
    api.queue.restore(tasks);
    for (const t of api.queue.list()) api.record(t);
    return api;
  }

  /** The last `limit` lines of a task's log, as stored. */
  async log(taskId: string, limit: number): Promise<LoggedTaskEvent[]> {
    await this.writing;
    return this.store.taskEvents(taskId, limit);
  }

  /** Turns a task's change into the live event it means, if it means one. */
  private record(task: Task): void {
    const before = this.last.get(task.id);
    this.last.set(task.id, { state: task.state, progress: task.progress, message: task.message });
    let kind: LiveEventKind | null = null;
    if (!before) kind = task.state === 'pending' ? 'queued' : FINISHED.has(task.state) ? (task.state === 'completed' ? 'completed' : 'error') : 'started';
    else if (before.state !== task.state) {
      kind = task.state === 'running' ? 'started' : task.state === 'completed' ? 'completed' : task.state === 'pending' ? 'queued' : 'error';
    } else if (task.state === 'running' && (before.progress !== task.progress || before.message !== task.message)) kind = 'progress';
    if (!kind) return;
    const list = this.events.get(task.id) ?? [];
    // A retry starts a new stream (the old attempt's last event would end it at once), numbered on from the old one.
    if (kind === 'queued' && before !== undefined && FINISHED.has(before.state)) list.length = 0;
    const seq = (this.numbered.get(task.id) ?? 0) + 1;
    this.numbered.set(task.id, seq);
    const event: LiveEvent = {
      seq,
      event: kind,
      data: { task_id: task.id, status: task.state, progress: task.progress, message: task.message, ...(FINISHED.has(task.state) ? { result: task.result } : {}) },
    };
    list.push(event);
    if (list.length > KEPT) list.splice(0, list.length - KEPT);
    this.events.set(task.id, list);
    for (const listener of this.listeners.get(task.id) ?? []) listener(event);
  }

  /** The events after `afterSeq`, then every new one until the task ends; returns a function that stops following. */
  follow(taskId: string, afterSeq: number, onEvent: (e: LiveEvent) => void): () => void {
    for (const e of this.events.get(taskId) ?? []) if (e.seq > afterSeq) onEvent(e);
    const set = this.listeners.get(taskId) ?? new Set();
    set.add(onEvent);
    this.listeners.set(taskId, set);
    return () => set.delete(onEvent);
  }

  /** Whether the task has ended (its stream is complete). */
  ended(taskId: string): boolean {
    const t = this.queue.get(taskId);
    return t !== undefined && FINISHED.has(t.state);
  }

  async dispose(): Promise<void> {
    await this.queue.dispose();
    await this.writing;
  }
}
