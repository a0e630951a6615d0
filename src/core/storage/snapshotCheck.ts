// Damage is detected and said, never read as truth. Every snapshot is
// checked before it is believed: its CRC-32 and length against the list of
// snapshots this store saved (learning.sqlite.sum, written before each new
// snapshot takes its name), which catches a cut file and any flipped byte in
// 0.15 s at a million examples. A file on the list is byte for byte one that
// passed SQLite's `PRAGMA quick_check` in memory before it was written, so it
// is not checked again; a file the list does not vouch for (saved by an older
// version, or a backup older than the list) gets `quick_check` (1.3 to 3.5 s
// at a million examples), which catches structural damage.
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Database, SqlJsStatic } from 'sql.js';

export const SUMS_FILE = 'learning.sqlite.sum';

export interface Fingerprint {
  bytes: number;
  crc: number;
}

/** The last two snapshots saved: the current one and the one before it (which the backup holds). */
export interface SnapshotSums {
  current: Fingerprint;
  previous: Fingerprint | null;
}

export function fingerprint(data: Uint8Array): Fingerprint {
  return { bytes: data.byteLength, crc: crc32(data) };
}

export function readSums(dataDir: string): SnapshotSums | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, SUMS_FILE), 'utf8')) as SnapshotSums;
    if (typeof parsed?.current?.crc !== 'number' || typeof parsed.current.bytes !== 'number') return null;
    return { current: parsed.current, previous: parsed.previous && typeof parsed.previous.crc === 'number' ? parsed.previous : null };
  } catch {
    return null;
  }
}

function same(a: Fingerprint, b: Fingerprint | null): boolean {
  return b !== null && a.bytes === b.bytes && a.crc === b.crc;
}

/**
 * A snapshot file read before the open, its CRC-32 taken chunk by chunk while the next chunk was
 * being read (the two overlap, where reading and then checking the whole file take one after the
 * other), with the file's identity, so the open uses it only if the file is still that one.
 */
export interface PrefetchedSnapshot {
  path: string;
  data: Buffer;
  print: Fingerprint;
  identity: string;
}

/** Which file a path names, and its state: another save renames a new file in (another inode), a change in place moves the size or the time. */
function identityOf(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
}

const PREFETCH_CHUNK = 8 * 1024 * 1024;

/**
 * Reads the snapshot at `path` ahead of the open (which may wait for sql.js meanwhile), or null when it
 * cannot be read or changed while it was (the open then reads it itself, as without a prefetch).
 * Nothing is believed here: the open checks the fingerprint against the list as always.
 */
export async function prefetchSnapshot(path: string, chunkBytes = PREFETCH_CHUNK): Promise<PrefetchedSnapshot | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const before = await handle.stat();
    const size = before.size;
    const data = Buffer.allocUnsafe(size);
    let crc = 0;
    let done = 0;
    let reading = size > 0 ? handle.read(data, 0, Math.min(chunkBytes, size), 0) : null;
    while (reading) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) return null;
      const from = done;
      done += bytesRead;
      // The next chunk is read (on libuv's threads) while this one's CRC is taken.
      reading = done < size ? handle.read(data, done, Math.min(chunkBytes, size - done), done) : null;
      crc = crc32(data.subarray(from, done), crc);
    }
    const identity = identityOf(before);
    if (identityOf(await handle.stat()) !== identity) return null;
    return { path, data, print: { bytes: size, crc }, identity };
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/** The prefetched bytes of `path`, when they are still what the path holds. */
function stillPrefetched(path: string, prefetched: PrefetchedSnapshot | null | undefined): PrefetchedSnapshot | null {
  if (!prefetched || prefetched.path !== path) return null;
  try {
    return identityOf(statSync(path)) === prefetched.identity ? prefetched : null;
  } catch {
    return null;
  }
}

/** The result of believing, or not, one snapshot file. */
export type CheckedSnapshot =
  | { ok: true; db: Database; verified: boolean; quickCheckMs: number; print: Fingerprint }
  | { ok: false; problem: string };

/**
 * Opens the snapshot bytes at `path` as a database, or says what is wrong.
 * `mustBeListed`: a file whose fingerprint the list lacks is damaged (the
 * snapshot itself); otherwise it is merely unverified (a backup may predate
 * the list's two entries) and rests on quick_check.
 */
export function checkSnapshot(SQL: SqlJsStatic, path: string, sums: SnapshotSums | null, mustBeListed: boolean, prefetched?: PrefetchedSnapshot | null): CheckedSnapshot {
  let data: Uint8Array;
  let print: Fingerprint;
  const ahead = stillPrefetched(path, prefetched);
  if (ahead) {
    data = ahead.data;
    print = ahead.print;
  } else {
    try {
      data = readFileSync(path);
    } catch (e) {
      return { ok: false, problem: `it could not be read (${(e as Error).message})` };
    }
    print = fingerprint(data);
  }
  const listed = sums !== null && (same(print, sums.current) || same(print, sums.previous));
  if (sums !== null && !listed && mustBeListed) {
    const expected = sums.current;
    return {
      ok: false,
      problem:
        print.bytes !== expected.bytes && print.bytes !== sums.previous?.bytes
          ? `it is ${print.bytes.toLocaleString('en-US')} bytes, not the ${expected.bytes.toLocaleString('en-US')} that were saved (cut short or overwritten)`
          : 'its checksum does not match what was saved (bytes in it changed)',
    };
  }
  let db: Database;
  try {
    db = new SQL.Database(data);
  } catch (e) {
    return { ok: false, problem: `it is not a database SQLite can open (${(e as Error).message})` };
  }
  if (listed) return { ok: true, db, verified: true, quickCheckMs: 0, print };
  const started = performance.now();
  try {
    const rows = db.exec('PRAGMA quick_check')[0]?.values.map((r) => String(r[0])) ?? [];
    if (rows.length !== 1 || rows[0] !== 'ok') {
      db.close();
      return { ok: false, problem: `SQLite's integrity check failed (${rows.slice(0, 3).join('; ')}${rows.length > 3 ? '; …' : ''})` };
    }
  } catch (e) {
    db.close();
    return { ok: false, problem: `SQLite's integrity check failed (${(e as Error).message})` };
  }
  return { ok: true, db, verified: false, quickCheckMs: performance.now() - started, print };
}

