// A home folder with sessions of the four agents, laid out as each writes them, from the real
// samples in test/fixtures/agent-logs (MIT; see its README). Every file is dated `age` ms before
// `now`, so no turn reads as still running unless a test says so.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'agent-logs');
/** The project folder the sessions were "run" in. */
export const PROJECT = '/work/proj';

let fixtures = FIXTURES;

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(join(fixtures, from), to);
}

function ageAll(dir: string, when: Date): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) ageAll(p, when);
    utimesSync(p, when, when);
  }
}

/**
 * Builds the home folder under `home`; returns the number of turns each agent's sessions hold.
 * The Kimi CLI sessions are `project`'s; the others name the folders of their samples.
 */
export function makeAgentHome(home: string, now = Date.now(), age = 3_600_000, project = PROJECT, fixtureDir = FIXTURES): Record<string, number> {
  fixtures = fixtureDir;
  // Kimi CLI: sessions/<md5 of the work folder>/<session>/, kimi.json naming the folder.
  const hash = createHash('md5').update(project).digest('hex');
  mkdirSync(join(home, '.kimi'), { recursive: true });
  writeFileSync(join(home, '.kimi', 'kimi.json'), JSON.stringify({ work_dirs: [{ path: project, kaos: 'local' }] }));
  for (const s of ['recent-protocol-1.10', 'with-tool-calls']) {
    for (const f of ['wire.jsonl', 'context.jsonl', 'state.json']) copy(join('kimi-cli', s, f), join(home, '.kimi', 'sessions', hash, s, f));
  }
  // Kimi Code: sessions/wd_<slug>_<hex>/session_<id>/{state.json, agents/main/wire.jsonl, agents/agent-0/wire.jsonl}.
  const kc = join(home, '.kimi-code', 'sessions', 'wd_proj_ac3bb318f98e', 'session_9eb1bf57-c1af-48a5-b658-0e8d9fe794f5');
  copy(join('kimi-code', 'state.json'), join(kc, 'state.json'));
  copy(join('kimi-code', 'small.jsonl'), join(kc, 'agents', 'main', 'wire.jsonl'));
  copy(join('kimi-code', 'subagent_agent-0.jsonl'), join(kc, 'agents', 'agent-0', 'wire.jsonl'));
  // Claude Code: projects/<cwd with / as ->/<session>.jsonl.
  copy(join('claude-code', 'schema_drift.jsonl'), join(home, '.claude', 'projects', '-tmp-project', 'ses_stage0_drift.jsonl'));
  // Codex: sessions/YYYY/MM/DD/rollout-*.jsonl.zst (compressed, as newer versions keep old ones) and archived_sessions/.
  copy(join('codex', 'small.jsonl.zst'), join(home, '.codex', 'sessions', '2026', '08', '03', 'rollout-2026-08-03T10-48-56-019fc8be-3658-7ca3-9e29-000000000000.jsonl.zst'));
  copy(join('codex', 'schema_drift.jsonl'), join(home, '.codex', 'archived_sessions', 'rollout-2025-09-10T12-00-00-0199a000-0000-7000-8000-00000000d71f.jsonl'));
  ageAll(home, new Date(now - age));
  return { 'kimi-cli': 3, 'kimi-code': 2, 'claude-code': 1, codex: 4 };
}

/** Marks a file as just written (its last turn may still be running). */
export function touch(path: string, now = Date.now()): void {
  utimesSync(path, new Date(now), new Date(now));
  statSync(path);
}
