// A batch into PostgreSQL: COPY into a session's staging table (in parallel
// with other writers), then, under the write lock, one statement that keeps
// the first of each id (ON CONFLICT DO NOTHING … RETURNING), and from exactly
// the rows it inserted: the examples, their code, tags and commit, the per-day
// rollups, and the source's offset, in the same transaction. A duplicate or a
// concurrent writer never counts twice; a crash leaves the batch and its offset
// both stored or both not.
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { BatchItem, InsertCounts, SourceOffset } from '../../model/batch';
import { FLAG_FUTURE_TIMESTAMP, FLAG_TASK_EXAMPLE } from '../../storage/schema';
import { commitOf } from '../../model/commitRef';
import { ANNOUNCE_CHANGE, WRITE_LOCK } from './schema';
import { successCode } from '../../model/successCode';

const STAGE_COLUMNS = [
  'ord integer',
  'id text',
  'ts bigint',
  'day integer',
  'success smallint',
  'model text',
  'session text',
  'task_description text',
  'tokens bigint',
  'exec_time double precision',
  'metrics text',
  'human_feedback text',
  'extra text',
  'source_id integer',
  'source_line integer',
  'ingested_at bigint',
  'flags integer',
  'content_hash text',
  'code text',
  'tags text',
  'commit_sha text',
  'commit_repository text',
  'commit_branch text',
  // Dated before the retention cutoff: not stored, unless the id is stored already (then a duplicate, as on the embedded engine).
  'expired boolean',
];

const NEW_COLUMNS = STAGE_COLUMNS.map((c) => c.split(' ')[0]!);

/** The session's staging tables, emptied at every commit. */
const CREATE_STAGE = `
  CREATE TEMP TABLE IF NOT EXISTS lv_stage (${STAGE_COLUMNS.join(', ')}) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS lv_new (${STAGE_COLUMNS.join(', ')}, k bigint, model_id integer) ON COMMIT DELETE ROWS`;

/** A CSV field: NULL unquoted and empty, everything else quoted. */
function csv(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return `"${value.replace(/"/g, '""')}"`;
}

/** The text fields of an example that PostgreSQL's text type must hold. */
function nulCharacterIn(e: BatchItem['example']): string | null {
  const fields: [string, string | null][] = [
    ['id', e.id],
    ['task_description', e.taskDescription],
    ['code_context', e.codeContext],
    ['human_feedback', e.humanFeedback],
    ['model', e.model],
    ['session_id', e.sessionId],
    ...e.tags.map((t): [string, string] => ['tags', t]),
  ];
  for (const [name, value] of fields) if (value !== null && value.includes('\u0000')) return name;
  return null;
}

/** The CSV lines of a batch, and what it refuses (text with a NUL character, which PostgreSQL's text cannot hold). */
function stageRows(batch: readonly BatchItem[], taskSources: ReadonlySet<number>, now: number, cutoff: number | null): { lines: string[]; refused: { index: number; reason: string }[] } {
  const lines: string[] = [];
  const refused: { index: number; reason: string }[] = [];
  batch.forEach(({ example: e, sourceId, line }, index) => {
    const nul = nulCharacterIn(e);
    if (nul) {
      refused.push({ index, reason: `${nul} holds a NUL character (\\u0000), which a PostgreSQL database cannot store` });
      return;
    }
    const exec = typeof e.metrics.execution_time === 'number' ? e.metrics.execution_time : null;
    const practice = sourceId !== undefined && taskSources.has(sourceId);
    const commit = commitOf(e.extra);
    const row = [
      index,
      e.id,
      e.ts,
      e.day,
      successCode(e.success),
      e.model,
      e.sessionId,
      e.taskDescription,
      e.tokens,
      exec,
      JSON.stringify(e.metrics),
      e.humanFeedback,
      Object.keys(e.extra).length ? JSON.stringify(e.extra) : null,
      sourceId ?? null,
      line ?? null,
      now,
      (e.futureTimestamp ? FLAG_FUTURE_TIMESTAMP : 0) | (practice ? FLAG_TASK_EXAMPLE : 0),
      e.contentHash,
      e.codeContext,
      JSON.stringify([...new Set(e.tags)]),
      commit?.sha ?? null,
      commit?.repository ?? null,
      commit?.branch ?? null,
      cutoff !== null && e.ts < cutoff ? 'true' : 'false',
    ];
    lines.push(`${row.map(csv).join(',')}\n`);
  });
  return { lines, refused };
}

/** The lines joined into chunks of about 1 MB: one write per chunk, not per line. */
function* chunks(lines: readonly string[]): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    parts.push(line);
    size += line.length;
    if (size >= 1 << 20) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield parts.join('');
}

const ROLLUP_SET = `n = r.n + excluded.n, tokens = r.tokens + excluded.tokens, tokens_n = r.tokens_n + excluded.tokens_n,
  exec_sum = r.exec_sum + excluded.exec_sum, exec_n = r.exec_n + excluded.exec_n`;

