import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import type { DatabaseState } from '../../shared/example';
import { knowledgeEntrySchema, taskEventSchema, taskSchema, type KnowledgeEntry, type LoggedTaskEvent, type Task, type TaskEvent } from '../../shared/tasks';
import { contentHash, executionTime, type NormalizedExample } from '../model/example';
import { writeFileAtomic } from './atomicWrite';
import { FLAG_FUTURE_TIMESTAMP, FLAG_TASK_EXAMPLE, migrate, SCHEMA_VERSION } from './schema';
import { acquireLock, processAlive, releaseLock, stillHeld } from './storeLock';
import { fingerprint, loadSnapshot, prefetchSnapshot, readSums, removeStaleTempFiles, SUMS_FILE, type Fingerprint, type LoadedSnapshot, type PrefetchedSnapshot } from './snapshotCheck';
import { DELETE_SLICE, Journal, type JournalEntry, type JournalOp } from './journal';
import { RollupBatch } from './rollups';
import { CodeFile } from './codeFile';
import { contentKey, stringKey } from './keys';
import { commitOf } from '../model/commitRef';
import { TextSearch, type CodeScan, type SearchRow } from './textSearch';
import type { BatchItem, IngestTarget, InsertCounts, SourceOffset } from '../model/batch';
import { successCode, successFromCode } from '../model/successCode';

export const SNAPSHOT_FILE = 'learning.sqlite';
export const BACKUP_FILE = 'learning.sqlite.bak';
export const LOCK_FILE = 'learning.lock';
export const JOURNAL_FILE = 'learning.journal';
/** The code contexts, appended, referenced from the database by offset and length. */
export const CODE_FILE = 'learning.code';
/** Below this size the database in memory is checked before every save (about 0.2 s at 50 MB)… */
const QUICK_CHECK_ALWAYS_BYTES = 50 * 1024 * 1024;
/** …above it, at the first save after opening and then at most this often. */
const QUICK_CHECK_EVERY_MS = 30 * 60_000;

export type { InsertCounts, SourceOffset };

export interface OpenOptions {
  SQL: SqlJsStatic;
  /** The folder that holds the snapshot, its backup and the lock. */
  dataDir: string;
  /** Open without taking the lock and never write. */
  readOnly?: boolean;
  /** The snapshot read ahead (`prefetchSnapshot`), used if the file is still the one read. */
  snapshot?: PrefetchedSnapshot | null;
}

/**
 * Reads the store's snapshot in `dataDir` ahead of `LearningStore.open` (given as its `snapshot`), so that
 * reading it and taking its CRC overlap each other and whatever the caller awaits meanwhile (sql.js compiling).
 */
export function readSnapshotAhead(dataDir: string): Promise<PrefetchedSnapshot | null> {
  return prefetchSnapshot(join(dataDir, SNAPSHOT_FILE));
}

/**
 * The learning database: sql.js in memory, saved as an atomic snapshot.
 * Owned by one thread (the data worker, or the command line).
 */
export class LearningStore implements IngestTarget {
  /**
   * Below this size every save runs quick_check first; above it, the first save and then every 30 minutes.
   * `serve` sets 0: a check stops its event loop (about 100 ms at 5 MB), and its journal already holds every acknowledged write.
   */
  quickCheckAlwaysBelowBytes = QUICK_CHECK_ALWAYS_BYTES;
  state: DatabaseState = 'ok';
  /** Why the store is not ok, for the user. */
  reason: string | null = null;
  /** Set when a snapshot could not be loaded and was moved aside: where it went. */
  recoveredFrom: string | null = null;
  /** How the snapshot was loaded: from the backup, or nothing readable, and how long its integrity check took. */
  loaded!: LoadedSnapshot;
  /** The fingerprint of the snapshot file on disk, listed beside the next one as the backup's. */
  private lastSaved: Fingerprint | null = null;
  /** When the database in memory last passed quick_check before a save (performance.now()), or null. */
  private lastQuickCheck: number | null = null;
  private dirty = false;
  /** The next integer key for an example. */
  private nextK = 1;
  /** The sequence number of the last journalled write applied to the database. */
  private journalSeq = 0;
  private readonly journal: Journal;
  /** Writes snapshots; replaceable in tests to simulate a full disk or a denied write. */
  snapshotWriter: (target: string, data: Uint8Array, backup: string) => Promise<void> = writeFileAtomic;
  /** Journal entries replayed at open, and unreadable ones ignored (a torn last line). */
  replayed = { applied: 0, ignored: 0 };
  private lockHeld = false;
  /** The proof that this store holds the lock, checked before every write that cannot be taken back. */
  private lockToken: string | null = null;
  /** Replaying the journal into memory is allowed even read-only: the view is then complete. */
  private replaying = false;
  private readonly modelIds = new Map<string, number>();
  private readonly tagIds = new Map<string, number>();
  /** Session names to keys, read when the first example is written: a reader never needs them, and at a million examples (100k sessions) they cost 75 ms of every open. */
  private sessionKeys: Map<string, number> | null = null;
  /** The next key to give in each name table. */
  private nextNameKey = { models: 1, tags: 1, sessions: 1 };
  private statements: Record<string, Statement> = {};
  /** Set once the store knows whether it may write. */
  private code!: CodeFile;
  private search!: TextSearch;

  private constructor(
    readonly db: Database,
    readonly dataDir: string,
  ) {
    this.journal = new Journal(join(dataDir, JOURNAL_FILE));
  }

