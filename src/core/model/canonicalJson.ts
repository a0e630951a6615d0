import { createHash } from 'node:crypto';
import { setOwn } from './valueChecks';

/**
 * JSON with object keys sorted at every depth, so equal content gives equal
 * text. Recursive: callers pass values already checked to be no deeper than
 * MAX_DEPTH (valueChecks.ts).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) setOwn(out, key, sortKeys((value as Record<string, unknown>)[key]));
    return out;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A UUID-shaped id derived from content: importing the same line twice gives the same id. */
export function derivedId(raw: unknown): string {
  const h = sha256Hex(canonicalJson(raw));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