/** The models, sessions and tags of a batch's rows (not those refused): their keys are shared by every writer. */
async function insertNames(client: PoolClient, batch: readonly BatchItem[], refused: readonly { index: number }[]): Promise<void> {
  const skip = new Set(refused.map((r) => r.index));
  const models = new Set<string>();
  const sessions = new Set<string>();
  const tags = new Set<string>();
  batch.forEach(({ example: e }, index) => {
    if (skip.has(index)) return;
    if (e.model !== null) models.add(e.model);
    if (e.sessionId !== null) sessions.add(e.sessionId);
    for (const t of e.tags) tags.add(t);
  });
  for (const [table, names] of [['models', models], ['sessions', sessions], ['tags', tags]] as const) {
    if (names.size) await client.query(`INSERT INTO ${table} (name) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING`, [[...names]]);
  }
}

/** The rows: the first of each id in the batch, kept only where no stored example has it (exactly the rows inserted), with their tags and commit. */
const ROWS = [
  `WITH firsts AS (SELECT DISTINCT ON (id) * FROM lv_stage ORDER BY id, ord),
        ins AS (INSERT INTO example_ids (id, ts, content_hash) SELECT id, ts, content_hash FROM firsts WHERE NOT expired ORDER BY ord ON CONFLICT (id) DO NOTHING RETURNING id, k)
   INSERT INTO lv_new SELECT ${NEW_COLUMNS.map((c) => `f.${c}`).join(', ')}, ins.k, m.model_id
   FROM firsts f JOIN ins ON ins.id = f.id LEFT JOIN models m ON m.name = f.model`,
  `INSERT INTO examples (k, id, ts, day, success, model_id, session_k, task_description, tokens, exec_time, metrics, human_feedback, extra,
                         source_id, source_line, ingested_at, flags)
   SELECT n.k, n.id, n.ts, n.day, n.success, n.model_id, s.session_k, n.task_description, n.tokens, n.exec_time, n.metrics, n.human_feedback, n.extra,
          n.source_id, n.source_line, n.ingested_at, n.flags
   FROM lv_new n LEFT JOIN sessions s ON s.name = n.session ORDER BY n.ord`,
  `INSERT INTO example_tags (tag_id, k, day, success)
   SELECT t.tag_id, n.k, n.day, n.success FROM lv_new n, jsonb_array_elements_text(n.tags::jsonb) AS tg(name) JOIN tags t ON t.name = tg.name
   ON CONFLICT DO NOTHING`,
  `INSERT INTO example_commits (k, sha, repository, branch, via) SELECT k, commit_sha, commit_repository, commit_branch, 'example' FROM lv_new WHERE commit_sha IS NOT NULL`,
];

/** The code, apart: its trigram index makes it the dearest statement of a batch, and it touches no row another writer shares. */
const CODE = `INSERT INTO example_code (k, code) SELECT k, code FROM lv_new WHERE code IS NOT NULL`;

/** The rollups count the agent's own examples; a learning task's practice is read from the rows when a filter asks for it. */
const ROLLUPS = [
  `INSERT INTO rollup_daily AS r (day, model_id, success, n, tokens, tokens_n, exec_sum, exec_n)
   SELECT day, coalesce(model_id, 0), success, count(*), coalesce(sum(tokens), 0), count(tokens), coalesce(sum(exec_time), 0), count(exec_time)
   FROM lv_new WHERE (flags & ${FLAG_TASK_EXAMPLE}) = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
   ON CONFLICT (day, model_id, success) DO UPDATE SET ${ROLLUP_SET}`,
  `INSERT INTO rollup_tag_daily AS r (tag_id, day, model_id, success, n, tokens, tokens_n, exec_sum, exec_n)
   SELECT t.tag_id, n.day, coalesce(n.model_id, 0), n.success, count(*), coalesce(sum(n.tokens), 0), count(n.tokens), coalesce(sum(n.exec_time), 0), count(n.exec_time)
   FROM lv_new n, jsonb_array_elements_text(n.tags::jsonb) AS tg(name) JOIN tags t ON t.name = tg.name
   WHERE (n.flags & ${FLAG_TASK_EXAMPLE}) = 0 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
   ON CONFLICT (tag_id, day, model_id, success) DO UPDATE SET ${ROLLUP_SET}`,
];

/** The staged rows not inserted: the same content as the stored one (a duplicate), other content (a conflict), or none stored and too old. */
const NOT_INSERTED = `SELECT s.ord, s.expired, i.id IS NOT NULL AS stored, (i.content_hash = s.content_hash) AS same FROM lv_stage s LEFT JOIN example_ids i ON i.id = s.id
  WHERE NOT EXISTS (SELECT 1 FROM lv_new n WHERE n.ord = s.ord) ORDER BY s.ord`;

const SET_OFFSET = `INSERT INTO sources (path, byte_offset, line, head, updated_at, machine) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (machine, path) DO UPDATE SET byte_offset = excluded.byte_offset, line = excluded.line, head = excluded.head, updated_at = excluded.updated_at`;

export interface WriteContext {
  taskSources: ReadonlySet<number>;
  cutoff: number | null;
  now: number;
  machine: string;
}

