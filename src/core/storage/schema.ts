import type { Database } from 'sql.js';
import { commitOf } from '../model/commitRef';
import { registerKeyFunctions } from './keys';

/**
 * One migration per step: MIGRATIONS[n] takes a database at user_version n to
 * n + 1. Never edit a shipped step; add a new one.
 */
export const MIGRATIONS: ReadonlyArray<(db: Database) => void> = [
  // 0 → 1: examples, their tags and code, models, sources, meta.
  (db) => {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE models (model_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE tags (tag_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE sources (
        source_id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        byte_offset INTEGER NOT NULL DEFAULT 0,
        line INTEGER NOT NULL DEFAULT 0,
        head TEXT,
        updated_at INTEGER
      );
      CREATE TABLE examples (
        k INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        ts INTEGER NOT NULL,
        day INTEGER NOT NULL,
        success INTEGER NOT NULL,
        model_id INTEGER,
        session_id TEXT,
        task_description TEXT,
        tokens INTEGER,
        exec_time REAL,
        metrics TEXT,
        human_feedback TEXT,
        extra TEXT,
        source_id INTEGER,
        source_line INTEGER,
        ingested_at INTEGER NOT NULL,
        flags INTEGER NOT NULL DEFAULT 0,
        content_hash TEXT NOT NULL
      );
      CREATE TABLE example_code (k INTEGER PRIMARY KEY, code TEXT NOT NULL);
      CREATE TABLE example_tags (
        tag_id INTEGER NOT NULL,
        day INTEGER NOT NULL,
        success INTEGER NOT NULL,
        k INTEGER NOT NULL,
        PRIMARY KEY (tag_id, day, k)
      ) WITHOUT ROWID;
      CREATE INDEX example_tags_k ON example_tags (k);
      CREATE INDEX examples_day ON examples (day, success);
      CREATE INDEX examples_ts ON examples (ts);
      CREATE INDEX examples_model ON examples (model_id, day, success, tokens, exec_time);
      CREATE INDEX examples_session ON examples (session_id);
    `);
  },
  // 1 → 2: per-day rollups so the dashboard's figures never scan every example;
  // the covering indexes they replace go, which also makes inserts cheaper.
  (db) => {
    db.exec(`
      CREATE TABLE rollup_daily (
        day INTEGER NOT NULL,
        model_id INTEGER NOT NULL,
        success INTEGER NOT NULL,
        n INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        tokens_n INTEGER NOT NULL,
        exec_sum REAL NOT NULL,
        exec_n INTEGER NOT NULL,
        PRIMARY KEY (day, model_id, success)
      ) WITHOUT ROWID;
      CREATE TABLE rollup_tag_daily (
        tag_id INTEGER NOT NULL,
        day INTEGER NOT NULL,
        model_id INTEGER NOT NULL,
        success INTEGER NOT NULL,
        n INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        tokens_n INTEGER NOT NULL,
        exec_sum REAL NOT NULL,
        exec_n INTEGER NOT NULL,
        PRIMARY KEY (tag_id, day, model_id, success)
      ) WITHOUT ROWID;
      INSERT INTO rollup_daily
        SELECT day, coalesce(model_id, 0), success, count(*), coalesce(sum(tokens), 0), count(tokens), coalesce(sum(exec_time), 0), count(exec_time)
        FROM examples GROUP BY 1, 2, 3;
      INSERT INTO rollup_tag_daily
        SELECT et.tag_id, e.day, coalesce(e.model_id, 0), e.success, count(*), coalesce(sum(e.tokens), 0), count(e.tokens),
               coalesce(sum(e.exec_time), 0), count(e.exec_time)
        FROM example_tags et JOIN examples e ON e.k = et.k GROUP BY 1, 2, 3, 4;
      DROP INDEX examples_model;
      DROP INDEX examples_day;
      CREATE INDEX examples_model ON examples (model_id, ts);
      DROP INDEX examples_session;
      CREATE INDEX examples_session ON examples (session_id, ts);
    `);
  },
  // 2 → 3: the time index also carries the outcome, so the activity heatmap
  // (examples and successes per quarter hour) reads the index alone.
  (db) => {
    db.exec(`
      DROP INDEX examples_ts;
      CREATE INDEX examples_ts ON examples (ts, success);
    `);
  },
  // 3 → 4: learning tasks, their event logs, and the knowledge they produce.
  // Each row keeps its record as JSON, validated with the shared schema when read.
  (db) => {
    db.exec(`
      CREATE TABLE tasks (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, state TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE task_events (task_id TEXT NOT NULL, n INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (task_id, n)) WITHOUT ROWID;
      CREATE TABLE knowledge (id TEXT PRIMARY KEY, technology TEXT NOT NULL, created_at INTEGER NOT NULL, task_id TEXT, data TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX knowledge_technology ON knowledge (technology, created_at);
    `);
  },
  // 4 → 5: the code context moves out of the database into an append-only
  // side file (learning.code), each example's code referenced by offset and
  // length. The store moves the rows of example_code into the file right
  // after this step (it needs the file) and then drops that table.
  (db) => {
    db.exec(`CREATE TABLE code_refs (k INTEGER PRIMARY KEY, off INTEGER NOT NULL, len INTEGER NOT NULL);`);
  },
  // 5 → 6: a lean examples table. The id keeps its text but is found through a
  // 47-bit integer key (id_key) under a plain index instead of a UNIQUE index
  // on the text; sessions get integer keys of their own table; the content
  // hash becomes a 44-bit integer (content_key). At a million examples this
  // takes about a third off the snapshot and most of the random index work
  // off every insert. Needs id_key() and content_key() (keys.ts) registered.
  (db) => {
    db.exec(`
      CREATE TABLE sessions (session_k INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      INSERT INTO sessions (name) SELECT session_id FROM examples WHERE session_id IS NOT NULL GROUP BY session_id ORDER BY min(k);
      CREATE TABLE examples_v6 (
        k INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        id_k INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        day INTEGER NOT NULL,
        success INTEGER NOT NULL,
        model_id INTEGER,
        session_k INTEGER,
        task_description TEXT,
        tokens INTEGER,
        exec_time REAL,
        metrics TEXT,
        human_feedback TEXT,
        extra TEXT,
        source_id INTEGER,
        source_line INTEGER,
        ingested_at INTEGER NOT NULL,
        flags INTEGER NOT NULL DEFAULT 0,
        content_k INTEGER NOT NULL
      );
      INSERT INTO examples_v6
        SELECT e.k, e.id, id_key(e.id), e.ts, e.day, e.success, e.model_id, s.session_k, e.task_description, e.tokens, e.exec_time, e.metrics,
               e.human_feedback, e.extra, e.source_id, e.source_line, e.ingested_at, e.flags, content_key(e.content_hash)
        FROM examples e LEFT JOIN sessions s ON s.name = e.session_id ORDER BY e.k;
      DROP TABLE examples;
      ALTER TABLE examples_v6 RENAME TO examples;
      CREATE INDEX examples_id ON examples (id_k);
      CREATE INDEX examples_ts ON examples (ts, success);
      CREATE INDEX examples_model ON examples (model_id, ts);
      CREATE INDEX examples_session ON examples (session_k, ts);
    `);
  },
  // 6 → 7: each code record carries the CRC-32 of its bytes, checked on every read, so a flipped
  // byte or a cut file is reported instead of shown. Records written before have none (null): unchecked.
  (db) => {
    db.exec('ALTER TABLE code_refs ADD COLUMN crc INTEGER');
  },
  // 7 → 8: examples linked to commits (named by the example, or by a commit's Learning-Example-Id
  // trailer), and what git says of each commit (cached, recomputed when the main branch moves)
  // with the files it touched, for the details view, the git-judged rates and the file-anchored view.
  (db) => {
    db.exec(`
      CREATE TABLE example_commits (k INTEGER PRIMARY KEY, sha TEXT NOT NULL, repository TEXT, branch TEXT, via TEXT NOT NULL);
      CREATE INDEX example_commits_sha ON example_commits (sha);
      CREATE INDEX example_commits_branch ON example_commits (branch);
      CREATE TABLE git_verdicts (sha TEXT PRIMARY KEY, main_head TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE git_files (path TEXT NOT NULL, sha TEXT NOT NULL, PRIMARY KEY (path, sha)) WITHOUT ROWID;
    `);
    const insert = db.prepare("INSERT INTO example_commits (k, sha, repository, branch, via) VALUES (?, ?, ?, ?, 'example')");
    const rows = db.prepare("SELECT k, extra FROM examples WHERE extra LIKE '%commit%'");
    try {
      while (rows.step()) {
        const [k, extra] = rows.get() as [number, string];
        const ref = commitOf(JSON.parse(extra) as Record<string, unknown>);
        if (ref) insert.run([k, ref.sha, ref.repository, ref.branch]);
      }
    } finally {
      rows.free();
      insert.free();
    }
  },
  // 8 → 9: a learning task's examples are practice, not the agent's work: flagged (FLAG_TASK_EXAMPLE),
  // and taken out of the per-day rollups, which from now on count the agent's examples only.
  (db) => {
    db.exec(`
      UPDATE examples SET flags = flags | ${FLAG_TASK_EXAMPLE}
        WHERE source_id IN (SELECT source_id FROM sources WHERE path LIKE 'learning-task:%');
      CREATE TEMP TABLE task_share AS
        SELECT day, coalesce(model_id, 0) AS model_id, success, count(*) AS n, coalesce(sum(tokens), 0) AS tokens, count(tokens) AS tokens_n,
               coalesce(sum(exec_time), 0) AS exec_sum, count(exec_time) AS exec_n
        FROM examples WHERE flags & ${FLAG_TASK_EXAMPLE} GROUP BY 1, 2, 3;
      UPDATE rollup_daily SET n = rollup_daily.n - d.n, tokens = rollup_daily.tokens - d.tokens, tokens_n = rollup_daily.tokens_n - d.tokens_n,
             exec_sum = rollup_daily.exec_sum - d.exec_sum, exec_n = rollup_daily.exec_n - d.exec_n
        FROM task_share d WHERE rollup_daily.day = d.day AND rollup_daily.model_id = d.model_id AND rollup_daily.success = d.success;
      CREATE TEMP TABLE task_tag_share AS
        SELECT et.tag_id, e.day, coalesce(e.model_id, 0) AS model_id, e.success, count(*) AS n, coalesce(sum(e.tokens), 0) AS tokens, count(e.tokens) AS tokens_n,
               coalesce(sum(e.exec_time), 0) AS exec_sum, count(e.exec_time) AS exec_n
        FROM example_tags et JOIN examples e ON e.k = et.k WHERE e.flags & ${FLAG_TASK_EXAMPLE} GROUP BY 1, 2, 3, 4;
      UPDATE rollup_tag_daily SET n = rollup_tag_daily.n - d.n, tokens = rollup_tag_daily.tokens - d.tokens, tokens_n = rollup_tag_daily.tokens_n - d.tokens_n,
             exec_sum = rollup_tag_daily.exec_sum - d.exec_sum, exec_n = rollup_tag_daily.exec_n - d.exec_n
        FROM task_tag_share d
        WHERE rollup_tag_daily.tag_id = d.tag_id AND rollup_tag_daily.day = d.day AND rollup_tag_daily.model_id = d.model_id AND rollup_tag_daily.success = d.success;
      DELETE FROM rollup_daily WHERE n <= 0;
      DELETE FROM rollup_tag_daily WHERE n <= 0;
      DROP TABLE task_share;
      DROP TABLE task_tag_share;
      CREATE INDEX examples_practice ON examples (day) WHERE (flags & ${FLAG_TASK_EXAMPLE}) != 0;
    `);
  },
  // 9 → 10: an outcome can be unknown (an agent session's turn): \`success\` 2 beside 1 and 0, in the
  // examples, the tag table and both rollups (src/core/model/successCode.ts). Nothing stored changes;
  // the version keeps an older Learning Viewer, which would count a 2 as a success, from writing here.
  () => {},
];

/** `examples.flags`: the timestamp was in the future when it was stored. */
export const FLAG_FUTURE_TIMESTAMP = 1;
/** `examples.flags`: written by a learning task (practice), not by the agent's own work: out of the rollups and, unless a filter asks, out of every figure. */
export const FLAG_TASK_EXAMPLE = 2;

export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: Database): number {
  const result = db.exec('PRAGMA user_version');
  return Number(result[0]?.values[0]?.[0] ?? 0);
}

/**
 * Brings the database up to SCHEMA_VERSION, each step in its own transaction.
 * A database from a newer version is left untouched: the caller opens it read-only.
 */
export function migrate(db: Database): { from: number; to: number; newer: boolean } {
  const from = userVersion(db);
  if (from > SCHEMA_VERSION) return { from, to: from, newer: true };
  registerKeyFunctions(db);
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.exec('BEGIN');
    try {
      MIGRATIONS[v]!(db);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw new Error(`migrating the database from version ${v} to ${v + 1} failed: ${(e as Error).message}`);
    }
  }
  return { from, to: SCHEMA_VERSION, newer: false };
}
