import type { LoggedTaskEvent, TaskEvent } from '../../shared/tasks';

/** How long events gather before they are written: a learner that reports often costs one write per task per window. */
export const EVENT_FLUSH_MS = 250;

/** What the batcher needs: where a batch is stored, who hears of it once stored, where a failure is said. */
export interface TaskEventSink {
  /** Stores the events at the end of the task's log; `first` is the place the store gave the first of them (null: it gives none). */
  store(taskId: string, events: TaskEvent[]): Promise<{ first: number | null }>;
  /** The events as stored, each with its place in the log. */
  stored(taskId: string, events: LoggedTaskEvent[]): void;
  /** A batch that could not be stored, in words for the log. */
  failed(message: string): void;
}

/**
 * A learning task's log events, gathered for a moment and written in order, one batch per task at a time.
 * Each batch waits for the one before it; a batch that fails is said and does not stop the next ones,
 * which are numbered on from the last place the store gave. Holds no `vscode`: tested in plain mocha.
 */
export class TaskEventBatcher {
  private buffered = new Map<string, TaskEvent[]>();
  /** The last place given in each task's log: where a store that gives none numbers on from. */
  private readonly lastSeq = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: TaskEventSink,
    private readonly delayMs = EVENT_FLUSH_MS,
  ) {}

  /** Queues an event; the batch is written after the delay (or at the next flush). */
  add(taskId: string, event: TaskEvent): void {
    const list = this.buffered.get(taskId) ?? [];
    list.push(event);
    this.buffered.set(taskId, list);
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  /**
   * Runs another write in the same line as the batches (a task's state, say), so the store sees them in the order
   * they were made. The write says its own failure; one that throws anyway does not stop the line.
   */
  inOrder(write: () => Promise<void>): Promise<void> {
    this.writing = this.writing.then(write).catch((e: Error) => this.sink.failed(e.message));
    return this.writing;
  }

  /** Writes what is buffered now; resolves once it and everything before it is written (or said to have failed). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = this.buffered;
    this.buffered = new Map();
    for (const [taskId, events] of batches) {
      this.inOrder(async () => {
        try {
          const { first } = await this.sink.store(taskId, events);
          const start = first ?? (this.lastSeq.get(taskId) ?? 0) + 1;
          this.lastSeq.set(taskId, start + events.length - 1);
          this.sink.stored(
            taskId,
            events.map((e, i) => ({ ...e, seq: start + i })),
          );
        } catch (e) {
          this.sink.failed(`task ${taskId}: ${events.length} log events could not be stored: ${(e as Error).message}`);
        }
      });
    }
    return this.writing;
  }
}
