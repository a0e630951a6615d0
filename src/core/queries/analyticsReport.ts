// Everything the Analytics tab shows, computed in the data worker from a few
// aggregates (rollups where the filters allow).
import { tokensPerSuccess } from '../../shared/figures';
import type { AnalyticsReport, ModelComparison, Prediction, Technology } from '../../shared/analytics';
import type { Filters } from '../../shared/filters';
import { localDay } from '../../shared/series';
import { dailyCounts } from './breakdowns';
import { coOccurrence, outcomeTotals, quarterCounts, tagDays, type TagDay } from './analyticsData';
import { localDayStart } from './rollupPlan';
import type { RowSource } from '../storage/rowSource';
import type { CoOccurrence, DoneWell, TagPeriods, Totals } from '../analytics/advice';
import { doneWellFromTasks, insights, recommendations } from '../analytics/advice';
import type { Task } from '../../shared/tasks';
import { heatmap, type QuarterCount } from '../analytics/heatmap';
import { compareProportions, formatP, SIGNIFICANCE_LEVEL } from '../analytics/statistics';
import { SMALL_SAMPLE, knownOutcomes, successRate } from '../analytics/successRate';
import type { DayCount } from '../analytics/trends';
import { predict, toWeeks, trend, weekPoints } from '../analytics/trends';
import { MAX_WEEK_POINTS } from '../../shared/analytics';

/** With an open range, changes compare the last this many days with the same before. */
const DEFAULT_PERIOD_DAYS = 30;
const HEATMAP_DAYS = 90;

export interface AnalyticsOptions {
  now?: number;
  /** Technologies a finished learning task did well at, for "go deeper" recommendations. */
  doneWell?: readonly DoneWell[];
  /** Examples the co-occurrence sample takes at most. */
  coOccurrenceSample?: number;
}

const zero = (): Totals => ({ total: 0, successes: 0, unknown: 0, knownTokens: 0, tokens: 0, tokenExamples: 0, tokenSuccesses: 0, execSum: 0, execN: 0 });
function add(t: Totals, d: Totals): void {
  t.total += d.total;
  t.successes += d.successes;
  t.unknown += d.unknown;
  t.tokens += d.tokens;
  t.knownTokens += d.knownTokens;
  t.tokenExamples += d.tokenExamples;
  t.tokenSuccesses += d.tokenSuccesses;
  t.execSum += d.execSum;
  t.execN += d.execN;
}

function technology(tag: string, t: Totals): Technology {
  return { tag, rate: successRate(t.successes, t.total, t.unknown), small: knownOutcomes(t) < SMALL_SAMPLE };
}

/** The compared period (local day numbers, inclusive) and the one of the same length before it. */
export function periods(filters: Filters, now: number): { current: [number, number]; previous: [number, number] } {
  const end = localDay((filters.until ?? now + 1) - 1);
  const start = filters.since !== null ? localDay(filters.since) : end - DEFAULT_PERIOD_DAYS + 1;
  const length = Math.max(1, end - start + 1);
  return { current: [start, end], previous: [start - length, start - 1] };
}

/**
 * The report of a store that keeps tasks: "go deeper" advice builds on the latest completed task per
 * technology. The one entry for the panel, the API and the command line, so they give the same advice.
 */
export function storeAnalyticsReport(store: RowSource & { tasks(): { tasks: Task[] } }, filters: Filters, options: Omit<AnalyticsOptions, 'doneWell'> = {}): AnalyticsReport {
  return analyticsReport(store, filters, { ...options, doneWell: doneWellFromTasks(store.tasks().tasks) });
}

/** The aggregates a report is computed from, whichever engine gives them. */
export interface AnalyticsInputs {
  /** Examples and successes per local day, under the filters. */
  days: DayCount[];
  /** Totals under the filters. */
  all: Totals;
  /** Per tag and day, reaching back over the previous period too. */
  tagDays: TagDay[];
  /** Which tags occur together, in a sample of the newest examples. */
  co: CoOccurrence & { sampled: boolean };
  /** Per quarter hour, over the heatmap's days. */
  quarters: QuarterCount[];
}

/** The filters each aggregate of a report is read under. */
export function analyticsQueries(filters: Filters, now: number): { tagDays: Filters; quarters: Filters; heatSince: number } {
  const { previous } = periods(filters, now);
  const heatSince = Math.max(filters.since ?? 0, localDayStart(localDay(now) - HEATMAP_DAYS + 1));
  return {
    tagDays: { ...filters, since: filters.since === null ? null : Math.min(filters.since, localDayStart(previous[0])) },
    quarters: { ...filters, since: heatSince },
    heatSince,
  };
}

