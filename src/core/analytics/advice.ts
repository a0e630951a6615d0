// Recommendations and insights, each with the reason a person can check.
// Nothing is claimed that the data does not support: small samples are left
// out and changes must be significant.
import { tokensPerSuccess, type TokenTally } from '../../shared/figures';
import type { Depth, Insight, Recommendation } from '../../shared/analytics';
import type { DayCount } from './trends';
import { toWeeks } from './trends';
import { dayLabel } from '../../shared/series';
import { compareProportions, formatP, lift, SIGNIFICANCE_LEVEL } from './statistics';
import { SMALL_SAMPLE, knownOutcomes, wilsonInterval } from './successRate';
import type { Task } from '../../shared/tasks';

/** Counts, tokens (src/shared/figures.ts) and execution time of a set of examples. */
export interface Totals extends TokenTally {
  total: number;
  successes: number;
  /** Examples whose outcome is unknown: not in any rate (successes ÷ (total − unknown)). */
  unknown: number;
  /** Sum and count of execution_time over the examples that carried it. */
  execSum: number;
  execN: number;
}

export interface TagPeriods {
  tag: string;
  /** Everything under the filters. */
  range: Totals;
  /** The period compared (the filtered range, or the last 30 days when it is open) and the one of the same length before. */
  current: Totals;
  previous: Totals;
}

export interface CoOccurrence {
  /** Examples the counts come from. */
  examples: number;
  /** Examples per tag in that set. */
  counts: Map<string, number>;
  /** Examples carrying both tags, keyed `a\u0000b` with a < b. */
  pairs: Map<string, number>;
}

export interface RelatedTag {
  tag: string;
  together: number;
  lift: number;
  /** How sure it is not chance: the rate of the other tag with this one against without it (compareProportions). */
  pValue: number;
}

/**
 * Tags that occur with `tag` more often than chance, strongest first: lift ≥ minLift, at least
 * minTogether examples together, and significant: the other tag is more frequent among the
 * examples with `tag` than among those without it (the 2×2 table's test, p < SIGNIFICANCE_LEVEL).
 * Computed within `co` only (the filtered examples), so data imported beside them does not move it.
 */
export function relatedTags(tag: string, co: CoOccurrence, minLift = 1.2, minTogether = 5): RelatedTag[] {
  const own = co.counts.get(tag) ?? 0;
  const result: RelatedTag[] = [];
  for (const [key, together] of co.pairs) {
    const [a, b] = key.split('\u0000') as [string, string];
    if (a !== tag && b !== tag) continue;
    const other = a === tag ? b : a;
    const otherCount = co.counts.get(other) ?? 0;
    const l = lift(together, own, otherCount, co.examples);
    if (l === null || l < minLift || together < minTogether) continue;
    const test = compareProportions(otherCount - together, co.examples - own, together, own);
    if (test && test.difference > 0 && test.pValue < SIGNIFICANCE_LEVEL) result.push({ tag: other, together, lift: l, pValue: test.pValue });
  }
  return result.sort((x, y) => y.lift - x.lift || y.together - x.together);
}

const pct = (rate: number) => `${(rate * 100).toFixed(0)}%`;
const pts = (diff: number) => `${Math.abs(diff * 100).toFixed(1)} points`;

function rateText(successes: number, total: number): string {
  const [lo, hi] = wilsonInterval(successes, total)!;
  return `${pct(successes / total)} (${pct(lo)}–${pct(hi)}) over ${total.toLocaleString('en-US')} examples`;
}

export interface DoneWell {
  technology: string;
  depth: Depth;
  proficiency: number;
}

const NEXT_DEPTH: Record<Depth, Depth | null> = { quick: 'standard', standard: 'deep', deep: null };

