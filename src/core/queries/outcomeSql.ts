import type { RowSource } from '../storage/rowSource';

// How every SQLite query counts outcomes, written once (codes in src/core/model/successCode.ts):
// successes are `success = 1`, failures `success = 0`, unknown outcomes `success = 2`.
// A rate is successes over the known outcomes; `sum(success)` would count an unknown twice.

/** Successes among examples (alias `a`). */
export const successesOf = (a: string): string => `sum(${a}.success = 1)`;
/** Failures among examples. */
export const failuresOf = (a: string): string => `sum(${a}.success = 0)`;
/** Examples whose outcome is unknown. */
export const unknownOf = (a: string): string => `sum(${a}.success = 2)`;
/** Successes among examples that carry a token count. */
export const tokenSuccessesOf = (a: string): string => `sum(${a}.success = 1 AND ${a}.tokens IS NOT NULL)`;
/** Tokens of examples whose outcome is known. */
export const knownTokensOf = (a: string): string => `coalesce(sum(CASE WHEN ${a}.success != 2 THEN ${a}.tokens END), 0)`;

/** The rollup rows' outcome sums (alias `r`, each row standing for `r.n` examples). */
export interface RollupOutcomeSql {
  successes(r: string): string;
  unknown(r: string): string;
  /** Successes with a token count. */
  tokenSuccesses(r: string): string;
  /** Tokens of rows of known outcome. */
  knownTokens(r: string): string;
}

const MIXED: RollupOutcomeSql = {
  successes: (r) => `sum((${r}.success = 1) * ${r}.n)`,
  unknown: (r) => `sum((${r}.success = 2) * ${r}.n)`,
  tokenSuccesses: (r) => `sum((${r}.success = 1) * ${r}.tokens_n)`,
  knownTokens: (r) => `sum((${r}.success != 2) * ${r}.tokens)`,
};

/** The same sums where every outcome is 0 or 1: fewer, cheaper expressions for the dashboard's every refresh. */
const KNOWN_ONLY: RollupOutcomeSql = {
  successes: (r) => `sum(${r}.success * ${r}.n)`,
  unknown: () => '0',
  tokenSuccesses: (r) => `sum(${r}.success * ${r}.tokens_n)`,
  knownTokens: (r) => `sum(${r}.tokens)`,
};

/**
 * The rollup sums for this store: with unknown outcomes in it, the general ones; without (every
 * KIMI-only store), the cheaper ones, which give the same numbers there. Both rollup tables hold
 * the same examples, so the small per-day table tells.
 */
export function rollupOutcomes(store: RowSource): RollupOutcomeSql {
  const [row] = store.rows<[number]>('SELECT EXISTS (SELECT 1 FROM rollup_daily WHERE success = 2)');
  return row && row[0] ? MIXED : KNOWN_ONLY;
}
