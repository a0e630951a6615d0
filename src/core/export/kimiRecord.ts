import type { StoredExample } from '../../shared/example';
import type { NormalizedExample } from '../model/example';

/** An example back in KIMI's own shape, extra fields included: exporting then importing gives the same example. */
export function toKimiRecord(e: StoredExample): Record<string, unknown> {
  return {
    id: e.id,
    timestamp: e.timestamp,
    session_id: e.sessionId,
    task_description: e.taskDescription,
    code_context: e.codeContext,
    success: e.success,
    metrics: e.metrics,
    tags: e.tags,
    model_used: e.model,
    tokens_consumed: e.tokens,
    human_feedback: e.humanFeedback,
    // Extra fields never share a name with the fields above: the importer put them aside by name.
    ...e.extra,
  };
}

/** The record an example just stored reads back as, built without reading it back (the API's 201 body). */
export function kimiRecordOfNew(e: NormalizedExample): Record<string, unknown> {
  return toKimiRecord({
    id: e.id,
    timestamp: new Date(e.ts).toISOString(),
    sessionId: e.sessionId,
    taskDescription: e.taskDescription,
    codeContext: e.codeContext,
    success: e.success,
    metrics: e.metrics,
    model: e.model,
    tokens: e.tokens,
    humanFeedback: e.humanFeedback,
    extra: e.extra,
    source: null,
    futureTimestamp: e.futureTimestamp,
    tags: [...e.tags].sort(),
  });
}
