// Daily and weekly series, the trend in words, and predictions whose accuracy
// is measured by backtest before they are shown.
import type { Prediction, Trend, WeekPoint } from '../../shared/analytics';
import { formatP, linearFit, predictAt, SIGNIFICANCE_LEVEL } from './statistics';
import { MAX_DAILY_POINTS, MAX_WEEK_POINTS } from '../../shared/analytics';
import { fillDays, fillWeeks } from '../../shared/series';
import { dayLabel } from '../../shared/series';
import { knownOutcomes } from './successRate';

export interface DayCount {
  /** Local day number (days since 1970-01-01 in local time). */
  day: number;
  total: number;
  successes: number;
  /** Examples with no known outcome: counted, never in a rate. */
  unknown: number;
}

/** A week only counts towards a trend or a prediction with at least this many examples of known outcome. */
export const MIN_WEEK_EXAMPLES = 5;
/** Weeks needed for a trend. */
export const MIN_TREND_WEEKS = 3;
/** Weeks needed before anything is predicted. */
export const MIN_PREDICTION_WEEKS = 8;
/** A prediction whose backtest misses by more than this (points) is not shown. */
export const MAX_BACKTEST_ERROR = 10;


/** Monday-based week number of a day number (1970-01-01 was a Thursday). */
export function weekOf(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** The day number of the Monday that starts a week. */
export function weekStart(week: number): number {
  return week * 7 - 3;
}

export interface WeekCount extends DayCount {
  week: number;
}

/** Sums days into Monday-based weeks, oldest first. */
export function toWeeks(days: readonly DayCount[]): WeekCount[] {
  const byWeek = new Map<number, WeekCount>();
  for (const d of days) {
    const week = weekOf(d.day);
    const w = byWeek.get(week) ?? { week, day: weekStart(week), total: 0, successes: 0, unknown: 0 };
    w.total += d.total;
    w.successes += d.successes;
    w.unknown += d.unknown;
    byWeek.set(week, w);
  }
  return [...byWeek.values()].sort((a, b) => a.week - b.week);
}

/** Weekly points, one per calendar week from the first to the last (weeks without examples empty), the latest `max`. */
export function weekPoints(weeks: readonly WeekCount[], max = MAX_WEEK_POINTS): WeekPoint[] {
  return fillWeeks(
    weeks.map((w) => ({ week: dayLabel(w.day), total: w.total, successes: w.successes, unknown: w.unknown })),
    max,
    (week) => ({ week, total: 0, successes: 0, unknown: 0 }),
  );
}

/** Of the weeks from the first usable one to the last, how many lack enough examples, and the longest such run. */
export interface WeekSpan {
  from: string;
  to: string;
  weeks: number;
  emptyWeeks: number;
  longestGap: number;
}

export function weekSpan(used: readonly WeekCount[]): WeekSpan | null {
  if (used.length === 0) return null;
  const first = used[0]!.week;
  const last = used[used.length - 1]!.week;
  let longestGap = 0;
  for (let i = 1; i < used.length; i++) longestGap = Math.max(longestGap, used[i]!.week - used[i - 1]!.week - 1);
  return { from: dayLabel(weekStart(first)), to: dayLabel(weekStart(last)), weeks: last - first + 1, emptyWeeks: last - first + 1 - used.length, longestGap };
}

/** A line through weeks scattered over a much longer span means little: more than half the span without data, or a gap longer than the weeks with data. */
export function tooGappy(span: WeekSpan | null): boolean {
  return span !== null && (span.emptyWeeks * 2 > span.weeks || span.longestGap > span.weeks - span.emptyWeeks);
}

function spanText(span: WeekSpan): string {
  return `${span.weeks - span.emptyWeeks} weeks from ${span.from} to ${span.to}${span.emptyWeeks ? `; ${span.emptyWeeks} of the ${span.weeks} weeks in that span had too few examples (the longest gap ${span.longestGap} ${span.longestGap === 1 ? 'week' : 'weeks'})` : ''}`;
}

function gappyText(span: WeekSpan): string {
  return `the ${span.weeks - span.emptyWeeks} weeks with at least ${MIN_WEEK_EXAMPLES} examples are spread over ${span.weeks} weeks (${span.from} to ${span.to}, the longest gap ${span.longestGap} weeks): a line through them would say little about the agent`;
}

/** The 7-day moving average rate ending each day over the known outcomes (calendar days, so a quiet day counts as a day). */
export function movingAverage(days: readonly DayCount[], window = 7): (number | null)[] {
  const sorted = days;
  const result: (number | null)[] = [];
  let start = 0;
  let known = 0;
  let successes = 0;
  for (let i = 0; i < sorted.length; i++) {
    known += knownOutcomes(sorted[i]!);
    successes += sorted[i]!.successes;
    while (sorted[start]!.day <= sorted[i]!.day - window) {
      known -= knownOutcomes(sorted[start]!);
      successes -= sorted[start]!.successes;
      start++;
    }
    result.push(known > 0 ? successes / known : null);
  }
  return result;
}

/** " of known outcome" where some examples' outcome is unknown: the counts in the words are of the known ones. */
function knownWord(days: readonly DayCount[]): string {
  return days.some((d) => d.unknown > 0) ? ' of known outcome' : '';
}

function usable(weeks: readonly WeekCount[]): WeekCount[] {
  return weeks.filter((w) => knownOutcomes(w) >= MIN_WEEK_EXAMPLES);
}

function points(weeks: readonly WeekCount[]): [number, number][] {
  return weeks.map((w) => [w.week, (w.successes / knownOutcomes(w)) * 100]);
}

/** Success rate per day and week, the moving average, and the slope of the weekly rate with its significance. */
export function trend(days: readonly DayCount[]): Trend {
  const sorted = [...days].sort((a, b) => a.day - b.day);
  const weeks = toWeeks(sorted);
  const used = usable(weeks);
  const span = weekSpan(used);
  // One slot per calendar day (six more than shown, for the first days' moving average); a day without examples
  // has none, and its moving average is the rest of its week's.
  const filled = fillDays(
    sorted.map((d) => ({ day: dayLabel(d.day), total: d.total, successes: d.successes, unknown: d.unknown })),
    MAX_DAILY_POINTS + 6,
    (day) => ({ day, total: 0, successes: 0, unknown: 0 }),
  );
  const ma = movingAverage(filled.map((d, i) => ({ day: i, total: d.total, successes: d.successes, unknown: d.unknown })));
  const daily = filled.map((d, i) => ({ ...d, movingAverage: ma[i]! })).slice(-MAX_DAILY_POINTS);
  const base = { daily, weekly: weekPoints(weeks), weeksUsed: used.length, span };
  if (used.length >= MIN_TREND_WEEKS && tooGappy(span)) {
    return { ...base, slopePerWeek: null, pValue: null, rSquared: null, significant: false, statement: `No trend: ${gappyText(span!)}.` };
  }
  const fit = used.length >= MIN_TREND_WEEKS ? linearFit(points(used)) : null;
  if (!fit || fit.pValue === null) {
    return {
      ...base,
      slopePerWeek: null,
      pValue: null,
      rSquared: null,
      significant: false,
      statement: `Too little history for a trend: ${used.length} ${used.length === 1 ? 'week' : 'weeks'} with at least ${MIN_WEEK_EXAMPLES} examples${knownWord(sorted)}, ${MIN_TREND_WEEKS} needed.`,
    };
  }
  const significant = fit.pValue < SIGNIFICANCE_LEVEL;
  const slope = Math.abs(fit.slope).toFixed(1);
  const detail = `${formatP(fit.pValue)}, R² = ${fit.rSquared.toFixed(2)}, ${spanText(span!)}`;
  const statement = significant
    ? `${fit.slope > 0 ? 'Improving' : 'Declining'} by ${slope} points a week (${detail}).`
    : `No significant trend: a change of ${fit.slope >= 0 ? '+' : '−'}${slope} points a week could be chance (${detail}).`;
  return { ...base, slopePerWeek: fit.slope, pValue: fit.pValue, rSquared: fit.rSquared, significant, statement };
}

const clamp = (v: number) => Math.min(100, Math.max(0, v));

/**
 * The expected success rate 7 and 30 days after the last week, by linear
 * regression on weekly rates. Before anything is shown the model is
 * backtested: fitted on the earlier weeks, it predicts the held-out last
 * weeks, and the mean absolute error must be within ±10 points.
 */
export function predict(days: readonly DayCount[], tag: string | null = null): Prediction {
  const weeks = toWeeks([...days].sort((a, b) => a.day - b.day));
  const used = usable(weeks);
  const history = weekPoints(weeks).map((w) => ({ ...w, fitted: null as number | null }));
  const subject = tag ? `“${tag}”` : 'the success rate';
  const span = weekSpan(used);
  if (used.length >= MIN_PREDICTION_WEEKS && tooGappy(span)) {
    return { tag, history, forecasts: [], backtest: null, explanation: `No prediction for ${subject}: ${gappyText(span!)}.` };
  }
  if (used.length < MIN_PREDICTION_WEEKS) {
    return {
      tag,
      history,
      forecasts: [],
      backtest: null,
      explanation: `No prediction for ${subject}: ${used.length} ${used.length === 1 ? 'week has' : 'weeks have'} at least ${MIN_WEEK_EXAMPLES} examples${knownWord(days)}; ${MIN_PREDICTION_WEEKS} are needed to fit and test one.`,
    };
  }
  const heldOut = Math.max(2, Math.floor(used.length / 4));
  const train = used.slice(0, used.length - heldOut);
  const test = used.slice(used.length - heldOut);
  const trainFit = linearFit(points(train))!;
  const mae = test.reduce((s, w) => s + Math.abs(clamp(predictAt(trainFit, w.week).value) - (w.successes / knownOutcomes(w)) * 100), 0) / test.length;
  const backtest = { heldOutWeeks: heldOut, trainedWeeks: train.length, meanAbsoluteError: mae };
  if (mae > MAX_BACKTEST_ERROR) {
    return {
      tag,
      history,
      forecasts: [],
      backtest,
      explanation: `No prediction for ${subject}: fitted on ${train.length} weeks, the model missed the next ${heldOut} by ${mae.toFixed(1)} points on average, worse than the ±${MAX_BACKTEST_ERROR} points a useful prediction needs.`,
    };
  }
  const fit = linearFit(points(used))!;
  const fitted = new Map(used.map((w) => [dayLabel(w.day), clamp(predictAt(fit, w.week).value)]));
  for (const h of history) h.fitted = fitted.get(h.week) ?? null;
  const last = used[used.length - 1]!.week;
  const forecasts = [7, 30].map((d) => {
    const p = predictAt(fit, last + d / 7);
    return { days: d, value: clamp(p.value), low: clamp(p.low), high: clamp(p.high) };
  });
  return {
    tag,
    history,
    forecasts,
    backtest,
    explanation: `Linear regression on ${used.length} weekly rates (${spanText(span!)}). Backtest: fitted on ${train.length} weeks, it predicted the next ${heldOut} within ${mae.toFixed(1)} points on average. The band is the 95% prediction interval.`,
  };
}
