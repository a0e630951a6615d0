import { z } from 'zod';
import { createHash } from 'node:crypto';
import { canonicalJson, derivedId } from './canonicalJson';
import { describe, localDay, parseTimestamp, type AssumeTimeZone } from './timestamp';

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
  success: boolean;
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

export interface ParseOptions {
  assumeTimeZone: AssumeTimeZone;
  /** Epoch ms of "now", for flagging timestamps in the future. */
  now: number;
}

export type ParseResult = { ok: true; example: NormalizedExample } | { ok: false; reason: string };

const KNOWN = new Set([
  'id',
  'timestamp',
  'session_id',
  'task_description',
  'code_context',
  'success',
  'metrics',
  'tags',
  'model_used',
  'tokens_consumed',
  'human_feedback',
]);

const DAY_MS = 86_400_000;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function optionalText(field: string) {
  return z
    .union([z.string(), z.null()], { error: (iss) => `${field} must be text, not ${describe(iss.input)}` })
    .optional()
    .transform((v) => (v === undefined || v === null ? null : v));
}

/**
 * The documented coercions, and only these, where the meaning is certain:
 * success "true"/"false" (any case), 1/0 and "1"/"0"; tags as one comma-separated
 * string; tokens_consumed and metric values as numeric strings; timestamps as
 * epoch seconds or milliseconds.
 */
const recordSchema = z.object({
  id: z
    .union([z.string(), z.null()], { error: (iss) => `id must be text, not ${describe(iss.input)}` })
    .optional()
    .transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)),
  success: z.preprocess(
    (v) => {
      if (typeof v === 'string') {
        const t = v.trim().toLowerCase();
        if (t === 'true' || t === '1') return true;
        if (t === 'false' || t === '0') return false;
      }
      if (v === 1) return true;
      if (v === 0) return false;
      return v;
    },
    z.boolean({ error: (iss) => (iss.input === undefined ? 'success is missing' : `success must be true or false, not ${describe(iss.input)}`) }),
  ),
  session_id: optionalText('session_id'),
  task_description: optionalText('task_description'),
  code_context: optionalText('code_context'),
  model_used: optionalText('model_used'),
  human_feedback: optionalText('human_feedback'),
  tokens_consumed: z.preprocess(
    (v) => (typeof v === 'string' && NUMERIC.test(v.trim()) ? Number(v.trim()) : v),
    z
      .union([z.number().int().nonnegative(), z.null()], {
        error: (iss) => `tokens_consumed must be a whole number of 0 or more, not ${describe(iss.input)}`,
      })
      .optional()
      .transform((v) => (v === undefined ? null : v)),
  ),
  tags: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',') : v),
    z
      .union([z.array(z.string()), z.null()], {
        error: (iss) =>
          Array.isArray(iss.input)
            ? `each tag must be text, not ${describe((iss.input as unknown[]).find((t) => typeof t !== 'string'))}`
            : `tags must be a list of text, not ${describe(iss.input)}`,
      })
      .optional()
      .transform((v) => [...new Set((v ?? []).map((t) => t.trim()).filter((t) => t !== ''))]),
  ),
  metrics: z
    .union([z.record(z.string(), z.unknown()), z.null()], { error: (iss) => `metrics must be an object, not ${describe(iss.input)}` })
    .optional()
    .transform((m) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(m ?? {})) out[k] = typeof v === 'string' && NUMERIC.test(v.trim()) ? Number(v.trim()) : v;
      return out;
    }),
});

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid record';
  // Our own messages already name the field; zod's default ones get the path.
  const path = issue.path.join('.');
  return issue.message.startsWith(String(issue.path[0] ?? '')) || !path ? issue.message : `${path}: ${issue.message}`;
}

/**
 * A fingerprint of the normalised content, to tell a re-import (same id, same
 * content) from a conflict (same id, other content). The body's own fields are
 * in a fixed order; only metrics and extra, whose key order comes from the
 * file, are sorted. SHA-1 because this detects change, it guards nothing.
 */
function contentHash(body: Omit<NormalizedExample, 'id' | 'day' | 'futureTimestamp' | 'contentHash'>): string {
  const text = JSON.stringify([
    body.ts,
    body.sessionId,
    body.taskDescription,
    body.codeContext,
    body.success,
    body.tags,
    body.model,
    body.tokens,
    body.humanFeedback,
  ]);
  return createHash('sha1').update(text).update(canonicalJson(body.metrics)).update(canonicalJson(body.extra)).digest('hex');
}

/** Validates one parsed JSON value as a KIMI learning example. */
export function normalizeRecord(raw: unknown, options: ParseOptions): ParseResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: `a learning example must be a JSON object, not ${describe(raw)}` };
  }
  const obj = raw as Record<string, unknown>;
  const ts = parseTimestamp(obj.timestamp, options.assumeTimeZone);
  if (typeof ts === 'string') return { ok: false, reason: ts };
  const parsed = recordSchema.safeParse(obj);
  if (!parsed.success) return { ok: false, reason: firstIssue(parsed.error) };
  const r = parsed.data;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!KNOWN.has(k)) extra[k] = v;
  const body = {
    ts,
    sessionId: r.session_id,
    taskDescription: r.task_description,
    codeContext: r.code_context,
    success: r.success,
    metrics: r.metrics,
    tags: r.tags,
    model: r.model_used,
    tokens: r.tokens_consumed,
    humanFeedback: r.human_feedback,
    extra,
  };
  return {
    ok: true,
    example: {
      id: r.id ?? derivedId(obj),
      day: localDay(ts),
      futureTimestamp: ts > options.now + DAY_MS,
      contentHash: contentHash(body),
      ...body,
    },
  };
}

/** Parses and validates one line of a KIMI log. Blank lines are the caller's to skip. */
export function parseKimiLine(text: string, options: ParseOptions): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `invalid JSON (${(e as Error).message})` };
  }
  return normalizeRecord(raw, options);
}
