// The aggregates the analytics are computed from, on PostgreSQL: the same
// definitions as src/core/queries/analyticsData.ts (the rollups where the
// filters allow, the examples otherwise), so the one computation
// (reportFrom, comparisonFrom, predict) gives the same report on both engines.
import type { Pool } from 'pg';
import type { FailingWith } from '../../queries/analyticsData';
import type { Filters } from '../../../shared/filters';
import type { AnalyticsReport, ModelComparison, Prediction } from '../../../shared/analytics';
import type { CoOccurrence, Totals } from '../../analytics/advice';
import type { QuarterCount } from '../../analytics/heatmap';
import { QUARTER_HOUR_MS } from '../../analytics/heatmap';
import type { TagDay } from '../../queries/analyticsData';
import { coOccurrenceOf, totalsOfOutcomes } from '../../queries/analyticsData';
import { rollupPlan } from '../../queries/rollupPlan';
import { analyticsQueries, comparedFilters, comparisonFrom, reportFrom, type AnalyticsOptions } from '../../queries/analyticsReport';
import { predict } from '../../analytics/trends';
import { numbered, Params, pgDailyCounts, pgWhere } from './pgFigures';
import { pgFailuresOf, pgKnownTokensOf, pgRollupKnownTokens, pgRollupSuccesses, pgRollupTokenSuccesses, pgRollupUnknown, pgSuccessesOf, pgTokenSuccessesOf, pgUnknownOf } from './pgOutcomeSql';

const num = (v: unknown): number => Number(v ?? 0);

export async function pgOutcomeTotals(pool: Pool, filters: Filters): Promise<Totals> {
  const plan = rollupPlan(filters);
  const p = new Params();
  const sql = plan
    ? `SELECT r.success, sum(r.n) AS n, sum(r.tokens) AS tokens, sum(r.exec_sum) AS exec_sum, sum(r.exec_n) AS exec_n, sum(r.tokens_n) AS tokens_n
       FROM ${plan.table} r WHERE ${numbered(plan.where, plan.params, p)} GROUP BY r.success`
    : `SELECT e.success, count(*) AS n, sum(e.tokens) AS tokens, sum(e.exec_time) AS exec_sum, count(e.exec_time) AS exec_n, count(e.tokens) AS tokens_n
       FROM examples e WHERE ${pgWhere(filters, p)} GROUP BY e.success`;
  const { rows } = await pool.query(sql, p.values);
  return totalsOfOutcomes(rows.map((r) => [r.success, num(r.n), num(r.tokens), num(r.exec_sum), num(r.exec_n), num(r.tokens_n)] as const));
}

export async function pgTagDays(pool: Pool, filters: Filters): Promise<TagDay[]> {
  const plan = rollupPlan(filters);
  const p = new Params();
  const inner =
    plan && !plan.tagged
      ? `SELECT r.tag_id, r.day, sum(r.n) AS total, ${pgRollupSuccesses('r')} AS successes, sum(r.tokens) AS tokens, sum(r.exec_sum) AS exec_sum, sum(r.exec_n) AS exec_n,
                sum(r.tokens_n) AS tokens_n, ${pgRollupTokenSuccesses('r')} AS token_successes, ${pgRollupUnknown('r')} AS unknown, ${pgRollupKnownTokens('r')} AS known_tokens
         FROM rollup_tag_daily r WHERE ${numbered(plan.where, plan.params, p)} GROUP BY r.tag_id, r.day`
      : `SELECT et.tag_id, e.day, count(*) AS total, ${pgSuccessesOf('e')} AS successes, sum(e.tokens) AS tokens, sum(e.exec_time) AS exec_sum, count(e.exec_time) AS exec_n,
                count(e.tokens) AS tokens_n, ${pgTokenSuccessesOf('e')} AS token_successes, ${pgUnknownOf('e')} AS unknown, ${pgKnownTokensOf('e')} AS known_tokens
         FROM example_tags et JOIN examples e ON e.k = et.k WHERE ${pgWhere(filters, p)} GROUP BY et.tag_id, e.day`;
  const { rows } = await pool.query(`SELECT t.name, c.* FROM (${inner}) c JOIN tags t ON t.tag_id = c.tag_id`, p.values);
  return rows.map((r) => ({
    tag: r.name as string,
    day: Number(r.day),
    total: num(r.total),
    successes: num(r.successes),
    unknown: num(r.unknown),
    tokens: num(r.tokens),
    tokenExamples: num(r.tokens_n),
    tokenSuccesses: num(r.token_successes),
    knownTokens: num(r.known_tokens),
    execSum: num(r.exec_sum),
    execN: num(r.exec_n),
  }));
}

