import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson';

/** An example ready to store: KIMI's fields validated and normalised. */
export interface NormalizedExample {
  id: string;
  /** Epoch milliseconds (UTC). */
  ts: number;
  /** Local day number (days since 1970-01-01 in local time). */
  day: number;
  sessionId: string | null;
  taskDescription: string | null;
  codeContext: string | null;
  /** True, false, or null when the log does not say (an agent session's turn). */
  success: boolean | null;
  metrics: Record<string, unknown>;
  tags: string[];
  model: string | null;
  tokens: number | null;
  humanFeedback: string | null;
  extra: Record<string, unknown>;
  futureTimestamp: boolean;
  /** Hash of the normalised content: the same id with another hash is a conflict. */
  contentHash: string;
}

/** The content a fingerprint is taken of: what KIMI wrote, without the feedback the user may edit. */
export type HashedContent = Pick<NormalizedExample, 'ts' | 'sessionId' | 'taskDescription' | 'codeContext' | 'success' | 'tags' | 'model' | 'tokens' | 'metrics' | 'extra'>;

/**
 * A fingerprint of the canonical record, to tell a re-import (same id, same
 * content) from a conflict (same id, other content). Canonical: tags as a set
 * (sorted, as an export writes them), metrics and extra with sorted keys, so
 * a record and its own export have one fingerprint. The human feedback is
 * left out: it is the one field the viewer edits, so a line that differs from
 * the stored example only in its feedback is the same example (the stored
 * feedback stays). SHA-1 because this detects change, it guards nothing.
 */
export function contentHash(body: HashedContent): string {
  const text = JSON.stringify([body.ts, body.sessionId, body.taskDescription, body.codeContext, body.success, [...body.tags].sort(), body.model, body.tokens]);
  return createHash('sha1').update(text).update(canonicalJson(body.metrics)).update(canonicalJson(body.extra)).digest('hex');
}


/** An example's execution time (seconds): `metrics.execution_time` when it is a number, else unknown. One definition for the store and the exports. */
export function executionTime(metrics: Record<string, unknown>): number | null {
  return typeof metrics.execution_time === 'number' ? metrics.execution_time : null;
}
