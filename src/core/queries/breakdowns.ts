import type { Filters } from '../../shared/filters';
import type { CountRow, DayRow, ModelRow, TagRow } from '../../shared/rows';
import { NO_FILTERS } from '../../shared/filters';
import type { RowSource } from '../storage/rowSource';
import { whereOf } from './filterSql';
import { rollupPlan } from './rollupPlan';
import type { QueryOptions } from './summary';
import { dayLabel } from '../../shared/series';


/** Examples and successes per tag, most used first. Unfiltered, it reads only the tag table's key. */
export function byTag(store: RowSource, filters: Filters = NO_FILTERS, options: QueryOptions = {}): TagRow[] {
  const plan = options.rollups === false ? null : rollupPlan(filters);
  if (plan && !plan.tagged) {
    return store
      .rows<[string, number, number]>(
        `SELECT t.name, c.total, c.successes FROM
           (SELECT r.tag_id, sum(r.n) AS total, sum(r.success * r.n) AS successes FROM rollup_tag_daily r WHERE ${plan.where} GROUP BY r.tag_id) c
         JOIN tags t ON t.tag_id = c.tag_id ORDER BY c.total DESC, t.name`,
        plan.params,
      )
      .map(([tag, total, successes]) => ({ tag, total, successes }));
  }
  // What the rollups cannot answer (sessions, text, several tags): from the examples themselves.
  const where = whereOf(store, filters);
  const inner = `SELECT et.tag_id, count(*) AS total, sum(et.success) AS successes FROM example_tags et JOIN examples e ON e.k = et.k WHERE ${where.sql} GROUP BY et.tag_id`;
  return store
    .rows<[string, number, number]>(`SELECT t.name, c.total, c.successes FROM (${inner}) c JOIN tags t ON t.tag_id = c.tag_id ORDER BY c.total DESC, t.name`, where.params)
    .map(([tag, total, successes]) => ({ tag, total, successes }));
}


/** Examples, successes, tokens and time per model, most used first; examples without a model are left out. */
export function byModel(store: RowSource, filters: Filters = NO_FILTERS, options: QueryOptions = {}): ModelRow[] {
  const plan = options.rollups === false ? null : rollupPlan(filters);
  if (plan) {
    return store
      .rows<[string, number, number, number, number, number, number, number]>(
        `SELECT m.name, c.total, c.successes, c.tokens, c.tokens_n, c.token_successes, c.exec_sum, c.exec_n FROM
           (SELECT r.model_id, sum(r.n) AS total, sum(r.success * r.n) AS successes, sum(r.tokens) AS tokens,
                   sum(r.tokens_n) AS tokens_n, sum(r.success * r.tokens_n) AS token_successes, sum(r.exec_sum) AS exec_sum, sum(r.exec_n) AS exec_n
            FROM ${plan.table} r WHERE r.model_id != 0 AND ${plan.where} GROUP BY r.model_id) c
         JOIN models m ON m.model_id = c.model_id ORDER BY c.total DESC, m.name`,
        plan.params,
      )
      .map(([model, total, successes, tokens, tokenExamples, tokenSuccesses, execSum, execN]) => ({
        model,
        total,
        successes,
        tokens: { tokens, tokenExamples, tokenSuccesses },
        avgExecutionTime: execN > 0 ? execSum / execN : null,
      }));
  }
  const where = whereOf(store, filters);
  return store
    .rows<[string, number, number, number | null, number, number | null, number | null]>(
      `SELECT m.name, c.total, c.successes, c.tokens, c.tokens_n, c.token_successes, c.exec FROM
         (SELECT e.model_id, count(*) AS total, sum(e.success) AS successes, sum(e.tokens) AS tokens, count(e.tokens) AS tokens_n,
                 sum(e.success AND e.tokens IS NOT NULL) AS token_successes, avg(e.exec_time) AS exec
          FROM examples e WHERE e.model_id IS NOT NULL AND ${where.sql} GROUP BY e.model_id) c
       JOIN models m ON m.model_id = c.model_id ORDER BY c.total DESC, m.name`,
      where.params,
    )
    .map(([model, total, successes, tokens, tokenExamples, tokenSuccesses, exec]) => ({
      model,
      total,
      successes,
      tokens: { tokens: tokens ?? 0, tokenExamples, tokenSuccesses: tokenSuccesses ?? 0 },
      avgExecutionTime: exec,
    }));
}

/** Examples and successes per local day number (days since 1970-01-01 in local time), oldest first. */
export function dailyCounts(store: RowSource, filters: Filters = NO_FILTERS, options: QueryOptions = {}): (CountRow & { day: number })[] {
  const plan = options.rollups === false ? null : rollupPlan(filters);
  const where = whereOf(store, filters);
  const [sql, params] = plan
    ? [`SELECT r.day, sum(r.n), sum(r.success * r.n) FROM ${plan.table} r WHERE ${plan.where} GROUP BY r.day ORDER BY r.day`, plan.params]
    : [`SELECT e.day, count(*), sum(e.success) FROM examples e WHERE ${where.sql} GROUP BY e.day ORDER BY e.day`, where.params];
  return store.rows<[number, number, number]>(sql, params).map(([day, total, successes]) => ({ day, total, successes }));
}

/** Examples and successes per local day, oldest first, as YYYY-MM-DD. */
export function daily(store: RowSource, filters: Filters = NO_FILTERS, options: QueryOptions = {}): DayRow[] {
  return dailyCounts(store, filters, options).map(({ day, total, successes }) => ({ day: dayLabel(day), total, successes }));
}

export type DistinctField = 'tag' | 'model' | 'session';

/** Distinct values with their counts, for autocomplete: the most used first, narrowed by a prefix. */
export function distinctValues(store: RowSource, field: DistinctField, prefix = '', limit = 50): { value: string; count: number }[] {
  const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const sql = {
    tag: "SELECT t.name, count(*) AS n FROM example_tags et JOIN tags t ON t.tag_id = et.tag_id WHERE t.name LIKE ? ESCAPE '\\' GROUP BY t.tag_id",
    model: "SELECT m.name, count(*) AS n FROM examples e JOIN models m ON m.model_id = e.model_id WHERE m.name LIKE ? ESCAPE '\\' GROUP BY m.model_id",
    session: "SELECT ss.name, count(*) AS n FROM examples e JOIN sessions ss ON ss.session_k = e.session_k WHERE ss.name LIKE ? ESCAPE '\\' GROUP BY e.session_k",
  }[field];
  return store.rows<[string, number]>(`${sql} ORDER BY n DESC, 1 LIMIT ?`, [like, limit]).map(([value, count]) => ({ value, count }));
}

/** Sessions with their examples and successes, the most recently active first. */
export function sessions(store: RowSource, filters: Filters = NO_FILTERS, offset = 0, limit = 200): (CountRow & { session: string; lastTs: number })[] {
  const where = whereOf(store, filters);
  return store
    .rows<[string, number, number, number]>(
      `SELECT ss.name, count(*), sum(e.success), max(e.ts) FROM examples e JOIN sessions ss ON ss.session_k = e.session_k WHERE ${where.sql}
       GROUP BY e.session_k ORDER BY max(e.ts) DESC, ss.name LIMIT ? OFFSET ?`,
      [...where.params, limit, offset],
    )
    .map(([session, total, successes, lastTs]) => ({ session, total, successes, lastTs }));
}
