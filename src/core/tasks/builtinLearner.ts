// The built-in learner: distils what the stored examples say about one
// technology into a knowledge entry. It runs in the data worker, step by step,
// reporting real progress and stopping between steps when cancelled.
import { tokensPerExample, tokensPerSuccess } from '../../shared/figures';
import { randomUUID } from 'node:crypto';
import type { Depth } from '../../shared/analytics';
import type { KnowledgeEntry } from '../../shared/tasks';
import { relatedTags } from '../analytics/advice';
import { compareProportions, formatP, SIGNIFICANCE_LEVEL } from '../analytics/statistics';
import { knownOutcomes, SMALL_SAMPLE, successRate } from '../analytics/successRate';
import { trend } from '../analytics/trends';
import { localDay } from '../../shared/series';
import { coOccurrence, failingWith, outcomeTotals } from '../queries/analyticsData';
import { byModel, dailyCounts } from '../queries/breakdowns';
import { localDayStart } from '../queries/rollupPlan';
import type { RowSource } from '../storage/rowSource';
import type { LearnerSource } from '../engine/contract';
import { filtersSchema } from '../../shared/filters';

/** How far back each depth looks (days; null is everything) and how many examples its co-occurrence reads. */
export const DEPTHS: Record<Depth, { days: number | null; sample: number }> = {
  quick: { days: 7, sample: 10_000 },
  standard: { days: 30, sample: 50_000 },
  deep: { days: null, sample: 200_000 },
};

export interface LearnOptions {
  technology: string;
  depth: Depth;
  taskId: string | null;
  now?: number;
  signal?: AbortSignal;
  onProgress?: (progress: number, message: string) => void;
  /** An external learner's own verdict: kept in the entry, and an empty period is then no error. */
  external?: { proficiency: number | null; summary: string } | null;
}

const pct = (r: number) => `${Math.round(r * 100)}%`;

/** The learner's questions answered by the embedded engine's SQL on `store`. */
export function rowLearnerSource(store: RowSource): LearnerSource {
  return {
    outcomeTotals: async (f) => outcomeTotals(store, f),
    dailyCounts: async (f) => dailyCounts(store, f),
    failingWith: async (tag, sinceDay) => failingWith(store, tag, sinceDay),
    coOccurrence: async (f, sample) => coOccurrence(store, f, sample),
    byModel: async (f) => byModel(store, f),
  };
}

async function step(options: LearnOptions, progress: number, message: string): Promise<void> {
  // Let the worker read its messages (a cancel) between steps.
  await new Promise((r) => setImmediate(r));
  if (options.signal?.aborted) throw new Error('cancelled');
  options.onProgress?.(progress, message);
}

