// The Examples tree's groups, by day, tag, model, session, branch or outcome, a page at a time,
// from either engine: each gives the breakdowns, and its own SQL for sessions and branches.
import type { Filters } from '../../shared/filters';
import type { CountRow, DayRow, GroupRow, ModelRow, TagRow } from '../../shared/rows';
import type { GroupField } from '../../shared/workerProtocol';
import { outcomeTotals } from './analyticsData';
import { byModel, byTag, daily, sessions } from './breakdowns';
import { whereOf } from './filterSql';
import type { RowSource } from '../storage/rowSource';
import { successesOf, unknownOf } from './outcomeSql';

/** What the groups are read from. Sessions and branches come a page at a time, most recently active and most used first. */
export interface GroupSource {
  daily(filters: Filters): Promise<DayRow[]> | DayRow[];
  byTag(filters: Filters): Promise<TagRow[]> | TagRow[];
  byModel(filters: Filters): Promise<ModelRow[]> | ModelRow[];
  outcomeTotals(filters: Filters): Promise<CountRow> | CountRow;
  sessions(filters: Filters, offset: number, limit: number): Promise<(CountRow & { session: string })[]> | (CountRow & { session: string })[];
  branches(filters: Filters, offset: number, limit: number): Promise<(CountRow & { branch: string })[]> | (CountRow & { branch: string })[];
}

/**
 * One page of the Examples tree's groups under the filters: days newest first; tags, models,
 * sessions and branches most used first; outcomes as succeeded, failed and unknown.
 */
export async function groupPage(source: GroupSource, field: GroupField, filters: Filters, offset: number, limit: number): Promise<GroupRow[]> {
  const row = (key: string, r: CountRow) => ({ key, total: r.total, successes: r.successes, unknown: r.unknown });
  switch (field) {
    case 'day':
      // Newest day first.
      return (await source.daily(filters))
        .reverse()
        .slice(offset, offset + limit)
        .map((d) => row(d.day, d));
    case 'tag':
      return (await source.byTag(filters)).slice(offset, offset + limit).map((t) => row(t.tag, t));
    case 'model':
      return (await source.byModel(filters)).slice(offset, offset + limit).map((m) => row(m.model, m));
    case 'session':
      return (await source.sessions(filters, offset, limit)).map((s) => row(s.session, s));
    case 'branch':
      return (await source.branches(filters, offset, limit)).map((b) => row(b.branch, b));
    case 'outcome': {
      // Only the counts: not the summary, which also reads the previous period.
      const s = await source.outcomeTotals(filters);
      const groups = [
        { key: 'success', total: s.successes, successes: s.successes, unknown: 0 },
        { key: 'failure', total: s.total - s.successes - s.unknown, successes: 0, unknown: 0 },
        { key: 'unknown', total: s.unknown, successes: 0, unknown: s.unknown },
      ];
      return groups.filter((g) => g.total > 0).slice(offset, offset + limit);
    }
  }
}

/** The embedded store's groups. */
export function storeGroupSource(store: RowSource): GroupSource {
  return {
    daily: (f) => daily(store, f),
    byTag: (f) => byTag(store, f),
    byModel: (f) => byModel(store, f),
    outcomeTotals: (f) => outcomeTotals(store, f),
    sessions: (f, offset, limit) => sessions(store, f, offset, limit),
    branches: (f, offset, limit) => {
      const where = whereOf(store, f);
      return store
        .rows<[string, number, number, number]>(
          `SELECT ec.branch, count(*), ${successesOf('e')}, ${unknownOf('e')} FROM examples e JOIN example_commits ec ON ec.k = e.k WHERE ec.branch IS NOT NULL AND ${where.sql} GROUP BY ec.branch ORDER BY count(*) DESC, ec.branch LIMIT ? OFFSET ?`,
          [...where.params, limit, offset],
        )
        .map(([branch, total, successes, unknown]) => ({ branch, total, successes, unknown }));
    },
  };
}

/** The embedded store's groups, a page. */
export function groupRows(store: RowSource, field: GroupField, filters: Filters, offset: number, limit: number): Promise<GroupRow[]> {
  return groupPage(storeGroupSource(store), field, filters, offset, limit);
}
