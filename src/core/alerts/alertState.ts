// The alert state machine: a rule's condition must hold for `consecutive`
// checks in a row before it fires, an active alert resolves only past a
// separate threshold (the evaluation's "clear"), and the same rule and
// subject stay quiet for the cooldown after firing, or while snoozed. Pure:
// the state goes in and comes out, the clock is an argument.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { alertRecordSchema, type AlertRecord, type AlertRule, type AlertsOverview } from '../../shared/alerts';
import { NO_FILTERS } from '../../shared/filters';
import type { Task } from '../../shared/tasks';
import type { Observation } from './evaluateRules';

const HISTORY = 200;
const HOUR = 3_600_000;

const subjectStateSchema = z.object({
  /** Checks in a row whose condition held. */
  streak: z.number().int().nonnegative(),
  /** The alert now firing for this rule and subject. */
  activeId: z.string().nullable(),
  lastFiredAt: z.number().nullable(),
  snoozedUntil: z.number().nullable(),
});

export const alertStateSchema = z.object({
  version: z.literal(1),
  /** By subjectKey(rule, subject). */
  subjects: z.record(z.string(), subjectStateSchema),
  /** Rule ids whose alerts are not raised. */
  muted: z.array(z.string()),
  /** Failed tasks that ended at or before this were already reported (or failed before alerts began). */
  tasksSeenUntil: z.number(),
  lastCheck: z.number().nullable(),
  /** Newest first. */
  history: z.array(alertRecordSchema),
});
export type AlertState = z.infer<typeof alertStateSchema>;

export function emptyAlertState(now: number): AlertState {
  return { version: 1, subjects: {}, muted: [], tasksSeenUntil: now, lastCheck: null, history: [] };
}

export function subjectKey(ruleId: string, subject: string | null): string {
  return JSON.stringify([ruleId, subject]);
}

/** The subjects of each rule that have an alert firing: evaluated even without examples in the window, so they can resolve. */
export function activeSubjects(state: AlertState): Map<string, (string | null)[]> {
  const out = new Map<string, (string | null)[]>();
  for (const [key, s] of Object.entries(state.subjects)) {
    if (s.activeId === null) continue;
    const [ruleId, subject] = JSON.parse(key) as [string, string | null];
    out.set(ruleId, [...(out.get(ruleId) ?? []), subject]);
  }
  return out;
}

export interface Advance {
  state: AlertState;
  fired: AlertRecord[];
  resolved: AlertRecord[];
}

/** One check: the observations and the tasks as they are now, against the state before. */
export function advance(before: AlertState, observations: readonly Observation[], tasks: readonly Task[], rules: readonly AlertRule[], now: number): Advance {
  const state: AlertState = structuredClone(before);
  const fired: AlertRecord[] = [];
  const resolved: AlertRecord[] = [];
  const byId = new Map(rules.map((r) => [r.id, r]));
  const record = (id: string) => state.history.find((h) => h.id === id);

  for (const o of observations) {
    const rule = byId.get(o.ruleId);
    if (!rule) continue;
    const key = subjectKey(o.ruleId, o.subject);
    const s = (state.subjects[key] ??= { streak: 0, activeId: null, lastFiredAt: null, snoozedUntil: null });
    if (o.status === 'breach') {
      s.streak++;
      const quiet = (s.lastFiredAt !== null && now - s.lastFiredAt < rule.cooldownHours * HOUR) || (s.snoozedUntil !== null && now < s.snoozedUntil);
      if (s.activeId === null && s.streak >= rule.consecutive && !quiet && !state.muted.includes(rule.id)) {
        const alert: AlertRecord = { id: randomUUID(), ruleId: o.ruleId, kind: o.kind, subject: o.subject, title: o.title, detail: o.detail, firedAt: now, resolvedAt: null, measure: o.measure, filters: o.filters };
        state.history.unshift(alert);
        s.activeId = alert.id;
        s.lastFiredAt = now;
        fired.push(alert);
      } else if (s.activeId !== null) {
        // Still firing: the history shows today's figures.
        const active = record(s.activeId);
        if (active) Object.assign(active, { title: o.title, detail: o.detail, measure: o.measure, filters: o.filters });
      }
      continue;
    }
    s.streak = 0;
    if (o.status === 'clear' && s.activeId !== null) {
      const active = record(s.activeId);
      s.activeId = null;
      if (active) {
        active.resolvedAt = now;
        active.detail = `${active.detail} Resolved: ${o.detail}`;
        resolved.push(active);
      }
    }
  }

  // A learning task that failed since the last check is an event: raised and resolved at once.
  const taskRule = rules.find((r) => r.kind === 'taskFailed' && r.enabled);
  let seen = state.tasksSeenUntil;
  for (const t of tasks) {
    if (t.state !== 'failed' || t.endedAt === null || t.endedAt <= state.tasksSeenUntil) continue;
    seen = Math.max(seen, t.endedAt);
    if (!taskRule || state.muted.includes(taskRule.id)) continue;
    const alert: AlertRecord = {
      id: randomUUID(),
      ruleId: taskRule.id,
      kind: 'taskFailed',
      subject: t.technology,
      title: `Learning task ${t.technology} (${t.depth}) failed${t.message ? `: ${t.message.slice(0, 200)}` : ''}`,
      detail: `The ${t.learner} learner's task on ${t.technology} (${t.depth}, attempt ${t.attempts}) failed at ${new Date(t.endedAt).toISOString()}${t.message ? `: ${t.message.slice(0, 1000)}` : ''}. Retry it from the Tasks view.`,
      firedAt: now,
      resolvedAt: now,
      measure: { windowCount: null, baselineCount: null, windowValue: null, baselineValue: null, windowInterval: null, baselineInterval: null, pValue: null, test: null },
      filters: { ...NO_FILTERS, tags: [t.technology] },
    };
    state.history.unshift(alert);
    fired.push(alert);
  }
  state.tasksSeenUntil = seen;
  state.history = state.history.slice(0, HISTORY);
  state.lastCheck = now;
  return { state, fired, resolved };
}

/** Snoozes one rule and subject: it does not fire again before `until` (an alert firing now stays in the history). */
export function snooze(state: AlertState, ruleId: string, subject: string | null, until: number): AlertState {
  const next = structuredClone(state);
  const s = (next.subjects[subjectKey(ruleId, subject)] ??= { streak: 0, activeId: null, lastFiredAt: null, snoozedUntil: null });
  s.snoozedUntil = until;
  return next;
}

/** Mutes (or unmutes) a rule: none of its alerts are raised while muted. */
export function setMuted(state: AlertState, ruleId: string, muted: boolean): AlertState {
  const next = structuredClone(state);
  next.muted = muted ? [...new Set([...next.muted, ruleId])] : next.muted.filter((m) => m !== ruleId);
  return next;
}

export function overviewOf(state: AlertState, limit = 50): AlertsOverview {
  return {
    active: state.history.filter((h) => h.resolvedAt === null),
    history: state.history.slice(0, limit),
    muted: state.muted,
    lastCheck: state.lastCheck,
  };
}
