import type { Filters } from '../../shared/filters';
import { localDay } from '../../shared/series';
import { DAY_MS } from '../../shared/series';
import { filterCode } from '../model/successCode';

/** Filters the per-day rollups can answer: whole local days, outcome, model, at most one tag. */
export interface RollupPlan {
  table: 'rollup_daily' | 'rollup_tag_daily';
  where: string;
  params: (string | number)[];
  /** The plan filters by a tag (rollup_tag_daily). */
  tagged: boolean;
}

/** Epoch ms of the local midnight that starts a day number (days since 1970-01-01 in local time). */
export function localDayStart(day: number): number {
  const d = new Date(day * DAY_MS);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()).getTime();
}

function alignedDay(ms: number): number | null {
  const day = localDay(ms);
  return localDayStart(day) === ms ? day : null;
}

/** The rollup query for these filters, or null when only the examples themselves can answer. */
export function rollupPlan(f: Filters): RollupPlan | null {
  // The rollups count the agent's own examples only.
  if (f.taskExamples !== 'without') return null;
  if (f.session !== null || f.hasCommit !== null || f.branch !== null || f.file !== null || (f.search !== null && f.search.trim() !== '') || (f.codeRegex !== null && f.codeRegex !== '')) return null;
  const tags = [...new Set([...f.tags, ...(f.andTag ? [f.andTag] : [])])];
  if (tags.length > 1) return null;
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (f.since !== null) {
    const day = alignedDay(f.since);
    if (day === null) return null;
    parts.push('r.day >= ?');
    params.push(day);
  }
  if (f.until !== null) {
    const day = alignedDay(f.until);
    if (day === null) return null;
    parts.push('r.day < ?');
    params.push(day);
  }
  if (f.success !== null) {
    parts.push('r.success = ?');
    params.push(filterCode(f.success));
  }
  if (f.model !== null) {
    parts.push('r.model_id = coalesce((SELECT model_id FROM models WHERE name = ?), -1)');
    params.push(f.model);
  }
  if (tags.length === 1) {
    parts.push('r.tag_id = coalesce((SELECT tag_id FROM tags WHERE name = ?), -1)');
    params.push(tags[0]!);
  }
  return {
    table: tags.length === 1 ? 'rollup_tag_daily' : 'rollup_daily',
    where: parts.length ? parts.join(' AND ') : '1',
    params,
    tagged: tags.length === 1,
  };
}
