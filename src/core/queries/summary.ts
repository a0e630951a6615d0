import type { Summary } from '../../shared/workerProtocol';
import { successRate } from '../analytics/successRate';
import type { LearningStore } from '../storage/learningStore';

/** Count, success rate with interval, mean execution time and tokens over every example. */
export function summary(store: LearningStore): Summary {
  const [total = 0, successes = 0, avgExec = null, tokens = 0, withTokens = 0] =
    store.rows<[number, number | null, number | null, number | null, number]>(
      'SELECT count(*), sum(success), avg(exec_time), sum(tokens), count(tokens) FROM examples',
    )[0] ?? [];
  return {
    rate: successRate(Number(successes ?? 0), Number(total)),
    avgExecutionTime: avgExec === null ? null : Number(avgExec),
    totalTokens: Number(tokens ?? 0),
    avgTokens: withTokens > 0 ? Number(tokens ?? 0) / Number(withTokens) : null,
  };
}
