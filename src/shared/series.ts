// Time axes are time: a series gets one slot per calendar day or week from its
// first to its last, the ones without data empty, so a gap of ten months shows
// as ten months and not as the next point.

const DAY_MS = 86_400_000;

const toDay = (label: string) => Math.round(Date.parse(`${label}T00:00:00Z`) / DAY_MS);
const toLabel = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Every `step`-day slot (1: days, 7: weeks) from the first point to the last, keyed by a
 * YYYY-MM-DD label; missing slots come from `empty`. At most the latest `max` slots.
 */
function fill<T>(points: readonly T[], labelOf: (p: T) => string, step: number, max: number, empty: (label: string) => T): T[] {
  if (points.length === 0) return [];
  const byDay = new Map(points.map((p) => [toDay(labelOf(p)), p]));
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const last = days[days.length - 1]!;
  const first = Math.max(days[0]!, last - (max - 1) * step);
  const out: T[] = [];
  for (let d = first; d <= last; d += step) out.push(byDay.get(d) ?? empty(toLabel(d)));
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
