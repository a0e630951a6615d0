// What every command of the command line shares: exit codes, the usage error,
// opening the database a command names (a folder or a team's PostgreSQL), and
// the shape of a command.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { LearningStore, readSnapshotAhead } from '../core/storage/learningStore';
import type { LearningEngine } from '../core/engine/contract';
import { EmbeddedEngine } from '../core/engine/embeddedEngine';
import { PgEngine } from '../core/engine/postgres/pgEngine';
import { isPostgresUrl } from '../core/engine/postgres/connect';
import { loadSqlJs } from '../core/storage/loadSqlJs';
import { readAlertsFile } from '../core/alerts/alertsFile';
import type { OptionName, Values } from './options';

export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

/** A command: its options (any other is a usage error naming it), its help, and what it does. */
export interface Command {
  name: string;
  help: string;
  options: readonly OptionName[];
  /** Whether it takes arguments besides its options (files, a technology, an action). */
  positionals: boolean;
  /** Whether it runs on a team's PostgreSQL too; the others need the embedded database's folder for now. */
  postgres: boolean;
  run(positionals: string[], values: Values): Promise<number>;
}

export class UsageError extends Error {}

/** The parse worker's bundle beside this one, when there is one. */
export function parseWorkerPath(): string | undefined {
  const path = join(__dirname, 'parseWorker.js');
  return existsSync(path) ? path : undefined;
}

export function wasmPath(): string {
  return join(__dirname, 'sql-wasm.wasm');
}

export async function openStore(db: string | undefined, readOnly: boolean): Promise<LearningStore> {
  if (!db) throw new UsageError('--db DIR is required: the folder that holds the learning database');
  const [SQL, snapshot] = await Promise.all([loadSqlJs(wasmPath()), readSnapshotAhead(db)]);
  const store = LearningStore.open({ SQL, dataDir: db, readOnly, snapshot });
  if (!readOnly && store.readOnly) {
    store.close();
    throw new Error(`cannot write to ${db}: ${store.reason}`);
  }
  // Damage is said, never read as truth: what was recovered, or that nothing could be read.
  if (readOnly && store.loaded.nothingReadable) {
    const reason = store.loaded.note ?? 'the learning data could not be read';
    store.close();
    throw new Error(`cannot read ${db}: ${reason}`);
  }
  if (store.loaded.note) process.stderr.write(`learning-viewer: ${store.loaded.note}\n`);
  else if (store.reason && store.state === 'ok') process.stderr.write(`learning-viewer: ${store.reason}\n`);
  return store;
}

export interface DatabaseValues {
  db?: string;
  database?: string;
}

/** The PostgreSQL URL the command names (--database URL, or DATABASE_URL when no --db folder is given), or null. */
export function postgresTarget(values: DatabaseValues): string | null {
  if (values.database !== undefined) return isPostgresUrl(values.database) ? values.database.trim() : null;
  if (values.db !== undefined) return null;
  const env = process.env.DATABASE_URL;
  return env && isPostgresUrl(env) ? env.trim() : null;
}

/** The database a command reads or writes: a team's PostgreSQL (--database URL or DATABASE_URL), or the embedded one in --db DIR. */
export async function openEngine(values: DatabaseValues, readOnly: boolean): Promise<LearningEngine> {
  const url = postgresTarget(values);
  if (url) {
    return PgEngine.open(url, {
      application: 'learning-viewer cli',
      onRetry: (message) => process.stderr.write(`learning-viewer: ${message}\n`),
    });
  }
  const folder = values.database ?? values.db;
  return new EmbeddedEngine(await openStore(folder, readOnly), folder!);
}

export function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of 1 or more, not "${text}"`);
  return n;
}

/** The alert settings of --alerts FILE (an unreadable or wrong file is a usage error naming it). */
export function alertsConfig(file: string | undefined) {
  if (file === undefined) return undefined;
  try {
    return readAlertsFile(file);
  } catch (e) {
    throw new UsageError(`--alerts ${(e as Error).message}`);
  }
}
