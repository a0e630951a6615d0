// What each alert rule sees in the data now: a breach, a clear, or neither
// (the dead band between the firing and the resolving threshold, or too few
// examples to say). The state machine in alertState.ts turns a series of these
// into alerts; nothing here remembers anything.
import { tokensPerSuccess } from '../../shared/figures';
import { probit } from 'simple-statistics';
import type { AlertMeasure, AlertRule } from '../../shared/alerts';
import { lastDaysSince, NO_FILTERS, type Filters } from '../../shared/filters';
import { knownOutcomes, wilsonInterval } from '../analytics/successRate';
import { compareProportions, formatP } from '../analytics/statistics';
import type { FigureSource } from '../engine/contract';

/** What the rules read: the figures every view shows, and the newest example's time, on either engine. */
export type AlertFigures = Pick<FigureSource, 'summary' | 'byTag' | 'byModel' | 'lastExampleAt'>;

export type ObservationStatus = 'breach' | 'clear' | 'hold';

export interface Observation {
  ruleId: string;
  kind: AlertRule['kind'];
  subject: string | null;
  status: ObservationStatus;
  /** Why, in a few words (for the log when nothing fires). */
  reason: string;
  title: string;
  detail: string;
  measure: AlertMeasure;
  filters: Filters;
}

export interface EvaluateOptions {
  now: number;
  /** Examples a window and a baseline need before a rule says anything (a rule's own minExamples wins). */
  minExamples: number;
  /** Subjects with an alert still active per rule: evaluated even when they no longer have examples in the window, so they can resolve. */
  activeSubjects?: ReadonlyMap<string, readonly (string | null)[]>;
}

