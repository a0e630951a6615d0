import type { Filters } from '../../shared/filters';
import type { CountRow, DayRow, ModelRow, TagRow } from '../../shared/rows';
import { NO_FILTERS } from '../../shared/filters';
import type { RowSource } from '../storage/rowSource';
import { whereOf } from './filterSql';
import { rollupPlan } from './rollupPlan';
import type { QueryOptions } from './summary';
import { dayLabel } from '../../shared/series';
import { knownTokensOf, rollupOutcomes, successesOf, tokenSuccessesOf, unknownOf } from './outcomeSql';


/** Examples and successes per tag, most used first. Unfiltered, it reads only the tag table's key. */
export function byTag(store: RowSource, filters: Filters = NO_FILTERS, options: QueryOptions = {}): TagRow[] {
  const plan = options.rollups === false ? null : rollupPlan(filters);
  if (plan && !plan.tagged) {
    const o = rollupOutcomes(store);
    return store
      .rows<[string, number, number, number]>(
        `SELECT t.name, c.total, c.successes, c.unknown FROM
           (SELECT r.tag_id, sum(r.n) AS total, ${o.successes('r')} AS successes, ${o.unknown('r')} AS unknown FROM rollup_tag_daily r WHERE ${plan.where} GROUP BY r.tag_id) c
         JOIN tags t ON t.tag_id = c.tag_id ORDER BY c.total DESC, t.name`,
        plan.params,
      )
      .map(([tag, total, successes, unknown]) => ({ tag, total, successes, unknown }));
  }
  // What the rollups cannot answer (sessions, text, several tags): from the examples themselves.
  const where = whereOf(store, filters);
  const inner = `SELECT et.tag_id, count(*) AS total, ${successesOf('et')} AS successes, ${unknownOf('et')} AS unknown FROM example_tags et JOIN examples e ON e.k = et.k WHERE ${where.sql} GROUP BY et.tag_id`;
  return store
    .rows<[string, number, number, number]>(`SELECT t.name, c.total, c.successes, c.unknown FROM (${inner}) c JOIN tags t ON t.tag_id = c.tag_id ORDER BY c.total DESC, t.name`, where.params)
    .map(([tag, total, successes, unknown]) => ({ tag, total, successes, unknown }));
}


/** Examples, successes, tokens and time per model, most used first; examples without a model are left out. */
export function byModel(store: RowSource, filters: Filters = NO_FILTERS, options: QueryOptions = {}): ModelRow[] {
  const plan = options.rollups === false ? null : rollupPlan(filters);
  if (plan) {
    const o = rollupOutcomes(store);
    return store
      .rows<[string, number, number, number, number, number, number, number, number, number]>(
        `SELECT m.name, c.total, c.successes, c.tokens, c.tokens_n, c.token_successes, c.exec_sum, c.exec_n, c.unknown, c.known_tokens FROM
           (SELECT r.model_id, sum(r.n) AS total, ${o.successes('r')} AS successes, sum(r.tokens) AS tokens,
                   sum(r.tokens_n) AS tokens_n, ${o.tokenSuccesses('r')} AS token_successes, sum(r.exec_sum) AS exec_sum, sum(r.exec_n) AS exec_n,
                   ${o.unknown('r')} AS unknown, ${o.knownTokens('r')} AS known_tokens
            FROM ${plan.table} r WHERE r.model_id != 0 AND ${plan.where} GROUP BY r.model_id) c
         JOIN models m ON m.model_id = c.model_id ORDER BY c.total DESC, m.name`,
        plan.params,
      )
      .map(([model, total, successes, tokens, tokenExamples, tokenSuccesses, execSum, execN, unknown, knownTokens]) => ({
        model,
        total,
        successes,
        unknown,
        tokens: { tokens, tokenExamples, tokenSuccesses, knownTokens },
        avgExecutionTime: execN > 0 ? execSum / execN : null,
      }));
  }
  const where = whereOf(store, filters);
  return store
    .rows<[string, number, number, number | null, number, number | null, number | null, number, number]>(
      `SELECT m.name, c.total, c.successes, c.tokens, c.tokens_n, c.token_successes, c.exec, c.unknown, c.known_tokens FROM
         (SELECT e.model_id, count(*) AS total, ${successesOf('e')} AS successes, sum(e.tokens) AS tokens, count(e.tokens) AS tokens_n,
                 ${tokenSuccessesOf('e')} AS token_successes, avg(e.exec_time) AS exec, ${unknownOf('e')} AS unknown, ${knownTokensOf('e')} AS known_tokens
          FROM examples e WHERE e.model_id IS NOT NULL AND ${where.sql} GROUP BY e.model_id) c
       JOIN models m ON m.model_id = c.model_id ORDER BY c.total DESC, m.name`,
      where.params,
    )
    .map(([model, total, successes, tokens, tokenExamples, tokenSuccesses, exec, unknown, knownTokens]) => ({
      model,
      total,
      successes,
      unknown,
      tokens: { tokens: tokens ?? 0, tokenExamples, tokenSuccesses: tokenSuccesses ?? 0, knownTokens },
      avgExecutionTime: exec,
    }));
}

/** Examples and successes per local day number (days since 1970-01-01 in local time), oldest first. */
export function dailyCounts(store: RowSource, filters: Filters = NO_FILTERS, options: QueryOptions = {}): (CountRow & { day: number })[] {
  const plan = options.rollups === false ? null : rollupPlan(filters);
  const where = whereOf(store, filters);
  const o = plan ? rollupOutcomes(store) : null;
  const [sql, params] = plan && o
    ? [`SELECT r.day, sum(r.n), ${o.successes('r')}, ${o.unknown('r')} FROM ${plan.table} r WHERE ${plan.where} GROUP BY r.day ORDER BY r.day`, plan.params]
    : [`SELECT e.day, count(*), ${successesOf('e')}, ${unknownOf('e')} FROM examples e WHERE ${where.sql} GROUP BY e.day ORDER BY e.day`, where.params];
  return store.rows<[number, number, number, number]>(sql, params).map(([day, total, successes, unknown]) => ({ day, total, successes, unknown }));
}

/** Examples and successes per local day, oldest first, as YYYY-MM-DD. */
export function daily(store: RowSource, filters: Filters = NO_FILTERS, options: QueryOptions = {}): DayRow[] {
  return dailyCounts(store, filters, options).map(({ day, total, successes, unknown }) => ({ day: dayLabel(day), total, successes, unknown }));
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
    .rows<[string, number, number, number, number]>(
      `SELECT ss.name, count(*), ${successesOf('e')}, max(e.ts), ${unknownOf('e')} FROM examples e JOIN sessions ss ON ss.session_k = e.session_k WHERE ${where.sql}
       GROUP BY e.session_k ORDER BY max(e.ts) DESC, ss.name LIMIT ? OFFSET ?`,
      [...where.params, limit, offset],
    )
    .map(([session, total, successes, lastTs, unknown]) => ({ session, total, successes, lastTs, unknown }));
}
