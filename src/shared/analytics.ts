// What the Analytics tab shows, as the data worker computes it. Shared by the
// worker protocol and the panel protocol; both sides validate with it.
import { z } from 'zod';

/** The longest series a message carries (the figures are computed over everything; only what is drawn is trimmed, oldest first). */
export const MAX_DAILY_POINTS = 20_000;
export const MAX_WEEK_POINTS = 3000;
import { rateSchema } from './example';
import { countFields } from './rows';

export const depthSchema = z.enum(['quick', 'standard', 'deep']);
export type Depth = z.infer<typeof depthSchema>;

const count = countFields;

export const technologySchema = z.object({ tag: z.string(), rate: rateSchema, small: z.boolean() });
export type Technology = z.infer<typeof technologySchema>;

export const weekPointSchema = z.object({ week: z.string(), ...count });
export type WeekPoint = z.infer<typeof weekPointSchema>;

export const trendSchema = z.object({
  /** Days oldest first, with the 7-day moving average rate (0–1) ending that day. */
  daily: z.array(z.object({ day: z.string(), ...count, movingAverage: z.number().nullable() })).max(MAX_DAILY_POINTS),
  /** Weeks (Monday, YYYY-MM-DD) oldest first. */
  weekly: z.array(weekPointSchema).max(MAX_WEEK_POINTS),
  /** Regression of the weekly rate (points) on the week: null when there is too little history. */
  slopePerWeek: z.number().nullable(),
  pValue: z.number().nullable(),
  rSquared: z.number().nullable(),
  weeksUsed: z.number().int(),
  /** The weeks with enough examples: the first and the last (Mondays), how many weeks between them, how many of those lack data. */
  span: z.object({ from: z.string(), to: z.string(), weeks: z.number().int(), emptyWeeks: z.number().int(), longestGap: z.number().int() }).nullable(),
  significant: z.boolean(),
  /** The trend in words: what it is, or why there is none. */
  statement: z.string(),
});
export type Trend = z.infer<typeof trendSchema>;

const forecastSchema = z.object({ days: z.number(), value: z.number(), low: z.number(), high: z.number() });

export const predictionSchema = z.object({
  /** The technology, or null for every example. */
  tag: z.string().nullable(),
  /** The weekly history the prediction is fitted on, with the fitted line (points). */
  history: z.array(weekPointSchema.extend({ fitted: z.number().nullable() })).max(MAX_WEEK_POINTS),
  /** 7 and 30 days ahead, in points with a 95% prediction band; empty when no prediction is shown. */
  forecasts: z.array(forecastSchema).max(2),
  /** Mean absolute error (points) of the backtest on the held-out last weeks. */
  backtest: z.object({ heldOutWeeks: z.number().int(), trainedWeeks: z.number().int(), meanAbsoluteError: z.number() }).nullable(),
  /** Why there is no prediction, or how to read the one there is. */
  explanation: z.string(),
});
export type Prediction = z.infer<typeof predictionSchema>;

export const recommendationSchema = z.object({
  kind: z.enum(['weak', 'decline', 'related', 'depth']),
  technology: z.string(),
  depth: depthSchema,
  title: z.string(),
  reason: z.string(),
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const insightSchema = z.object({
  kind: z.enum(['improvement', 'regression', 'steady', 'slowest', 'tokens', 'streak', 'threshold']),
  title: z.string(),
  detail: z.string(),
});
export type Insight = z.infer<typeof insightSchema>;

export const heatmapSchema = z.object({
  /** 7 × 24 cells, Monday first, hour 0–23 in local time. */
  cells: z.array(z.object({ weekday: z.number().int().min(0).max(6), hour: z.number().int().min(0).max(23), ...count })).max(168),
  since: z.number(),
  timeZone: z.string(),
});
export type Heatmap = z.infer<typeof heatmapSchema>;

export const analyticsReportSchema = z.object({
  overall: rateSchema,
  trend: trendSchema,
  proficiency: z.object({
    /** Weekly rates of the most practised technologies. */
    series: z.array(z.object({ tag: z.string(), weekly: z.array(weekPointSchema).max(MAX_WEEK_POINTS) })).max(8),
    mostPractised: z.array(technologySchema).max(10),
    mostProficient: z.array(technologySchema).max(10),
  }),
  prediction: predictionSchema,
  recommendations: z.array(recommendationSchema).max(20),
  insights: z.array(insightSchema).max(20),
  heatmap: heatmapSchema,
  /** What the co-occurrence figures were computed from. */
  relatedFrom: z.object({ examples: z.number().int(), sampled: z.boolean() }),
  /** Milliseconds the worker took. */
  computeMs: z.number(),
});
export type AnalyticsReport = z.infer<typeof analyticsReportSchema>;

const modelSideSchema = z.object({
  model: z.string(),
  rate: rateSchema,
  small: z.boolean(),
  tokensPerSuccess: z.number().nullable(),
  timePerSuccess: z.number().nullable(),
});

export const modelComparisonSchema = z.object({
  a: modelSideSchema,
  b: modelSideSchema,
  tag: z.string().nullable(),
  /** B minus A in rate (0–1), its 95% interval, p-value and which test gave it; null when a side has no examples. */
  difference: z.number().nullable(),
  interval: z.tuple([z.number(), z.number()]).nullable(),
  pValue: z.number().nullable(),
  test: z.string().nullable(),
  verdict: z.string(),
});
export type ModelComparison = z.infer<typeof modelComparisonSchema>;
