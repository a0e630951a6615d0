/**
 * How an outcome is stored in both engines: 1 success, 0 failure, 2 unknown.
 * A number, not NULL, so the per-day rollups keep one key per outcome (a NULL
 * never matches in a primary key or an upsert). Every query counts successes
 * as `success = 1`, failures as `success = 0` and known outcomes as
 * `success < 2`: the SQL for that is in `successSql.ts`, written once.
 */
export const SUCCESS = 1;
export const FAILURE = 0;
export const UNKNOWN_OUTCOME = 2;
export type SuccessCode = 0 | 1 | 2;

export function successCode(success: boolean | null): SuccessCode {
  return success === null ? UNKNOWN_OUTCOME : success ? SUCCESS : FAILURE;
}

/** A stored code back to true, false or null (unknown); anything else a row may hold reads as unknown. */
export function successFromCode(code: unknown): boolean | null {
  const n = typeof code === 'bigint' ? Number(code) : typeof code === 'string' ? Number(code) : code;
  return n === SUCCESS ? true : n === FAILURE ? false : null;
}

/** The code an outcome filter selects: true, false or 'unknown'. */
export function filterCode(filter: boolean | 'unknown'): SuccessCode {
  return filter === 'unknown' ? UNKNOWN_OUTCOME : successCode(filter);
}
