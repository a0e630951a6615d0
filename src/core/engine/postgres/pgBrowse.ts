// What the Examples view browses on PostgreSQL, as the embedded store's queries
// (src/core/queries/breakdowns.ts, treeGroups.ts): sessions and branches a page
// at a time, and the values a filter's completion offers.
import type { Pool } from 'pg';
import type { Filters } from '../../../shared/filters';
import type { CountRow } from '../../../shared/rows';
import { Params, pgWhere } from './pgFigures';
import { pgSuccessesOf, pgUnknownOf } from './pgOutcomeSql';

export type DistinctField = 'tag' | 'model' | 'session';

/** Sessions with their examples and successes, the most recently active first. */
export async function pgSessions(pool: Pool, filters: Filters, offset: number, limit: number): Promise<(CountRow & { session: string })[]> {
  const p = new Params();
  const where = pgWhere(filters, p);
  const { rows } = await pool.query(
    `SELECT ss.name, count(*) AS n, ${pgSuccessesOf('e')} AS s, ${pgUnknownOf('e')} AS u FROM examples e JOIN sessions ss ON ss.session_k = e.session_k WHERE ${where}
     GROUP BY ss.name ORDER BY max(e.ts) DESC, ss.name COLLATE "C" LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
    p.values,
  );
  return rows.map((r) => ({ session: String(r.name), total: Number(r.n), successes: Number(r.s), unknown: Number(r.u) }));
}

/** Branches with their examples and successes, the most used first. */
export async function pgBranches(pool: Pool, filters: Filters, offset: number, limit: number): Promise<(CountRow & { branch: string })[]> {
  const p = new Params();
  const where = pgWhere(filters, p);
  const { rows } = await pool.query(
    `SELECT ec.branch, count(*) AS n, ${pgSuccessesOf('e')} AS s, ${pgUnknownOf('e')} AS u FROM examples e JOIN example_commits ec ON ec.k = e.k WHERE ec.branch IS NOT NULL AND ${where}
     GROUP BY ec.branch ORDER BY count(*) DESC, ec.branch COLLATE "C" LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
    p.values,
  );
  return rows.map((r) => ({ branch: String(r.branch), total: Number(r.n), successes: Number(r.s), unknown: Number(r.u) }));
}

const DISTINCT_SQL: Record<DistinctField, string> = {
  tag: `SELECT t.name, count(*) AS n FROM example_tags et JOIN tags t ON t.tag_id = et.tag_id WHERE lower(t.name COLLATE "C") LIKE $1 GROUP BY t.name ORDER BY n DESC, t.name COLLATE "C"`,
  model: `SELECT m.name, count(*) AS n FROM examples e JOIN models m ON m.model_id = e.model_id WHERE lower(m.name COLLATE "C") LIKE $1 GROUP BY m.name ORDER BY n DESC, m.name COLLATE "C"`,
  session: `SELECT ss.name, count(*) AS n FROM examples e JOIN sessions ss ON ss.session_k = e.session_k WHERE lower(ss.name COLLATE "C") LIKE $1 GROUP BY ss.name ORDER BY n DESC, ss.name COLLATE "C"`,
};

/** The values of a field that start with `prefix` (ASCII case ignored, as SQLite's LIKE in the embedded store), most used first. */
export async function pgDistinct(pool: Pool, field: DistinctField, prefix: string, limit: number): Promise<{ value: string; count: number }[]> {
  const like = `${prefix.replace(/[A-Z]+/g, (s) => s.toLowerCase()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await pool.query(`${DISTINCT_SQL[field]} LIMIT $2`, [like, limit]);
  return rows.map((r) => ({ value: String(r.name), count: Number(r.n) }));
}
