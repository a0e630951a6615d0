// The second thread a text search sends the later half of the code file to,
// while the data worker searches the first half and the texts: on two cores a
// new text is found in about half the time. Started at the first search, it
// does not keep the process alive, stops after a minute without searches
// (an idle thread holds memory for nothing), and is started again when needed.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { CodeScan } from '../core/storage/textSearch';
import type { ScanReply, ScanRequest } from './scanWorker';

export class CodeScanner {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (hits: Uint32Array) => void; reject: (e: Error) => void }>();

  constructor(
    /** dist/scanWorker.js */
    private readonly script: string,
    /** The code file searched. */
    private readonly codePath: string,
    private readonly log: (message: string) => void = () => undefined,
    /** How long the thread stays without a search before it stops. */
    private readonly idleMs = 60_000,
  ) {}

  private idle: NodeJS.Timeout | null = null;

  /** Whether the thread is running. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Resolves when the thread running now has stopped (at once when none runs). */
  whenStopped(): Promise<void> {
    const worker = this.worker;
    return worker ? once(worker, 'exit').then(() => undefined) : Promise.resolve();
  }

  readonly scan: CodeScan = (needle, offsets, lengths) =>
    new Promise<Uint32Array>((resolve, reject) => {
      if (this.idle) clearTimeout(this.idle);
      this.idle = null;
      const worker = this.start();
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      const request: ScanRequest = { id, path: this.codePath, needle, offsets, lengths };
      // The two arrays are copies made for this search: handed over, not copied again.
      worker.postMessage(request, [offsets.buffer as ArrayBuffer, lengths.buffer as ArrayBuffer]);
    });

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.unref();
    worker.on('message', (m: ScanReply) => {
      const waiter = this.waiting.get(m?.id);
      if (!waiter) return;
      this.waiting.delete(m.id);
      if (m.hits instanceof Uint32Array) waiter.resolve(m.hits);
      else waiter.reject(new Error(`the code search thread failed: ${m.error ?? 'no answer'}`));
      if (this.waiting.size === 0) {
        this.idle = setTimeout(() => void this.close(), this.idleMs);
        this.idle.unref();
      }
    });
    worker.on('error', (e) => this.fail(worker, e));
    worker.on('exit', () => this.fail(worker, new Error('the code search thread stopped')));
    this.worker = worker;
    return worker;
  }

  /** Every search waiting on `worker` falls back to the data worker's own; the next one starts a new thread. */
  private fail(worker: Worker, e: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.waiting.size > 0) this.log(`text search: ${e.message}; searching on one thread`);
    for (const waiter of this.waiting.values()) waiter.reject(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
