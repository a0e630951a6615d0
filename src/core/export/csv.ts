import type { StoredExample } from '../../shared/example';

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

/** Characters that make a spreadsheet read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field per RFC 4180: quoted when it holds a quote, comma or line
 * break, quotes doubled. A text that a spreadsheet would run as a formula gets
 * a leading apostrophe, so it shows as text.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(e: StoredExample): string {
  const execTime = typeof e.metrics.execution_time === 'number' ? e.metrics.execution_time : null;
  const cells = [
    e.id,
    e.timestamp,
    e.success,
    e.model,
    e.sessionId,
    e.taskDescription,
    JSON.stringify(e.tags),
    e.tokens,
    execTime,
    JSON.stringify(e.metrics),
    e.humanFeedback,
    e.codeContext,
    Object.keys(e.extra).length ? JSON.stringify(e.extra) : null,
    e.source?.file ?? null,
    e.source?.line ?? null,
  ];
  return `${cells.map(csvField).join(',')}\r\n`;
}
