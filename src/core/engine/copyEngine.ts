// One database into another, whichever the engines: every example (its
// feedback with it), keeping its id, its source file and line; then the
// offsets of the files that were being read, so following goes on where it
// was; then the learning tasks with their logs and the knowledge entries.
// Re-running adds nothing: ids already there are counted as present.
import type { BatchItem } from '../model/batch';
import type { LearningEngine } from './contract';
import type { StoredExample } from '../../shared/example';
import type { NormalizedExample } from '../model/example';
import { contentHash } from '../model/example';
import { localDay } from '../../shared/series';
import { filtersSchema } from '../../shared/filters';
import type { ImportProblem } from '../../shared/importReport';

export interface CopyReport {
  added: number;
  duplicates: number;
  conflicts: number;
  /** Examples the target cannot store, with the reason (their ids). */
  problems: ImportProblem[];
  /** Offsets of followed files taken along (those the target had not read yet). */
  offsets: number;
  /** Learning tasks copied (each with its log, when the target had none for it), and knowledge entries. */
  tasks: number;
  knowledge: number;
  cancelled: boolean;
}

/** A stored example as an import would have normalised it: the same content, so the same fingerprint. */
export function toNormalized(e: StoredExample): NormalizedExample {
  const ts = Date.parse(e.timestamp);
  const body = { ts, sessionId: e.sessionId, taskDescription: e.taskDescription, codeContext: e.codeContext, success: e.success, tags: e.tags, model: e.model, tokens: e.tokens, metrics: e.metrics, extra: e.extra };
  return { ...body, id: e.id, day: localDay(ts), humanFeedback: e.humanFeedback, futureTimestamp: e.futureTimestamp, contentHash: contentHash(body) };
}

/** Everything, learning-task practice included. */
const EVERY_EXAMPLE = filtersSchema.parse({ taskExamples: 'with' });

export async function copyEngine(
  from: LearningEngine,
  to: LearningEngine,
  options: { batchSize?: number; signal?: AbortSignal; onProgress?: (copied: number) => void } = {},
): Promise<CopyReport> {
  const report: CopyReport = { added: 0, duplicates: 0, conflicts: 0, problems: [], offsets: 0, tasks: 0, knowledge: 0, cancelled: false };
  const sourceKeys = new Map<string, number>();
  let batch: BatchItem[] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const counts = await to.writeBatch(batch, null);
    report.added += counts.added;
    report.duplicates += counts.duplicates;
    report.conflicts += counts.conflicts;
    for (const i of counts.conflictIndexes) report.problems.push({ file: from.place, line: 0, reason: `id ${batch[i]!.example.id} is already stored with other content; the one there was kept` });
    for (const r of counts.refused ?? []) report.problems.push({ file: from.place, line: 0, reason: `id ${batch[r.index]!.example.id}: ${r.reason}` });
    for (const i of counts.expiredIndexes) report.problems.push({ file: from.place, line: 0, reason: `id ${batch[i]!.example.id} is older than the target's retention period keeps` });
    copied += batch.length;
    batch = [];
    options.onProgress?.(copied);
  };
  for await (const e of from.examples(EVERY_EXAMPLE)) {
    let sourceId: number | undefined;
    if (e.source) {
      sourceId = sourceKeys.get(e.source.file);
      if (sourceId === undefined) sourceKeys.set(e.source.file, (sourceId = await to.sourceKey(e.source.file)));
    }
    batch.push({ example: toNormalized(e), sourceId, line: e.source?.line });
    if (batch.length >= (options.batchSize ?? 5000)) {
      await flush();
      if (options.signal?.aborted) return { ...report, cancelled: true };
    }
  }
  await flush();
  // Offsets last: a followed file resumes after lines whose examples are now all there.
  for (const offset of await from.sourceOffsets()) {
    if ((await to.sourceOffset(offset.path)) !== null) continue;
    await to.writeBatch([], offset);
    report.offsets++;
  }
  // The learning tasks (as they stand: a task is one row, so copying it again changes nothing), each log once.
  for (const task of (await from.tasks()).tasks) {
    await to.saveTask(task);
    if ((await to.taskEvents(task.id, 1)).length === 0) {
      const events = await from.taskEvents(task.id, EVERY_EVENT);
      if (events.length > 0) await to.appendTaskEvents(task.id, events.map(({ seq: _seq, ...event }) => event));
    }
    report.tasks++;
  }
  for (const entry of await from.knowledge({ limit: EVERY_EVENT })) {
    await to.addKnowledge(entry);
    report.knowledge++;
  }
  await to.flush();
  return report;
}

/** A limit no task's log or knowledge list reaches. */
const EVERY_EVENT = 1_000_000_000;
