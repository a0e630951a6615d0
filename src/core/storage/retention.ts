// Retention: the raw examples older than the period go, their per-day rollups
// stay, so the overview, the daily trend and the per-tag and per-model figures
// of old periods keep their numbers. Kept: examples with feedback the user
// wrote (their words exist nowhere else) and examples a learning task reported
// (its result and knowledge entry refer to them). Removed a slice at a time,
// each its own transaction, so the worker answers requests in between.
import type { LearningStore } from './learningStore';
import { lastDaysSince } from '../../shared/filters';

export interface PruneReport {
  /** The cutoff: examples dated before it were (or, in a dry run, would be) removed. */
  before: number;
  examples: number;
  first: number | null;
  last: number | null;
  /** Code bytes the removed examples referred to (they stay in the code file until it is compacted). */
  codeBytes: number;
  removed: number;
  dryRun: boolean;
  slices: number;
  /** The longest one slice held the thread, in ms. */
  longestSliceMs: number;
}

/** The cutoff for keeping `days` days: local midnight `days - 1` days before today (today is kept whole). */
export function retentionCutoff(days: number, now = new Date()): number {
  return lastDaysSince(days, now);
}

export async function prune(
  store: LearningStore,
  before: number,
  options: { dryRun?: boolean; sliceSize?: number; onProgress?: (removed: number) => void } = {},
): Promise<PruneReport> {
  // A dry run counts everything at once; a real one adds up its slices, so no count holds the thread.
  if (options.dryRun) return { before, ...store.pruneCandidates(before), removed: 0, dryRun: true, slices: 0, longestSliceMs: 0 };
  const report: PruneReport = { before, examples: 0, first: null, last: null, codeBytes: 0, removed: 0, dryRun: false, slices: 0, longestSliceMs: 0 };
  for (;;) {
    const t = performance.now();
    const slice = store.pruneSlice(before, options.sliceSize ?? 1000);
    report.longestSliceMs = Math.max(report.longestSliceMs, performance.now() - t);
    report.slices++;
    report.removed += slice.removed;
    report.examples += slice.removed;
    report.codeBytes += slice.codeBytes;
    if (slice.first !== null) report.first = Math.min(report.first ?? slice.first, slice.first);
    if (slice.last !== null) report.last = Math.max(report.last ?? slice.last, slice.last);
    options.onProgress?.(report.removed);
    if (slice.removed === 0) break;
    // Requests waiting for the worker are answered between slices.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return report;
}
