import { z } from 'zod';
import type { Filters } from '../../shared/filters';
import { filtersSchema, lastDaysSince } from '../../shared/filters';

/** `.vscode/learning-views.json`: named filters a team shares through git. */
export const SAVED_VIEWS_FILE = '.vscode/learning-views.json';

const savedViewSchema = z.object({
  name: z.string().trim().min(1, 'a view needs a name').max(100),
  /** "The last N days" as days, so the view still means that tomorrow; absolute dates stay in `filters`. */
  lastDays: z.number().int().min(1).max(3650).optional(),
  filters: filtersSchema.partial().default({}),
});
export type SavedView = z.infer<typeof savedViewSchema>;

export const savedViewsFileSchema = z.object({
  version: z.literal(1).default(1),
  views: z.array(savedViewSchema).default([]),
});
export type SavedViewsFile = z.infer<typeof savedViewsFileSchema>;

/** Reads the file's text; a problem is described with where it is, for the user. */
export function parseSavedViews(text: string): { ok: true; file: SavedViewsFile } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `${SAVED_VIEWS_FILE} is not valid JSON (${(e as Error).message})` };
  }
  const parsed = savedViewsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `${SAVED_VIEWS_FILE}: ${issue.path.join('.') || '(top level)'}: ${issue.message}` };
  }
  return { ok: true, file: parsed.data };
}

/** The view for these filters: a "last N days" range is kept as days, not dates. */
export function viewFromFilters(name: string, filters: Filters, now = new Date()): SavedView {
  const { since, until, ...rest } = filters;
  for (const days of [1, 7, 14, 30, 90, 180, 365]) {
    if (until === null && since === lastDaysSince(days, now)) return { name, lastDays: days, filters: rest };
  }
  return { name, filters: { ...rest, since, until } };
}

/** The filters a view selects today. */
export function filtersOfView(view: SavedView, now = new Date()): Filters {
  const base = filtersSchema.parse(view.filters);
  return view.lastDays ? { ...base, since: lastDaysSince(view.lastDays, now), until: null } : base;
}

/** Adds a view, replacing one of the same name (names compare case-insensitively). */
export function upsertView(file: SavedViewsFile, view: SavedView): SavedViewsFile {
  const others = file.views.filter((v) => v.name.toLowerCase() !== view.name.toLowerCase());
  return { ...file, views: [...others, view].sort((a, b) => a.name.localeCompare(b.name)) };
}

export function serializeSavedViews(file: SavedViewsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
