import type { Heatmap } from '../../shared/analytics';

/** The database groups by quarter hour of UTC; every time zone's offset is a whole number of quarter hours. */
export const QUARTER_HOUR_MS = 900_000;

export interface QuarterCount {
  /** Epoch ms / QUARTER_HOUR_MS, floored. */
  quarter: number;
  total: number;
  successes: number;
  unknown: number;
}

/** Monday-first weekday (0 = Monday) and hour of an instant in local time, daylight saving included. */
export function localWeekdayHour(ms: number): { weekday: number; hour: number } {
  const d = new Date(ms);
  return { weekday: (d.getDay() + 6) % 7, hour: d.getHours() };
}

/**
 * Examples and successes per weekday × hour in local time. Each quarter hour
 * is placed by its own local time, so the hours on either side of a daylight
 * saving change land where a clock on the wall would put them.
 */
export function heatmap(quarters: readonly QuarterCount[], since: number, local = localWeekdayHour): Heatmap {
  const cells = Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, total: 0, successes: 0, unknown: 0 }));
  for (const q of quarters) {
    const { weekday, hour } = local(q.quarter * QUARTER_HOUR_MS);
    const cell = cells[weekday * 24 + hour]!;
    cell.total += q.total;
    cell.successes += q.successes;
    cell.unknown += q.unknown;
  }
  return { cells, since, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
}
