// Where each agent keeps its sessions, and reading one session's files. The
// adapters themselves only see text; this is the part that touches the disk.
import { createHash } from 'node:crypto';
import { readFile, readdir, stat, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Decompress, decompress } from 'fzstd';
import { AGENTS, type AdapterOptions, type AdapterResult, type AgentName, emptyReport, isObject, obj, realString } from './agentTurn';
import { readKimiCliSession } from './kimiCli';
import { readKimiCodeSession } from './kimiCode';
import { readClaudeCodeSession } from './claudeCode';
import { readCodexSession } from './codex';

/** One session found on disk. */
export interface SessionRef {
  agent: AgentName;
  /** What identifies it on disk: the session folder (Kimi CLI, Kimi Code) or file (Claude Code, Codex). */
  path: string;
  sessionId: string;
  /** The work folder, where the layout says it without reading the session. */
  cwd: string | null;
  /** Last change of the session's main file, epoch ms. */
  mtime: number;
  bytes: number;
}

/** The folders each agent writes to, from the environment the agents honour and the home folder. */
export function agentRoots(home: string, env: Record<string, string | undefined>): Record<AgentName, string[]> {
  const claude = env.CLAUDE_CONFIG_DIR
    ? env.CLAUDE_CONFIG_DIR.split(',').map((d) => join(d.trim(), 'projects'))
    : [join(home, '.claude', 'projects'), join(home, '.config', 'claude', 'projects')];
  return {
    'kimi-cli': [env.KIMI_SHARE_DIR || join(home, '.kimi')],
    'kimi-code': [env.KIMI_CODE_HOME || join(home, '.kimi-code')],
    'claude-code': claude,
    codex: [env.CODEX_HOME || join(home, '.codex')],
  };
}

async function entries(dir: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).map((d) => ({ name: d.name, dir: d.isDirectory() }));
  } catch {
    return [];
  }
}

