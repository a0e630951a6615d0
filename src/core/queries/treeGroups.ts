// The Examples tree's groups, by day, tag, model, session, branch or outcome, a page at a time.
import type { Filters } from '../../shared/filters';
import type { GroupRow } from '../../shared/rows';
import type { GroupField } from '../../shared/workerProtocol';
import { outcomeTotals } from './analyticsData';
import { byModel, byTag, daily, sessions } from './breakdowns';
import { whereOf } from './filterSql';
import type { RowSource } from '../storage/rowSource';

/**
 * One page of the Examples tree's groups under the filters: days newest first; tags, models,
 * sessions and branches most used first; outcomes as succeeded and failed.
 */
export function groupRows(store: RowSource, field: GroupField, filters: Filters, offset: number, limit: number): GroupRow[] {
  switch (field) {
    case 'day':
      // Newest day first.
      return daily(store, filters)
        .reverse()
        .slice(offset, offset + limit)
        .map((d) => ({ key: d.day, total: d.total, successes: d.successes }));
    case 'tag':
      return byTag(store, filters)
        .slice(offset, offset + limit)
        .map((t) => ({ key: t.tag, total: t.total, successes: t.successes }));
    case 'model':
      return byModel(store, filters)
        .slice(offset, offset + limit)
        .map((m) => ({ key: m.model, total: m.total, successes: m.successes }));
    case 'session':
      return sessions(store, filters, offset, limit).map((s) => ({ key: s.session, total: s.total, successes: s.successes }));
    case 'branch': {
      const where = whereOf(store, filters);
      return store
        .rows<[string, number, number]>(
          `SELECT ec.branch, count(*), sum(e.success) FROM examples e JOIN example_commits ec ON ec.k = e.k WHERE ec.branch IS NOT NULL AND ${where.sql} GROUP BY ec.branch ORDER BY count(*) DESC, ec.branch LIMIT ? OFFSET ?`,
          [...where.params, limit, offset],
        )
        .map(([key, total, successes]) => ({ key, total, successes }));
    }
    case 'outcome': {
      // Only the counts: not the summary, which also reads the previous period.
      const s = outcomeTotals(store, filters);
      const groups = [
        { key: 'success', total: s.successes, successes: s.successes },
        { key: 'failure', total: s.total - s.successes, successes: 0 },
      ];
      return groups.filter((g) => g.total > 0).slice(offset, offset + limit);
    }
  }
}
