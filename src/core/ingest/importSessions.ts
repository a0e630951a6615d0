// Importing agent sessions (Kimi CLI, Kimi Code, Claude Code, Codex) into either engine: each
// session read by its adapter, each turn stored as an example under its deterministic id, so a
// re-import adds nothing and a session that grew adds only its new turns.
import type { IngestTarget } from '../model/batch';
import { AGENTS, OUTCOMES, type AdapterOptions, type AgentName, type Outcome } from './adapters/agentTurn';
import { readSession, unreadable, type SessionRef } from './adapters/sessionFiles';
import { turnToExample } from './adapters/toExample';

export interface SessionImportOptions extends AdapterOptions {
  now: number;
  /** The home folder: paths under it are stored relative (`~/…`). */
  home?: string | null;
  /** Only turns from this moment on (epoch ms). */
  since?: number | null;
  /**
   * A last turn with no end, in a session written to less than this long ago (ms), may still be
   * running: it is left for a later import, which stores it once it has ended (default 30 minutes).
   */
  settleMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; session: string; added: number }) => void;
}

export interface SessionImportReport {
  sessions: number;
  turns: number;
  added: number;
  duplicates: number;
  conflicts: number;
  /** Turns before the retention cutoff or the engine could not hold. */
  notStored: number;
  /** Last turns still running, left for a later import. */
  waiting: number;
  byAgent: Record<AgentName, { sessions: number; turns: number; added: number }>;
  outcomes: Record<Outcome, number>;
  /** What could not be read or used, by session file; never fatal. */
  problems: { path: string; reason: string }[];
  cancelled: boolean;
}

export const SETTLE_MS = 30 * 60_000;
const MAX_PROBLEMS = 1000;

export function emptySessionReport(): SessionImportReport {
  return {
    sessions: 0,
    turns: 0,
    added: 0,
    duplicates: 0,
    conflicts: 0,
    notStored: 0,
    waiting: 0,
    byAgent: Object.fromEntries(AGENTS.map((a) => [a, { sessions: 0, turns: 0, added: 0 }])) as SessionImportReport['byAgent'],
    outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as SessionImportReport['outcomes'],
    problems: [],
    cancelled: false,
  };
}

/** Imports the sessions into the target, one batch per session. */
export async function importSessions(target: IngestTarget, sessions: readonly SessionRef[], options: SessionImportOptions): Promise<SessionImportReport> {
  const report = emptySessionReport();
  const settle = options.settleMs ?? SETTLE_MS;
  const problem = (path: string, reason: string) => {
    if (report.problems.length < MAX_PROBLEMS) report.problems.push({ path, reason });
  };
  for (const [i, ref] of sessions.entries()) {
    if (options.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    if (options.since != null && ref.mtime < options.since) continue;
    let result;
    try {
      result = await readSession(ref, options);
    } catch (e) {
      result = unreadable(ref, (e as Error).message);
    }
    const r = result.report;
    for (const missing of r.missingFiles) problem(ref.path, `missing or unreadable: ${missing}`);
    if (r.badLines) problem(ref.path, `${r.badLines} line${r.badLines === 1 ? '' : 's'} that are not JSON records, skipped`);
    if (r.truncatedLastLine) problem(ref.path, 'the last line is cut short (still being written?), skipped');
    const unknown = Object.entries(r.unknownTypes);
    if (unknown.length) problem(ref.path, `record types this version does not read, skipped: ${unknown.map(([t, n]) => `${t} ×${n}`).slice(0, 10).join(', ')}`);
    if (r.droppedUndated) problem(ref.path, `${r.droppedUndated} turn${r.droppedUndated === 1 ? '' : 's'} with no time anywhere, skipped`);
    report.sessions++;
    report.byAgent[ref.agent].sessions++;
    const running = options.now - ref.mtime < settle;
    const turns = result.turns.filter((t) => {
      if (options.since != null && t.ts < options.since) return false;
      if (t.open && running) {
        report.waiting++;
        return false;
      }
      return true;
    });
    const kept: typeof turns = [];
    const examples = [];
    for (const t of turns) {
      const e = turnToExample(t, { now: options.now, home: options.home });
      if (e.ok) {
        kept.push(t);
        examples.push(e.example);
      } else {
        report.notStored++;
        problem(ref.path, `turn ${t.turn} (${t.id}): ${e.reason}`);
      }
    }
    if (kept.length === 0) continue;
    const sourceId = await target.sourceKey(ref.path);
    const counts = await target.writeBatch(
      examples.map((example) => ({ example, sourceId })),
      null,
    );
    report.turns += kept.length;
    report.byAgent[ref.agent].turns += kept.length;
    report.byAgent[ref.agent].added += counts.added;
    report.added += counts.added;
    report.duplicates += counts.duplicates;
    report.conflicts += counts.conflicts;
    report.notStored += counts.expiredIndexes.length + (counts.refused?.length ?? 0);
    for (const t of kept) report.outcomes[t.outcome]++;
    for (const c of counts.refused ?? []) problem(ref.path, `turn ${kept[c.index]?.turn ?? c.index}: ${c.reason}`);
    options.onProgress?.({ done: i + 1, total: sessions.length, session: ref.path, added: report.added });
  }
  return report;
}
