// The native-SQLite baseline: the same schema, the same insert statements and
// the same query code as the sql.js store, on better-sqlite3 (a dev
// dependency used only here).
import Database from 'better-sqlite3';
import type { NormalizedExample } from '../src/core/model/example';
import type { RowSource } from '../src/core/storage/rowSource';
import { exampleRowParams, FIND_BY_ID_KEY_SQL, INSERT_EXAMPLE_SQL } from '../src/core/storage/learningStore';
import { contentKey, stringKey } from '../src/core/storage/keys';
import { RollupBatch } from '../src/core/storage/rollups';
import { MIGRATIONS } from '../src/core/storage/schema';
import { CodeFile } from '../src/core/storage/codeFile';
import { TextSearch, type SearchRow } from '../src/core/storage/textSearch';

export class NativeStore implements RowSource {
  readonly db: Database.Database;
  private readonly models = new Map<string, number>();
  private readonly tags = new Map<string, number>();
  private readonly sessions = new Map<string, number>();
  private nextK = 1;
  private readonly code: CodeFile;
  private readonly search: TextSearch;

  constructor(path: string) {
    this.db = new Database(path);
    // The same layout as the extension's store: code in a side file, referenced by offset.
    this.code = new CodeFile(`${path}.code`, true);
    this.db.function('code_text', (off: unknown, len: unknown) => (typeof off === 'number' && typeof len === 'number' ? this.code.read(off, len) : null));
    const search = new TextSearch(this, this.code);
    this.search = search;
    this.db.function('search_keys', (needle: unknown) => (typeof needle === 'string' ? search.keys(needle) : '[]'));
    this.db.function('search_has', (id: unknown, k: unknown) => (typeof id === 'number' && typeof k === 'number' ? search.has(id, k) : 0));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // The same page cache as the sql.js store.
    this.db.pragma('cache_size = -65536');
    this.db.function('id_key', (text: unknown) => (typeof text === 'string' ? stringKey(text) : null));
    this.db.function('content_key', (text: unknown) => (typeof text === 'string' ? contentKey(text) : null));
    // The migrations speak sql.js: the few calls they make, on better-sqlite3.
    const db = this.db;
    const asSqlJs = {
      exec: (sql: string) => db.exec(sql),
      run: (sql: string, params: unknown[] = []) => db.prepare(sql).run(...params),
      prepare: (sql: string) => {
        const statement = db.prepare(sql);
        let rows: Iterator<unknown[]> | null = null;
        let current: unknown[] = [];
        return {
          step: () => {
            rows ??= statement.raw().iterate() as Iterator<unknown[]>;
            const next = rows.next();
            current = next.done ? [] : next.value;
            return !next.done;
          },
          get: () => current,
          run: (params: unknown[] = []) => statement.run(...params),
          free: () => undefined,
        };
      },
    };
    for (const m of MIGRATIONS) m(asSqlJs as unknown as Parameters<typeof m>[0]);
    this.db.exec('DROP TABLE example_code');
    // better-sqlite3 allows no query from inside search_keys: the (empty) indexes are built now and grow with each insert.
    while (search.buildStep());
    this.db.function('regexp', (pattern: unknown, text: unknown) => (typeof pattern === 'string' && typeof text === 'string' && new RegExp(pattern, 'u').test(text) ? 1 : 0));
  }

  searchMatches(needle: string): { id: number; count: number; span: number } {
    return this.search.matches(needle);
  }

  /** The benchmark's data comes from files only: no learning task's examples. */
  hasTaskExamples(): boolean {
    return false;
  }

  rows<T extends unknown[]>(sql: string, params: (string | number | null)[] = []): T[] {
    return this.db.prepare(sql).raw().all(...params) as T[];
  }

  private id(map: Map<string, number>, table: 'models' | 'tags' | 'sessions', name: string): number {
    let id = map.get(name);
    if (id === undefined) {
      id = Number(this.db.prepare(`INSERT INTO ${table} (name) VALUES (?)`).run(name).lastInsertRowid);
      map.set(name, id);
    }
    return id;
  }

  insert(batch: { example: NormalizedExample }[], now = Date.now()): void {
    const find = this.db.prepare(FIND_BY_ID_KEY_SQL).raw();
    const ins = this.db.prepare(INSERT_EXAMPLE_SQL);
    const insCode = this.db.prepare('INSERT INTO code_refs (k, off, len, crc) VALUES (?, ?, ?, ?)');
    const insTag = this.db.prepare('INSERT OR IGNORE INTO example_tags (tag_id, day, success, k) VALUES (?, ?, ?, ?)');
    const rollups = new RollupBatch();
    const searchable: SearchRow[] = [];
    this.db.transaction(() => {
      for (const { example: e } of batch) {
        const k = this.nextK;
        const idKey = stringKey(e.id);
        if ((find.all(idKey) as [string, number][]).some(([id]) => id === e.id)) continue;
        const modelId = e.model === null ? null : this.id(this.models, 'models', e.model);
        const sessionK = e.sessionId === null ? null : this.id(this.sessions, 'sessions', e.sessionId);
        ins.run(...exampleRowParams(k, idKey, e, modelId, sessionK, null, null, now));
        this.nextK++;
        const code = e.codeContext === null ? null : this.code.append(e.codeContext);
        if (code) insCode.run(k, ...code);
        searchable.push({ k, description: e.taskDescription, feedback: e.humanFeedback, code: code && [code[0], code[1]] });
        const tagIds = e.tags.map((tag) => this.id(this.tags, 'tags', tag));
        for (const tagId of tagIds) insTag.run(tagId, e.day, e.success ? 1 : 0, k);
        rollups.add(e, modelId, tagIds);
      }
      for (const { sql, rows } of rollups.statements()) {
        const stmt = this.db.prepare(sql);
        for (const row of rows) stmt.run(...row);
      }
    })();
    this.code.flush();
    this.search.added(searchable);
  }

  codeText(offset: number, length: number): string | null {
    return this.code.read(offset, length);
  }

  codeRecord(offset: number, length: number, crc: number | null): { text: string | null; problem: string | null } {
    return this.code.readChecked(offset, length, crc);
  }

  close(): void {
    this.code.close();
    this.db.close();
  }
}
