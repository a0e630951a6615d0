// Delete Examples… and Remove Sample Data: every example a filter (and, for
// sample data, its source) selects, deleted a slice at a time: each slice one
// journal entry and one transaction, the event loop served between slices.
import type { Filters } from '../../shared/filters';
import { whereOf } from './filterSql';
import { DELETE_SLICE } from '../storage/journal';
import type { LearningStore } from '../storage/learningStore';

export interface DeleteSelection {
  filters: Filters;
  /** Only examples read from this file (the sample data's), or any. */
  sourcePath: string | null;
}

/** The ids a selection holds, oldest insertion first. */
function selectedIds(store: LearningStore, which: DeleteSelection): string[] {
  const where = whereOf(store, which.filters);
  const [sql, params] =
    which.sourcePath === null
      ? [`SELECT e.id FROM examples e WHERE ${where.sql} ORDER BY e.k`, where.params]
      : [`SELECT e.id FROM examples e JOIN sources s ON s.source_id = e.source_id WHERE s.path = ? AND ${where.sql} ORDER BY e.k`, [which.sourcePath, ...where.params]];
  return store.rows<[string]>(sql, params).map(([id]) => id);
}

/** How many examples a selection holds (for the confirmation). */
export function countSelected(store: LearningStore, which: DeleteSelection): number {
  return selectedIds(store, which).length;
}

export async function deleteMatching(store: LearningStore, which: DeleteSelection, onProgress?: (done: number, total: number) => void): Promise<{ deleted: number }> {
  const ids = selectedIds(store, which);
  let deleted = 0;
  for (let i = 0; i < ids.length; i += DELETE_SLICE) {
    deleted += store.deleteExamples(ids.slice(i, i + DELETE_SLICE));
    onProgress?.(Math.min(i + DELETE_SLICE, ids.length), ids.length);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { deleted };
}
