// The figures and the example list on PostgreSQL. The same definitions as the
// embedded engine's queries (src/core/queries): the same rollup plan decides
// when the per-day rollups answer, the same filters mean the same rows, the
// same rows make the same StoredExample. The SQL is PostgreSQL's own: numbered
// parameters, FILTER instead of summing booleans, trigram-indexed LIKE over
// text for the text filter, ASCII folded (SQLite's LIKE folds ASCII only), `~`
// for a code regex (POSIX, close to but not JavaScript's), code in its own table.
import type { Pool } from 'pg';
import type { Filters, SortColumn } from '../../../shared/filters';
import type { StoredExample } from '../../../shared/example';
import type { Summary } from '../../../shared/workerProtocol';
import type { CountRow, DayRow, ModelRow, TagRow } from '../../../shared/rows';
import { successRate } from '../../analytics/successRate';
import { rollupPlan } from '../../queries/rollupPlan';
import { endOfLocalDay } from '../../queries/summary';
import { dayLabel } from '../../../shared/series';
import { FLAG_TASK_EXAMPLE } from '../../storage/schema';
import { ANNOUNCE_CHANGE } from './schema';
import { filterCode, successFromCode } from '../../model/successCode';
import { pgKnownTokensOf, pgRollupKnownTokens, pgRollupSuccesses, pgRollupTokenSuccesses, pgRollupUnknown, pgSuccessesOf, pgTokenSuccessesOf, pgUnknownOf } from './pgOutcomeSql';
import { foldActivity, type Activity } from '../../../shared/figures';