const EMPTY_MEASURE: AlertMeasure = { windowCount: null, baselineCount: null, windowValue: null, baselineValue: null, windowInterval: null, baselineInterval: null, pValue: null, test: null };

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 || x > 0.9 ? 1 : 0)}%`;
const range = (i: [number, number]) => `${(i[0] * 100).toFixed(0)}–${(i[1] * 100).toFixed(0)}%`;
const count = (n: number, what = 'examples') => `${n.toLocaleString('en-US')} ${n === 1 ? what.replace(/s$/, '') : what}`;
const days = (n: number) => (n === 1 ? 'today' : `the last ${n} days`);

function subjectFilters(scope: 'overall' | 'tag' | 'model', subject: string | null): Partial<Filters> {
  if (scope === 'tag' && subject !== null) return { tags: [subject] };
  if (scope === 'model' && subject !== null) return { model: subject };
  return {};
}

function subjectName(scope: 'overall' | 'tag' | 'model', subject: string | null): string {
  if (scope === 'tag' && subject !== null) return `tag ${subject}`;
  if (scope === 'model' && subject !== null) return `model ${subject}`;
  return 'all examples';
}

type PeriodRule = Extract<AlertRule, { kind: 'successDrop' | 'tokensPerSuccessUp' }>;

/** The subjects a rule looks at now: one, or every tag or model with enough examples in the window, plus those still alerting. */
async function subjectsOf(figures: AlertFigures, rule: PeriodRule, windowFilters: Filters, min: number, active: readonly (string | null)[]): Promise<(string | null)[]> {
  if (rule.scope === 'overall') return [null];
  if (rule.subject !== null) return [rule.subject];
  const rows = rule.scope === 'tag' ? (await figures.byTag(windowFilters)).map((r) => ({ key: r.tag, total: knownOutcomes(r) })) : (await figures.byModel(windowFilters)).map((r) => ({ key: r.model, total: knownOutcomes(r) }));
  const keys = rows.filter((r) => r.total >= min).map((r) => r.key);
  for (const a of active) if (a !== null && !keys.includes(a)) keys.push(a);
  return keys;
}

async function successDrop(figures: AlertFigures, rule: Extract<AlertRule, { kind: 'successDrop' }>, subject: string | null, window: Filters, baseline: Filters, min: number): Promise<Observation> {
  const base = { ruleId: rule.id, kind: rule.kind, subject, filters: window } as const;
  // Over the known outcomes: an example whose outcome is unknown neither drops nor raises a rate.
  const wr = (await figures.summary(window)).rate;
  const br = (await figures.summary(baseline)).rate;
  const w = { ...wr, total: knownOutcomes(wr) };
  const b = { ...br, total: knownOutcomes(br) };
  const known = wr.unknown + br.unknown > 0 ? ' of known outcome' : '';
  const z = probit(1 - rule.level / 2);
  const wi = wilsonInterval(w.successes, w.total, z);
  const bi = wilsonInterval(b.successes, b.total, z);
  const cmp = compareProportions(b.successes, b.total, w.successes, w.total);
  const measure: AlertMeasure = {
    windowCount: w.total,
    baselineCount: b.total,
    windowValue: w.rate,
    baselineValue: b.rate,
    windowInterval: wi,
    baselineInterval: bi,
    pValue: cmp?.pValue ?? null,
    test: cmp?.test ?? null,
  };
  const who = subjectName(rule.scope, subject);
  if (w.total < min || b.total < min || !wi || !bi || w.rate === null || b.rate === null || !cmp) {
    const reason = `too few examples${known} to judge ${who} (${w.total} in ${days(rule.windowDays)}, ${b.total} in the ${rule.baselineDays} days before; ${min} needed in each)`;
    return { ...base, status: 'hold', reason, title: reason, detail: reason, measure };
  }
  const level = `${Math.round((1 - rule.level) * 100)}%`;
  const points = Math.round((w.rate - b.rate) * 100);
  const title = `Success rate of ${who} down ${Math.abs(points)} points: ${pct(b.rate)} → ${pct(w.rate)} on ${count(w.total)}${known}`;
  const detail =
    `${pct(w.rate)} (${level} interval ${range(wi)}) on ${count(w.total)}${known} in ${days(rule.windowDays)}, ` +
    `against ${pct(b.rate)} (${range(bi)}) on ${count(b.total)}${known} in the ${rule.baselineDays} days before: ` +
    `${points > 0 ? '+' : points < 0 ? '−' : ''}${Math.abs(points)} points, ${formatP(cmp.pValue)} (${cmp.test}).`;
  const breach = rule.method === 'wilson' ? wi[1] < bi[0] : cmp.pValue < rule.level && w.rate < b.rate;
  // Resolved only once the rate is back inside the baseline's interval: between the two thresholds an alert holds.
  const clear = w.rate >= bi[0];
  const status: ObservationStatus = breach ? 'breach' : clear ? 'clear' : 'hold';
  const reason = breach ? 'the drop is significant' : clear ? "the rate is within the baseline's interval" : "no longer significant, but still below the baseline's interval";
  return { ...base, status, reason, title, detail, measure };
}

async function tokensUp(figures: AlertFigures, rule: Extract<AlertRule, { kind: 'tokensPerSuccessUp' }>, subject: string | null, window: Filters, baseline: Filters, min: number): Promise<Observation> {
  const base = { ruleId: rule.id, kind: rule.kind, subject, filters: window } as const;
  // Tokens per success as every view defines it (src/shared/figures.ts): what one success costs, failures included.
  const w = await figures.summary(window);
  const b = await figures.summary(baseline);
  const [wv, bv] = [tokensPerSuccess(w.tokens), tokensPerSuccess(b.tokens)];
  const [wn, bn] = [w.tokens.tokenSuccesses, b.tokens.tokenSuccesses];
  const measure: AlertMeasure = { ...EMPTY_MEASURE, windowCount: wn, baselineCount: bn, windowValue: wv, baselineValue: bv };
  const who = subjectName(rule.scope, subject);
  if (wn < min || bn < min || wv === null || bv === null || bv <= 0) {
    const reason = `too few successful examples with token counts for ${who} (${wn} in ${days(rule.windowDays)}, ${bn} before; ${min} needed in each)`;
    return { ...base, status: 'hold', reason, title: reason, detail: reason, measure };
  }
  const up = (wv / bv - 1) * 100;
  const fmt = (t: number) => Math.round(t).toLocaleString('en-US');
  const title = `Tokens per success of ${who} up ${up.toFixed(0)}%: ${fmt(bv)} → ${fmt(wv)} on ${count(wn, 'successful examples')}`;
  const detail = `${fmt(wv)} tokens per success (every token spent ÷ successful examples) on ${count(wn, 'successful examples')} in ${days(rule.windowDays)}, against ${fmt(bv)} on ${count(bn, 'successful examples')} in the ${rule.baselineDays} days before (${up >= 0 ? '+' : ''}${up.toFixed(0)}%; the rule fires above +${rule.percent}% and resolves at +${rule.percent / 2}% or less).`;
  const status: ObservationStatus = up > rule.percent ? 'breach' : up <= rule.percent / 2 ? 'clear' : 'hold';
  return { ...base, status, reason: `${up.toFixed(0)}% against a threshold of ${rule.percent}%`, title, detail, measure };
}

async function noExamples(figures: AlertFigures, rule: Extract<AlertRule, { kind: 'noExamples' }>, now: number): Promise<Observation> {
  const last = await figures.lastExampleAt();
  const base = { ruleId: rule.id, kind: rule.kind, subject: null, filters: NO_FILTERS } as const;
  if (last === null) {
    return { ...base, status: 'hold', reason: 'nothing stored yet', title: 'No examples stored yet', detail: 'No examples stored yet.', measure: EMPTY_MEASURE };
  }
  const hours = (now - last) / 3_600_000;
  const measure: AlertMeasure = { ...EMPTY_MEASURE, windowValue: hours, baselineValue: rule.hours };
  const title = `No examples for ${hours.toFixed(0)} hours: KIMI may have stopped logging`;
  const detail = `The last example is from ${new Date(last).toISOString()}, ${hours.toFixed(1)} hours ago; the rule fires after ${rule.hours} hours without one.`;
  return { ...base, status: hours >= rule.hours ? 'breach' : 'clear', reason: `${hours.toFixed(1)} hours since the last example`, title, detail, measure };
}

/** Every enabled rule's observations now (learning tasks are watched by the state machine, not here). */
export async function evaluateRules(figures: AlertFigures, rules: readonly AlertRule[], o: EvaluateOptions): Promise<Observation[]> {
  const out: Observation[] = [];
  const now = new Date(o.now);
  for (const rule of rules) {
    if (!rule.enabled || rule.kind === 'taskFailed') continue;
    if (rule.kind === 'noExamples') {
      out.push(await noExamples(figures, rule, o.now));
      continue;
    }
    const min = rule.minExamples ?? o.minExamples;
    const windowStart = lastDaysSince(rule.windowDays, now);
    const baselineStart = lastDaysSince(rule.windowDays + rule.baselineDays, now);
    const windowAll: Filters = { ...NO_FILTERS, since: windowStart };
    for (const subject of await subjectsOf(figures, rule, windowAll, min, o.activeSubjects?.get(rule.id) ?? [])) {
      const only = subjectFilters(rule.scope, subject);
      const window: Filters = { ...windowAll, ...only };
      const baseline: Filters = { ...NO_FILTERS, since: baselineStart, until: windowStart, ...only };
      out.push(rule.kind === 'successDrop' ? await successDrop(figures, rule, subject, window, baseline, min) : await tokensUp(figures, rule, subject, window, baseline, min));
    }
  }
  return out;
}
