// What a learning task writes, done on either engine: the examples a learner
// reported and the knowledge entry. The data worker serves these to the
// extension's tasks; `serve` runs its tasks on them directly.
import { normalizeRecord } from '../ingest/parseKimiLine';
import { type NormalizedExample } from '../model/example';
import type { AssumeTimeZone } from '../ingest/timestamp';
import type { LearnerSource, TaskStore } from '../engine/contract';
import type { KnowledgeEntry } from '../../shared/tasks';
import type { WorkerParsedParams, WorkerResult } from '../../shared/workerProtocol';
import { learnTechnology } from './builtinLearner';
import type { RunnerData } from './taskRunner';

/** Validates the records a learner reported like log lines and stores the valid ones, linked to the task. */
export async function storeLearnerRecords(
  store: TaskStore,
  taskId: string,
  records: readonly unknown[],
  assumeTimeZone: AssumeTimeZone,
  now = Date.now(),
): Promise<WorkerResult<'addLearnerExamples'>> {
  const valid: NormalizedExample[] = [];
  const rejected: string[] = [];
  for (const [i, record] of records.entries()) {
    const parsed = normalizeRecord(record, { assumeTimeZone, now });
    if (parsed.ok) valid.push(parsed.example);
    else rejected.push(`example ${i + 1}: ${parsed.reason}`);
  }
  const added = await store.addLearnerExamples(taskId, valid);
  // An id already stored keeps its first version, whether or not the content matches.
  return { added, alreadyPresent: valid.length - added, rejected };
}

/** Runs the built-in learner (with an external learner's result, when there is one) and stores its knowledge entry. */
export async function learnAndStore(
  store: TaskStore & LearnerSource,
  p: Omit<WorkerParsedParams<'learn'>, 'external'> & { external?: WorkerParsedParams<'learn'>['external']; signal: AbortSignal; onProgress: (progress: number, message: string) => void },
): Promise<KnowledgeEntry> {
  const entry = await learnTechnology(store, { ...p, external: p.external ?? null });
  await store.addKnowledge(entry);
  return entry;
}

/**
 * The data side of an external learner's task, on the store in this thread
 * (for `serve`): the same writes the data worker makes for the extension.
 */
export function storeRunnerData(store: TaskStore & LearnerSource, options: { assumeTimeZone: AssumeTimeZone; afterWrite: (examplesAdded: number) => void }): RunnerData {
  const running = new Map<string, AbortController>();
  const listeners = new Set<Parameters<RunnerData['on']>[1]>();
  const handle = {
    learn: async (p: WorkerParsedParams<'learn'>) => {
      const controller = new AbortController();
      running.set(p.taskId, controller);
      try {
        const entry = await learnAndStore(store, {
          ...p,
          signal: controller.signal,
          onProgress: (progress, message) => listeners.forEach((l) => l({ kind: 'taskProgress', taskId: p.taskId, progress, message })),
        });
        options.afterWrite(0);
        return entry;
      } finally {
        running.delete(p.taskId);
      }
    },
    addLearnerExamples: async (p: WorkerParsedParams<'addLearnerExamples'>) => {
      const result = await storeLearnerRecords(store, p.taskId, p.records, options.assumeTimeZone);
      options.afterWrite(result.added);
      return result;
    },
    cancel: (p: WorkerParsedParams<'cancel'>) => {
      const controller = running.get(p.operationId);
      controller?.abort();
      return { found: controller !== undefined };
    },
  };
  return {
    request: (async (method: keyof typeof handle, params: never) => handle[method](params)) as RunnerData['request'],
    on: (_event, listener) => listeners.add(listener),
    off: (_event, listener) => listeners.delete(listener),
  };
}
