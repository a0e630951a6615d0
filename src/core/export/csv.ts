import type { StoredExample } from '../../shared/example';
import { executionTime } from '../model/example';
import type { CsvCells } from '../model/csvCells';

export type { CsvCells };

export const CSV_COLUMNS = [
  'id',
  'timestamp',
  'success',
  'model_used',
  'session_id',
  'task_description',
  'tags',
  'tokens_consumed',
  'execution_time',
  'metrics',
  'human_feedback',
  'code_context',
  'extra',
  'source_file',
  'source_line',
] as const;

/** A cell that starts with = + - @, a tab or a carriage return is read by a spreadsheet as a formula. */
function startsLikeFormula(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d;
}

/** What makes a field need quotes. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field per RFC 4180: quoted when it holds a quote, comma or line
 * break, quotes doubled. A text that a spreadsheet would run as a formula gets
 * a leading apostrophe, so it shows as text.
 */
export function csvField(value: unknown): string {
  if (typeof value === 'string') return csvText(value);
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return csvText(JSON.stringify(value));
}

function csvText(value: string): string {
  const text = value.length > 0 && startsLikeFormula(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** One CSV line from an example's cells: the one definition of a row, whichever way the cells were read. */
export function csvLine(c: CsvCells): string {
  return `${csvField(c.id)},${csvField(c.timestamp)},${csvField(c.success)},${csvField(c.model)},${csvField(c.sessionId)},${csvField(c.taskDescription)},${csvField(c.tagsJson)},${csvField(c.tokens)},${csvField(c.executionTime)},${csvField(c.metricsJson)},${csvField(c.humanFeedback)},${csvField(c.codeContext)},${csvField(c.extraJson)},${csvField(c.sourceFile)},${csvField(c.sourceLine)}\r\n`;
}

export function csvRow(e: StoredExample): string {
  return csvLine({
    id: e.id,
    timestamp: e.timestamp,
    success: e.success,
    model: e.model,
    sessionId: e.sessionId,
    taskDescription: e.taskDescription,
    tagsJson: JSON.stringify(e.tags),
    tokens: e.tokens,
    executionTime: executionTime(e.metrics),
    metricsJson: JSON.stringify(e.metrics),
    humanFeedback: e.humanFeedback,
    codeContext: e.codeContext,
    extraJson: Object.keys(e.extra).length ? JSON.stringify(e.extra) : null,
    sourceFile: e.source?.file ?? null,
    sourceLine: e.source?.line ?? null,
  });
}
