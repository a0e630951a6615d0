import { z } from 'zod';
import { derivedId } from '../model/canonicalJson';
import { contentHash, type NormalizedExample } from '../model/example';
import { describe, parseTimestamp, type AssumeTimeZone } from './timestamp';
import { DAY_MS, localDay } from '../../shared/series';
import { MAX_METRIC, setOwn, unstorableReason } from '../model/valueChecks';

export interface ParseOptions {
  assumeTimeZone: AssumeTimeZone;
  /** Epoch ms of "now", for flagging timestamps in the future. */
  now: number;
}

/** A refusal: `reason` is the first problem (what an import reports for the line); `problems` every one found, when several. */
export type ParseResult = { ok: true; example: NormalizedExample } | { ok: false; reason: string; problems?: string[] };

/** The fields of the KIMI format; anything else is kept as an extra field. */
export const KIMI_FIELDS: ReadonlySet<string> = new Set([
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


/**
 * More tags than this on one example is refused: no task is about a thousand
 * technologies, and the analytics' tag pairs grow with the square of the count.
 */
export const MAX_TAGS_PER_EXAMPLE = 100;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function optionalText(field: string) {
  return z
    .union([z.string(), z.null()], { error: (iss) => `${field} must be text, not ${describe(iss.input)}` })
    .optional()
    .transform((v) => (v === undefined || v === null ? null : v));
}

/**
 * The documented coercions, and only these, where the meaning is certain:
 * success "true"/"false" (any case), 1/0 and "1"/"0", null for an unknown outcome; tags as one comma-separated
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
    // null, written out, is an outcome the log does not know (an agent session's turn, or an export of one):
    // the key must be there; a line without it is refused as before.
    z.union([z.boolean(), z.null()], {
      error: (iss) => (iss.input === undefined ? 'success is missing' : `success must be true, false or null (unknown), not ${describe(iss.input)}`),
    }),
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
  // Parsed by hand (readMetrics), not as a zod record: zod drops a `__proto__` key, and a key is never dropped.
  metrics: z.unknown().optional(),
});

/** Metrics as written, numeric strings as numbers; every key kept (`__proto__` too). */
function readMetrics(m: unknown): Record<string, unknown> | string {
  if (m === undefined || m === null) return {};
  if (typeof m !== 'object' || Array.isArray(m)) return `metrics must be an object, not ${describe(m)}`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    const value = typeof v === 'string' && NUMERIC.test(v.trim()) ? Number(v.trim()) : v;
    if (typeof value === 'number' && !(Math.abs(value) <= MAX_METRIC)) {
      return `metrics.${k} is ${String(value)}; a metric must be a number between -1e15 and 1e15`;
    }
    setOwn(out, k, value);
  }
  return out;
}

function issueText(issue: z.core.$ZodIssue): string {
  // Our own messages already name the field; zod's default ones get the path.
  const path = issue.path.join('.');
  return issue.message.startsWith(String(issue.path[0] ?? '')) || !path ? issue.message : `${path}: ${issue.message}`;
}

/**
 * Validates one parsed JSON value as a KIMI learning example. Every step runs
 * inside this guard: whatever a value does (an unexpected exception from
 * validation or hashing included) is this record's problem, never the import's.
 */
export function normalizeRecord(raw: unknown, options: ParseOptions): ParseResult {
  try {
    return normalizeUnguarded(raw, options);
  } catch (e) {
    return { ok: false, reason: `the record could not be read (${e instanceof Error ? e.message : String(e)})` };
  }
}

function normalizeUnguarded(raw: unknown, options: ParseOptions): ParseResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: `a learning example must be a JSON object, not ${describe(raw)}` };
  }
  const obj = raw as Record<string, unknown>;
  const unstorable = unstorableReason(obj, '');
  if (unstorable) return { ok: false, reason: unstorable };
  // Every field is checked, so that a caller is told all that is wrong at once; the first problem is the reason.
  const problems: string[] = [];
  const ts = parseTimestamp(obj.timestamp, options.assumeTimeZone);
  if (typeof ts === 'string') problems.push(ts);
  const parsed = recordSchema.safeParse(obj);
  if (!parsed.success) problems.push(...(parsed.error.issues.length ? parsed.error.issues.map(issueText) : ['invalid record']));
  const metrics = readMetrics(obj.metrics);
  if (typeof metrics === 'string') problems.push(metrics);
  if (parsed.success && parsed.data.tags.length > MAX_TAGS_PER_EXAMPLE) {
    problems.push(`the example has ${parsed.data.tags.length} tags; at most ${MAX_TAGS_PER_EXAMPLE} are accepted on one example`);
  }
  if (problems.length > 0 || typeof ts === 'string' || !parsed.success || typeof metrics === 'string') {
    return { ok: false, reason: problems[0]!, ...(problems.length > 1 ? { problems } : {}) };
  }
  const r = parsed.data;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!KIMI_FIELDS.has(k)) setOwn(extra, k, v);
  const body = {
    ts,
    sessionId: r.session_id,
    taskDescription: r.task_description,
    codeContext: r.code_context,
    success: r.success,
    metrics,
    tags: r.tags,
    model: r.model_used,
    tokens: r.tokens_consumed,
    humanFeedback: r.human_feedback,
    extra,
  };
  const day = localDay(ts);
  if (!Number.isFinite(day)) return { ok: false, reason: `timestamp ${describe(obj.timestamp)} is outside the range of dates that can be stored` };
  return {
    ok: true,
    example: {
      id: r.id ?? derivedId(obj),
      day,
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
