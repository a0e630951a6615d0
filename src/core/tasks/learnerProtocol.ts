// What an external learner says on stdout, one JSON object per line. Anything
// that is not one of the three events is log text; a line that tries to be an
// event and fails is reported with its reason, never acted on.
import type { LearnerMessage } from '../../shared/tasks';

/** Longer lines are skipped without being held whole. */
export const MAX_LINE_BYTES = 1024 * 1024;

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function parseLearnerLine(line: string): LearnerMessage {
  const text = line.replace(/\r$/, '');
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return { event: 'log', text };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    return { event: 'invalid', reason: `not valid JSON (${(e as Error).message})`, text: clip(text) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { event: 'log', text };
  const o = value as Record<string, unknown>;
  if (!('event' in o)) return { event: 'log', text };
  switch (o.event) {
    case 'progress': {
      const p = o.progress;
      if (typeof p !== 'number' || !Number.isFinite(p)) return { event: 'invalid', reason: `"progress" must be a number from 0 to 100, got ${clip(JSON.stringify(p ?? null), 40)}`, text: clip(text) };
      if (p < 0 || p > 100) return { event: 'invalid', reason: `progress ${p} is outside 0–100`, text: clip(text) };
      if (o.message !== undefined && typeof o.message !== 'string') return { event: 'invalid', reason: '"message" must be a string', text: clip(text) };
      return { event: 'progress', progress: p, message: ((o.message as string | undefined) ?? '').slice(0, 2000) };
    }
    case 'example': {
      const record = { ...o };
      delete record.event;
      return { event: 'example', record };
    }
    case 'result': {
      const p = o.proficiency;
      if (p !== undefined && p !== null && (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1))
        return { event: 'invalid', reason: `"proficiency" must be a number from 0 to 1, got ${clip(JSON.stringify(p), 40)}`, text: clip(text) };
      if (o.summary !== undefined && typeof o.summary !== 'string') return { event: 'invalid', reason: '"summary" must be a string', text: clip(text) };
      return { event: 'result', proficiency: (p as number | null | undefined) ?? null, summary: ((o.summary as string | undefined) ?? '').slice(0, 10_000) };
    }
    default:
      return { event: 'invalid', reason: `unknown event ${clip(JSON.stringify(o.event), 40)} (expected progress, example or result)`, text: clip(text) };
  }
}

/**
 * Splits a byte stream into lines with bounded memory: a line longer than
 * `maxBytes` is dropped as it streams and reported by its length.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private overflow = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (bytes: number) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      this.take(chunk.subarray(start, end));
      if (nl < 0) return;
      this.endLine();
      start = nl + 1;
    }
  }

  /** The last line, when the stream ends without a newline. */
  end(): void {
    if (this.size > 0 || this.overflow > 0) this.endLine();
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.overflow > 0 || this.size + piece.length > this.maxBytes) {
      this.overflow += this.size + piece.length;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(Buffer.from(piece));
    this.size += piece.length;
  }

  private endLine(): void {
    if (this.overflow > 0) this.onOverflow(this.overflow);
    else this.onLine(Buffer.concat(this.parts, this.size).toString('utf8'));
    this.parts = [];
    this.size = 0;
    this.overflow = 0;
  }
}