/** Stages the batch in this session's temporary table (no lock: writers COPY side by side). */
async function stage(client: PoolClient, lines: readonly string[]): Promise<void> {
  await client.query(CREATE_STAGE);
  await pipeline(Readable.from(chunks(lines)), client.query(copyFrom(`COPY lv_stage (${NEW_COLUMNS.join(', ')}) FROM STDIN (FORMAT csv)`)));
}

/** What was added, and why each staged row that was not added was not: read after the rows are merged. */
async function countMerged(client: PoolClient, counts: InsertCounts): Promise<void> {
  counts.added = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM lv_new')).rows[0]!.n);
  for (const row of (await client.query<{ ord: number; expired: boolean; stored: boolean; same: boolean }>(NOT_INSERTED)).rows) {
    if (!row.stored) counts.expiredIndexes.push(row.ord);
    else if (row.same) {
      counts.duplicates++;
      (counts.duplicateIndexes ??= []).push(row.ord);
    } else {
      counts.conflicts++;
      counts.conflictIndexes.push(row.ord);
    }
  }
}

async function runAll(client: PoolClient, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await client.query(sql);
}

/** The offset, the change announced, the commit: the end of every batch's transaction. */
async function finish(client: PoolClient, counts: InsertCounts, offset: SourceOffset | null, context: WriteContext): Promise<void> {
  if (offset) await client.query(SET_OFFSET, [offset.path, offset.byteOffset, offset.line, offset.head, context.now, context.machine]);
  if (counts.added > 0) await client.query(ANNOUNCE_CHANGE, ['examples']);
  await client.query('COMMIT');
}

function emptyCounts(refused: InsertCounts['refused'] & object): InsertCounts {
  const counts: InsertCounts = { added: 0, duplicates: 0, conflicts: 0, conflictIndexes: [], expiredIndexes: [] };
  if (refused.length) counts.refused = refused;
  return counts;
}

/**
 * Writes one batch on `client` in one transaction (the caller has created the time partitions
 * its examples need). Examples dated before `cutoff` are not stored (retention), unless already there (a duplicate).
 */
export async function writeBatchPg(client: PoolClient, batch: readonly BatchItem[], offset: SourceOffset | null, context: WriteContext): Promise<InsertCounts> {
  const { lines, refused } = stageRows(batch, context.taskSources, context.now, context.cutoff);
  const counts = emptyCounts(refused);
  await client.query('BEGIN');
  try {
    if (lines.length) {
      await stage(client, lines);
      // Merging is one writer at a time: the rollup rows of today are every writer's, so they would wait for each other there anyway,
      // and in one order there is no deadlock to retry. Parsing and COPY above run side by side.
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      await insertNames(client, batch, refused);
      await runAll(client, [...ROWS, CODE, ...ROLLUPS]);
      await countMerged(client, counts);
    }
    await finish(client, counts, offset, context);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return counts;
}

/** Where a batch of an ordered import stands, for the batch after it. */
export interface BatchTurn {
  /** True once its rows are merged (the next may merge its own); false when that attempt was given up. */
  merged: Promise<boolean>;
  /** True once committed (the next may commit); false when that attempt was rolled back. */
  committed: Promise<boolean>;
}

/** Raised when the batch before gave its attempt up: this one rolled back too, and is written again after it. */
class TurnGivenUp extends Error {
  constructor() {
    super('the batch before this one was not stored at its turn');
    this.name = 'TurnGivenUp';
  }
}

/**
 * One batch of an import whose next batch is already on its way, on a client of its own. The first of
 * each id must win and the offset must only grow, so the rows merge in batch order and the commits happen
 * in batch order; what lies between (the code and its trigram index, the dearest part) runs beside the
 * next batch's merge, on the server's other core. Only the merge holds the write lock; the rollups, which
 * every writer shares, are written after the batch before committed, so this batch never holds a row that
 * one before it waits for. Throws TurnGivenUp, having rolled back, when the batch before gave up.
 */
export async function writeBatchPgInTurn(
  client: PoolClient,
  batch: readonly BatchItem[],
  offset: SourceOffset | null,
  context: WriteContext,
  turn: { before: BatchTurn; merged: () => void },
): Promise<InsertCounts> {
  const { lines, refused } = stageRows(batch, context.taskSources, context.now, context.cutoff);
  const counts = emptyCounts(refused);
  let locked = false;
  // The names on their own, each committed at once: the batch before, when it brings a name this one has too (a
  // session that spans both), would otherwise hold this one's merge until it commits. A name no row uses is never shown.
  await insertNames(client, batch, refused);
  await client.query('BEGIN');
  try {
    if (lines.length) await stage(client, lines);
    if (!(await turn.before.merged)) throw new TurnGivenUp();
    if (lines.length) {
      await client.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK]);
      locked = true;
      await runAll(client, ROWS);
      await countMerged(client, counts);
      await client.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK]);
      locked = false;
    }
    turn.merged();
    if (lines.length) await client.query(CODE);
    if (!(await turn.before.committed)) throw new TurnGivenUp();
    if (lines.length) await runAll(client, ROLLUPS);
    await finish(client, counts, offset, context);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    // A session's lock outlives a rollback; a lost connection took it along.
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK]).catch(() => undefined);
    throw e;
  }
  return counts;
}
