// One writer per store. The lock file is created whole and atomically (a
// hard link of a file already written, which fails if the name exists), names
// its holder by pid and process start time (a reused pid is not the holder),
// and carries a token that only this holder knows. A stale lock, left by a
// process that died, is replaced by an atomic rename, by one breaker at a
// time; never deleted and then created, which is the window two writers
// could both pass through.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockResult {
  acquired: boolean;
  /** Who holds it, when not acquired. */
  holder?: string;
  /** The proof of holding it, when acquired: `stillHeld` checks it. */
  token?: string;
}

interface Holder {
  pid?: number;
  host?: string;
  /** The holder's start time, as the kernel counts it (Linux), so a reused pid is not taken for the holder. */
  start?: string | null;
  token?: string;
  since?: string;
}

/** A breaker that has held the break file this long has died mid-break. */
const BREAK_STALE_MS = 10_000;

/** The start time of process `pid` (field 22 of /proc/PID/stat), or null where there is no /proc. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid runs (it may be one that reused the pid). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function alive(holder: Holder): boolean {
  if (typeof holder.pid !== 'number' || !processAlive(holder.pid)) return false;
  // The pid is in use: by the holder only if it started when the holder did.
  if (holder.start) {
    const now = processStart(holder.pid);
    if (now !== null && now !== holder.start) return false;
  }
  return true;
}

function readRaw(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parse(raw: string | null): Holder {
  try {
    return raw === null ? {} : (JSON.parse(raw) as Holder);
  } catch {
    return {};
  }
}

/** Writes `content` to a file of our own beside `path`, whole, for linking or renaming into place. */
function prepared(path: string, content: string): string {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, content, { flag: 'wx' });
  return temp;
}

/** Creates `path` with `content` only if no file has that name; the file is never seen half-written. */
function createExclusive(path: string, content: string): boolean {
  const temp = prepared(path, content);
  try {
    linkSync(temp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Takes the lock at `path`, or says who holds it. A lock left by a process
 * that has died (or a half-written one from before locks were written whole)
 * is taken over.
 */
export function acquireLock(path: string): LockResult {
  const token = randomBytes(16).toString('hex');
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), start: processStart(process.pid), token, since: new Date().toISOString() } satisfies Holder);
  const breakPath = `${path}.break`;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createExclusive(path, mine)) return { acquired: true, token };
    const raw = readRaw(path);
    if (raw === null) continue; // Released between the two calls: try again.
    const holder = parse(raw);
    if (holder.host && holder.host !== hostname()) return { acquired: false, holder: `host ${holder.host}` };
    if (alive(holder)) return { acquired: false, holder: `process ${holder.pid}` };
    // Stale. One breaker at a time replaces it, and only if it is still the stale lock it read.
    if (!createExclusive(breakPath, mine)) {
      const breaker = parse(readRaw(breakPath));
      let age = 0;
      try {
        age = Date.now() - statSync(breakPath).mtimeMs;
      } catch {
        continue;
      }
      if (!alive(breaker) && age > BREAK_STALE_MS) rmSync(breakPath, { force: true });
      // Another process is breaking it: wait a moment and look again.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + attempt);
      continue;
    }
    try {
      if (readRaw(path) !== raw) continue; // Someone else took it over meanwhile.
      renameSync(prepared(path, mine), path);
      return { acquired: true, token };
    } finally {
      rmSync(breakPath, { force: true });
    }
  }
  return { acquired: false, holder: 'another process' };
}

/** Whether the lock at `path` is still the one `token` took: a writer checks before every write it cannot take back. */
export function stillHeld(path: string, token: string): boolean {
  try {
    return parse(readRaw(path)).token === token;
  } catch {
    return false;
  }
}

export function releaseLock(path: string, token?: string): void {
  try {
    const holder = parse(readRaw(path));
    if (token ? holder.token === token : holder.pid === process.pid) rmSync(path, { force: true });
  } catch {
    // Nothing to release.
  }
}
