// How every PostgreSQL query counts outcomes, written once (codes in src/core/model/successCode.ts):
// successes are `success = 1`, failures `success = 0`, unknown outcomes `success = 2`.

/** Successes among examples (alias `a`). */
export const pgSuccessesOf = (a: string): string => `count(*) FILTER (WHERE ${a}.success = 1)`;
/** Failures among examples. */
export const pgFailuresOf = (a: string): string => `count(*) FILTER (WHERE ${a}.success = 0)`;
/** Examples whose outcome is unknown. */
export const pgUnknownOf = (a: string): string => `count(*) FILTER (WHERE ${a}.success = 2)`;
/** Successes among examples that carry a token count. */
export const pgTokenSuccessesOf = (a: string): string => `count(*) FILTER (WHERE ${a}.success = 1 AND ${a}.tokens IS NOT NULL)`;
/** Successes in rollup rows (alias `r`), each standing for `r.n` examples. */
export const pgRollupSuccesses = (r: string): string => `coalesce(sum(${r}.n) FILTER (WHERE ${r}.success = 1), 0)`;
/** Unknown outcomes in rollup rows. */
export const pgRollupUnknown = (r: string): string => `coalesce(sum(${r}.n) FILTER (WHERE ${r}.success = 2), 0)`;
/** Successes with a token count in rollup rows. */
export const pgRollupTokenSuccesses = (r: string): string => `coalesce(sum(${r}.tokens_n) FILTER (WHERE ${r}.success = 1), 0)`;
/** Tokens of examples whose outcome is known. */
export const pgKnownTokensOf = (a: string): string => `coalesce(sum(${a}.tokens) FILTER (WHERE ${a}.success <> 2), 0)`;
/** Tokens in rollup rows of known outcome. */
export const pgRollupKnownTokens = (r: string): string => `coalesce(sum(${r}.tokens) FILTER (WHERE ${r}.success <> 2), 0)`;
