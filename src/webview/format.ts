import { UNKNOWN } from '../shared/figures';
const numberFormat = new Intl.NumberFormat(undefined);
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A count in the user's locale. */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** A figure that may be unknown, rounded to a whole count: "—" when unknown. */
export function formatFigure(x: number | null): string {
  return x === null ? UNKNOWN : formatCount(Math.round(x));
}

/** A 0–1 rate as a percentage in the user's locale. */
export function formatPercent(rate: number): string {
  return percentFormat.format(rate);
}

/** A date and time in local time; the time zone goes in the tooltip. */
export function formatDateTime(iso: string): { text: string; title: string } {
  const d = new Date(iso);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return {
    text: d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
    title: `${d.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'long' })} (${zone})`,
  };
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** A period [since, until) as a person says it: "the previous 7 days (20 Nov – 26 Nov)". */
export function periodName(since: number, until: number): string {
  const days = Math.round((until - since) / 86_400_000);
  return `the previous ${days === 1 ? 'day' : `${days} days`} (${dayFormat.format(since)} – ${dayFormat.format(until - 1)})`;
}

const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A YYYY-MM-DD day in the user's locale ("Tue, 3 Nov 2026"). */
export function formatDay(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? day : longDay.format(t);
}

const shortDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: '2-digit', timeZone: 'UTC' });

/** An axis label: a YYYY-MM-DD day (or week's Monday) in the user's locale, short ("3 Nov 26"); other labels as they are. */
export function formatAxisDay(label: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(label)) return label;
  return shortDay.format(Date.parse(`${label}T00:00:00Z`));
}
