// learning-viewer import-sessions: its options, its help and what it does.
import { homedir } from 'node:os';
import { AGENTS, type AgentName } from '../../core/ingest/adapters/agentTurn';
import { findSessions, sessionAt, type SessionRef } from '../../core/ingest/adapters/sessionFiles';
import { importSessions } from '../../core/ingest/importSessions';
import { parseTimestamp } from '../../core/ingest/timestamp';
import { EXIT_OK, EXIT_USAGE, UsageError, openEngine, positiveInt, type Command, type DatabaseValues } from '../common';

export const importSessionsCommand: Command = {
  name: 'import-sessions',
  help: `usage: learning-viewer import-sessions --db DIR|--database URL [--agent kimi-cli|kimi-code|claude-code|codex]…
                                       [--since DATE] [--home DIR] [--json] [PATHS…]

Imports the sessions of the coding agents people run: Kimi CLI (~/.kimi or
$KIMI_SHARE_DIR), Kimi Code (~/.kimi-code or $KIMI_CODE_HOME), Claude Code
(~/.claude/projects, ~/.config/claude/projects or $CLAUDE_CONFIG_DIR) and Codex
(~/.codex/sessions and archived_sessions, or $CODEX_HOME; .jsonl and .jsonl.zst).
PATHS name sessions (a session folder or file) instead of looking for them.
One example per user turn, id <agent>:<session>:<turn>: importing again adds
nothing, and a session that grew adds only its new turns (a last turn still
being written waits for a later import). Its success is unknown unless the log
says the turn failed; with --success-from-tests, a turn that completed and whose
last test command (pytest, npm test, cargo test…) exited 0 counts as a success,
and one whose last test failed as a failure. No tool output and no file contents
are stored; prompts are cut at --max-prompt characters (default 2000) and paths
under the home folder are written as ~/….
Prints the sessions and turns read, added, already present, still running, and
the outcomes; what could not be read goes to stderr. With --json, one object.`,
  options: ['db', 'database', 'json', 'agent', 'since', 'home', 'success-from-tests', 'max-prompt'],
  positionals: true,
  postgres: true,
  run: (positionals, values) => runImportSessions(positionals, values),
};

type Values = DatabaseValues & { json?: boolean; agent?: string[]; since?: string; home?: string; 'success-from-tests'?: boolean; 'max-prompt'?: string };

async function runImportSessions(paths: string[], values: Values): Promise<number> {
  const agents = (values.agent ?? []).flatMap((a) => a.split(',')).map((a) => a.trim());
  for (const a of agents) if (!(AGENTS as readonly string[]).includes(a)) throw new UsageError(`--agent takes ${AGENTS.join(', ')}, not ${a}`);
  const chosen = (agents.length ? agents : AGENTS) as AgentName[];
  let since: number | null = null;
  if (values.since !== undefined) {
    const t = parseTimestamp(values.since, 'local');
    if (typeof t === 'string') throw new UsageError(`--since: ${t.replace(/^timestamp/, 'the date')}`);
    since = t;
  }
  const maxPrompt = positiveInt(values['max-prompt'], '--max-prompt');
  const home = values.home ?? homedir();
  let sessions: SessionRef[];
  const missing: string[] = [];
  if (paths.length) {
    sessions = [];
    for (const path of paths) {
      const ref = await sessionAt(path, agents.length === 1 ? chosen[0] : undefined);
      if (ref) sessions.push(ref);
      else missing.push(path);
    }
  } else {
    sessions = await findSessions(home, process.env, chosen);
  }
  for (const path of missing) process.stderr.write(`learning-viewer: ${path}: not a session of ${agents.length === 1 ? chosen[0] : 'Kimi CLI, Kimi Code, Claude Code or Codex'}\n`);
  const store = await openEngine(values, false);
  let report;
  try {
    report = await importSessions(store, sessions, { now: Date.now(), home, since, successFromTests: values['success-from-tests'] === true, maxPromptChars: maxPrompt });
    await store.flush();
  } finally {
    await store.close();
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    process.stdout.write(
      `sessions ${report.sessions}, turns ${report.turns}, added ${report.added}, already present ${report.duplicates}, conflicts ${report.conflicts}, still running ${report.waiting}` +
        `${report.notStored ? `, not stored ${report.notStored} (before the retention cutoff, or text the database cannot hold)` : ''}\n`,
    );
    for (const agent of AGENTS) {
      const a = report.byAgent[agent];
      const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
      if (a.sessions) process.stdout.write(`  ${agent}: ${n(a.sessions, 'session')}, ${n(a.turns, 'turn')}, ${a.added} added\n`);
    }
    const outcomes = Object.entries(report.outcomes).filter(([, n]) => n > 0);
    if (outcomes.length) process.stdout.write(`  outcomes: ${outcomes.map(([o, n]) => `${o} ${n}`).join(', ')}\n`);
    for (const p of report.problems) process.stderr.write(`${p.path}: ${p.reason}\n`);
  }
  return missing.length > 0 ? EXIT_USAGE : EXIT_OK;
}
