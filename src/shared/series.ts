// Time axes are time: a series gets one slot per calendar day or week from its
// first to its last, the ones without data empty, so a gap of ten months shows
// as ten months and not as the next point.

/** A day in ms: the one place the number is written. */
export const DAY_MS = 86_400_000;

/** A YYYY-MM-DD label as a day number (days since 1970-01-01); NaN when it is not a day. */
export const dayNumber = (label: string): number => Math.round(Date.parse(`${label}T00:00:00Z`) / DAY_MS);
/** A day number as its YYYY-MM-DD label. */
export const dayLabel = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * The local-time range [since, until) in ms of `days` calendar days from a YYYY-MM-DD label: a click on
 * a day or a week filters from its local midnight. Null when the label is not a day.
 */
export function localDayRange(label: string, days: number): { since: number; until: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(label);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  return { since: new Date(y, mo, d).getTime(), until: new Date(y, mo, d + days).getTime() };
}

/**
 * Every `step`-day slot (1: days, 7: weeks) from the first point to the last, keyed by a
 * YYYY-MM-DD label; missing slots come from `empty`. At most the latest `max` slots.
 */
function fill<T>(points: readonly T[], labelOf: (p: T) => string, step: number, max: number, empty: (label: string) => T): T[] {
  if (points.length === 0) return [];
  const byDay = new Map(points.map((p) => [dayNumber(labelOf(p)), p]));
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const last = days[days.length - 1]!;
  const first = Math.max(days[0]!, last - (max - 1) * step);
  const out: T[] = [];
  for (let d = first; d <= last; d += step) out.push(byDay.get(d) ?? empty(dayLabel(d)));
  return out;
}

/** Days oldest first, one per calendar day (those without examples have none), the latest `max` at most. */
export function fillDays<T extends { day: string }>(points: readonly T[], max: number, empty: (day: string) => T): T[] {
  return fill(points, (p) => p.day, 1, max, empty);
}

/** Weeks (each labelled by its Monday) oldest first, one per calendar week, the latest `max` at most. */
export function fillWeeks<T extends { week: string }>(points: readonly T[], max: number, empty: (week: string) => T): T[] {
  return fill(points, (p) => p.week, 7, max, empty);
}

/** Days since 1970-01-01 in this machine's local time: the bucket for daily series. */
export function localDay(epochMs: number): number {
  const d = new Date(epochMs);
  const utc = new Date(0);
  utc.setUTCFullYear(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.floor(utc.getTime() / DAY_MS);
}

