// One date and time format, from the user's locale, everywhere a date is shown: the panel's
// tables, axes, tooltips, knowledge and heatmap, and the host's tree, status bar and messages.
// The host sets VS Code's display language (`setDateLocale`); the webview uses its own, the same.
import { DAY_MS, dayNumber } from './series';

let locale: string | undefined;
let formats = build();

function build() {
  return {
    when: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
    full: new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'long' }),
    date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }),
    time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    dayMonth: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }),
    // Days labelled YYYY-MM-DD are calendar days already: shown as they are, in UTC.
    longDay: new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
    shortDay: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: '2-digit', timeZone: 'UTC' }),
  };
}

/** Use this locale (a BCP 47 tag such as VS Code's `env.language`); an unknown tag falls back to the default. */
export function setDateLocale(tag: string | undefined): void {
  try {
    locale = tag && Intl.DateTimeFormat.supportedLocalesOf([tag]).length ? tag : undefined;
  } catch {
    locale = undefined;
  }
  formats = build();
}

/** A moment: ms since the epoch, or an ISO 8601 string as stored. */
export type Moment = number | string;
const ms = (m: Moment): number => (typeof m === 'number' ? m : Date.parse(m));

/** The local time zone's name ("Europe/Paris"), said once where times are shown. */
export function timeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A moment in local time: "3 Dec 2026, 16:27". */
export function formatWhen(when: Moment): string {
  return formats.when.format(ms(when));
}

/** A moment in full, for a tooltip: "Thursday, 3 December 2026 at 16:27:05 CET". */
export function formatWhenFull(when: Moment): string {
  return formats.full.format(ms(when));
}

/** A local date: "3 Dec 2026". */
export function formatDate(when: Moment): string {
  return formats.date.format(ms(when));
}

/** A local time of day: "16:27:05". */
export function formatTime(when: Moment): string {
  return formats.time.format(ms(when));
}

/** A period [since, until) as a person says it: "the previous 7 days (20 Nov – 26 Nov)". */
export function periodName(since: number, until: number): string {
  const days = Math.round((until - since) / DAY_MS);
  return `the previous ${days === 1 ? 'day' : `${days} days`} (${formats.dayMonth.format(since)} – ${formats.dayMonth.format(until - 1)})`;
}

/** A YYYY-MM-DD day: "Tue, 3 Nov 2026"; anything else as it is. */
export function formatDay(day: string): string {
  const t = dayNumber(day);
  return Number.isNaN(t) ? day : formats.longDay.format(t * DAY_MS);
}

/** An axis label: a YYYY-MM-DD day (or week's Monday), short ("3 Nov 26"); other labels as they are. */
export function formatAxisDay(label: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(label)) return label;
  return formats.shortDay.format(dayNumber(label) * DAY_MS);
}