export function recommendations(tags: readonly TagPeriods[], overall: { total: number; successes: number }, co: CoOccurrence, doneWell: readonly DoneWell[] = []): Recommendation[] {
  const result: Recommendation[] = [];
  const taken = new Set<string>();
  const overallRate = knownOutcomes(overall) > 0 ? overall.successes / knownOutcomes(overall) : null;
  if (overallRate !== null) {
    const weak = tags
      .filter((t) => knownOutcomes(t.range) >= SMALL_SAMPLE && wilsonInterval(t.range.successes, knownOutcomes(t.range))![1] < overallRate)
      .sort((a, b) => a.range.successes / knownOutcomes(a.range) - b.range.successes / knownOutcomes(b.range))
      .slice(0, 3);
    for (const t of weak) {
      const rate = t.range.successes / knownOutcomes(t.range);
      taken.add(t.tag);
      result.push({
        kind: 'weak',
        technology: t.tag,
        depth: rate < 0.5 ? 'deep' : 'standard',
        title: `Strengthen ${t.tag}`,
        reason: `Success ${rateText(t.range.successes, knownOutcomes(t.range))}: even the top of its interval is below the overall ${pct(overallRate)}.`,
      });
    }
  }
  const declines = tags
    .filter((t) => !taken.has(t.tag) && knownOutcomes(t.current) >= SMALL_SAMPLE && knownOutcomes(t.previous) >= SMALL_SAMPLE)
    .map((t) => ({ t, c: compareProportions(t.previous.successes, knownOutcomes(t.previous), t.current.successes, knownOutcomes(t.current))! }))
    .filter(({ c }) => c.difference < 0 && c.pValue < SIGNIFICANCE_LEVEL)
    .sort((a, b) => a.c.difference - b.c.difference)
    .slice(0, 3);
  for (const { t, c } of declines) {
    taken.add(t.tag);
    result.push({
      kind: 'decline',
      technology: t.tag,
      depth: 'standard',
      title: `Revisit ${t.tag}`,
      reason: `Fell from ${pct(t.previous.successes / knownOutcomes(t.previous))} to ${pct(t.current.successes / knownOutcomes(t.current))} against the previous period, down ${pts(c.difference)} (${formatP(c.pValue)}).`,
    });
  }
  if (overallRate !== null) {
    const byTag = new Map(tags.map((t) => [t.tag, t.range]));
    const strong = tags.filter((t) => knownOutcomes(t.range) >= SMALL_SAMPLE && wilsonInterval(t.range.successes, knownOutcomes(t.range))![0] >= overallRate);
    const related: Recommendation[] = [];
    for (const s of strong) {
      for (const r of relatedTags(s.tag, co, 1.5, 10)) {
        const other = byTag.get(r.tag);
        if (taken.has(r.tag) || (other && other.total >= s.range.total)) continue;
        taken.add(r.tag);
        const practised = other && knownOutcomes(other) > 0 ? `${r.tag} itself has ${knownOutcomes(other).toLocaleString('en-US')} examples${other.unknown > 0 ? ' of known outcome' : ''} at ${pct(other.successes / knownOutcomes(other))}` : `${r.tag} has no examples of its own in this range`;
        related.push({
          kind: 'related',
          technology: r.tag,
          depth: 'quick',
          title: `Learn ${r.tag} next`,
          reason: `It comes with ${s.tag} ${r.lift.toFixed(1)}× more often than chance (${r.together} examples together, ${formatP(r.pValue)}), and the agent does well at ${s.tag} (${pct(s.range.successes / knownOutcomes(s.range))}); ${practised}.`,
        });
        break;
      }
      if (related.length >= 3) break;
    }
    result.push(...related);
  }
  for (const d of doneWell) {
    const next = NEXT_DEPTH[d.depth];
    if (!next || d.proficiency < 0.8 || taken.has(d.technology)) continue;
    taken.add(d.technology);
    result.push({
      kind: 'depth',
      technology: d.technology,
      depth: next,
      title: `Go ${next} on ${d.technology}`,
      reason: `The last ${d.depth} task on ${d.technology} reached ${pct(d.proficiency)} proficiency; a ${next} task looks further back and more thoroughly.`,
    });
  }
  return result;
}

function longestRun(days: readonly DayCount[], ok: (d: DayCount) => boolean): { length: number; from: number; to: number } | null {
  let best: { length: number; from: number; to: number } | null = null;
  let from = -1;
  let prev = Number.NaN;
  for (const d of days) {
    if (!ok(d)) {
      from = -1;
      continue;
    }
    if (from < 0 || d.day !== prev + 1) from = d.day;
    prev = d.day;
    const length = d.day - from + 1;
    if (!best || length > best.length) best = { length, from, to: d.day };
  }
  return best;
}

const THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9];
/** Days need this many examples to count in a streak at a rate; weeks need SMALL_SAMPLE to cross a threshold. */
const STREAK_DAY_MIN = 5;

