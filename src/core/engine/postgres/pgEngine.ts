// The PostgreSQL engine: a team's database, many writers at once (importers,
// `serve` processes, editors), no lock file and no journal (a commit is durable).
import type { Pool, PoolClient } from 'pg';
import type { BatchItem, InsertCounts, OrderedBatchWriter, SourceOffset } from '../../model/batch';
import type { LearningEngine, RetentionState } from '../contract';
import type { AlertStateStore } from '../../model/alertStateStore';
import { PgAlertState } from './pgAlerts';
import type { Filters } from '../../../shared/filters';
import { TASK_SOURCE_PREFIX } from '../../storage/learningStore';
import { connectionProblem, describeUrl, isTransient, openPool, type ConnectOptions } from './connect';
import { ANNOUNCE_CHANGE, migratePg, PARTITION_LOCK, partitionOf } from './schema';
import { hostname } from 'node:os';
import { groupPage, type GroupSource } from '../../queries/treeGroups';
import type { GroupField } from '../../../shared/workerProtocol';
import type { GroupRow } from '../../../shared/rows';
import { pgBranches, pgDistinct, pgSessions, type DistinctField } from './pgBrowse';
import { writeBatchPg, writeBatchPgInTurn, type WriteContext } from './pgWrite';
import { PgOrderedWriter } from './pgOrderedWriter';
import { prunePg } from './pgRetention';
import { pgAnalytics, pgCompareModels, pgCoOccurrence, pgFailingWith, pgOutcomeTotals, pgPrediction } from './pgAnalytics';
import { pgAddKnowledge, pgOthersTasks, pgAppendTaskEvents, pgForgetTask, pgKnowledge, pgSaveTask, pgTaskEvents, pgTasks } from './pgTasks';
import type { KnowledgeEntry, Task, TaskEvent } from '../../../shared/tasks';
import type { NormalizedExample } from '../../model/example';
import { doneWellFromTasks } from '../../analytics/advice';
import type { PruneReport } from '../../storage/retention';
import { pgByModel, pgByTag, pgDaily, pgDailyCounts, pgExampleById, pgExamples, pgPage, pgSetFeedback, pgSummary, type PgPageOptions } from './pgFigures';

export interface PgOpenOptions extends ConnectOptions {
  /** Attempts to reach the server at start, with backoff (default 5: about 15 s in all). */
  attempts?: number;
  /** Told of each retry (the message names the place, never the password). */
  onRetry?: (message: string, attempt: number, waitMs: number) => void;
  /** The clock, for ingested_at. */
  now?: () => number;
  /**
   * The machine a followed file is on (default: this one's host name): part of a file's identity in the
   * database, so that two developers' files with the same path never share an offset.
   */
  machine?: string;
}

/** An error whose message is safe to show: it names the place and never the password. */
export class DatabaseError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `work`, again after a transient failure (server gone, deadlock), up to `attempts` times with backoff. */
export async function withRetry<T>(url: string, work: () => Promise<T>, attempts: number, onRetry?: PgOpenOptions['onRetry']): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (e instanceof DatabaseError && !e.transient) throw e;
      const transient = isTransient(e);
      if (!transient || attempt >= attempts) throw new DatabaseError(connectionProblem(e, url), transient);
      const wait = Math.min(8000, 250 * 2 ** (attempt - 1));
      onRetry?.(`${connectionProblem(e, url)}; trying again in ${(wait / 1000).toFixed(1)} s`, attempt, wait);
      await sleep(wait);
    }
  }
}

export class PgEngine implements LearningEngine {
  readonly kind = 'postgresql' as const;
  readonly place: string;
  /** Sources that are learning tasks: their examples are practice, kept out of the rollups. */
  private readonly taskSources = new Set<number>();
  /** Month partitions known to exist. */
  private readonly partitions = new Set<string>();
  /** Month partitions being made, by name. */
  private readonly creating = new Map<string, Promise<unknown>>();
  /** The machine this engine's followed files are on. */
  readonly machine: string;

  private constructor(
    private readonly pool: Pool,
    private readonly url: string,
    private readonly options: PgOpenOptions,
  ) {
    this.place = describeUrl(url);
    this.machine = options.machine ?? hostname();
  }

