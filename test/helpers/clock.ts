// Tests never depend on the day they run: a fixture that meets a window
// measured from now ("last 7 days", the status bar, trends) takes its dates
// from these, relative to the run's own clock.

const DAY_MS = 86_400_000;

/**
 * An ISO 8601 instant `days` days before now (UTC), at `hour`:`minute` UTC of
 * that day, so several fixtures of one day keep their order.
 */
export function daysAgo(days: number, hour = 12, minute = 0, now = Date.now()): string {
  const d = new Date(now - days * DAY_MS);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour, minute)).toISOString();
}
