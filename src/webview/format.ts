import { wilsonInterval } from '../core/analytics/successRate';
import { formatWhen, formatWhenFull, type Moment } from '../shared/dates';
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

/**
 * A rate with its interval and its sample, in words, for tooltips and chart tables:
 * "75.0% (95% interval 70.1%–79.2%, 100 examples)"; "no examples" without any.
 */
export function describeRate(successes: number, total: number): string {
  const ci = wilsonInterval(successes, total);
  if (!ci) return 'no examples';
  return `${formatPercent(successes / total)} (95% interval ${formatPercent(ci[0])}–${formatPercent(ci[1])}, ${formatCount(total)} ${total === 1 ? 'example' : 'examples'})`;
}

/** A moment in local time, the full date and time in its tooltip (the zone is named once, in the footer). */
export function formatDateTime(when: Moment): { text: string; title: string } {
  return { text: formatWhen(when), title: formatWhenFull(when) };
}

export { formatAxisDay, formatDate, formatDay, formatTime, formatWhen, periodName } from '../shared/dates';