async function info(path: string): Promise<{ mtime: number; bytes: number } | null> {
  try {
    const s = await stat(path);
    return { mtime: s.mtimeMs, bytes: s.size };
  } catch {
    return null;
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | null> {
  try {
    const v: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/** The first `bytes` of a file as text (enough for its first records). */
async function head(path: string, bytes = 64 * 1024): Promise<string> {
  return Buffer.from(await rawHead(path, bytes)).toString('utf8');
}

/** The first `bytes` of a `.zst` file's decompressed text (its first records): streamed, never the whole file. */
async function zstHead(path: string, bytes = 64 * 1024): Promise<string> {
  const compressed = await rawHead(path, 256 * 1024);
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    const stream = new Decompress((chunk) => {
      if (size < bytes) {
        parts.push(chunk);
        size += chunk.length;
      }
    });
    stream.push(compressed, false);
  } catch {
    // A damaged or cut frame: what came out before it is still the head.
  }
  return Buffer.concat(parts).subarray(0, bytes).toString('utf8');
}

async function rawHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return new Uint8Array();
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The work folders already read, by file and its change time: the follower looks every minute, and
 * a session's first records do not change once written. Bounded: the oldest entries go first.
 */
const cwdCache = new Map<string, { mtime: number; cwd: string | null }>();
const CWD_CACHE_MAX = 20_000;

/** The work folder a session file's first records name, read once per change of the file. */
async function cwdOf(path: string, mtime: number): Promise<string | null> {
  const known = cwdCache.get(path);
  if (known && known.mtime === mtime) return known.cwd;
  const cwd = cwdInHead(path.endsWith('.zst') ? await zstHead(path) : await head(path));
  cwdCache.delete(path);
  cwdCache.set(path, { mtime, cwd });
  if (cwdCache.size > CWD_CACHE_MAX) cwdCache.delete(cwdCache.keys().next().value!);
  return cwd;
}

/** The `cwd` the first records of a JSONL text name (Claude's lines, Codex's session_meta). */
function cwdInHead(text: string): string | null {
  for (const line of text.split('\n').slice(0, 50)) {
    try {
      const v = obj(JSON.parse(line));
      const cwd = realString(v.cwd) ?? realString(obj(v.payload).cwd);
      if (cwd) return cwd;
    } catch {
      // A line cut by the head's end, or not JSON: the next one may say.
    }
  }
  return null;
}

async function kimiCliSessions(root: string): Promise<SessionRef[]> {
  const config = await readJson(join(root, 'kimi.json'));
  const byHash = new Map<string, string>();
  for (const w of Array.isArray(config?.work_dirs) ? config.work_dirs : []) {
    const path = realString(obj(w).path);
    if (!path) continue;
    const hash = createHash('md5').update(path).digest('hex');
    const kaos = realString(obj(w).kaos);
    byHash.set(kaos && kaos !== 'local' ? `${kaos}_${hash}` : hash, path);
  }
  const out: SessionRef[] = [];
  const sessions = join(root, 'sessions');
  for (const hashDir of await entries(sessions)) {
    if (!hashDir.dir) continue;
    const cwd = byHash.get(hashDir.name) ?? null;
    for (const e of await entries(join(sessions, hashDir.name))) {
      const path = join(sessions, hashDir.name, e.name);
      if (e.dir) {
        const main = (await info(join(path, 'wire.jsonl'))) ?? (await info(join(path, 'context.jsonl')));
        if (main) out.push({ agent: 'kimi-cli', path, sessionId: e.name, cwd, ...main });
      } else if (e.name.endsWith('.jsonl')) {
        // The oldest layout: one flat context file per session.
        const i = await info(path);
        if (i) out.push({ agent: 'kimi-cli', path, sessionId: e.name.slice(0, -'.jsonl'.length), cwd, ...i });
      }
    }
  }
  return out;
}

async function kimiCodeSessions(root: string): Promise<SessionRef[]> {
  const out: SessionRef[] = [];
  const sessions = join(root, 'sessions');
  for (const wd of await entries(sessions)) {
    if (!wd.dir) continue;
    for (const s of await entries(join(sessions, wd.name))) {
      if (!s.dir || !s.name.startsWith('session_')) continue;
      const path = join(sessions, wd.name, s.name);
      const main = await info(join(path, 'agents', 'main', 'wire.jsonl'));
      if (!main) continue;
      const state = await readJson(join(path, 'state.json'));
      out.push({ agent: 'kimi-code', path, sessionId: s.name.slice('session_'.length), cwd: realString(state?.workDir), ...main });
    }
  }
  return out;
}

async function claudeSessions(root: string): Promise<SessionRef[]> {
  const out: SessionRef[] = [];
  for (const project of await entries(root)) {
    if (!project.dir) continue;
    for (const f of await entries(join(root, project.name))) {
      // agent-*.jsonl beside the sessions are sub-agents' transcripts: read with their session, not as one.
      if (f.dir || !f.name.endsWith('.jsonl') || f.name.startsWith('agent-')) continue;
      const path = join(root, project.name, f.name);
      const i = await info(path);
      if (i) out.push({ agent: 'claude-code', path, sessionId: f.name.slice(0, -'.jsonl'.length), cwd: await cwdOf(path, i.mtime), ...i });
    }
  }
  return out;
}

async function codexSessions(root: string): Promise<SessionRef[]> {
  const out: SessionRef[] = [];
  const add = async (path: string, name: string) => {
    const i = await info(path);
    if (!i) return;
    // rollout-2025-05-07T17-24-21-<uuid>.jsonl: the id is at the end (session_meta names it too).
    const match = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(\.zst)?$/i.exec(name);
    const sessionId = match ? match[1]! : name.replace(/\.jsonl(\.zst)?$/, '');
    out.push({ agent: 'codex', path, sessionId, cwd: await cwdOf(path, i.mtime), ...i });
  };
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const e of await entries(dir)) {
      const path = join(dir, e.name);
      if (e.dir && depth > 0) await walk(path, depth - 1);
      else if (!e.dir && e.name.startsWith('rollout-') && /\.jsonl(\.zst)?$/.test(e.name)) await add(path, e.name);
    }
  };
  await walk(join(root, 'sessions'), 3);
  await walk(join(root, 'archived_sessions'), 0);
  return out;
}

/** Every session of the chosen agents under their usual folders, newest first. */
export async function findSessions(home: string, env: Record<string, string | undefined>, agents: readonly AgentName[] = AGENTS): Promise<SessionRef[]> {
  const roots = agentRoots(home, env);
  const found: SessionRef[] = [];
  for (const agent of agents) {
    for (const root of roots[agent]) {
      if (agent === 'kimi-cli') found.push(...(await kimiCliSessions(root)));
      else if (agent === 'kimi-code') found.push(...(await kimiCodeSessions(root)));
      else if (agent === 'claude-code') found.push(...(await claudeSessions(root)));
      else found.push(...(await codexSessions(root)));
    }
  }
  return found.sort((a, b) => b.mtime - a.mtime);
}

/** What a path given on the command line is: a session of one of the layouts, if it is one. */
export async function sessionAt(path: string, agent?: AgentName): Promise<SessionRef | null> {
  const s = await stat(path).catch(() => null);
  if (!s) return null;
  const i = { mtime: s.mtimeMs, bytes: s.size };
  const name = basename(path);
  if (s.isDirectory()) {
    const kimiCodeWire = agent === undefined || agent === 'kimi-code' ? await info(join(path, 'agents', 'main', 'wire.jsonl')) : null;
    if (kimiCodeWire) {
      const state = await readJson(join(path, 'state.json'));
      return { agent: 'kimi-code', path, sessionId: name.replace(/^session_/, ''), cwd: realString(state?.workDir), ...kimiCodeWire };
    }
    const main = (await info(join(path, 'wire.jsonl'))) ?? (await info(join(path, 'context.jsonl')));
    if (main && (agent === undefined || agent === 'kimi-cli')) return { agent: 'kimi-cli', path, sessionId: name, cwd: null, ...main };
    return null;
  }
  if (name.startsWith('rollout-') || agent === 'codex') {
    const match = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(\.zst)?$/i.exec(name);
    return { agent: 'codex', path, sessionId: match ? match[1]! : name.replace(/\.jsonl(\.zst)?$/, ''), cwd: null, ...i };
  }
  if (agent === 'kimi-cli') return { agent, path, sessionId: name.replace(/\.jsonl$/, ''), cwd: null, ...i };
  if (name.endsWith('.jsonl') && (agent === undefined || agent === 'claude-code')) return { agent: 'claude-code', path, sessionId: name.slice(0, -'.jsonl'.length), cwd: await cwdOf(path, i.mtime), ...i };
  return null;
}

/** The most a session file may hold to be read (decompressed): a bigger one is left out, and said. */
export const MAX_SESSION_BYTES = 512 * 1024 * 1024;

async function text(path: string): Promise<string | undefined> {
  try {
    const bytes = await readFile(path);
    if (path.endsWith('.zst')) {
      // fzstd: Zstandard in plain JavaScript (Node 20 has no zstd of its own).
      const out = decompress(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (out.byteLength > MAX_SESSION_BYTES) throw new Error(`more than ${MAX_SESSION_BYTES / 1024 / 1024} MB once decompressed`);
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('utf8');
    }
    if (bytes.byteLength > MAX_SESSION_BYTES) throw new Error(`more than ${MAX_SESSION_BYTES / 1024 / 1024} MB`);
    return bytes.toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function subagentTexts(dir: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await entries(dir)) {
    if (!e.dir && e.name.startsWith(prefix) && e.name.endsWith('.jsonl')) {
      const t = await text(join(dir, e.name));
      if (t !== undefined) out.push(t);
    }
  }
  return out;
}

/** Reads one session's files and turns them into turns by its agent's rules. */
export async function readSession(ref: SessionRef, options: AdapterOptions = {}): Promise<AdapterResult> {
  switch (ref.agent) {
    case 'kimi-cli': {
      if (!(await stat(ref.path)).isDirectory()) {
        return readKimiCliSession({ sessionId: ref.sessionId, files: { context: await text(ref.path) }, cwd: ref.cwd, fallbackTime: ref.mtime }, options);
      }
      const subagents: string[] = [];
      for (const a of await entries(join(ref.path, 'subagents'))) {
        if (!a.dir) continue;
        const t = await text(join(ref.path, 'subagents', a.name, 'wire.jsonl'));
        if (t !== undefined) subagents.push(t);
      }
      const files = { wire: await text(join(ref.path, 'wire.jsonl')), context: await text(join(ref.path, 'context.jsonl')), state: await text(join(ref.path, 'state.json')), subagents };
      return readKimiCliSession({ sessionId: ref.sessionId, files, cwd: ref.cwd, fallbackTime: ref.mtime }, options);
    }
    case 'kimi-code': {
      const wire = (await text(join(ref.path, 'agents', 'main', 'wire.jsonl'))) ?? '';
      const subagents: string[] = [];
      for (const a of await entries(join(ref.path, 'agents'))) {
        if (a.dir && a.name !== 'main') {
          const t = await text(join(ref.path, 'agents', a.name, 'wire.jsonl'));
          if (t !== undefined) subagents.push(t);
        }
      }
      return readKimiCodeSession({ sessionId: ref.sessionId, wire, state: await text(join(ref.path, 'state.json')), subagents, cwd: ref.cwd, fallbackTime: ref.mtime }, options);
    }
    case 'claude-code': {
      const main = (await text(ref.path)) ?? '';
      // Newer: <session>/subagents/agent-*.jsonl; older: agent-*.jsonl beside it, naming their session inside.
      const subagents = await subagentTexts(join(dirname(ref.path), ref.sessionId, 'subagents'), 'agent-');
      for (const t of await subagentTexts(dirname(ref.path), 'agent-')) if (t.includes(`"sessionId":"${ref.sessionId}"`) || t.includes(`"sessionId": "${ref.sessionId}"`)) subagents.push(t);
      return readClaudeCodeSession({ sessionId: ref.sessionId, text: main, subagents, fallbackTime: ref.mtime }, options);
    }
    case 'codex':
      return readCodexSession({ sessionId: ref.sessionId, text: (await text(ref.path)) ?? '', fallbackTime: ref.mtime }, options);
  }
}

/** A report for a session that could not be read at all. */
export function unreadable(ref: SessionRef, reason: string): AdapterResult {
  const report = emptyReport();
  report.missingFiles.push(`${ref.path}: ${reason}`);
  return { sessionId: ref.sessionId, cwd: ref.cwd, turns: [], report };
}
