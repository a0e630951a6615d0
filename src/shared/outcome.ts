// An example's outcome as every view words it: KIMI's success or failure, or unknown when the
// log does not say (an agent session's turn), with the turn's own outcome and its evidence.

/** "Succeeded", "Failed" or "Unknown". */
export function outcomeWord(success: boolean | null): string {
  return success === null ? 'Unknown' : success ? 'Succeeded' : 'Failed';
}

/** The CSS class a view marks an outcome with. */
export function outcomeClass(success: boolean | null): 'ok' | 'bad' | 'unknown' {
  return success === null ? 'unknown' : success ? 'ok' : 'bad';
}

/** How a turn of an agent session ended (extra.outcome) and why (extra.outcome_evidence), when the example says. */
export function turnOutcome(extra: Record<string, unknown>): { outcome: string; evidence: string[] } | null {
  if (typeof extra.outcome !== 'string') return null;
  const evidence = Array.isArray(extra.outcome_evidence) ? extra.outcome_evidence.filter((e): e is string => typeof e === 'string').slice(0, 50) : [];
  return { outcome: extra.outcome.slice(0, 40), evidence };
}