  /** Connects (retrying while the server is unreachable) and migrates the schema under the advisory lock. */
  static async open(url: string, options: PgOpenOptions = {}): Promise<PgEngine> {
    const pool = openPool(url, options, (message) => options.onRetry?.(message, 0, 0));
    const engine = new PgEngine(pool, url, options);
    try {
      await withRetry(url, () => migratePg(pool), options.attempts ?? 5, options.onRetry);
      await engine.loadPartitions();
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e instanceof DatabaseError ? e : new DatabaseError(connectionProblem(e, url), false);
    }
    return engine;
  }

  /** The pool, for the suites that look under the contract (recounts) and for the schema's own tests. */
  get database(): Pool {
    return this.pool;
  }

  private run<T>(work: () => Promise<T>): Promise<T> {
    return withRetry(this.url, work, this.options.attempts ?? 5, this.options.onRetry);
  }

  /** A client of the pool for `work`, once. */
  private async onClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      return await work(client);
    } catch (e) {
      // A client whose connection failed is not given back to the pool to be used again.
      broken = isTransient(e);
      throw e;
    } finally {
      client.release(broken);
    }
  }

  private withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.run(() => this.onClient(work));
  }

  private async loadPartitions(): Promise<void> {
    const { rows } = await this.pool.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'examples'::regclass",
    );
    for (const r of rows) this.partitions.add(r.name);
  }

  /** Creates the month partitions a batch needs, each once, one creator at a time. */
  private async ensurePartitions(batch: readonly BatchItem[]): Promise<void> {
    const needed = new Map<string, { from: number; to: number }>();
    // Two batches on their way at once may need the same new month: it is made once, and both wait for it.
    const others = new Set<Promise<unknown>>();
    for (const { example } of batch) {
      const part = partitionOf(example.ts);
      if (!part || this.partitions.has(part.name)) continue;
      const making = this.creating.get(part.name);
      if (making) others.add(making);
      else needed.set(part.name, part);
    }
    if (needed.size === 0) {
      await Promise.all(others);
      return;
    }
    const made = this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
        for (const [name, { from, to }] of needed) {
          await client.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF examples FOR VALUES FROM (${from}) TO (${to})`);
        }
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
    for (const name of needed.keys()) this.creating.set(name, made.catch(() => undefined));
    try {
      await Promise.all([made, ...others]);
    } finally {
      for (const name of needed.keys()) this.creating.delete(name);
    }
    for (const name of needed.keys()) this.partitions.add(name);
  }

  // ── ingest ──

  /** The machine part of a file's identity: this one's, but for a learning task's source, the task's whichever machine runs it. */
  private machineOf(path: string): string {
    return path.startsWith(TASK_SOURCE_PREFIX) ? '' : this.machine;
  }

  async sourceKey(path: string): Promise<number> {
    const { rows } = await this.run(() =>
      this.pool.query<{ id: number }>(
        'INSERT INTO sources (machine, path) VALUES ($1, $2) ON CONFLICT (machine, path) DO UPDATE SET path = excluded.path RETURNING source_id AS id',
        [this.machineOf(path), path],
      ),
    );
    const id = Number(rows[0]!.id);
    if (path.startsWith(TASK_SOURCE_PREFIX)) this.taskSources.add(id);
    return id;
  }

  async sourceOffset(path: string): Promise<SourceOffset | null> {
    const { rows } = await this.run(() => this.pool.query('SELECT byte_offset, line, head FROM sources WHERE machine = $1 AND path = $2', [this.machineOf(path), path]));
    const r = rows[0];
    // A source made by sourceKey and not yet written has offset 0: as if never read.
    return r && (Number(r.byte_offset) > 0 || r.head !== null) ? { path, byteOffset: Number(r.byte_offset), line: Number(r.line), head: r.head } : null;
  }

  /** What writing a batch needs to know, its partitions made. */
  private async writeContext(batch: readonly BatchItem[], offset: SourceOffset | null): Promise<WriteContext> {
    await this.ensurePartitions(batch);
    const cutoff = await this.retentionCutoff();
    const now = (this.options.now ?? Date.now)();
    const machine = offset ? this.machineOf(offset.path) : '';
    return { taskSources: this.taskSources, cutoff, now, machine };
  }

  async writeBatch(batch: readonly BatchItem[], offset: SourceOffset | null): Promise<InsertCounts> {
    const context = await this.writeContext(batch, offset);
    // The whole batch again after a transient failure: it rolled back, and ids make it idempotent.
    return this.withClient((client) => writeBatchPg(client, batch, offset, context));
  }

  /** An import's batches two at a time, on two server processes (see PgOrderedWriter). */
  orderedWriter(): OrderedBatchWriter {
    return new PgOrderedWriter(
      async (batch, offset, turn) => {
        const context = await this.writeContext(batch, offset);
        return this.onClient((client) => writeBatchPgInTurn(client, batch, offset, context, turn));
      },
      (batch, offset) => this.writeBatch(batch, offset),
    );
  }

  /** The offsets of this machine's files and of learning tasks. */
  async sourceOffsets(): Promise<SourceOffset[]> {
    const { rows } = await this.run(() =>
      this.pool.query(
        "SELECT path, byte_offset, line, head FROM sources WHERE (byte_offset > 0 OR head IS NOT NULL) AND (machine = $1 OR (machine = '' AND starts_with(path, $2))) ORDER BY source_id",
        [this.machine, TASK_SOURCE_PREFIX],
      ),
    );
    return rows.map((r) => ({ path: String(r.path), byteOffset: Number(r.byte_offset), line: Number(r.line), head: r.head as string | null }));
  }

  async retentionCutoff(): Promise<number | null> {
    const { rows } = await this.run(() => this.pool.query("SELECT value FROM lv_meta WHERE key = 'pruned_before'"));
    return rows[0] ? Number(rows[0].value) : null;
  }

  // ── figures ──

  summary(filters: Filters, options: { now?: number } = {}) {
    return this.run(() => pgSummary(this.pool, filters, options.now));
  }
  byTag(filters: Filters) {
    return this.run(() => pgByTag(this.pool, filters));
  }
  byModel(filters: Filters) {
    return this.run(() => pgByModel(this.pool, filters));
  }
  daily(filters: Filters) {
    return this.run(() => pgDaily(this.pool, filters));
  }
  examples(filters: Filters) {
    return pgExamples(this.pool, filters);
  }
  exampleById(id: string) {
    return this.run(() => pgExampleById(this.pool, id));
  }
  async analytics(filters: Filters, options: { now?: number } = {}) {
    // "Go deeper" advice builds on the team's learning tasks, whoever ran them.
    const { tasks } = await this.tasks();
    return this.run(() => pgAnalytics(this.pool, filters, { ...options, doneWell: doneWellFromTasks(tasks) }));
  }
  prediction(filters: Filters, tag: string | null) {
    return this.run(() => pgPrediction(this.pool, filters, tag));
  }
  compareModels(filters: Filters, a: string, b: string, tag: string | null) {
    return this.run(() => pgCompareModels(this.pool, filters, a, b, tag));
  }

  // ── what the built-in learner reads ──

  outcomeTotals(filters: Filters) {
    return this.run(() => pgOutcomeTotals(this.pool, filters));
  }
  dailyCounts(filters: Filters) {
    return this.run(() => pgDailyCounts(this.pool, filters));
  }
  failingWith(tag: string, sinceDay: number | null) {
    return this.run(() => pgFailingWith(this.pool, tag, sinceDay));
  }
  coOccurrence(filters: Filters, sample: number) {
    return this.run(() => pgCoOccurrence(this.pool, filters, sample));
  }

  // ── learning tasks ──

  saveTask(task: Task, owner = '') {
    return this.run(() => pgSaveTask(this.pool, task, owner));
  }
  forgetTask(id: string) {
    return this.run(() => pgForgetTask(this.pool, id));
  }
  tasks(owner?: string) {
    return this.run(() => pgTasks(this.pool, owner));
  }
  /** What others run on this database (other editors, servers), newest first. */
  othersTasks(owner: string, limit = 200) {
    return this.run(() => pgOthersTasks(this.pool, owner, limit));
  }
  appendTaskEvents(taskId: string, events: readonly TaskEvent[]) {
    return this.run(() => pgAppendTaskEvents(this.pool, taskId, events));
  }
  taskEvents(taskId: string, limit?: number) {
    return this.run(() => pgTaskEvents(this.pool, taskId, limit));
  }
  addKnowledge(entry: KnowledgeEntry) {
    return this.run(() => pgAddKnowledge(this.pool, entry));
  }
  knowledge(options?: { technology?: string | null; search?: string | null; limit?: number }) {
    return this.run(() => pgKnowledge(this.pool, options));
  }

  /** The examples a learner reported, stored as the task's practice (kept out of the rollups), numbered on after the task's earlier ones. */
  async addLearnerExamples(taskId: string, examples: readonly NormalizedExample[]): Promise<number> {
    if (examples.length === 0) return 0;
    const path = `${TASK_SOURCE_PREFIX}${taskId}`;
    const sourceId = await this.sourceKey(path);
    const { rows } = await this.run(() => this.pool.query('SELECT line FROM sources WHERE source_id = $1', [sourceId]));
    const base = Number(rows[0]?.line ?? 0);
    const counts = await this.writeBatch(
      examples.map((example, i) => ({ example, sourceId, line: base + i + 1 })),
      { path, byteOffset: 0, line: base + examples.length, head: null },
    );
    return counts.added;
  }

  page(filters: Filters, offset: number, limit: number, options?: PgPageOptions) {
    return this.run(() => pgPage(this.pool, filters, offset, limit, options));
  }

  // ── what the Examples view browses ──

  /** A page of the Examples tree's groups. */
  groups(field: GroupField, filters: Filters, offset: number, limit: number): Promise<GroupRow[]> {
    const source: GroupSource = {
      daily: (f) => this.daily(f),
      byTag: (f) => this.byTag(f),
      byModel: (f) => this.byModel(f),
      outcomeTotals: (f) => this.outcomeTotals(f),
      sessions: (f, o, l) => this.run(() => pgSessions(this.pool, f, o, l)),
      branches: (f, o, l) => this.run(() => pgBranches(this.pool, f, o, l)),
    };
    return groupPage(source, field, filters, offset, limit);
  }
  /** The values of a field starting with `prefix`, most used first. */
  distinct(field: DistinctField, prefix: string, limit: number) {
    return this.run(() => pgDistinct(this.pool, field, prefix, limit));
  }
  /** The change counter: it moves whenever anyone changes examples or tasks. */
  async changeCounter(): Promise<number> {
    const { rows } = await this.run(() => this.pool.query<{ n: string }>('SELECT last_value AS n FROM lv_changes'));
    return Number(rows[0]!.n);
  }
  /** Sets an example's feedback, with who edited it (null: not said) and when. */
  setFeedback(id: string, feedback: string | null, author: string | null = null) {
    return this.run(() => pgSetFeedback(this.pool, id, feedback, author, (this.options.now ?? Date.now)()));
  }
  /** The database's size on disk, in bytes. */
  async bytes(): Promise<number> {
    const { rows } = await this.run(() => this.pool.query('SELECT pg_database_size(current_database()) AS b'));
    return Number(rows[0].b);
  }

  async count(): Promise<number> {
    const { rows } = await this.run(() => this.pool.query<{ n: string }>('SELECT count(*) AS n FROM example_ids'));
    return Number(rows[0]!.n);
  }
  async lastExampleAt(): Promise<number | null> {
    const { rows } = await this.run(() => this.pool.query<{ t: string | null }>('SELECT max(ts) AS t FROM examples'));
    return rows[0]?.t == null ? null : Number(rows[0].t);
  }
  /** The alert monitor's state and lock, shared by every server on this database. */
  alertState(): AlertStateStore {
    return new PgAlertState(this.pool, (work) => this.run(work));
  }
  async retention(): Promise<RetentionState | null> {
    const { rows } = await this.run(() => this.pool.query("SELECT key, value FROM lv_meta WHERE key IN ('pruned_before', 'pruned_examples')"));
    const get = (key: string) => rows.find((r) => r.key === key)?.value as string | undefined;
    const before = get('pruned_before');
    return before === undefined ? null : { removedBefore: Number(before), removedExamples: Number(get('pruned_examples') ?? 0) };
  }

  async prune(before: number, options: { dryRun?: boolean; onProgress?: (removed: number) => void } = {}): Promise<PruneReport> {
    const report = await this.run(() => prunePg(this.pool, before, options));
    if (report.removed > 0) await this.run(() => this.pool.query(ANNOUNCE_CHANGE, ['examples']));
    // Dropped months are gone from the cache too (none is written to again: they are before the cutoff).
    this.partitions.clear();
    await this.loadPartitions();
    return report;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
