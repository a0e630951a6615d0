// The token figures, each defined once: the panel, the tree, the command
// line, the API, analytics and alerts all call these. A token count is
// optional in a KIMI line, so only the examples that carry one take part, and
// a figure over none of them is unknown (null, shown as "—"), never zero.
import { z } from 'zod';

export const tokenTallySchema = z.object({
  /** Tokens summed over the examples that carry a count. */
  tokens: z.number().nonnegative(),
  /** Examples that carry a token count. */
  tokenExamples: z.number().int().nonnegative(),
  /** Of those, the successful ones. */
  tokenSuccesses: z.number().int().nonnegative(),
  /** Tokens summed over the examples that carry a count and whose outcome is known (what a success's cost is taken over). */
  knownTokens: z.number().nonnegative(),
});
/** What every token figure is computed from. */
export type TokenTally = z.infer<typeof tokenTallySchema>;

/** How every view shows a figure that is unknown (no example carries the value). */
export const UNKNOWN = '—';

export const NO_TOKENS: TokenTally = Object.freeze({ tokens: 0, tokenExamples: 0, tokenSuccesses: 0, knownTokens: 0 });

export function addTokens(a: TokenTally, b: TokenTally): TokenTally {
  return { tokens: a.tokens + b.tokens, tokenExamples: a.tokenExamples + b.tokenExamples, tokenSuccesses: a.tokenSuccesses + b.tokenSuccesses, knownTokens: a.knownTokens + b.knownTokens };
}

/** Tokens spent: the sum over the examples that carry a count; null when none does. */
export function totalTokens(t: TokenTally): number | null {
  return t.tokenExamples > 0 ? t.tokens : null;
}

/** Tokens per example: the mean over the examples that carry a count. */
export function tokensPerExample(t: TokenTally): number | null {
  return t.tokenExamples > 0 ? t.tokens / t.tokenExamples : null;
}

/**
 * Tokens per success: what one success costs, the failures on the way included: every token
 * spent on examples of known outcome ÷ the successful examples, both over the examples that
 * carry a count (a turn whose outcome is unknown is neither a success nor a failure on the way).
 */
export function tokensPerSuccess(t: TokenTally): number | null {
  return t.tokenSuccesses > 0 ? t.knownTokens / t.tokenSuccesses : null;
}

/** The definitions as the panel's tooltips and the README give them. */
export const FIGURE_DEFINITIONS = {
  totalTokens: 'Tokens spent: the sum over the examples that carry a token count.',
  tokensPerExample: 'Tokens per example: the mean over the examples that carry a token count.',
  tokensPerSuccess: 'Tokens per success: every token spent on examples of known outcome, failures included, divided by the successful examples; both over the examples that carry a token count.',
} as const;

/** "over 40 of 113 examples" when some carry no count; empty when all do. */
export function tokenCoverage(t: TokenTally, examples: number): string {
  return t.tokenExamples === examples ? '' : `over ${t.tokenExamples.toLocaleString('en-US')} of ${examples.toLocaleString('en-US')} examples with a token count`;
}

/**
 * What an agent session's turns say where their success is unknown: counted over the examples
 * that carry `metrics.tool_calls` (an agent-session turn), as every view shows them.
 */
const activityCounts = {
  /** Turns of agent sessions under the filters. */
  turns: z.number().int().nonnegative(),
  toolCalls: z.number().nonnegative(),
  toolErrors: z.number().nonnegative(),
  interruptions: z.number().nonnegative(),
  rejections: z.number().nonnegative(),
  /** Turns in which a test command ran with a known exit code, and of those, the ones whose last test passed. */
  testTurns: z.number().int().nonnegative(),
  testsPassed: z.number().int().nonnegative(),
};
const activityRowSchema = z.object({ key: z.string().max(500), ...activityCounts });
export type ActivityRow = z.infer<typeof activityRowSchema>;
export const activitySchema = z.object({
  ...activityCounts,
  /** The same per agent and per model (the model only where the log names it), most turns first. */
  byAgent: z.array(activityRowSchema).max(20).default([]),
  byModel: z.array(activityRowSchema).max(50).default([]),
});
export type Activity = z.infer<typeof activitySchema>;
export type ActivityCounts = Omit<ActivityRow, 'key'>;

/** Turn counts grouped by agent and model (either engine's rows), folded into the totals, per agent and per model. */
export function foldActivity(rows: readonly (ActivityCounts & { agent: string | null; model: string | null })[]): Activity {
  const zero = (): ActivityCounts => ({ turns: 0, toolCalls: 0, toolErrors: 0, interruptions: 0, rejections: 0, testTurns: 0, testsPassed: 0 });
  const add = (a: ActivityCounts, b: ActivityCounts) => {
    for (const k of Object.keys(a) as (keyof ActivityCounts)[]) a[k] += b[k];
  };
  const total = zero();
  const agents = new Map<string, ActivityCounts>();
  const models = new Map<string, ActivityCounts>();
  for (const r of rows) {
    const { agent, model, ...counts } = r;
    add(total, counts);
    const a = agent ?? 'unnamed';
    if (!agents.has(a)) agents.set(a, zero());
    add(agents.get(a)!, counts);
    if (model !== null) {
      if (!models.has(model)) models.set(model, zero());
      add(models.get(model)!, counts);
    }
  }
  const ranked = (m: Map<string, ActivityCounts>, max: number) =>
    [...m].sort((x, y) => y[1].turns - x[1].turns || x[0].localeCompare(y[0])).slice(0, max).map(([key, c]) => ({ key: key.slice(0, 500), ...c }));
  return { ...total, byAgent: ranked(agents, 20), byModel: ranked(models, 50) };
}

/** Tool errors ÷ tool calls; null without a call. */
export function toolErrorRate(a: ActivityCounts): number | null {
  return a.toolCalls > 0 ? a.toolErrors / a.toolCalls : null;
}

/** A count per turn (interruptions, rejections); null without a turn. */
export function perTurn(count: number, a: ActivityCounts): number | null {
  return a.turns > 0 ? count / a.turns : null;
}

/** The test pass rate over the turns where tests ran (the last test of each); null where none ran. */
export function testPassRate(a: ActivityCounts): number | null {
  return a.testTurns > 0 ? a.testsPassed / a.testTurns : null;
}