  static open(options: OpenOptions): LearningStore {
    const { SQL, dataDir } = options;
    mkdirSync(dataDir, { recursive: true });
    let readOnlyReason: string | null = null;
    let lockHeld = false;
    let lockToken: string | null = null;
    if (options.readOnly) {
      readOnlyReason = 'opened read-only on request';
    } else {
      const lock = acquireLock(join(dataDir, LOCK_FILE));
      lockHeld = lock.acquired;
      lockToken = lock.token ?? null;
      if (!lock.acquired) readOnlyReason = `another window (${lock.holder}) is writing to this workspace's learning data; this one is read-only`;
    }
    if (lockHeld) removeStaleTempFiles(dataDir, (pid) => processAlive(pid));
    const loaded = loadSnapshot(SQL, dataDir, SNAPSHOT_FILE, BACKUP_FILE, lockHeld, options.snapshot);
    const db = loaded.db;
    const store = new LearningStore(db, dataDir);
    store.lockHeld = lockHeld;
    store.lockToken = lockToken;
    store.recoveredFrom = loaded.movedTo;
    store.loaded = loaded;
    store.lastSaved = loaded.fromBackup ? null : loaded.onDisk;
    if (loaded.note) store.reason = loaded.note;
    const migration = readOnlyReason && loaded.fromDisk ? { newer: (userVersionOf(db) ?? 0) > SCHEMA_VERSION } : migrate(db);
    if (migration.newer) {
      readOnlyReason = `this learning data was written by a newer version of Learning Viewer (schema ${userVersionOf(db)}, this one knows ${SCHEMA_VERSION}); it is open read-only. Update the extension to write to it.`;
    } else if (readOnlyReason) {
      // A read-only view of an older file still needs today's tables to answer queries, in memory only.
      migrate(db);
    }
    if (readOnlyReason) {
      store.state = 'read-only';
      store.reason = loaded.note ? `${readOnlyReason}. ${loaded.note}` : readOnlyReason;
    }
    store.code = new CodeFile(join(dataDir, CODE_FILE), !readOnlyReason, () => store.assertLockStillHeld());
    store.search = new TextSearch(store, store.code);
    store.moveCodeToFile();
    // Schema 6 rebuilt the examples table: give the space of the old one back once.
    if ('from' in migration && migration.from >= 1 && migration.from < 6 && !readOnlyReason && store.count() > 0) store.db.exec('VACUUM');
    store.loadCaches();
    store.registerFunctions();
    store.replayJournal();
    // Loaded from the backup: the next save writes a good snapshot again.
    if (loaded.fromBackup && !store.readOnly) store.dirty = true;
    return store;
  }

  /**
   * Finishes schema 5: the code still held in the database (example_code)
   * goes to the side file, then the table goes. A crash midway leaves the old
   * snapshot as it was and only unreferenced bytes in the file.
   */
  private moveCodeToFile(): void {
    const table = this.rows<[string]>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'example_code'");
    if (table.length === 0) return;
    const moved = Number(this.rows<[number]>('SELECT count(*) FROM example_code')[0]![0]);
    this.db.exec('BEGIN');
    try {
      const read = this.db.prepare('SELECT k, code FROM example_code ORDER BY k');
      const write = this.db.prepare('INSERT OR REPLACE INTO code_refs (k, off, len, crc) VALUES (?, ?, ?, ?)');
      while (read.step()) {
        const [k, code] = read.get() as [number, string];
        write.run([k, ...this.code.append(code)]);
      }
      read.free();
      write.free();
      this.db.exec('DROP TABLE example_code');
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      this.code.discardPending();
      throw e;
    }
    this.code.flush();
    if (moved > 0) this.db.exec('VACUUM');
    if (!this.readOnly) this.dirty = true;
  }

  private replayJournal(): void {
    this.journalSeq = Number(this.rows<[string]>("SELECT value FROM meta WHERE key = 'journal_seq'")[0]?.[0] ?? 0);
    const { entries, ignored, damaged } = this.journal.read(this.journalSeq);
    this.replayed = { applied: entries.length, ignored };
    const unacknowledged = damaged.filter((d) => d.reason.startsWith('cut short'));
    const real = damaged.length - unacknowledged.length;
    if (real > 0) {
      const note =
        `${real} ${real === 1 ? 'entry' : 'entries'} of the journal (${this.journal.path}) ${real === 1 ? 'is' : 'are'} damaged (${damaged.find((d) => !d.reason.startsWith('cut short'))!.reason}) and ${real === 1 ? 'was' : 'were'} not replayed: ` +
        `feedback edits, task results or learner examples in ${real === 1 ? 'it' : 'them'} are missing. ${this.readOnly ? 'They stay in the journal.' : `They are kept in ${this.journal.damagedPath}.`} The rest were replayed.`;
      this.reason = this.reason ? `${this.reason} ${note}` : note;
    }
    if (entries.length === 0) return;
    // Replayed into memory even when read-only, so the view is complete; only the writer saves it.
    this.applyJournal(entries);
    if (!this.readOnly) this.dirty = true;
  }

