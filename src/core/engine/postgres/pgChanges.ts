// Hearing a team's changes: one connection LISTENs on the changes channel (a
// notification carries only "examples" or "tasks", never data); bursts are
// coalesced; a lost connection is retried with backoff, its state told, and
// once back every view re-reads, since notifications sent meanwhile are lost.
// A slow poll of the change counter covers a notification lost any other way.
import { Client } from 'pg';
import { CHANGES_CHANNEL } from './schema';
import { connectionProblem, withPassword } from './connect';

export type ChangeReason = 'notified' | 'reconnected' | 'polled';

export type FeedState = { state: 'connected' } | { state: 'reconnecting' | 'unreachable'; since: number; reason: string };

export interface ChangeFeedOptions {
  password?: string;
  /** Something changed (what, when a notification said; null when a re-read must cover everything). */
  onChange(reason: ChangeReason, what: 'examples' | 'tasks' | null): void;
  onState(state: FeedState): void;
  /** The change counter, read by the slow poll. */
  counter(): Promise<number>;
  /** The slow poll's period (default 15 s). */
  pollMs?: number;
  /** Notifications within this time are told once (default 100 ms). */
  coalesceMs?: number;
  /** The clock, for "unreachable since". */
  now?: () => number;
}

export class PgChangeFeed {
  private client: Client | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private coalesceTimer: NodeJS.Timeout | undefined;
  private pending = new Set<'examples' | 'tasks'>();
  private lastCounter: number | null = null;
  private lost: { since: number; reason: string } | null = null;
  private hadConnection = false;
  /** A notification arrived since the last poll. */
  private heard = false;

  private constructor(
    private readonly url: string,
    private readonly o: ChangeFeedOptions,
  ) {}

  /** Starts listening; resolves once the first connection is tried (it may have failed: then it is retried). */
  static async start(url: string, options: ChangeFeedOptions): Promise<PgChangeFeed> {
    const feed = new PgChangeFeed(url, options);
    await feed.connect();
    feed.pollTimer = setInterval(() => void feed.poll(), options.pollMs ?? 15_000);
    feed.pollTimer.unref();
    return feed;
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: withPassword(this.url, this.o.password), application_name: 'learning-viewer-changes', connectionTimeoutMillis: 10_000 });
    client.on('error', (e) => this.onLost(client, e));
    client.on('end', () => this.onLost(client, new Error('Connection terminated')));
    client.on('notification', (n) => {
      if (n.channel !== CHANGES_CHANNEL) return;
      this.heard = true;
      this.pending.add(n.payload === 'tasks' ? 'tasks' : 'examples');
      this.coalesceTimer ??= setTimeout(() => {
        this.coalesceTimer = undefined;
        const what = [...this.pending];
        this.pending.clear();
        for (const w of what) this.o.onChange('notified', w);
      }, this.o.coalesceMs ?? 100);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (e) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.onLost(client, e, true);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    const wasLost = this.lost !== null || this.hadConnection;
    this.lost = null;
    this.o.onState({ state: 'connected' });
    this.lastCounter = await this.o.counter().catch(() => this.lastCounter);
    // What changed while no one listened is unknown: every view re-reads.
    if (wasLost && this.hadConnection) this.o.onChange('reconnected', null);
    this.hadConnection = true;
  }

  private onLost(client: Client, error: unknown, connecting = false): void {
    if (this.stopped) return;
    if (!connecting && client !== this.client) return;
    this.client = null;
    client.removeAllListeners('notification');
    const reason = connectionProblem(error, this.url);
    const first = this.lost === null;
    this.lost ??= { since: this.now(), reason };
    this.lost.reason = reason;
    // The first loss is "reconnecting"; once a retry failed too, "unreachable" since the loss.
    this.o.onState({ state: first && !connecting ? 'reconnecting' : 'unreachable', since: this.lost.since, reason });
    this.scheduleRetry(Math.min(8000, 250 * 2 ** this.attempt++));
  }

  private scheduleRetry(ms: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), ms);
    this.retryTimer.unref();
  }

  /** Tries again now (the Retry of an "unreachable" state). */
  retryNow(): void {
    if (this.client || this.stopped) return;
    this.attempt = 0;
    this.scheduleRetry(0);
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** The slow poll: the counter moved without a notification heard. */
  private async poll(): Promise<void> {
    if (!this.client) return;
    try {
      const n = await this.o.counter();
      // Moved with no notification heard since the last poll: one was lost.
      if (this.lastCounter !== null && n !== this.lastCounter && !this.heard) this.o.onChange('polled', null);
      this.lastCounter = n;
      this.heard = false;
    } catch {
      // The listener's own connection says when the server is gone.
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pollTimer);
    clearTimeout(this.coalesceTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
