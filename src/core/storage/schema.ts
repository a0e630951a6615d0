import type { Database } from 'sql.js';

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
];

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