  /** Applies journal entries; returns how many examples they added and deleted. */
  private applyJournal(entries: JournalEntry[]): { added: number; deleted: number } {
    // Examples added and deleted, in journal order (a delete applies to what was added before it).
    const examples: ({ source: string; examples: Record<string, unknown>[] } | { deleteIds: string[] })[] = [];
    this.db.exec('BEGIN');
    try {
      for (const e of entries) {
        switch (e.op) {
          case 'feedback':
            this.db.run('UPDATE examples SET human_feedback = ? WHERE id_k = ? AND id = ?', [e.feedback, stringKey(e.id), e.id]);
            this.search.textChanged();
            break;
          case 'task':
            this.db.run(
              'INSERT INTO tasks (id, seq, state, data) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, state = excluded.state, data = excluded.data',
              [e.task.id, e.task.seq, e.task.state, JSON.stringify(e.task)],
            );
            break;
          case 'forgetTask':
            this.db.run('DELETE FROM tasks WHERE id = ?', [e.id]);
            this.db.run('DELETE FROM task_events WHERE task_id = ?', [e.id]);
            break;
          case 'knowledge':
            this.db.run('INSERT OR REPLACE INTO knowledge (id, technology, created_at, task_id, data) VALUES (?, ?, ?, ?, ?)', [
              e.entry.id,
              e.entry.technology,
              e.entry.createdAt,
              e.entry.taskId,
              JSON.stringify(e.entry),
            ]);
            break;
          case 'examples':
            examples.push({ source: `${TASK_SOURCE_PREFIX}${e.taskId}`, examples: e.examples });
            break;
          case 'ingest':
            examples.push({ source: e.source, examples: e.examples });
            break;
          case 'delete':
            examples.push({ deleteIds: e.ids });
            break;
        }
        this.journalSeq = Math.max(this.journalSeq, e.seq);
      }
      this.runKept('setJournalSeq', "INSERT INTO meta (key, value) VALUES ('journal_seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [String(this.journalSeq)]);
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    // Examples go through the one insert path (its own transaction); by id, so a replay adds nothing twice.
    let added = 0;
    let deleted = 0;
    this.replaying = true;
    try {
      for (const batch of examples) {
        if ('deleteIds' in batch) {
          deleted += this.removeExamples(batch.deleteIds);
          continue;
        }
        const sourceId = this.sourceId(batch.source);
        // The "line" of a learner's example is its place among the examples that task reported.
        // The source row counts them, as it counts a log file's lines.
        const base = Number(this.firstRow<[number]>('sourceLine', 'SELECT line FROM sources WHERE source_id = ?', [sourceId])![0]);
        added += this.insert(batch.examples.map((example, i) => ({ example: example as unknown as NormalizedExample, sourceId, line: base + i + 1 }))).added;
        this.runKept('setSourceLine', 'UPDATE sources SET line = ? WHERE source_id = ?', [base + batch.examples.length, sourceId]);
      }
    } finally {
      this.replaying = false;
    }
    return { added, deleted };
  }

  /** Deletes stored examples by id with their tags, links, code references and share of the rollups, in one transaction; returns how many were stored. */
  private removeExamples(ids: readonly string[]): number {
    const find = this.stmt('find', FIND_BY_ID_KEY_SQL);
    const keys: number[] = [];
    for (const id of ids) {
      find.bind([stringKey(id)]);
      while (find.step()) {
        const [storedId, , k] = find.get() as [string, number, number];
        if (storedId === id) keys.push(k);
      }
      find.reset();
    }
    if (keys.length === 0) return 0;
    const list = `(${keys.map(() => '?').join(', ')})`;
    const tags = new Map<number, number[]>();
    for (const [k, tagId] of this.rows<[number, number]>(`SELECT k, tag_id FROM example_tags WHERE k IN ${list}`, keys)) tags.set(k, [...(tags.get(k) ?? []), tagId]);
    const rollups = new RollupBatch();
    for (const [k, day, modelId, success, tokens, exec, flags] of this.rows<[number, number, number | null, number, number | null, number | null, number]>(
      `SELECT k, day, model_id, success, tokens, exec_time, flags FROM examples WHERE k IN ${list}`,
      keys,
    )) {
      // A learning task's examples were never in the rollups.
      if (!(flags & FLAG_TASK_EXAMPLE)) rollups.addRow(day, modelId, successCode(successFromCode(success)), tokens, exec, tags.get(k) ?? [], -1);
    }
    this.db.exec('BEGIN');
    try {
      this.db.run(`DELETE FROM example_tags WHERE k IN ${list}`, keys);
      this.db.run(`DELETE FROM example_commits WHERE k IN ${list}`, keys);
      this.db.run(`DELETE FROM code_refs WHERE k IN ${list}`, keys);
      this.db.run(`DELETE FROM examples WHERE k IN ${list}`, keys);
      for (const { sql, rows } of rollups.statements()) for (const row of rows) this.db.run(sql, row);
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
    this.search.removed(keys);
    return keys.length;
  }

  /**
   * Deletes examples by id (a person's Delete Examples…, Remove Sample Data), journalled first
   * like every other acknowledged write; their per-day figures go with them (unlike retention,
   * which keeps them). At most DELETE_SLICE ids a call. Returns how many were stored.
   */
  deleteExamples(ids: readonly string[]): number {
    if (ids.length === 0) return 0;
    if (ids.length > DELETE_SLICE) throw new Error(`at most ${DELETE_SLICE} examples are deleted at once (${ids.length} asked)`);
    return this.journalled([{ op: 'delete', ids: [...ids] }]).examplesDeleted;
  }

  /**
   * A write that no log file can replay: journalled (fsynced) first, then
   * applied. Once this returns, a crash at any moment does not lose it.
   */
  journalled(ops: JournalOp[], now = Date.now()): { examplesAdded: number; examplesDeleted: number } {
    this.assertWritable();
    this.assertLockStillHeld();
    const entries = ops.map((op, i) => ({ ...op, seq: this.journalSeq + i + 1, at: now }) as JournalEntry);
    this.journal.append(entries);
    const { added, deleted } = this.applyJournal(entries);
    this.dirty = true;
    return { examplesAdded: added, examplesDeleted: deleted };
  }

  /**
   * The same write without waiting for the disk: applied at once, written to
   * the journal, and durable once `durable` resolves (one fsync, off the event
   * loop, for every write made before it starts). Nothing may be acknowledged
   * before then; a crash before it loses only what was not acknowledged.
   */
  journalledSoon(ops: JournalOp[], now = Date.now()): { examplesAdded: number; durable: Promise<void> } {
    this.assertWritable();
    this.assertLockStillHeld();
    const entries = ops.map((op, i) => ({ ...op, seq: this.journalSeq + i + 1, at: now }) as JournalEntry);
    this.journal.write(entries);
    const { added: examplesAdded } = this.applyJournal(entries);
    this.dirty = true;
    return { examplesAdded, durable: this.syncJournal() };
  }

  private syncing: Promise<void> | null = null;
  private syncAgain: Promise<void> | null = null;

  /**
   * One fsync at a time: a write made while one runs waits for the next,
   * which covers every write made until it starts (group commit).
   */
  private syncJournal(): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.journal.sync().finally(() => {
        this.syncing = null;
      });
      return this.syncing;
    }
    this.syncAgain ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.syncAgain = null;
        return this.syncJournal();
      });
    return this.syncAgain;
  }

  /** Stores a learning task as it now stands, journalled. */
  saveTask(task: Task): void {
    this.journalled([{ op: 'task', task }]);
  }

  /** Removes a finished task and its log, journalled. */
  forgetTask(id: string): void {
    this.journalled([{ op: 'forgetTask', id }]);
  }

  /** Every stored task; rows that no longer validate are skipped and counted. */
  tasks(): { tasks: Task[]; unreadable: number } {
    let unreadable = 0;
    const tasks: Task[] = [];
    for (const [data] of this.rows<[string]>('SELECT data FROM tasks ORDER BY seq')) {
      const parsed = taskSchema.safeParse(JSON.parse(data));
      if (parsed.success) tasks.push(parsed.data);
      else unreadable++;
    }
    return { tasks, unreadable };
  }

  /**
   * Appends to a task's log (not journalled: a log line lost in a crash costs nothing stored);
   * returns the place (`seq`) of the first event appended, the others following it.
   */
  appendTaskEvents(taskId: string, events: readonly TaskEvent[]): number {
    this.assertWritable();
    let n = Number(this.rows<[number | null]>('SELECT max(n) FROM task_events WHERE task_id = ?', [taskId])[0]?.[0] ?? 0);
    const first = n + 1;
    if (events.length === 0) return first;
    this.db.exec('BEGIN');
    try {
      for (const e of events) this.db.run('INSERT INTO task_events (task_id, n, data) VALUES (?, ?, ?)', [taskId, ++n, JSON.stringify(e)]);
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    this.dirty = true;
    return first;
  }

  /** The last `limit` events of a task's log, oldest first, each with its place in the log. */
  taskEvents(taskId: string, limit = 500): LoggedTaskEvent[] {
    return this.rows<[number, string]>('SELECT n, data FROM (SELECT n, data FROM task_events WHERE task_id = ? ORDER BY n DESC LIMIT ?) ORDER BY n', [taskId, limit]).flatMap(([n, data]) => {
      const parsed = taskEventSchema.safeParse(JSON.parse(data));
      return parsed.success ? [{ ...parsed.data, seq: n }] : [];
    });
  }

  /** Stores a knowledge entry, journalled. */
  addKnowledge(entry: KnowledgeEntry): void {
    this.journalled([{ op: 'knowledge', entry }]);
  }

  /** Knowledge entries, newest first, optionally for one technology or matching a text. */
  knowledge(options: { technology?: string | null; search?: string | null; limit?: number } = {}): KnowledgeEntry[] {
    const parts = ['1'];
    const params: (string | number)[] = [];
    if (options.technology) {
      parts.push('technology = ?');
      params.push(options.technology);
    }
    if (options.search && options.search.trim()) {
      parts.push("(technology LIKE ? ESCAPE '\\' OR data LIKE ? ESCAPE '\\')");
      const like = `%${options.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like);
    }
    params.push(options.limit ?? 200);
    return this.rows<[string]>(`SELECT data FROM knowledge WHERE ${parts.join(' AND ')} ORDER BY created_at DESC LIMIT ?`, params).flatMap(([data]) => {
      const parsed = knowledgeEntrySchema.safeParse(JSON.parse(data));
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Stores examples a learner reported (validated already), journalled first, linked to the task as their source; returns how many were new. */
  addLearnerExamples(taskId: string, examples: readonly NormalizedExample[]): number {
    if (examples.length === 0) return 0;
    return this.journalled([{ op: 'examples', taskId, examples: examples as unknown as Record<string, unknown>[] }]).examplesAdded;
  }

  /**
   * What storing this example would do, without storing it: `new`, a
   * `duplicate` (the same id with the same canonical content: a retry), or a
   * `conflict` (the same id with other content; the stored one stays).
   */
  classify(example: NormalizedExample): 'new' | 'duplicate' | 'conflict' | 'expired' {
    // A kept statement: the API asks this once per example, and preparing the SQL each time cost more than the lookup.
    const find = this.stmt('findById', FIND_BY_ID_KEY_SQL);
    const matches: [string, number, number][] = [];
    try {
      find.bind([stringKey(example.id)]);
      while (find.step()) matches.push(find.get() as [string, number, number]);
    } finally {
      find.reset();
    }
    for (const [id, content, k] of matches) {
      if (id !== example.id) continue;
      if (content === contentKey(example.contentHash)) return 'duplicate';
      return this.readOnly ? 'conflict' : this.sameCanonicalContent(k, example.contentHash) ? 'duplicate' : 'conflict';
    }
    const cutoff = this.prunedBefore();
    return cutoff !== null && example.ts < cutoff ? 'expired' : 'new';
  }

  /**
   * Stores examples that arrived by another way than a file (the HTTP API),
   * journalled (fsynced) first: once this returns they survive a crash.
   * `source` names where they came from (`api`, `api:<token name>`).
   */
  addIngested(source: string, examples: readonly NormalizedExample[]): number {
    if (examples.length === 0) return 0;
    return this.journalled([{ op: 'ingest', source, examples: examples as unknown as Record<string, unknown>[] }]).examplesAdded;
  }

  /** `addIngested` without waiting for the disk: the examples are durable once `durable` resolves (see `journalledSoon`). */
  addIngestedSoon(source: string, examples: readonly NormalizedExample[]): { added: number; durable: Promise<void> } {
    if (examples.length === 0) return { added: 0, durable: Promise.resolve() };
    const { examplesAdded, durable } = this.journalledSoon([{ op: 'ingest', source, examples: examples as unknown as Record<string, unknown>[] }]);
    return { added: examplesAdded, durable };
  }

  /** Sets or clears an example's human feedback; false when no example has that id. */
  setFeedback(id: string, feedback: string | null): boolean {
    if (this.rows('SELECT 1 FROM examples WHERE id_k = ? AND id = ?', [stringKey(id), id]).length === 0) return false;
    this.journalled([{ op: 'feedback', id, feedback }]);
    return true;
  }

  /**
   * Our SQL functions and pragmas. sql.js drops both on every export (it
   * closes and reopens the database), so this runs again after it.
   */
  private registerFunctions(): void {
    // The database lives in memory; durability comes from the snapshot and the
    // journal, so SQLite's rollback journal can stay in memory too (faster inserts).
    this.db.exec('PRAGMA journal_mode = MEMORY');
    // Nothing else opens this in-memory file: holding its lock spares SQLite the look for a hot
    // journal at every transaction (in sql.js's file system, a failed lookup that throws).
    this.db.exec('PRAGMA locking_mode = EXCLUSIVE');
    // Inserts land at random places in the id and session indexes: a 64 MB page cache keeps them
    // in SQLite's own pages instead of copying each one in and out of the in-memory file.
    this.db.exec('PRAGMA cache_size = -65536');
    let lastPattern = '';
    let lastRegex: RegExp | null = null;
    // The keys of the examples whose description, feedback or code contains a text, as a JSON array: called once per statement.
    this.db.create_function('search_keys', (needle: unknown) => (typeof needle === 'string' ? this.search.keys(needle) : '[]'));
    // Whether the example with key k contains a text: called once per row the statement reads (a text many examples hold).
    this.db.create_function('search_has', (id: unknown, k: unknown) => (typeof id === 'number' && typeof k === 'number' ? this.search.has(id, k) : 0));
    // An example's code from the side file (null when the file does not hold it).
    this.db.create_function('code_text', (off: unknown, len: unknown) => (typeof off === 'number' && typeof len === 'number' ? this.code.read(off, len) : null));
    this.db.create_function('regexp', (pattern: unknown, text: unknown) => {
      if (typeof pattern !== 'string' || typeof text !== 'string') return 0;
      if (pattern !== lastPattern || !lastRegex) {
        lastRegex = new RegExp(pattern, 'u');
        lastPattern = pattern;
      }
      return lastRegex.test(text) ? 1 : 0;
    });
  }

  /** Finds a text ahead of the statements that filter by it, half the code file searched by `scanFar` on another thread. */
  searchAhead(needle: string, scanFar: CodeScan): Promise<void> {
    return this.search.matchAhead(needle, scanFar);
  }

  searchMatches(needle: string): { id: number; count: number; span: number } {
    return this.search.matches(needle);
  }

  /** Builds a slice of the text-search indexes; true while more remain (the data worker calls it in idle time). */
  prepareSearch(): boolean {
    return this.search.buildStep();
  }

  codeText(offset: number, length: number): string | null {
    return this.code.read(offset, length);
  }

  codeRecord(offset: number, length: number, crc: number | null): { text: string | null; problem: string | null } {
    return this.code.readChecked(offset, length, crc);
  }

  get readOnly(): boolean {
    return this.state === 'read-only';
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  private loadCaches(): void {
    this.nextK = Number(this.db.exec('SELECT coalesce(max(k), 0) + 1 FROM examples')[0]!.values[0]![0]);
    for (const [id, name] of this.rows<[number, string]>('SELECT model_id, name FROM models')) this.modelIds.set(name, id);
    for (const [id, name] of this.rows<[number, string]>('SELECT tag_id, name FROM tags')) this.tagIds.set(name, id);
    for (const [id] of this.rows<[number]>('SELECT source_id FROM sources WHERE substr(path, 1, ?) = ?', [TASK_SOURCE_PREFIX.length, TASK_SOURCE_PREFIX])) this.taskSources.add(id);
    for (const table of ['models', 'tags', 'sessions'] as const) {
      this.nextNameKey[table] = Number(this.rows<[number]>(`SELECT coalesce(max(rowid), 0) + 1 FROM ${table}`)[0]![0]);
    }
  }

  private loadSessionKeys(): Map<string, number> {
    const keys = new Map<string, number>();
    for (const [key, name] of this.rows<[number, string]>('SELECT session_k, name FROM sessions')) keys.set(name, key);
    return keys;
  }

  rows<T extends unknown[]>(sql: string, params: (string | number | null)[] = []): T[] {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      const out: T[] = [];
      while (stmt.step()) out.push(stmt.get() as T);
      return out;
    } finally {
      stmt.free();
    }
  }

  private stmt(name: string, sql: string): Statement {
    return (this.statements[name] ??= this.db.prepare(sql));
  }

  /** The first row of a kept statement (statements asked on every write: preparing them each time cost more than running them). */
  private firstRow<T extends unknown[]>(name: string, sql: string, params: (string | number | null)[]): T | undefined {
    const st = this.stmt(name, sql);
    try {
      st.bind(params);
      return st.step() ? (st.get() as T) : undefined;
    } finally {
      st.reset();
    }
  }

  /** Runs a kept statement. */
  private runKept(name: string, sql: string, params: (string | number | null)[]): void {
    this.stmt(name, sql).run(params);
  }

  /**
   * Throws, and turns the store read-only, when the lock is no longer ours
   * (another process replaced it, or it was deleted): writing on would put
   * two writers' code at the same offsets and one's snapshot over the other's.
   */
  assertLockStillHeld(): void {
    if (!this.lockHeld || this.lockToken === null) return;
    if (stillHeld(join(this.dataDir, LOCK_FILE), this.lockToken)) return;
    this.lockHeld = false;
    this.state = 'read-only';
    this.reason = `another process took over this learning data's lock (${join(this.dataDir, LOCK_FILE)}); this one stopped writing, and what it had not saved is in its journal or its log files`;
    throw new Error(`The learning data is read-only: ${this.reason}`);
  }

  private assertWritable(): void {
    if (this.readOnly && !this.replaying) throw new Error(`The learning data is read-only: ${this.reason ?? ''}`);
  }

  /**
   * The integer key of a model, tag or session name, added to its table the
   * first time it is seen. The key is ours to give, as for examples: asking
   * SQLite for last_insert_rowid cost 2.5 s of a 1M-line import (100k sessions).
   */
  private nameKey(table: 'models' | 'tags' | 'sessions', name: string): number {
    const cache = table === 'models' ? this.modelIds : table === 'tags' ? this.tagIds : (this.sessionKeys ??= this.loadSessionKeys());
    let key = cache.get(name);
    if (key === undefined) {
      key = this.nextNameKey[table]++;
      this.stmt(`ins:${table}`, `INSERT INTO ${table} (rowid, name) VALUES (?, ?)`).run([key, name]);
      cache.set(name, key);
    }
    return key;
  }

  sourceId(path: string): number {
    const found = this.firstRow<[number]>('sourceByPath', 'SELECT source_id FROM sources WHERE path = ?', [path]);
    const id = found ? found[0] : (this.db.run('INSERT INTO sources (path) VALUES (?)', [path]), Number(this.db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0]));
    if (path.startsWith(TASK_SOURCE_PREFIX)) this.taskSources.add(id);
    return id;
  }

  /** Sources that are learning tasks: their examples are practice (FLAG_TASK_EXAMPLE), kept out of the rollups. */
  private readonly taskSources = new Set<number>();

  /** Whether a learning task has ever stored an example here (its source stays when they are deleted: a cautious yes). */
  hasTaskExamples(): boolean {
    return this.taskSources.size > 0;
  }

  /**
   * Stores a batch in one transaction. An id seen before with the same content
   * is a duplicate; with other content, a conflict: the first one stays.
   */
  insert(examples: readonly { example: NormalizedExample; sourceId?: number; line?: number }[], now = Date.now()): InsertCounts {
    this.assertWritable();
    const counts: InsertCounts = { added: 0, duplicates: 0, conflicts: 0, conflictIndexes: [], expiredIndexes: [] };
    const cutoff = this.prunedBefore();
    if (examples.length === 0) return counts;
    this.assertLockStillHeld();
    const find = this.stmt('find', FIND_BY_ID_KEY_SQL);
    // The integer key is ours to give: no lookup of last_insert_rowid per row.
    const ins = this.stmt('insExample', INSERT_EXAMPLE_SQL);
    const insCode = this.stmt('insCode', 'INSERT INTO code_refs (k, off, len, crc) VALUES (?, ?, ?, ?)');
    const insTag = this.stmt('insExTag', 'INSERT OR IGNORE INTO example_tags (tag_id, day, success, k) VALUES (?, ?, ?, ?)');
    const insCommit = this.stmt('insCommit', "INSERT INTO example_commits (k, sha, repository, branch, via) VALUES (?, ?, ?, ?, 'example')");
    const firstK = this.nextK;
    const rollups = new RollupBatch();
    const searchable: SearchRow[] = [];
    this.db.exec('BEGIN');
    try {
      for (let index = 0; index < examples.length; index++) {
        const { example: e, sourceId, line } = examples[index]!;
        const k = this.nextK;
        const idKey = stringKey(e.id);
        // An id stored before (in an earlier batch or earlier in this one): the same content is a duplicate,
        // other content a conflict (the first stays). Other ids that share the key are skipped.
        find.bind([idKey]);
        let existing: number | undefined;
        let existingK = 0;
        while (existing === undefined && find.step()) {
          const [id, content, storedK] = find.get() as [string, number, number];
          if (id === e.id) {
            existing = content;
            existingK = storedK;
          }
        }
        find.reset();
        if (existing !== undefined) {
          if (existing === contentKey(e.contentHash) || this.sameCanonicalContent(existingK, e.contentHash)) counts.duplicates++;
          else {
            counts.conflicts++;
            counts.conflictIndexes.push(index);
          }
          continue;
        }
        if (cutoff !== null && e.ts < cutoff) {
          counts.expiredIndexes.push(index);
          continue;
        }
        const modelId = e.model === null ? null : this.nameKey('models', e.model);
        const sessionK = e.sessionId === null ? null : this.nameKey('sessions', e.sessionId);
        const practice = sourceId !== undefined && this.taskSources.has(sourceId);
        ins.run(exampleRowParams(k, idKey, e, modelId, sessionK, sourceId ?? null, line ?? null, now, practice));
        this.nextK++;
        const code = e.codeContext === null ? null : this.code.append(e.codeContext);
        if (code) insCode.run([k, ...code]);
        searchable.push({ k, description: e.taskDescription, feedback: e.humanFeedback, code: code && [code[0], code[1]] });
        const tagIds = e.tags.map((tag) => this.nameKey('tags', tag));
        for (const tagId of tagIds) insTag.run([tagId, e.day, successCode(e.success), k]);
        const commit = commitOf(e.extra);
        if (commit) insCommit.run([k, commit.sha, commit.repository, commit.branch]);
        // The rollups count the agent's own examples; a learning task's practice is read from the rows when a filter asks for it.
        if (!practice) rollups.add(e, modelId, tagIds);
        counts.added++;
      }
      for (const { sql, rows } of rollups.statements()) {
        const st = this.stmt(sql, sql);
        for (const row of rows) st.run(row);
      }
      // The code reaches the file before the rows that refer to it are committed (bytes no row refers to are harmless).
      this.code.flush();
      this.db.exec('COMMIT');
      this.search.added(searchable);
    } catch (err) {
      this.db.exec('ROLLBACK');
      this.code.discardPending();
      // The caches may name rows the rollback removed.
      this.nextK = firstK;
      this.modelIds.clear();
      this.tagIds.clear();
      this.sessionKeys = null;
      this.loadCaches();
      throw err;
    }
    this.dirty = true;
    return counts;
  }

  /**
   * Whether the stored example `k` has this content fingerprint, taken again
   * from the stored row. Examples stored before the fingerprint was canonical
   * (tags in file order, feedback included) have another one on record; this
   * tells those apart from a real conflict, and records the canonical one, so
   * the question is asked once per example. Only reached on a mismatch.
   */
  private sameCanonicalContent(k: number, hash: string): boolean {
    const row = this.rows<[number, number, number | null, number | null, string | null, number | null, string | null, string | null]>(
      'SELECT ts, success, model_id, session_k, task_description, tokens, metrics, extra FROM examples WHERE k = ?',
      [k],
    )[0];
    if (!row) return false;
    const [ts, success, modelId, sessionK, taskDescription, tokens, metrics, extra] = row;
    const name = (table: string, key: string, id: number | null) =>
      id === null ? null : (this.rows<[string]>(`SELECT name FROM ${table} WHERE ${key} = ?`, [id])[0]?.[0] ?? null);
    const ref = this.rows<[number, number, number | null]>('SELECT off, len, crc FROM code_refs WHERE k = ?', [k])[0];
    const stored = contentHash({
      ts,
      success: successFromCode(success),
      model: name('models', 'model_id', modelId),
      sessionId: name('sessions', 'session_k', sessionK),
      taskDescription,
      tokens,
      codeContext: ref ? this.code.readChecked(ref[0], ref[1], ref[2]).text : null,
      tags: this.rows<[string]>('SELECT t.name FROM example_tags et JOIN tags t ON t.tag_id = et.tag_id WHERE et.k = ?', [k]).map(([n]) => n),
      metrics: metrics ? (JSON.parse(metrics) as Record<string, unknown>) : {},
      extra: extra ? (JSON.parse(extra) as Record<string, unknown>) : {},
    });
    if (stored !== hash) return false;
    this.db.run('UPDATE examples SET content_k = ? WHERE k = ?', [contentKey(hash), k]);
    return true;
  }

  // The storage contract's ingest side (IngestTarget). sql.js answers at once; the snapshot that makes
  // a batch and its offset durable together is saved after both (the import's afterBatch).
  sourceKey(path: string): Promise<number> {
    return Promise.resolve(this.sourceId(path));
  }

  sourceOffset(path: string): Promise<SourceOffset | null> {
    return Promise.resolve(this.getSourceOffset(path));
  }

  writeBatch(batch: readonly BatchItem[], offset: SourceOffset | null): Promise<InsertCounts> {
    const counts = this.insert(batch);
    if (offset) this.setSourceOffset(offset);
    return Promise.resolve(counts);
  }

  retentionCutoff(): Promise<number | null> {
    return Promise.resolve(this.prunedBefore());
  }

  sourceOffsets(): Promise<SourceOffset[]> {
    const rows = this.rows<[string, number, number, string | null]>('SELECT path, byte_offset, line, head FROM sources WHERE byte_offset > 0 OR head IS NOT NULL ORDER BY source_id');
    return Promise.resolve(rows.map(([path, byteOffset, line, head]) => ({ path, byteOffset, line, head })));
  }

  getSourceOffset(path: string): SourceOffset | null {
    const row = this.rows<[number, number, string | null]>('SELECT byte_offset, line, head FROM sources WHERE path = ?', [path])[0];
    return row ? { path, byteOffset: row[0], line: row[1], head: row[2] } : null;
  }

  setSourceOffset(offset: SourceOffset, now = Date.now()): void {
    this.assertWritable();
    this.sourceId(offset.path);
    this.db.run('UPDATE sources SET byte_offset = ?, line = ?, head = ?, updated_at = ? WHERE path = ?', [
      offset.byteOffset,
      offset.line,
      offset.head,
      now,
      offset.path,
    ]);
    this.dirty = true;
  }

  count(): number {
    return Number(this.db.exec('SELECT count(*) FROM examples')[0]!.values[0]![0]);
  }

  /** When the last example stored was stored: the one with the highest key (found by the key, where max(ingested_at) reads every row: 170 ms of each open at 1M). */
  lastIngest(): number | null {
    const v = this.db.exec('SELECT ingested_at FROM examples ORDER BY k DESC LIMIT 1')[0]?.values[0]?.[0];
    return v === null || v === undefined ? null : Number(v);
  }

  /**
   * What retention removes before `cutoff` (epoch ms): the examples older than
   * it, except those with feedback the user wrote and those a learning task
   * reported (its result names them). Their per-day rollups stay.
   */
  private static readonly PRUNABLE = `e.ts < ? AND e.human_feedback IS NULL
    AND (e.flags & ${FLAG_TASK_EXAMPLE}) = 0`;

  /** What a prune before `cutoff` would remove: how many, their date range, their code bytes. */
  pruneCandidates(cutoff: number): { examples: number; first: number | null; last: number | null; codeBytes: number } {
    const [n, first, last, bytes] = this.rows<[number, number | null, number | null, number | null]>(
      `SELECT count(*), min(e.ts), max(e.ts), sum(c.len) FROM examples e LEFT JOIN code_refs c ON c.k = e.k WHERE ${LearningStore.PRUNABLE}`,
      [cutoff],
    )[0]!;
    return { examples: Number(n), first, last, codeBytes: Number(bytes ?? 0) };
  }

  /**
   * Removes up to `limit` of the examples a prune before `cutoff` removes, in
   * one transaction (small enough that the worker answers between slices);
   * returns how many. Records the cutoff, so an example dated before it is not
   * stored again (its day's rollups already count it).
   */
  pruneSlice(cutoff: number, limit = 1000): { removed: number; first: number | null; last: number | null; codeBytes: number } {
    this.assertWritable();
    this.assertLockStillHeld();
    const rows = this.rows<[number, number, number | null]>(
      `SELECT e.k, e.ts, c.len FROM examples e LEFT JOIN code_refs c ON c.k = e.k WHERE ${LearningStore.PRUNABLE} LIMIT ?`,
      [cutoff, limit],
    );
    const keys = rows.map(([k]) => k);
    const slice = {
      removed: keys.length,
      first: rows.length ? Math.min(...rows.map((r) => r[1])) : null,
      last: rows.length ? Math.max(...rows.map((r) => r[1])) : null,
      codeBytes: rows.reduce((sum, r) => sum + (r[2] ?? 0), 0),
    };
    const before = this.prunedBefore();
    if (keys.length === 0 && before !== null && before >= cutoff) return slice;
    const list = `(${keys.map(() => '?').join(', ')})`;
    this.db.exec('BEGIN');
    try {
      if (keys.length) {
        this.db.run(`DELETE FROM example_tags WHERE k IN ${list}`, keys);
        this.db.run(`DELETE FROM example_commits WHERE k IN ${list}`, keys);
        this.db.run(`DELETE FROM code_refs WHERE k IN ${list}`, keys);
        this.db.run(`DELETE FROM examples WHERE k IN ${list}`, keys);
      }
      this.db.run("INSERT INTO meta (key, value) VALUES ('pruned_before', ?) ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))", [String(cutoff)]);
      this.db.run("INSERT INTO meta (key, value) VALUES ('pruned_examples', ?) ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)", [String(keys.length)]);
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
    this.search.removed(keys);
    this.prunedCutoff = Math.max(this.prunedCutoff ?? 0, cutoff);
    this.dirty = true;
    return slice;
  }

  /**
   * Links examples to the commits whose Learning-Example-Id trailer names them (an example
   * that names its own commit keeps it). Derived from the repository, so not journalled:
   * lost in a crash, it is read again. Returns how many links are new.
   */
  linkTrailerCommits(links: readonly { exampleId: string; sha: string }[]): number {
    this.assertWritable();
    const find = this.stmt('find', FIND_BY_ID_KEY_SQL);
    let added = 0;
    this.db.exec('BEGIN');
    try {
      for (const { exampleId, sha } of links) {
        find.bind([stringKey(exampleId)]);
        let k: number | undefined;
        while (k === undefined && find.step()) {
          const [id, , storedK] = find.get() as [string, number, number];
          if (id === exampleId) k = storedK;
        }
        find.reset();
        if (k === undefined) continue;
        this.db.run("INSERT OR IGNORE INTO example_commits (k, sha, repository, branch, via) VALUES (?, ?, NULL, NULL, 'trailer')", [k, sha]);
        added += this.db.getRowsModified();
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
    if (added) this.dirty = true;
    return added;
  }

  /** Stores what git says of commits (a cache: recomputed when the main branch moves), with the files each touched. */
  setGitVerdicts(verdicts: readonly { sha: string; mainHead: string; data: string; files: readonly string[] }[]): void {
    this.assertWritable();
    this.db.exec('BEGIN');
    try {
      for (const v of verdicts) {
        this.db.run('INSERT OR REPLACE INTO git_verdicts (sha, main_head, data) VALUES (?, ?, ?)', [v.sha, v.mainHead, v.data]);
        this.db.run('DELETE FROM git_files WHERE sha = ?', [v.sha]);
        for (const path of v.files) this.db.run('INSERT OR IGNORE INTO git_files (path, sha) VALUES (?, ?)', [path, v.sha]);
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
    if (verdicts.length) this.dirty = true;
  }

  /** Whether a prune before `cutoff` would remove anything (cheap: the first one found). */
  hasPrunable(cutoff: number): boolean {
    return this.rows(`SELECT 1 FROM examples e WHERE ${LearningStore.PRUNABLE} LIMIT 1`, [cutoff]).length > 0;
  }

  private prunedCutoff: number | null | undefined;

  /** The retention cutoff (epoch ms) examples were removed before, or null if none ever were. */
  prunedBefore(): number | null {
    if (this.prunedCutoff === undefined) {
      const v = this.rows<[string]>("SELECT value FROM meta WHERE key = 'pruned_before'")[0]?.[0];
      this.prunedCutoff = v === undefined ? null : Number(v);
    }
    return this.prunedCutoff;
  }

  /** How many examples retention has removed in all. */
  prunedExamples(): number {
    return Number(this.rows<[string]>("SELECT value FROM meta WHERE key = 'pruned_examples'")[0]?.[0] ?? 0);
  }

  /** Writes a snapshot now, changed or not: a backup copies a file the fingerprint list names. */
  async saveNow(): Promise<void> {
    if (this.readOnly) throw new Error(`the learning data is read-only here (${this.reason ?? ''}); back it up from the window that writes it`);
    this.dirty = true;
    await this.save();
  }

  /** Writes the snapshot if anything changed. Never inside a transaction (sql.js ≥ 1.16 throws there). */
  async save(): Promise<{ saved: boolean; bytes: number; checkMs: number; exportMs: number; writeMs: number }> {
    if (!this.dirty || this.readOnly) return { saved: false, bytes: 0, checkMs: 0, exportMs: 0, writeMs: 0 };
    this.assertLockStillHeld();
    const t0 = performance.now();
    // Never replace the last good snapshot with a damaged one: the database in memory passes quick_check first.
    // It costs about 0.4 s per 100 MB, so a large database is checked at its first save and then every QUICK_CHECK_EVERY_MS.
    const bytes = Number(this.rows<[number]>('PRAGMA page_count')[0]![0]) * Number(this.rows<[number]>('PRAGMA page_size')[0]![0]);
    const due = this.lastQuickCheck === null || bytes < this.quickCheckAlwaysBelowBytes || t0 - this.lastQuickCheck >= QUICK_CHECK_EVERY_MS;
    if (due) {
      const check = this.db.exec('PRAGMA quick_check')[0]?.values.map((r) => String(r[0])) ?? [];
      if (check.length !== 1 || check[0] !== 'ok') {
        throw new Error(`the learning data in memory failed SQLite's integrity check (${check.slice(0, 3).join('; ')}); the last snapshot was kept as it is`);
      }
      this.lastQuickCheck = performance.now();
    }
    const checkMs = performance.now() - t0;
    // The code this snapshot refers to is on disk before the snapshot is.
    this.code.sync();
    for (const s of Object.values(this.statements)) s.free();
    this.statements = {};
    const data = this.db.export();
    this.registerFunctions();
    const savedSeq = this.journalSeq;
    const t1 = performance.now();
    this.dirty = false;
    const print = fingerprint(data);
    try {
      // The list names the new snapshot before it takes its name, and the one on disk as the one before (the backup).
      const sums = { current: print, previous: this.lastSaved ?? readSums(this.dataDir)?.current ?? null };
      await writeFileAtomic(join(this.dataDir, SUMS_FILE), Buffer.from(JSON.stringify(sums)));
      await this.snapshotWriter(join(this.dataDir, SNAPSHOT_FILE), data, join(this.dataDir, BACKUP_FILE));
    } catch (e) {
      this.dirty = true;
      throw e;
    }
    this.lastSaved = print;
    // The snapshot holds every journalled write up to savedSeq: those entries are no longer needed.
    this.journal.compact(savedSeq);
    return { saved: true, bytes: data.byteLength, checkMs, exportMs: t1 - t0 - checkMs, writeMs: performance.now() - t1 };
  }

  close(): void {
    for (const s of Object.values(this.statements)) s.free();
    this.statements = {};
    this.db.close();
    this.code?.close();
    if (this.lockHeld) releaseLock(join(this.dataDir, LOCK_FILE), this.lockToken ?? undefined);
    this.lockHeld = false;
  }
}

/** The candidates for an id: every stored example whose id has this key (almost always one or none). */
/** A learning task's examples are stored with this source, followed by the task's id. */
export const TASK_SOURCE_PREFIX = 'learning-task:';

export const FIND_BY_ID_KEY_SQL = 'SELECT id, content_k, k FROM examples WHERE id_k = ?';

export const INSERT_EXAMPLE_SQL = `INSERT INTO examples (k, id, id_k, ts, day, success, model_id, session_k, task_description, tokens, exec_time, metrics,
  human_feedback, extra, source_id, source_line, ingested_at, flags, content_k) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The values of one `examples` row, in the column order of INSERT_EXAMPLE_SQL (k first). */
export function exampleRowParams(
  k: number,
  idKey: number,
  e: NormalizedExample,
  modelId: number | null,
  sessionK: number | null,
  sourceId: number | null,
  line: number | null,
  now: number,
  taskExample = false,
): (string | number | null)[] {
  const execTime = executionTime(e.metrics);
  return [
    k,
    e.id,
    idKey,
    e.ts,
    e.day,
    successCode(e.success),
    modelId,
    sessionK,
    e.taskDescription,
    e.tokens,
    execTime,
    JSON.stringify(e.metrics),
    e.humanFeedback,
    Object.keys(e.extra).length ? JSON.stringify(e.extra) : null,
    sourceId,
    line,
    now,
    (e.futureTimestamp ? FLAG_FUTURE_TIMESTAMP : 0) | (taskExample ? FLAG_TASK_EXAMPLE : 0),
    contentKey(e.contentHash),
  ];
}

function userVersionOf(db: Database): number | null {
  try {
    return Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
  } catch {
    return null;
  }
}
