// Every error the API gives is application/problem+json (RFC 9457): a type,
// a title, the status, a detail for people, a stable code for programs, and
// per-field errors where a body was refused. Never a stack trace.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { KIMI_FIELDS } from '../core/ingest/parseKimiLine';

export interface FieldError {
  /** The field, as a JSON path (`metrics.execution_time`), or null for the whole record. */
  field: string | null;
  reason: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `https://learning-viewer.dev/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...extra };
}

export function sendProblem(c: Context, p: Problem, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(p), p.status as ContentfulStatusCode, { 'Content-Type': 'application/problem+json', ...headers });
}

/** The field a validation reason names: the words before the first space or colon, when they look like a field path. */
export function fieldOf(reason: string): string | null {
  const m = /^([A-Za-z_][\w]*(?:\.[\w$]+|\[\d+\])*)\b/.exec(reason);
  if (!m) return null;
  const head = m[1]!.split(/[.[]/)[0]!;
  return KIMI_FIELDS.has(head) || reason.startsWith(`${m[1]} `) ? m[1]! : null;
}
