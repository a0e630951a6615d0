// Backups of the embedded database: the snapshot and its code file, a
// consistent pair, in a folder of their own under `backups/`, written under a
// temporary name and renamed whole, then verified. Kept by a rotation (the
// newest of each of the last days and weeks, and the last few made by hand or
// before a restore). Restore puts a verified pair back in place; the state it
// replaces is backed up first.
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SqlJsStatic } from 'sql.js';
import { checkSnapshot, fingerprint, readSums, SUMS_FILE } from './snapshotCheck';
import { writeFileAtomic } from './atomicWrite';

export const BACKUPS_FOLDER = 'backups';
const MANIFEST = 'backup.json';
const SNAPSHOT = 'learning.sqlite';
const CODE = 'learning.code';
const JOURNAL = 'learning.journal';

export const backupKindSchema = z.enum(['daily', 'manual', 'before-restore', 'before-prune']);
export type BackupKind = z.infer<typeof backupKindSchema>;

const manifestSchema = z.object({
  createdAt: z.string(),
  kind: backupKindSchema,
  examples: z.number().int().nonnegative(),
  snapshot: z.object({ bytes: z.number().int(), crc: z.number().int() }),
  codeBytes: z.number().int().nonnegative(),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

export interface BackupInfo extends BackupManifest {
  /** The backup's folder. */
  path: string;
  /** Snapshot and code file together. */
  totalBytes: number;
}

export interface Rotation {
  /** The newest backup of each of this many most recent days is kept. */
  keepDaily: number;
  /** The newest backup of each of this many most recent weeks (Monday to Sunday, UTC) is kept. */
  keepWeekly: number;
  /** Backups made by hand or before a restore or prune: the newest this many are kept. */
  keepOther: number;
}

export const DEFAULT_ROTATION: Rotation = { keepDaily: 7, keepWeekly: 4, keepOther: 5 };

/** What the store gives a backup: a saved, current snapshot and its code file in `dataDir`. */
export interface BackupSource {
  dataDir: string;
  /** Saves the snapshot if anything changed; afterwards the file on disk holds everything in memory. */
  save(): Promise<unknown>;
  count(): number;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * Backs up the store into `folder`: the snapshot (saved first) and the code
 * file. The copy of the snapshot is checked against the fingerprint the store
 * recorded when it saved it (which had passed quick_check), so a copy that
 * went wrong is refused and removed, and no older backup is touched.
 */
export async function createBackup(source: BackupSource, folder: string, kind: BackupKind, now = new Date()): Promise<BackupInfo> {
  await source.save();
  const examples = source.count();
  await mkdir(folder, { recursive: true });
  const name = `${stamp(now)}-${kind}`;
  const temp = join(folder, `.tmp-${name}-${process.pid}`);
  const final = join(folder, name);
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp);
  try {
    // The snapshot first, then the code: the code file only grows, so a copy taken after holds every record the snapshot names.
    await copyFile(join(source.dataDir, SNAPSHOT), join(temp, SNAPSHOT));
    const codePath = join(source.dataDir, CODE);
    if (existsSync(codePath)) await copyFile(codePath, join(temp, CODE));
    const print = fingerprint(await readFile(join(temp, SNAPSHOT)));
    const sums = readSums(source.dataDir);
    const listed = sums !== null && [sums.current, sums.previous].some((p) => p !== null && p.bytes === print.bytes && p.crc === print.crc);
    if (!listed) throw new Error('the copied snapshot is not the one the store saved (it changed while it was copied, or the copy is damaged)');
    const codeBytes = existsSync(join(temp, CODE)) ? (await stat(join(temp, CODE))).size : 0;
    const manifest: BackupManifest = { createdAt: now.toISOString(), kind, examples, snapshot: print, codeBytes };
    await writeFile(join(temp, MANIFEST), JSON.stringify(manifest, null, 2));
    await writeFile(join(temp, SUMS_FILE), JSON.stringify({ current: print, previous: null }));
    await rename(temp, final);
    return { ...manifest, path: final, totalBytes: print.bytes + codeBytes };
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw new Error(`the backup could not be written to ${folder} (${(e as Error).message}); the earlier backups are untouched`);
  }
}

/** The backups in `folder`, newest first; folders without a readable manifest are left out (and left alone). */
export async function listBackups(folder: string): Promise<BackupInfo[]> {
  if (!existsSync(folder)) return [];
  const out: BackupInfo[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    try {
      const manifest = manifestSchema.parse(JSON.parse(await readFile(join(path, MANIFEST), 'utf8')));
      out.push({ ...manifest, path, totalBytes: manifest.snapshot.bytes + manifest.codeBytes });
    } catch {
      // Not one of ours, or damaged: never listed, never deleted.
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The Monday (UTC) of a date's week, as YYYY-MM-DD. */
function weekOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)).toISOString().slice(0, 10);
}

/** Which backups a rotation keeps (newest first in, the kept ones out). */
export function keptByRotation(backups: readonly BackupInfo[], rotation: Rotation): Set<string> {
  const keep = new Set<string>();
  const sorted = [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const days = new Set<string>();
  const weeks = new Set<string>();
  let others = 0;
  for (const b of sorted) {
    if (b.kind !== 'daily') {
      if (others++ < rotation.keepOther) keep.add(b.path);
      continue;
    }
    const day = b.createdAt.slice(0, 10);
    if (!days.has(day) && days.size < rotation.keepDaily) {
      days.add(day);
      keep.add(b.path);
    }
    const week = weekOf(b.createdAt);
    if (!weeks.has(week) && weeks.size < rotation.keepWeekly) {
      weeks.add(week);
      keep.add(b.path);
    }
  }
  return keep;
}

/** Deletes the backups the rotation does not keep; returns them. */
export async function rotateBackups(folder: string, rotation: Rotation): Promise<BackupInfo[]> {
  const all = await listBackups(folder);
  const keep = keptByRotation(all, rotation);
  const gone = all.filter((b) => !keep.has(b.path));
  for (const b of gone) await rm(b.path, { recursive: true, force: true });
  return gone;
}

/** Whether a daily backup is due: none of any kind made in the last 24 hours. */
export function dailyBackupDue(backups: readonly BackupInfo[], now: Date): boolean {
  return !backups.some((b) => now.getTime() - new Date(b.createdAt).getTime() < 24 * 3_600_000);
}

/**
 * Checks a backup before it is trusted: its snapshot against the fingerprint
 * in its manifest (a flipped byte or a cut file is refused), then that SQLite
 * can open it and its examples are the count recorded.
 */
export function verifyBackup(SQL: SqlJsStatic, backup: BackupInfo): string | null {
  const checked = checkSnapshot(SQL, join(backup.path, SNAPSHOT), { current: backup.snapshot, previous: null }, true);
  if (!checked.ok) return `the backup of ${backup.createdAt} cannot be used: its snapshot ${checked.problem}`;
  try {
    const count = Number(checked.db.exec('SELECT count(*) FROM examples')[0]?.values[0]?.[0] ?? -1);
    if (count !== backup.examples) return `the backup of ${backup.createdAt} holds ${count} examples, not the ${backup.examples} it recorded`;
  } catch (e) {
    return `the backup of ${backup.createdAt} cannot be read (${(e as Error).message})`;
  } finally {
    checked.db.close();
  }
  if (backup.codeBytes > 0 && !existsSync(join(backup.path, CODE))) return `the backup of ${backup.createdAt} has lost its code file`;
  return null;
}

/**
 * Puts a verified backup in place in `dataDir`, which no store may have open:
 * the fingerprint list naming it, the snapshot, then the code file (each
 * copied under a temporary name and renamed), and the journal of the replaced
 * state moved aside (everything in it is in the backup made before a
 * restore). The code file only grows, so until its copy lands the restored
 * snapshot finds its records in the one in place; a restore cut short is
 * finished by running it again.
 */
export async function installBackup(backup: BackupInfo, dataDir: string, now = new Date()): Promise<void> {
  const put = async (from: string, to: string) => {
    const temp = `${to}.${process.pid}.restore.tmp`;
    await copyFile(from, temp);
    await rename(temp, to);
  };
  await writeFileAtomic(join(dataDir, SUMS_FILE), Buffer.from(JSON.stringify({ current: backup.snapshot, previous: null })));
  await put(join(backup.path, SNAPSHOT), join(dataDir, SNAPSHOT));
  if (existsSync(join(backup.path, CODE))) await put(join(backup.path, CODE), join(dataDir, CODE));
  const journal = join(dataDir, JOURNAL);
  if (existsSync(journal)) renameSync(journal, `${journal}.before-restore-${stamp(now)}`);
}