export async function pgCoOccurrence(pool: Pool, filters: Filters, limit = 20_000): Promise<CoOccurrence & { sampled: boolean }> {
  const p = new Params();
  const where = pgWhere(filters, p);
  const whereValues = [...p.values];
  const count = await pool.query(`SELECT count(*) AS n FROM (SELECT 1 FROM examples e WHERE ${where} LIMIT ${p.add(limit + 1)}) s`, p.values);
  const sample = new Params();
  sample.values.push(...whereValues);
  const { rows } = await pool.query(
    `SELECT et.k, et.tag_id FROM (SELECT e.k FROM examples e WHERE ${where} ORDER BY e.ts DESC LIMIT ${sample.add(limit)}) s JOIN example_tags et ON et.k = s.k ORDER BY et.k`,
    sample.values,
  );
  const names = new Map<number, string>((await pool.query('SELECT tag_id, name FROM tags')).rows.map((r) => [Number(r.tag_id), r.name as string]));
  return coOccurrenceOf(
    num(count.rows[0].n),
    rows.map((r) => [Number(r.k), Number(r.tag_id)] as const),
    () => names,
    limit,
  );
}

export async function pgQuarterCounts(pool: Pool, filters: Filters): Promise<QuarterCount[]> {
  const p = new Params();
  const { rows } = await pool.query(
    `SELECT e.ts / ${QUARTER_HOUR_MS} AS q, count(*) AS total, ${pgSuccessesOf('e')} AS successes, ${pgUnknownOf('e')} AS unknown FROM examples e WHERE ${pgWhere(filters, p)} GROUP BY q`,
    p.values,
  );
  return rows.map((r) => ({ quarter: Number(r.q), total: num(r.total), successes: num(r.successes), unknown: num(r.unknown) }));
}

/** The Analytics tab's report, as analyticsReport gives it on the embedded engine. */
export async function pgAnalytics(pool: Pool, filters: Filters, options: AnalyticsOptions = {}): Promise<AnalyticsReport> {
  const started = performance.now();
  const now = options.now ?? Date.now();
  const q = analyticsQueries(filters, now);
  const [days, all, tagDays, co, quarters] = await Promise.all([
    pgDailyCounts(pool, filters),
    pgOutcomeTotals(pool, filters),
    pgTagDays(pool, q.tagDays),
    pgCoOccurrence(pool, filters, options.coOccurrenceSample),
    pgQuarterCounts(pool, q.quarters),
  ]);
  return reportFrom({ days, all, tagDays, co, quarters }, filters, { ...options, now, started });
}

export async function pgPrediction(pool: Pool, filters: Filters, tag: string | null): Promise<Prediction> {
  return predict(await pgDailyCounts(pool, tag === null ? filters : { ...filters, andTag: tag }), tag);
}

export async function pgCompareModels(pool: Pool, filters: Filters, a: string, b: string, tag: string | null): Promise<ModelComparison> {
  const [fa, fb] = comparedFilters(filters, a, b, tag);
  const [ta, tb] = await Promise.all([pgOutcomeTotals(pool, fa), pgOutcomeTotals(pool, fb)]);
  return comparisonFrom(a, b, tag, ta, tb);
}

/** The built-in learner's "fails with": as failingWith on the embedded engine. */
export async function pgFailingWith(pool: Pool, tag: string, sinceDay: number | null): Promise<FailingWith[]> {
  const { rows } = await pool.query(
    `SELECT t.name, count(*) AS total, ${pgFailuresOf('b')} AS failures FROM example_tags a
       JOIN example_tags b ON b.k = a.k AND b.tag_id <> a.tag_id
       JOIN tags t ON t.tag_id = b.tag_id
     WHERE a.tag_id = (SELECT tag_id FROM tags WHERE name = $1) AND a.day >= $2 AND b.success <> 2
     GROUP BY t.name HAVING ${pgFailuresOf('b')} > 0 ORDER BY 3 DESC, 2 DESC, 1 LIMIT 5`,
    [tag, sinceDay ?? -1e9],
  );
  return rows.map((r) => ({ tag: r.name as string, failures: num(r.failures), total: num(r.total), failureRate: num(r.failures) / num(r.total) }));
}