/** Bound values, each a $n in the statement. */
export class Params {
  readonly values: (string | number)[] = [];
  add(v: string | number): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** A shared plan's SQL (with ? marks) in PostgreSQL's numbered form, its values added to `p`. */
export function numbered(sql: string, values: readonly (string | number)[], p: Params): string {
  let i = 0;
  const out = sql.replace(/\?/g, () => p.add(values[i++]!));
  return out === '1' ? 'TRUE' : out;
}

/** A LIKE pattern finding `text` anywhere with SQLite LIKE's rule: ASCII letters folded (compare with lower(col COLLATE "C")), no others. */
export function likePattern(text: string): string {
  return `%${likeLiteral(text.replace(/[A-Z]+/g, (s) => s.toLowerCase()))}%`;
}

/** LIKE's wildcards in a user's text taken literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The filters as a condition over `examples e`, values bound. */
export function pgWhere(f: Filters, p: Params): string {
  const parts: string[] = [];
  if (f.taskExamples === 'only') parts.push(`(e.flags & ${FLAG_TASK_EXAMPLE}) <> 0`);
  if (f.taskExamples === 'without') parts.push(`(e.flags & ${FLAG_TASK_EXAMPLE}) = 0`);
  if (f.since !== null) parts.push(`e.ts >= ${p.add(f.since)}`);
  if (f.until !== null) parts.push(`e.ts < ${p.add(f.until)}`);
  if (f.success !== null) parts.push(`e.success = ${p.add(filterCode(f.success))}`);
  if (f.model !== null) parts.push(`e.model_id = (SELECT model_id FROM models WHERE name = ${p.add(f.model)})`);
  if (f.session !== null) parts.push(`e.session_k = (SELECT session_k FROM sessions WHERE name = ${p.add(f.session)})`);
  if (f.tags.length > 0) {
    const tags = [...new Set(f.tags)];
    const list = tags.map((t) => p.add(t)).join(', ');
    const having = f.tagMode === 'all' && tags.length > 1 ? ` GROUP BY et.k HAVING count(*) = ${tags.length}` : '';
    parts.push(`e.k IN (SELECT et.k FROM example_tags et JOIN tags t ON t.tag_id = et.tag_id WHERE t.name IN (${list})${having})`);
  }
  if (f.andTag !== null) parts.push(`e.k IN (SELECT et.k FROM example_tags et WHERE et.tag_id = (SELECT tag_id FROM tags WHERE name = ${p.add(f.andTag)}))`);
  if (f.search !== null && f.search.trim() !== '') {
    // The text search's rule is SQLite's LIKE: ASCII letters folded and no others. lower() under the "C" collation
    // folds exactly those, and the trigram indexes are on that same expression, so they find the rows by the rule itself.
    const ascii = p.add(likePattern(f.search.trim()));
    const match = (col: string) => `lower(${col} COLLATE "C") LIKE ${ascii}`;
    // One list of keys from three index scans (an OR of an IN would be asked again for every row).
    parts.push(
      `e.k IN (SELECT d.k FROM examples d WHERE ${match('d.task_description')} UNION SELECT d.k FROM examples d WHERE ${match('d.human_feedback')}
        UNION SELECT c.k FROM example_code c WHERE ${match('c.code')})`,
    );
  }
  if (f.codeRegex !== null && f.codeRegex !== '') parts.push(`e.k IN (SELECT c.k FROM example_code c WHERE c.code ~ ${p.add(f.codeRegex)})`);
  if (f.hasCommit !== null) parts.push(`e.k ${f.hasCommit ? '' : 'NOT '}IN (SELECT k FROM example_commits)`);
  if (f.branch !== null) parts.push(`e.k IN (SELECT k FROM example_commits WHERE branch = ${p.add(f.branch)})`);
  if (f.file !== null) parts.push(`FALSE /* file: git is not read into a PostgreSQL database yet */`);
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

const num = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

async function totals(pool: Pool, f: Filters): Promise<Summary> {
  const plan = rollupPlan(f);
  const p = new Params();
  if (plan) {
    const where = numbered(plan.where, plan.params, p);
    const { rows } = await pool.query(
      `SELECT sum(r.n) AS n, ${pgRollupSuccesses('r')} AS s, sum(r.exec_sum) AS exec_sum, sum(r.exec_n) AS exec_n, sum(r.tokens) AS tokens,
              sum(r.tokens_n) AS tokens_n, ${pgRollupTokenSuccesses('r')} AS token_s, ${pgRollupUnknown('r')} AS u, ${pgRollupKnownTokens('r')} AS known_tokens
       FROM ${plan.table} r WHERE ${where}`,
      p.values,
    );
    const r = rows[0] ?? {};
    return {
      rate: successRate(num(r.s), num(r.n), num(r.u)),
      avgExecutionTime: num(r.exec_n) > 0 ? num(r.exec_sum) / num(r.exec_n) : null,
      tokens: { tokens: num(r.tokens), tokenExamples: num(r.tokens_n), tokenSuccesses: num(r.token_s), knownTokens: num(r.known_tokens) },
      previous: null,
      activity: null,
    };
  }
  const where = pgWhere(f, p);
  const { rows } = await pool.query(
    `SELECT count(*) AS n, ${pgSuccessesOf('e')} AS s, avg(e.exec_time) AS exec, sum(e.tokens) AS tokens, count(e.tokens) AS tokens_n,
            ${pgTokenSuccessesOf('e')} AS token_s, ${pgUnknownOf('e')} AS u, ${pgKnownTokensOf('e')} AS known_tokens FROM examples e WHERE ${where}`,
    p.values,
  );
  const r = rows[0] ?? {};
  return {
    rate: successRate(num(r.s), num(r.n), num(r.u)),
    avgExecutionTime: numOrNull(r.exec),
    tokens: { tokens: num(r.tokens), tokenExamples: num(r.tokens_n), tokenSuccesses: num(r.token_s), knownTokens: num(r.known_tokens) },
    previous: null,
    activity: null,
  };
}

/** As `activity` in src/core/queries/summary.ts: what agent sessions' turns say, over the filtered turns. */
export async function pgActivity(pool: Pool, f: Filters): Promise<Activity> {
  const p = new Params();
  const where = pgWhere(f, p);
  const m = `e.metrics::jsonb`;
  const num = (k: string) => `CASE WHEN jsonb_typeof(${m}->'${k}') = 'number' THEN (${m}->>'${k}')::numeric END`;
  const { rows } = await pool.query(
    `SELECT CASE WHEN jsonb_typeof(e.extra::jsonb->'agent') = 'string' THEN e.extra::jsonb->>'agent' END AS agent, mo.name AS model,
            count(*) AS turns, sum(${num('tool_calls')}) AS calls, sum(${num('tool_errors')}) AS errors, sum(${num('interruptions')}) AS interruptions,
            sum(${num('rejections')}) AS rejections, count(*) FILTER (WHERE jsonb_typeof(${m}->'tests_passed') = 'boolean') AS test_turns,
            count(*) FILTER (WHERE ${m}->'tests_passed' = 'true'::jsonb) AS passed
     FROM examples e LEFT JOIN models mo ON mo.model_id = e.model_id
     WHERE ${where} AND e.metrics IS NOT NULL AND jsonb_typeof(${m}->'tool_calls') = 'number' GROUP BY 1, 2`,
    p.values,
  );
  return foldActivity(
    rows.map((r) => ({
      agent: typeof r.agent === 'string' ? r.agent : null,
      model: typeof r.model === 'string' ? r.model : null,
      turns: num0(r.turns),
      toolCalls: num0(r.calls),
      toolErrors: num0(r.errors),
      interruptions: num0(r.interruptions),
      rejections: num0(r.rejections),
      testTurns: num0(r.test_turns),
      testsPassed: num0(r.passed),
    })),
  );
}
const num0 = (v: unknown): number => Number(v ?? 0);

/** As `summary` in src/core/queries/summary.ts: the figures, and with a start date the period of the same length before it. */
export async function pgSummary(pool: Pool, filters: Filters, now = Date.now()): Promise<Summary> {
  const current = await totals(pool, filters);
  // A row whose JSON PostgreSQL cannot read fails only this part: the figures stand without it.
  if (current.rate.unknown > 0) current.activity = await pgActivity(pool, filters).catch(() => null);
  if (filters.since !== null) {
    const until = filters.until ?? endOfLocalDay(now);
    const length = until - filters.since;
    if (length > 0) {
      const before = await totals(pool, { ...filters, since: filters.since - length, until: filters.since });
      current.previous = { rate: before.rate, avgExecutionTime: before.avgExecutionTime, tokens: before.tokens, since: filters.since - length, until: filters.since };
    }
  }
  return current;
}

/** As `byTag`: examples and successes per tag, most used first. */
export async function pgByTag(pool: Pool, filters: Filters): Promise<TagRow[]> {
  const plan = rollupPlan(filters);
  const p = new Params();
  const inner =
    plan && !plan.tagged
      ? `SELECT r.tag_id, sum(r.n) AS total, ${pgRollupSuccesses('r')} AS successes, ${pgRollupUnknown('r')} AS unknown FROM rollup_tag_daily r WHERE ${numbered(plan.where, plan.params, p)} GROUP BY r.tag_id`
      : `SELECT et.tag_id, count(*) AS total, ${pgSuccessesOf('et')} AS successes, ${pgUnknownOf('et')} AS unknown FROM example_tags et JOIN examples e ON e.k = et.k WHERE ${pgWhere(filters, p)} GROUP BY et.tag_id`;
  const { rows } = await pool.query(`SELECT t.name, c.total, c.successes, c.unknown FROM (${inner}) c JOIN tags t ON t.tag_id = c.tag_id ORDER BY c.total DESC, t.name COLLATE "C"`, p.values);
  return rows.map((r) => ({ tag: r.name as string, total: num(r.total), successes: num(r.successes), unknown: num(r.unknown) }));
}

/** As `byModel`: examples, successes, tokens and time per model, most used first; examples without a model left out. */
export async function pgByModel(pool: Pool, filters: Filters): Promise<ModelRow[]> {
  const plan = rollupPlan(filters);
  const p = new Params();
  const inner = plan
    ? `SELECT r.model_id, sum(r.n) AS total, ${pgRollupSuccesses('r')} AS successes, sum(r.tokens) AS tokens, sum(r.tokens_n) AS tokens_n,
              ${pgRollupTokenSuccesses('r')} AS token_successes, sum(r.exec_sum) / nullif(sum(r.exec_n), 0) AS exec, ${pgRollupUnknown('r')} AS unknown,
              ${pgRollupKnownTokens('r')} AS known_tokens
       FROM ${plan.table} r WHERE r.model_id <> 0 AND ${numbered(plan.where, plan.params, p)} GROUP BY r.model_id`
    : `SELECT e.model_id, count(*) AS total, ${pgSuccessesOf('e')} AS successes, sum(e.tokens) AS tokens, count(e.tokens) AS tokens_n,
              ${pgTokenSuccessesOf('e')} AS token_successes, avg(e.exec_time) AS exec, ${pgUnknownOf('e')} AS unknown, ${pgKnownTokensOf('e')} AS known_tokens
       FROM examples e WHERE e.model_id IS NOT NULL AND ${pgWhere(filters, p)} GROUP BY e.model_id`;
  const { rows } = await pool.query(
    `SELECT m.name, c.total, c.successes, c.tokens, c.tokens_n, c.token_successes, c.exec, c.unknown, c.known_tokens FROM (${inner}) c
     JOIN models m ON m.model_id = c.model_id ORDER BY c.total DESC, m.name COLLATE "C"`,
    p.values,
  );
  return rows.map((r) => ({
    model: r.name as string,
    total: num(r.total),
    successes: num(r.successes),
    unknown: num(r.unknown),
    tokens: { tokens: num(r.tokens), tokenExamples: num(r.tokens_n), tokenSuccesses: num(r.token_successes), knownTokens: num(r.known_tokens) },
    avgExecutionTime: numOrNull(r.exec),
  }));
}

/** As `dailyCounts`: examples and successes per local day (its number), oldest first. */
export async function pgDailyCounts(pool: Pool, filters: Filters): Promise<(CountRow & { day: number })[]> {
  const plan = rollupPlan(filters);
  const p = new Params();
  const sql = plan
    ? `SELECT r.day, sum(r.n) AS total, ${pgRollupSuccesses('r')} AS successes, ${pgRollupUnknown('r')} AS unknown FROM ${plan.table} r WHERE ${numbered(plan.where, plan.params, p)} GROUP BY r.day ORDER BY r.day`
    : `SELECT e.day, count(*) AS total, ${pgSuccessesOf('e')} AS successes, ${pgUnknownOf('e')} AS unknown FROM examples e WHERE ${pgWhere(filters, p)} GROUP BY e.day ORDER BY e.day`;
  const { rows } = await pool.query(sql, p.values);
  return rows.map((r) => ({ day: Number(r.day), total: num(r.total), successes: num(r.successes), unknown: num(r.unknown) }));
}

/** As `daily`: examples and successes per local day, oldest first, as YYYY-MM-DD. */
export async function pgDaily(pool: Pool, filters: Filters): Promise<DayRow[]> {
  return (await pgDailyCounts(pool, filters)).map(({ day, total, successes, unknown }) => ({ day: dayLabel(day), total, successes, unknown }));
}

const SELECT_EXAMPLE = `SELECT e.k, e.id, e.ts, ss.name AS session, e.task_description, c.code, e.success, e.metrics, m.name AS model, e.tokens,
    e.human_feedback, e.feedback_by, e.feedback_at, e.extra, s.path, e.source_line, e.flags,
    (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") FROM example_tags et JOIN tags t ON t.tag_id = et.tag_id WHERE et.k = e.k) AS tags
  FROM examples e
  LEFT JOIN models m ON m.model_id = e.model_id
  LEFT JOIN sessions ss ON ss.session_k = e.session_k
  LEFT JOIN example_code c ON c.k = e.k
  LEFT JOIN sources s ON s.source_id = e.source_id`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toExample(r: any): StoredExample {
  return {
    id: r.id,
    timestamp: new Date(Number(r.ts)).toISOString(),
    sessionId: r.session ?? null,
    taskDescription: r.task_description ?? null,
    codeContext: r.code ?? null,
    success: successFromCode(r.success),
    metrics: r.metrics ? (JSON.parse(r.metrics) as Record<string, unknown>) : {},
    model: r.model ?? null,
    tokens: numOrNull(r.tokens),
    humanFeedback: r.human_feedback ?? null,
    ...(r.feedback_by != null ? { feedbackBy: String(r.feedback_by) } : {}),
    ...(r.feedback_at != null ? { feedbackAt: new Date(Number(r.feedback_at)).toISOString() } : {}),
    extra: r.extra ? (JSON.parse(r.extra) as Record<string, unknown>) : {},
    source: r.path !== null && r.source_line !== null ? { file: r.path, line: Number(r.source_line) } : null,
    futureTimestamp: (Number(r.flags) & 1) === 1,
    tags: (r.tags as string[] | null) ?? [],
  };
}

/** As `iterateExamples`: every example the filters select, newest first, in keyset-paged chunks. */
export async function* pgExamples(pool: Pool, filters: Filters, chunk = 1000): AsyncGenerator<StoredExample> {
  let after: [number, number] | null = null;
  // A small first chunk: the first rows come soon (a page, `examples --limit 10`); the rest in full chunks.
  let size = Math.min(100, chunk);
  for (;;) {
    const p = new Params();
    const where = pgWhere(filters, p);
    const keyset: string = after ? ` AND (e.ts, e.k) < (${p.add(after[0])}, ${p.add(after[1])})` : '';
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const { rows }: { rows: any[] } = await pool.query(`${SELECT_EXAMPLE} WHERE ${where}${keyset} ORDER BY e.ts DESC, e.k DESC LIMIT ${p.add(size)}`, p.values);
    for (const row of rows) yield toExample(row);
    if (rows.length < size) return;
    size = chunk;
    const last: { ts: string; k: string } = rows[rows.length - 1];
    after = [Number(last.ts), Number(last.k)];
  }
}

export async function pgExampleById(pool: Pool, id: string): Promise<StoredExample | null> {
  const { rows } = await pool.query(`${SELECT_EXAMPLE} WHERE e.k = (SELECT k FROM example_ids WHERE id = $1)`, [id]);
  return rows[0] ? toExample(rows[0]) : null;
}

/** The sort columns, whitelisted as the embedded store's (`examplesPage`): the only text of a request that shapes the SQL. */
const PG_SORT: Record<SortColumn, string> = {
  timestamp: 'e.ts',
  success: 'e.success',
  model: '(SELECT m.name FROM models m WHERE m.model_id = e.model_id)',
  tokens: 'e.tokens',
  executionTime: 'e.exec_time',
};

/** As the embedded order: unknown values last whichever the direction, ties newest first; by time, the key breaks ties. */
function pgOrder(sort: SortColumn, direction: 'asc' | 'desc'): string {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  if (sort === 'timestamp') return `ORDER BY e.ts ${dir}, e.k ${dir}`;
  const col = PG_SORT[sort];
  return `ORDER BY (${col}) IS NULL, ${col} ${dir}, e.ts DESC, e.k DESC`;
}

export interface PgPageOptions {
  sort?: SortColumn;
  direction?: 'asc' | 'desc';
  /** Count the filtered total too (false when the caller knows it: total null). */
  countTotal?: boolean;
}

/** As `examplesPage`: one page of the filtered examples (without their code), sorted, and the total. */
export async function pgPage(
  pool: Pool,
  filters: Filters,
  offset: number,
  limit: number,
  { sort = 'timestamp', direction = 'desc', countTotal = true }: PgPageOptions = {},
): Promise<{ rows: StoredExample[]; total: number | null }> {
  const p = new Params();
  const where = pgWhere(filters, p);
  const whereValues = [...p.values];
  const order = pgOrder(sort, direction);
  const [count, keys] = await Promise.all([
    countTotal ? pool.query(`SELECT count(*) AS n FROM examples e WHERE ${where}`, whereValues) : null,
    pool.query(`SELECT e.k FROM examples e WHERE ${where} ${order} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`, p.values),
  ]);
  const total = count ? Number(count.rows[0].n) : null;
  const list = keys.rows.map((r) => String(r.k));
  if (list.length === 0) return { rows: [], total };
  const { rows } = await pool.query(`${SELECT_EXAMPLE.replace('c.code', 'NULL AS code')} WHERE e.k = ANY($1::bigint[])`, [list]);
  // The page's order is the keys' order.
  const place = new Map(list.map((k, i) => [k, i]));
  rows.sort((a, b) => place.get(String(a.k))! - place.get(String(b.k))!);
  return { rows: rows.map(toExample), total };
}

/** Sets (or, with null, clears) an example's human feedback, with who edited it and when; false when no example has that id. */
export async function pgSetFeedback(pool: Pool, id: string, feedback: string | null, author: string | null = null, now = Date.now()): Promise<boolean> {
  const r = await pool.query('UPDATE examples SET human_feedback = $2, feedback_by = $3, feedback_at = $4 WHERE k = (SELECT k FROM example_ids WHERE id = $1)', [id, feedback, author, now]);
  const found = (r.rowCount ?? 0) > 0;
  if (found) await pool.query(ANNOUNCE_CHANGE, ['examples']);
  return found;
}
