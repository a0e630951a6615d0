import type { Filters } from '../../shared/filters';
import { NO_FILTERS } from '../../shared/filters';
import type { Summary } from '../../shared/workerProtocol';
import { successRate } from '../analytics/successRate';
import type { RowSource } from '../storage/rowSource';
import { whereOf } from './filterSql';
import { rollupPlan } from './rollupPlan';
import { knownTokensOf, rollupOutcomes, successesOf, tokenSuccessesOf, unknownOf } from './outcomeSql';
import { foldActivity, type Activity } from '../../shared/figures';

export interface QueryOptions {
  /** Answer from the per-day rollups where the filters allow (default); false always reads the examples. */
  rollups?: boolean;
  /** The clock (epoch ms) a range with no end ends at: the end of that local day. */
  now?: number;
}

/** The end of `now`'s local day: where "the last N days" and a range with no end stop. */
export function endOfLocalDay(now: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

function totals(store: RowSource, filters: Filters, options: QueryOptions): Summary {
  const plan = options.rollups === false ? null : rollupPlan(filters);
  if (plan) {
    const o = rollupOutcomes(store);
    const [n = 0, successes = 0, execSum = 0, execN = 0, tokens = 0, tokensN = 0, tokenSuccesses = 0, unknown = 0, knownTokens = 0] =
      store.rows<(number | null)[]>(
        `SELECT sum(r.n), ${o.successes('r')}, sum(r.exec_sum), sum(r.exec_n), sum(r.tokens), sum(r.tokens_n), ${o.tokenSuccesses('r')}, ${o.unknown('r')}, ${o.knownTokens('r')}
         FROM ${plan.table} r WHERE ${plan.where}`,
        plan.params,
      )[0] ?? [];
    return {
      rate: successRate(Number(successes ?? 0), Number(n ?? 0), Number(unknown ?? 0)),
      avgExecutionTime: Number(execN ?? 0) > 0 ? Number(execSum) / Number(execN) : null,
      tokens: { tokens: Number(tokens ?? 0), tokenExamples: Number(tokensN ?? 0), tokenSuccesses: Number(tokenSuccesses ?? 0), knownTokens: Number(knownTokens ?? 0) },
      previous: null,
      activity: null,
    };
  }
  const where = whereOf(store, filters);
  const [total = 0, successes = 0, avgExec = null, tokens = 0, withTokens = 0, tokenSuccesses = 0, unknown = 0, knownTokens = 0] =
    store.rows<[number, number | null, number | null, number | null, number, number | null, number | null, number | null]>(
      `SELECT count(*), ${successesOf('e')}, avg(e.exec_time), sum(e.tokens), count(e.tokens), ${tokenSuccessesOf('e')}, ${unknownOf('e')}, ${knownTokensOf('e')} FROM examples e WHERE ${where.sql}`,
      where.params,
    )[0] ?? [];
  return {
    rate: successRate(Number(successes ?? 0), Number(total), Number(unknown ?? 0)),
    avgExecutionTime: avgExec === null ? null : Number(avgExec),
    tokens: { tokens: Number(tokens ?? 0), tokenExamples: Number(withTokens), tokenSuccesses: Number(tokenSuccesses ?? 0), knownTokens: Number(knownTokens ?? 0) },
    previous: null,
    activity: null,
  };
}

/**
 * What agent sessions' turns say (tool calls and errors, interruptions, rejections, tests) over
 * the filtered examples that are turns: those whose metrics carry a numeric tool_calls.
 */
export function activity(store: RowSource, filters: Filters): Activity {
  const where = whereOf(store, filters);
  // A row's JSON is read only where it is JSON: a damaged row counts as no turn, never fails the figures.
  const metrics = `(CASE WHEN json_valid(e.metrics) THEN e.metrics END)`;
  const extra = `(CASE WHEN json_valid(e.extra) THEN e.extra END)`;
  const num = (k: string) => `CASE WHEN json_type(${metrics}, '$.${k}') IN ('integer', 'real') THEN json_extract(${metrics}, '$.${k}') END`;
  const rows = store.rows<(number | string | null)[]>(
    `SELECT CASE WHEN json_type(${extra}, '$.agent') = 'text' THEN json_extract(${extra}, '$.agent') END, m.name, count(*),
            sum(${num('tool_calls')}), sum(${num('tool_errors')}), sum(${num('interruptions')}), sum(${num('rejections')}),
            sum(json_type(${metrics}, '$.tests_passed') IN ('true', 'false')), sum(json_type(${metrics}, '$.tests_passed') = 'true')
     FROM examples e LEFT JOIN models m ON m.model_id = e.model_id
     WHERE ${where.sql} AND json_type(${metrics}, '$.tool_calls') IN ('integer', 'real') GROUP BY 1, 2`,
    where.params,
  );
  return foldActivity(
    rows.map((r) => {
      const n = (i: number) => Number(r[i] ?? 0);
      const text = (i: number) => (typeof r[i] === 'string' ? (r[i] as string) : null);
      return { agent: text(0), model: text(1), turns: n(2), toolCalls: n(3), toolErrors: n(4), interruptions: n(5), rejections: n(6), testTurns: n(7), testsPassed: n(8) };
    }),
  );
}

/**
 * Count, success rate with its interval, mean execution time and tokens of the
 * filtered examples; with a start date (a preset such as the last 7 days, or a
 * custom range), the same for the period of the same length just before it, for
 * the change against it. A range with no end ends with today.
 */
export function summary(store: RowSource, filters: Filters = NO_FILTERS, options: QueryOptions = {}): Summary {
  const current = totals(store, filters, options);
  // Only where some outcomes are unknown: KIMI's own examples never pay for it.
  if (current.rate.unknown > 0) current.activity = activity(store, filters);
  if (filters.since !== null) {
    const until = filters.until ?? endOfLocalDay(options.now ?? Date.now());
    const length = until - filters.since;
    if (length > 0) {
      const before = totals(store, { ...filters, since: filters.since - length, until: filters.since }, options);
      current.previous = { rate: before.rate, avgExecutionTime: before.avgExecutionTime, tokens: before.tokens, since: filters.since - length, until: filters.since };
    }
  }
  return current;
}