/**
 * Removes what a writer killed mid-save leaves behind: its temp snapshots and
 * journal rewrites, by our own name patterns only. Called by the lock holder,
 * so no other writer of this store is mid-save.
 */
export function removeStaleTempFiles(dataDir: string, isAlive: (pid: number) => boolean): string[] {
  if (!existsSync(dataDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dataDir)) {
    const temp =
      /^\.learning\.sqlite\.(\d+)\.\d+\.tmp$/.exec(name) ??
      /^\.learning\.sqlite\.sum\.(\d+)\.\d+\.tmp$/.exec(name) ??
      /^learning\.journal\.(\d+)\.tmp$/.exec(name) ??
      /^learning\.lock(?:\.break)?\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
    if (!temp) continue;
    const pid = Number(temp[1]);
    // Ours from this very process are in use; a lock racer's are only stale once it has died.
    if (pid === process.pid || (name.startsWith('learning.lock') && isAlive(pid))) continue;
    rmSync(join(dataDir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

export interface LoadedSnapshot {
  db: Database;
  /** What the user must be told, when anything was wrong. */
  note: string | null;
  /** Where a damaged snapshot was moved (only the lock holder moves it). */
  movedTo: string | null;
  /** The data came from the backup: the next save must write a new snapshot. */
  fromBackup: boolean;
  /** A file was there and nothing readable came of it: what is shown is not the user's data. */
  nothingReadable: boolean;
  /** A database was read from disk (the snapshot or its backup). */
  fromDisk: boolean;
  /** The fingerprint of the snapshot file on disk that was loaded, for the next save's list. */
  onDisk: Fingerprint | null;
  quickCheckMs: number;
}

function when(path: string): string {
  try {
    return new Date(statSync(path).mtimeMs).toISOString().replace('T', ' ').slice(0, 16);
  } catch {
    return 'an unknown time';
  }
}

/**
 * Loads the snapshot, checked; when it is damaged or missing, the backup,
 * checked; and says what happened. The lock holder moves a damaged snapshot
 * aside (never deletes it); a reader leaves every file as it is.
 */
export function loadSnapshot(SQL: SqlJsStatic, dataDir: string, snapshotName: string, backupName: string, isWriter: boolean, prefetched?: PrefetchedSnapshot | null): LoadedSnapshot {
  const snapshot = join(dataDir, snapshotName);
  const backup = join(dataDir, backupName);
  const sums = readSums(dataDir);
  const base = { note: null, movedTo: null, fromBackup: false, nothingReadable: false, fromDisk: true, onDisk: null, quickCheckMs: 0 };
  let problem: string;
  if (existsSync(snapshot)) {
    const main = checkSnapshot(SQL, snapshot, sums, true, prefetched);
    if (main.ok) return { ...base, db: main.db, onDisk: main.print, quickCheckMs: main.quickCheckMs };
    problem = `The saved learning data (${snapshot}) is damaged: ${main.problem}.`;
  } else if (existsSync(backup)) {
    problem = `The saved learning data (${snapshot}) is missing.`;
  } else {
    return { ...base, db: new SQL.Database(), fromDisk: false };
  }
  let movedTo: string | null = null;
  if (isWriter && existsSync(snapshot)) {
    movedTo = `${snapshot}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(snapshot, movedTo);
  }
  const moved = movedTo ? ` It was moved to ${movedTo}.` : isWriter ? '' : ' It was left as it is (this window only reads).';
  const fallback = existsSync(backup) ? checkSnapshot(SQL, backup, sums, false) : null;
  if (fallback?.ok) {
    return {
      ...base,
      db: fallback.db,
      movedTo,
      fromBackup: true,
      quickCheckMs: fallback.quickCheckMs,
      note:
        `${problem}${moved} The backup (${backup}, saved ${when(backup)}) is good${fallback.verified ? '' : ' by SQLite’s integrity check'} and was loaded instead: ` +
        'what was stored after it is not in it. Followed logs are read again from where the backup left them; other logs imported since then must be imported again.',
    };
  }
  const noBackup = fallback ? ` The backup (${backup}) is damaged too: ${fallback.problem}.` : ' There is no backup.';
  return {
    ...base,
    db: new SQL.Database(),
    movedTo,
    nothingReadable: true,
    fromDisk: false,
    note: `${problem}${moved}${noBackup} ${isWriter ? 'A fresh database was started: import your KIMI logs again to rebuild it.' : 'Nothing stored can be shown.'}`,
  };
}
