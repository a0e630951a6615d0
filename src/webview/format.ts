import { knownOutcomes, successRate } from '../core/analytics/successRate';
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

const decimalFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A small figure that may be unknown, to two decimals (a count per turn): "—" when unknown. */
export function formatFigureDecimal(x: number | null): string {
  return x === null ? UNKNOWN : decimalFormat.format(x);
}

/** A 0–1 rate as a percentage in the user's locale. */
export function formatPercent(rate: number): string {
  return percentFormat.format(rate);
}

/**
 * A rate with its interval and its sample, in words, for tooltips and chart tables:
 * "75.0% (95% interval 70.1%–79.2%, 100 examples)"; over the known outcomes only, the
 * unknown ones named: "62.5% (95% interval …, 40 known · 113 unknown)"; "no examples" without any.
 */
export function describeRate(successes: number, total: number, unknown = 0): string {
  const r = successRate(successes, total, unknown);
  if (r.rate === null || !r.interval) return unknown > 0 ? `no known outcome · ${formatCount(unknown)} unknown` : 'no examples';
  const known = knownOutcomes(r);
  const sample = unknown > 0 ? `${formatCount(known)} known · ${formatCount(unknown)} unknown` : `${formatCount(known)} ${known === 1 ? 'example' : 'examples'}`;
  return `${formatPercent(r.rate)} (95% interval ${formatPercent(r.interval[0])}–${formatPercent(r.interval[1])}, ${sample})`;
}


/** A moment in local time, the full date and time in its tooltip (the zone is named once, in the footer). */
export function formatDateTime(when: Moment): { text: string; title: string } {
  return { text: formatWhen(when), title: formatWhenFull(when) };
}

export { formatAxisDay, formatDate, formatDay, formatTime, formatWhen, periodName } from '../shared/dates';