/** The report from its aggregates: the one computation, for every engine. */
export function reportFrom(inputs: AnalyticsInputs, filters: Filters, options: AnalyticsOptions & { started?: number } = {}): AnalyticsReport {
  const now = options.now ?? Date.now();
  const { days, all, co } = inputs;
  const { current, previous } = periods(filters, now);
  // The tag figures reach back over the previous period too; the range's own figures are the days the filters keep.
  const inRange = (day: number) => (filters.since === null || day >= localDay(filters.since)) && (filters.until === null || day <= localDay(filters.until - 1));
  const perTag = new Map<string, TagPeriods & { days: DayCount[] }>();
  for (const row of inputs.tagDays) {
    let t = perTag.get(row.tag);
    if (!t) perTag.set(row.tag, (t = { tag: row.tag, range: zero(), current: zero(), previous: zero(), days: [] }));
    if (inRange(row.day)) {
      add(t.range, row);
      t.days.push(row);
    }
    if (row.day >= current[0] && row.day <= current[1]) add(t.current, row);
    else if (row.day >= previous[0] && row.day <= previous[1]) add(t.previous, row);
  }
  const tags = [...perTag.values()].filter((t) => t.range.total > 0 || t.current.total > 0 || t.previous.total > 0);
  const byVolume = [...tags].filter((t) => t.range.total > 0).sort((a, b) => b.range.total - a.range.total || a.tag.localeCompare(b.tag));
  const mostProficient = byVolume
    .filter((t) => knownOutcomes(t.range) >= SMALL_SAMPLE)
    .map((t) => technology(t.tag, t.range))
    .sort((a, b) => b.rate.interval![0] - a.rate.interval![0])
    .slice(0, 5);
  const heat = heatmap(inputs.quarters, analyticsQueries(filters, now).heatSince);

  return {
    overall: successRate(all.successes, all.total, all.unknown),
    trend: trend(days),
    proficiency: {
      series: byVolume.slice(0, 5).map((t) => ({ tag: t.tag, weekly: weekPoints(toWeeks(t.days.sort((a, b) => a.day - b.day))).slice(-MAX_WEEK_POINTS) })),
      mostPractised: byVolume.slice(0, 5).map((t) => technology(t.tag, t.range)),
      mostProficient,
    },
    prediction: predict(days),
    recommendations: recommendations(tags, all, co, options.doneWell),
    insights: insights(tags, all, days),
    heatmap: heat,
    relatedFrom: { examples: co.examples, sampled: co.sampled },
    computeMs: performance.now() - (options.started ?? performance.now()),
  };
}

export function analyticsReport(store: RowSource, filters: Filters, options: AnalyticsOptions = {}): AnalyticsReport {
  const started = performance.now();
  const now = options.now ?? Date.now();
  const q = analyticsQueries(filters, now);
  const inputs: AnalyticsInputs = {
    days: dailyCounts(store, filters),
    all: outcomeTotals(store, filters),
    tagDays: tagDays(store, q.tagDays),
    co: coOccurrence(store, filters, options.coOccurrenceSample),
    quarters: quarterCounts(store, q.quarters),
  };
  return reportFrom(inputs, filters, { ...options, now, started });
}

/** The prediction for one technology (or all examples when tag is null) under the filters. */
export function predictionFor(store: RowSource, filters: Filters, tag: string | null): Prediction {
  return predict(dailyCounts(store, tag === null ? filters : { ...filters, andTag: tag }), tag);
}

/** Model A against model B under the filters (and one tag if given): rates, the difference and its significance. */
export function compareModels(store: RowSource, filters: Filters, a: string, b: string, tag: string | null): ModelComparison {
  const [ta, tb] = comparedFilters(filters, a, b, tag).map((f) => outcomeTotals(store, f)) as [Totals, Totals];
  return comparisonFrom(a, b, tag, ta, tb);
}

/** The filters of each side of a comparison of model A with model B (within one tag if given). */
export function comparedFilters(filters: Filters, a: string, b: string, tag: string | null): [Filters, Filters] {
  return [a, b].map((model) => ({ ...filters, model, andTag: tag ?? filters.andTag })) as [Filters, Filters];
}

/** The comparison from each side's totals: rates, the difference and its significance, in words. */
export function comparisonFrom(a: string, b: string, tag: string | null, totalsA: Totals, totalsB: Totals): ModelComparison {
  const side = (model: string) => {
    const all = model === a ? totalsA : totalsB;
    return {
      model,
      rate: successRate(all.successes, all.total, all.unknown),
      small: knownOutcomes(all) < SMALL_SAMPLE,
      tokensPerSuccess: tokensPerSuccess(all),
      timePerSuccess: all.successes > 0 && all.execN > 0 ? ((all.execSum / all.execN) * knownOutcomes(all)) / all.successes : null,
    };
  };
  const sa = side(a);
  const sb = side(b);
  // Over the known outcomes only: an example whose outcome is unknown is no evidence either way.
  const ka = knownOutcomes(sa.rate);
  const kb = knownOutcomes(sb.rate);
  const c = compareProportions(sa.rate.successes, ka, sb.rate.successes, kb);
  const unknown = sa.rate.unknown + sb.rate.unknown;
  const unknownNote = unknown > 0 ? `; ${unknown.toLocaleString('en-US')} of unknown outcome left out` : '';
  let verdict: string;
  if (!c) verdict = `No comparison: ${ka === 0 ? a : b} has no examples${unknown > 0 ? ' of known outcome' : ''}${tag ? ` tagged ${tag}` : ''} under these filters${unknownNote}.`;
  else if (c.pValue < SIGNIFICANCE_LEVEL) {
    const better = c.difference > 0 ? b : a;
    verdict = `${better} is better by ${Math.abs(c.difference * 100).toFixed(1)} points, ${formatP(c.pValue)} (${c.test}${unknownNote}).`;
  } else {
    verdict = `No significant difference at this sample size (${formatP(c.pValue)}, ${c.test}; ${ka.toLocaleString('en-US')} and ${kb.toLocaleString('en-US')} examples${unknown > 0 ? ' of known outcome' : ''}${unknownNote}).`;
  }
  return { a: sa, b: sb, tag, difference: c?.difference ?? null, interval: c?.interval ?? null, pValue: c?.pValue ?? null, test: c?.test ?? null, verdict };
}