export function insights(tags: readonly TagPeriods[], overall: Totals, days: readonly DayCount[]): Insight[] {
  const result: Insight[] = [];
  const compared = tags
    .filter((t) => knownOutcomes(t.current) >= SMALL_SAMPLE && knownOutcomes(t.previous) >= SMALL_SAMPLE)
    .map((t) => ({ t, c: compareProportions(t.previous.successes, knownOutcomes(t.previous), t.current.successes, knownOutcomes(t.current))! }));
  const significant = compared.filter(({ c }) => c.pValue < SIGNIFICANCE_LEVEL);
  const up = significant.filter(({ c }) => c.difference > 0).sort((a, b) => b.c.difference - a.c.difference)[0];
  const down = significant.filter(({ c }) => c.difference < 0).sort((a, b) => a.c.difference - b.c.difference)[0];
  const change = ({ t, c }: { t: TagPeriods; c: NonNullable<ReturnType<typeof compareProportions>> }) =>
    `${pct(t.previous.successes / knownOutcomes(t.previous))} → ${pct(t.current.successes / knownOutcomes(t.current))} against the previous period (${pts(c.difference)}, ${formatP(c.pValue)}; ${knownOutcomes(t.previous)} and ${knownOutcomes(t.current)} examples${t.previous.unknown + t.current.unknown > 0 ? ' of known outcome' : ''}).`;
  if (up) result.push({ kind: 'improvement', title: `Biggest improvement: ${up.t.tag}`, detail: change(up) });
  if (down) result.push({ kind: 'regression', title: `Biggest regression: ${down.t.tag}`, detail: change(down) });
  if (compared.length > 0 && !up && !down) {
    result.push({
      kind: 'steady',
      title: 'No significant change',
      detail: `None of the ${compared.length} technologies with at least ${SMALL_SAMPLE} examples in both periods changed significantly against the previous period.`,
    });
  }
  const overallExec = overall.execN > 0 ? overall.execSum / overall.execN : null;
  const slowest = tags.filter((t) => t.range.execN >= SMALL_SAMPLE).sort((a, b) => b.range.execSum / b.range.execN - a.range.execSum / a.range.execN)[0];
  if (slowest && overallExec !== null) {
    result.push({
      kind: 'slowest',
      title: `Slowest: ${slowest.tag}`,
      detail: `${(slowest.range.execSum / slowest.range.execN).toFixed(1)} s per example on average, against ${overallExec.toFixed(1)} s overall.`,
    });
  }
  const costly = tags.filter((t) => t.range.tokenSuccesses >= SMALL_SAMPLE).sort((a, b) => tokensPerSuccess(b.range)! - tokensPerSuccess(a.range)!)[0];
  const overallCost = tokensPerSuccess(overall);
  if (costly && overallCost !== null) {
    result.push({
      kind: 'tokens',
      title: `Most tokens per success: ${costly.tag}`,
      detail: `${Math.round(tokensPerSuccess(costly.range)!).toLocaleString('en-US')} tokens per success (every token spent ÷ successful examples, over ${costly.range.tokenExamples.toLocaleString('en-US')} examples with a token count), against ${Math.round(overallCost).toLocaleString('en-US')} overall.`,
    });
  }
  const sorted = [...days].sort((a, b) => a.day - b.day);
  for (const threshold of [0.9, 0.8]) {
    const run = longestRun(sorted, (d) => knownOutcomes(d) >= STREAK_DAY_MIN && d.successes / knownOutcomes(d) >= threshold);
    if (run && run.length >= 2) {
      result.push({
        kind: 'streak',
        title: `Best streak: ${run.length} days at ${pct(threshold)} or better`,
        detail: `Every day from ${dayLabel(run.from)} to ${dayLabel(run.to)} had at least ${STREAK_DAY_MIN} examples and a success rate of ${pct(threshold)} or more.`,
      });
      break;
    }
  }
  const weeks = toWeeks(sorted).filter((w) => knownOutcomes(w) >= SMALL_SAMPLE);
  let crossed: { threshold: number; week: number; rate: number; total: number; unknown: number } | null = null;
  for (let i = 1; i < weeks.length; i++) {
    const rate = weeks[i]!.successes / knownOutcomes(weeks[i]!);
    const before = Math.max(...weeks.slice(0, i).map((w) => w.successes / knownOutcomes(w)));
    for (const t of THRESHOLDS) if (before < t && rate >= t && (!crossed || t > crossed.threshold)) crossed = { threshold: t, week: weeks[i]!.day, rate, total: knownOutcomes(weeks[i]!), unknown: weeks[i]!.unknown };
  }
  if (crossed) {
    result.push({
      kind: 'threshold',
      title: `Crossed ${pct(crossed.threshold)} for the first time`,
      detail: `The week of ${dayLabel(crossed.week)} reached ${pct(crossed.rate)} over ${crossed.total} examples${crossed.unknown > 0 ? ' of known outcome' : ''}; no earlier week in the range had.`,
    });
  }
  return result;
}

/** The latest completed task per technology with its proficiency: what "go deeper" recommends from. */
export function doneWellFromTasks(tasks: readonly Task[]): DoneWell[] {
  const latest = new Map<string, DoneWell & { at: number }>();
  for (const t of tasks) {
    const proficiency = t.result?.proficiency;
    if (t.state !== 'completed' || proficiency == null) continue;
    const at = t.endedAt ?? 0;
    if ((latest.get(t.technology)?.at ?? -1) < at) latest.set(t.technology, { technology: t.technology, depth: t.depth, proficiency, at });
  }
  return [...latest.values()].map(({ at: _at, ...d }) => d);
}
