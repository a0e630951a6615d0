import type { StoredExample } from '../../shared/example';

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
