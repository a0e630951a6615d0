// The options of the command line, as `parseArgs` reads them, and the filters
// several commands share.
import { parseTimestamp } from '../core/ingest/timestamp';
import { regexProblem } from '../shared/filters';
import type { Filters } from '../shared/filters';
import { filtersSchema } from '../shared/filters';
import { DAY_MS } from '../shared/series';
import { UsageError } from './common';

/** Every option a command may take, as `parseArgs` reads it. */
export const OPTIONS = {
  db: { type: 'string' },
  database: { type: 'string' },
  from: { type: 'string' },
  'retention-days': { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
  utc: { type: 'boolean' },
  out: { type: 'string' },
  count: { type: 'string' },
  days: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  since: { type: 'string' },
  until: { type: 'string' },
  success: { type: 'string' },
  tag: { type: 'string', multiple: true },
  model: { type: 'string' },
  session: { type: 'string' },
  search: { type: 'string' },
  regex: { type: 'string' },
  limit: { type: 'string' },
  id: { type: 'string' },
  format: { type: 'string' },
  bom: { type: 'boolean' },
  compare: { type: 'string' },
  depth: { type: 'string' },
  'max-lines': { type: 'string' },
  'max-mb': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'no-auth': { type: 'boolean' },
  'allowed-host': { type: 'string', multiple: true },
  'allowed-origin': { type: 'string', multiple: true },
  'rate-limit': { type: 'string' },
  learner: { type: 'string' },
  folder: { type: 'string' },
  'older-than': { type: 'string' },
  'dry-run': { type: 'boolean' },
  role: { type: 'string' },
  name: { type: 'string' },
  alerts: { type: 'string' },
  check: { type: 'boolean' },
  agent: { type: 'string', multiple: true },
  home: { type: 'string' },
  'success-from-tests': { type: 'boolean' },
  'max-prompt': { type: 'string' },
} as const;

export type OptionName = keyof typeof OPTIONS;

export const FILTER_OPTIONS: OptionName[] = ['since', 'until', 'success', 'tag', 'model', 'session', 'search', 'regex'];

export interface FilterValues {
  since?: string;
  until?: string;
  success?: string;
  tag?: string[];
  model?: string;
  session?: string;
  search?: string;
  regex?: string;
}

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** FILTERS from the command line, checked with the same schema the extension uses. */
export function cliFilters(v: FilterValues): Filters {
  const time = (name: string, text: string | undefined, endOfDay: boolean): number | null => {
    if (text === undefined) return null;
    const t = parseTimestamp(text, 'local');
    if (typeof t === 'string') throw new UsageError(`${name}: ${t.replace(/^timestamp/, 'the date')}`);
    return endOfDay && DATE_ONLY.test(text.trim()) ? t + DAY_MS : t;
  };
  let success: boolean | 'unknown' | null = null;
  if (v.success !== undefined) {
    if (v.success !== 'true' && v.success !== 'false' && v.success !== 'unknown') throw new UsageError('--success takes true, false or unknown');
    success = v.success === 'unknown' ? 'unknown' : v.success === 'true';
  }
  if (v.regex) {
    const problem = regexProblem(v.regex);
    if (problem) throw new UsageError(problem);
  }
  const parsed = filtersSchema.safeParse({
    since: time('--since', v.since, false),
    until: time('--until', v.until, true),
    success,
    tags: v.tag ?? [],
    model: v.model ?? null,
    session: v.session ?? null,
    search: v.search ?? null,
    codeRegex: v.regex ?? null,
  });
  if (!parsed.success) throw new UsageError(`invalid filter: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** What `parseArgs` gives for OPTIONS: each option a string, a boolean or a list, when given. */
export type Values = {
  [K in OptionName]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};
