import { z } from 'zod';
import { formatDate } from './dates';

/** The filters shared by every view: panel, tree, status bar tooltip, export, command line. */
export const filtersSchema = z.object({
  /** Inclusive start, epoch ms (UTC); null for no bound. */
  since: z.number().int().nullable().default(null),
  /** Exclusive end, epoch ms (UTC); null for no bound. */
  until: z.number().int().nullable().default(null),
  /** Only successes (true), only failures (false), only examples whose outcome is unknown ('unknown'), or all (null). */
  success: z.union([z.boolean(), z.literal('unknown')]).nullable().default(null),
  tags: z.array(z.string().min(1).max(200)).max(50).default([]),
  /** With several tags: examples carrying any of them, or all of them. */
  tagMode: z.enum(['any', 'all']).default('any'),
  /** A tag every example must also carry, on top of `tags` (a tree group, say). */
  andTag: z.string().min(1).max(200).nullable().default(null),
  model: z.string().max(500).nullable().default(null),
  session: z.string().max(500).nullable().default(null),
  /** Plain text looked for in the description, the code and the feedback (case-insensitive). */
  search: z.string().max(1000).nullable().default(null),
  /** A regular expression over the code context. */
  codeRegex: z.string().max(1000).nullable().default(null),
  /**
   * A learning task's examples are practice, not the agent's own work: left out of every figure
   * and list (`without`, the default), counted too (`with`), or alone (`only`).
   */
  taskExamples: z.enum(['without', 'with', 'only']).default('without'),
  /** Only examples linked to a commit (true), only those without one (false), or both (null). */
  hasCommit: z.boolean().nullable().default(null),
  /** Examples whose commit is on this branch (as the example names it). */
  branch: z.string().min(1).max(500).nullable().default(null),
  /** Examples whose commit touched this file (a path relative to the repository's root). */
  file: z.string().min(1).max(2000).nullable().default(null),
});
export type Filters = z.infer<typeof filtersSchema>;
export const NO_FILTERS: Filters = filtersSchema.parse({});

/**
 * Local midnight `days - 1` days before `now`: the start of "the last N days"
 * (today included). The panel's presets, saved views and the status bar all use it.
 */
export function lastDaysSince(days: number, now = new Date()): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - days + 1).getTime();
}

/** True when the filters select every example. */
export function isUnfiltered(f: Filters): boolean {
  return (
    f.since === null &&
    f.until === null &&
    f.success === null &&
    f.tags.length === 0 &&
    f.andTag === null &&
    f.model === null &&
    f.session === null &&
    !f.search &&
    !f.codeRegex &&
    f.hasCommit === null &&
    f.taskExamples === 'without' &&
    f.branch === null &&
    f.file === null
  );
}

/** A short description of active filters for a person, e.g. "tag auth · model Mistral 7B". */
export function describeFilters(f: Filters): string {
  const parts: string[] = [];
  if (f.since !== null || f.until !== null) {
    const day = formatDate;
    parts.push(f.since !== null && f.until !== null ? `${day(f.since)} – ${day(f.until - 1)}` : f.since !== null ? `since ${day(f.since)}` : `until ${day(f.until! - 1)}`);
  }
  if (f.success !== null) parts.push(f.success === 'unknown' ? 'unknown outcomes' : f.success ? 'successes' : 'failures');
  if (f.tags.length) parts.push(`${f.tags.length > 1 ? `tags (${f.tagMode})` : 'tag'} ${f.tags.join(', ')}`);
  if (f.andTag) parts.push(`tag ${f.andTag}`);
  if (f.model !== null) parts.push(`model ${f.model}`);
  if (f.session !== null) parts.push(`session ${f.session.slice(0, 8)}`);
  if (f.search) parts.push(`“${f.search}”`);
  if (f.codeRegex) parts.push(`code /${f.codeRegex}/`);
  if (f.taskExamples !== 'without') parts.push(f.taskExamples === 'with' ? 'with learning-task examples' : 'learning-task examples only');
  if (f.hasCommit !== null) parts.push(f.hasCommit ? 'with a commit' : 'without a commit');
  if (f.branch !== null) parts.push(`branch ${f.branch}`);
  if (f.file !== null) parts.push(`file ${f.file}`);
  return parts.join(' · ');
}

/** The columns a page of examples may be sorted by. */
export const sortColumnSchema = z.enum(['timestamp', 'success', 'model', 'tokens', 'executionTime']);
export type SortColumn = z.infer<typeof sortColumnSchema>;

export const pageRequestSchema = z.object({
  filters: filtersSchema.default(NO_FILTERS),
  sort: sortColumnSchema.default('timestamp'),
  direction: z.enum(['asc', 'desc']).default('desc'),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(1000).default(100),
  /** Count the filtered total too (false when the caller knows it). */
  countTotal: z.boolean().default(true),
});
export type PageRequest = z.input<typeof pageRequestSchema>;

/** Checks a user's regular expression before it reaches the database, with a reason a person understands. */
export function regexProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, 'u');
    return null;
  } catch (e) {
    return `the regular expression ${JSON.stringify(pattern)} is not valid: ${(e as Error).message}`;
  }
}
