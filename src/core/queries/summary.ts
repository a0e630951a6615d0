import type { Filters } from '../../shared/filters';
import { NO_FILTERS } from '../../shared/filters';
import type { Summary } from '../../shared/workerProtocol';
import { successRate } from '../analytics/successRate';
import type { RowSource } from './rowSource';
import { filterSql } from './filterSql';

function totals(store: RowSource, filters: Filters): Summary {
  const where = filterSql(filters);
  const [total = 0, successes = 0, avgExec = null, tokens = 0, withTokens = 0] =
    store.rows<[number, number | null, number | null, number | null, number]>(
      `SELECT count(*), sum(e.success), avg(e.exec_time), sum(e.tokens), count(e.tokens) FROM examples e WHERE ${where.sql}`,
      where.params,
    )[0] ?? [];
  return {
    rate: successRate(Number(successes ?? 0), Number(total)),
    avgExecutionTime: avgExec === null ? null : Number(avgExec),
    totalTokens: Number(tokens ?? 0),
    avgTokens: withTokens > 0 ? Number(tokens ?? 0) / Number(withTokens) : null,
    previous: null,
  };
}

/**
 * Count, success rate with its interval, mean execution time and tokens of the
 * filtered examples; with a bounded date range, the same for the period of the
 * same length just before it, for the change against it.
 */
export function summary(store: RowSource, filters: Filters = NO_FILTERS): Summary {
  const current = totals(store, filters);
  if (filters.since !== null && filters.until !== null && filters.until > filters.since) {
    const length = filters.until - filters.since;
    const before = totals(store, { ...filters, since: filters.since - length, until: filters.since });
    current.previous = { rate: before.rate, avgExecutionTime: before.avgExecutionTime, totalTokens: before.totalTokens, avgTokens: before.avgTokens };
  }
  return current;
}
