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
/** Successes in rollup rows (alias `r`), each standing for `r.n` examples. */
export const rollupSuccesses = (r: string): string => `sum((${r}.success = 1) * ${r}.n)`;
/** Unknown outcomes in rollup rows. */
export const rollupUnknown = (r: string): string => `sum((${r}.success = 2) * ${r}.n)`;
/** Successes with a token count in rollup rows. */
export const rollupTokenSuccesses = (r: string): string => `sum((${r}.success = 1) * ${r}.tokens_n)`;
/** Tokens of examples whose outcome is known. */
export const knownTokensOf = (a: string): string => `coalesce(sum(CASE WHEN ${a}.success != 2 THEN ${a}.tokens END), 0)`;
/** Tokens in rollup rows of known outcome. */
export const rollupKnownTokens = (r: string): string => `sum((${r}.success != 2) * ${r}.tokens)`;