export async function learnTechnology(source: LearnerSource, options: LearnOptions): Promise<KnowledgeEntry> {
  const now = options.now ?? Date.now();
  const { technology, depth } = options;
  const { days, sample } = DEPTHS[depth];
  const sinceDay = days === null ? null : localDay(now) - days + 1;
  const since = sinceDay === null ? null : localDayStart(sinceDay);
  const period = days === null ? 'all the stored examples' : `the last ${days} days`;
  const filters = filtersSchema.parse({ since, andTag: technology });

  await step(options, 5, `Reading the examples of ${technology} from ${period}`);
  const all = await source.outcomeTotals(filters);
  if (all.total === 0 && !options.external) {
    throw new Error(`No examples tagged “${technology}” in ${period}: there is nothing to learn from. Import logs, or choose a deeper task.`);
  }
  // Over the known outcomes: an example whose outcome is unknown says nothing of proficiency.
  const proficiency = successRate(all.successes, all.total, all.unknown);
  const known = knownOutcomes(all);

  await step(options, 25, 'Measuring the trend');
  const t = trend(await source.dailyCounts(filters));

  await step(options, 45, 'Finding the tags it fails with');
  const failsWith = await source.failingWith(technology, sinceDay);

  await step(options, 60, 'Finding related technologies');
  const co = await source.coOccurrence(filtersSchema.parse({ since }), sample);
  const related = relatedTags(technology, co).slice(0, 8);

  await step(options, 75, 'Comparing models');
  const models = (await source.byModel(filters))
    .map((m) => ({ model: m.model, rate: successRate(m.successes, m.total, m.unknown) }))
    .slice(0, 20);

  await step(options, 90, 'Writing the knowledge entry');
  const nextSteps: { step: string; reason: string }[] = [];
  if (known > 0 && known < SMALL_SAMPLE) {
    nextSteps.push({
      step: `Collect more examples of ${technology}`,
      reason: `Only ${known}${all.unknown > 0 ? ' of known outcome' : ''} in ${period}: the proficiency could be anywhere from ${pct(proficiency.interval![0])} to ${pct(proficiency.interval![1])}.`,
    });
  }
  // A tag it fails with is a next step only when failing with it is significantly more common than without it.
  const failures = known - all.successes;
  const worst = failsWith
    .map((f) => ({ f, c: compareProportions(failures - f.failures, known - f.total, f.failures, f.total) }))
    .filter(({ f, c }) => f.total >= 5 && c !== null && c.difference > 0 && c.pValue < SIGNIFICANCE_LEVEL)
    .sort((a, b) => a.c!.pValue - b.c!.pValue)[0];
  if (worst) {
    const { f, c } = worst;
    nextSteps.push({
      step: `Practise ${technology} together with ${f.tag}`,
      reason: `${f.failures} of the ${f.total} examples with both failed (${pct(f.failureRate)}), against ${pct((failures - f.failures) / (known - f.total))} of the other examples of ${technology} (${formatP(c!.pValue)}).`,
    });
  }
  if (t.significant && (t.slopePerWeek ?? 0) < 0) nextSteps.push({ step: `Find out what changed for ${technology}`, reason: t.statement });
  const ranked = models.filter((m) => knownOutcomes(m.rate) >= SMALL_SAMPLE).sort((a, b) => (b.rate.rate ?? 0) - (a.rate.rate ?? 0));
  if (ranked.length >= 2) {
    const best = ranked[0]!;
    const last = ranked[ranked.length - 1]!;
    const c = compareProportions(last.rate.successes, knownOutcomes(last.rate), best.rate.successes, knownOutcomes(best.rate));
    if (c && c.pValue < SIGNIFICANCE_LEVEL) {
      nextSteps.push({
        step: `Prefer ${best.model} for ${technology}`,
        reason: `${pct(best.rate.rate!)} against ${pct(last.rate.rate!)} for ${last.model} (${formatP(c.pValue)}).`,
      });
    }
  }
  const next = related.find((r) => r.lift >= 1.5);
  if (next) nextSteps.push({ step: `Learn ${next.tag} next`, reason: `It comes with ${technology} ${next.lift.toFixed(1)}× more often than chance (${next.together} examples together, ${formatP(next.pValue)}).` });
  if (proficiency.interval && proficiency.interval[0] >= 0.8 && depth !== 'deep') {
    nextSteps.push({ step: `Run a ${depth === 'quick' ? 'standard' : 'deep'} task on ${technology}`, reason: `Proficiency is at least ${pct(proficiency.interval[0])} (the low end of its interval) over ${period}.` });
  }

  const entry: KnowledgeEntry = {
    id: randomUUID(),
    taskId: options.taskId,
    technology,
    depth,
    createdAt: now,
    since,
    until: now,
    examplesAnalysed: all.total,
    proficiency,
    trend: { slopePerWeek: t.slopePerWeek, pValue: t.pValue, statement: t.statement },
    failsWith,
    related,
    metrics: {
      avgExecutionTime: all.execN > 0 ? all.execSum / all.execN : null,
      avgTokens: tokensPerExample(all),
      tokensPerSuccess: tokensPerSuccess(all),
    },
    byModel: models,
    nextSteps,
    summary: options.external?.summary ?? null,
  };
  if (options.external && options.external.proficiency !== null) {
    // The learner's own figure, with no interval it could be given: shown as reported.
    entry.summary = `${options.external.summary}${options.external.summary ? ' ' : ''}(learner's proficiency: ${pct(options.external.proficiency)})`.trim();
  }
  options.onProgress?.(100, `Knowledge entry written: ${all.total} examples, proficiency ${proficiency.rate === null ? 'unknown' : pct(proficiency.rate)}`);
  return entry;
}

/** A knowledge entry in one line, for the task's result: how many examples, the proficiency with its interval, the trend. */
export function knowledgeSummary(entry: KnowledgeEntry): string {
  const r = entry.proficiency;
  const proficiency = r.rate === null ? 'unknown' : `${(r.rate * 100).toFixed(0)}% (${(r.interval![0] * 100).toFixed(0)}–${(r.interval![1] * 100).toFixed(0)}%)`;
  return `${entry.examplesAnalysed} examples: proficiency ${proficiency}. ${entry.trend.statement}`;
}
