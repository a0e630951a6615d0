// The host's side of the data worker: typed requests with replies matched by
// id and a timeout, and events. No vscode import, so plain tests can use it.
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Health } from '../shared/example';
import type { WorkerInit, WorkerMethod, WorkerParams, WorkerResult, WorkerToHost } from '../shared/workerProtocol';
import { workerMethods, workerToHostSchema } from '../shared/workerProtocol';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; method: WorkerMethod; timer: NodeJS.Timeout | undefined };

export interface DataClientEvents {
  opened: [Health];
  changed: [number];
  importProgress: [Extract<WorkerToHost, { kind: 'importProgress' }>];
  exportProgress: [Extract<WorkerToHost, { kind: 'exportProgress' }>];
  saveFailed: [string];
  taskProgress: [Extract<WorkerToHost, { kind: 'taskProgress' }>];
  log: ['info' | 'warn' | 'error', string];
  alert: [Extract<WorkerToHost, { kind: 'alert' }>];
  tasksChanged: [];
  reconnected: [];
  exit: [number];
}

export class DataClient extends EventEmitter<DataClientEvents> {
  /** The worker, once its settings are known (reading a secret may come first). */
  private worker: Promise<Worker>;
  /** The worker whose messages are heard (a replaced one's are not). */
  private live: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited = false;
  private disposing: Promise<void> | undefined;
  /** Resolves with the store's health once the worker has opened it (the first one; `opened` events tell of each). */
  readonly opened: Promise<Health>;

  constructor(
    private readonly workerPath: string,
    init: WorkerInit | Promise<WorkerInit>,
  ) {
    super();
    this.opened = new Promise((resolve) => this.once('opened', resolve));
    this.worker = Promise.resolve(init).then((i) => this.start(i));
  }

  private start(init: WorkerInit): Worker {
    const worker = new Worker(this.workerPath, { workerData: init });
    this.exited = false;
    this.live = worker;
    worker.on('message', (raw: unknown) => {
      if (worker === this.live) this.onMessage(raw);
    });
    worker.on('error', (e) => this.emit('log', 'error', `data worker crashed: ${e.stack ?? e.message}`));
    worker.on('exit', (code) => {
      if (worker !== this.live) return;
      this.exited = true;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`the data worker stopped (exit code ${code}) before answering ${p.method}`));
      }
      this.pending.clear();
      this.emit('exit', code);
    });
    return worker;
  }

  /**
   * Closes this data (its store saved, or its connection ended) and opens other data in a new worker:
   * another database. Resolves with the new data's health; requests sent meanwhile wait for it.
   */
  async switchTo(init: WorkerInit): Promise<Health> {
    await this.closeWorker();
    this.disposing = undefined;
    const opened = new Promise<Health>((resolve) => this.once('opened', resolve));
    const worker = this.start(init);
    this.worker = Promise.resolve(worker);
    return opened;
  }

  private onMessage(raw: unknown): void {
    const parsed = workerToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.emit('log', 'error', `dropped an invalid message from the data worker: ${parsed.error.issues[0]?.message ?? ''}`);
      return;
    }
    const msg = parsed.data;
    switch (msg.kind) {
      case 'response': {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (!msg.ok) {
          p.reject(new Error(msg.error ?? `the data worker failed on ${p.method}`));
          return;
        }
        const result = workerMethods[p.method].result.safeParse(msg.result);
        if (result.success) p.resolve(result.data);
        else p.reject(new Error(`the data worker answered ${p.method} with an invalid result: ${result.error.issues[0]?.message ?? ''}`));
        return;
      }
      case 'opened':
        this.emit('opened', msg.health);
        return;
      case 'changed':
        this.emit('changed', msg.examples);
        return;
      case 'importProgress':
        this.emit('importProgress', msg);
        return;
      case 'exportProgress':
        this.emit('exportProgress', msg);
        return;
      case 'saveFailed':
        this.emit('saveFailed', msg.message);
        return;
      case 'log':
        this.emit('log', msg.level, msg.message);
        return;
      case 'taskProgress':
        this.emit('taskProgress', msg);
        return;
      case 'alert':
        this.emit('alert', msg);
        return;
      case 'tasksChanged':
        this.emit('tasksChanged');
        return;
      case 'reconnected':
        this.emit('reconnected');
        return;
    }
  }

  /** Sends one request; `timeoutMs` 0 waits as long as it takes (imports). */
  request<M extends WorkerMethod>(method: M, params: WorkerParams<M>, timeoutMs = 30_000): Promise<WorkerResult<M>> {
    if (this.exited) return Promise.reject(new Error('the data worker is not running'));
    const id = this.nextId++;
    return new Promise<WorkerResult<M>>((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.pending.delete(id);
              reject(new Error(`the data worker did not answer ${method} within ${timeoutMs / 1000} s`));
            }, timeoutMs)
          : undefined;
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method, timer });
      void this.worker.then((w) => w.postMessage({ id, method, params }));
    });
  }

  private async closeWorker(): Promise<void> {
    if (this.exited) return;
    try {
      await this.request('shutdown', {}, 10_000);
    } catch (e) {
      this.emit('log', 'warn', `data worker shutdown: ${(e as Error).message}`);
    }
    const worker = await this.worker;
    await worker.terminate();
  }

  /** Saves and closes the store, then ends the worker. */
  dispose(): Promise<void> {
    this.disposing ??= this.closeWorker();
    return this.disposing;
  }
}
