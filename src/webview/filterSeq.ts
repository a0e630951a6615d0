// Each setFilters the panel sends carries a number; the host's state echoes the
// last one it applied (filtersSeq). An edit waiting for its echo knows a state
// the host built before applying it (a smaller number) from its own answer.
let last = 0;

/** The number for the next setFilters. */
export function nextFilterSeq(): number {
  return ++last;
}

/** The number the last setFilters carried. */
export function lastFilterSeq(): number {
  return last;
}
