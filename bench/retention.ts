// npm run bench:retention: at 1M examples (the main benchmark's database,
// copied), a backup (time, size), a prune of the oldest half (time, the
// longest slice the worker held, the snapshot and code file after), a save,
// and a restore of the backup (time). Writes bench/results-retention.json/md.
import { cpSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createBackup, installBackup, verifyBackup } from '../src/core/storage/backups';
import { CODE_FILE, LearningStore, SNAPSHOT_FILE } from '../src/core/storage/learningStore';
import { loadSqlJs } from '../src/core/storage/loadSqlJs';
import { prune } from '../src/core/storage/retention';

const root = join(__dirname, '..', '..');
const dataRoot = join(root, 'bench', 'data');

async function main(): Promise<void> {
  const source = join(dataRoot, 'db-1000000');
  if (!existsSync(join(source, SNAPSHOT_FILE))) throw new Error('bench/data/db-1000000 is missing: run `npm run bench` first (it builds it)');
  const dir = join(dataRoot, 'retention-1000000');
  rmSync(dir, { recursive: true, force: true });
  cpSync(source, dir, { recursive: true });
  const SQL = await loadSqlJs(join(root, 'dist', 'sql-wasm.wasm'));
  const result: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: cpus().length };
  let t = performance.now();
  const store = LearningStore.open({ SQL, dataDir: dir });
  result.openMs = performance.now() - t;
  const examples = store.count();
  result.examples = examples;

  t = performance.now();
  const backup = await createBackup({ dataDir: dir, save: () => store.saveNow(), count: () => store.count() }, join(dir, 'backups'), 'manual');
  result.backup = { ms: performance.now() - t, bytes: backup.totalBytes };

  // The oldest half: the cutoff is the day at the median timestamp.
  const median = store.rows<[number]>('SELECT ts FROM examples ORDER BY ts LIMIT 1 OFFSET ?', [Math.floor(examples / 2)])[0]![0];
  const d = new Date(median);
  const cutoff = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  t = performance.now();
  const report = await prune(store, cutoff);
  const pruneMs = performance.now() - t;
  t = performance.now();
  await store.save();
  const saveMs = performance.now() - t;
  result.prune = {
    ms: pruneMs,
    removed: report.removed,
    slices: report.slices,
    longestSliceMs: report.longestSliceMs,
    saveAfterMs: saveMs,
    snapshotBytesAfter: statSync(join(dir, SNAPSHOT_FILE)).size,
    codeFileBytesAfter: statSync(join(dir, CODE_FILE)).size,
    snapshotBytesBefore: backup.snapshot.bytes,
  };
  store.close();

  t = performance.now();
  const problem = verifyBackup(SQL, backup);
  if (problem) throw new Error(problem);
  const verifyMs = performance.now() - t;
  t = performance.now();
  await installBackup(backup, dir);
  const reopened = LearningStore.open({ SQL, dataDir: dir });
  const restoredCount = reopened.count();
  reopened.close();
  result.restore = { verifyMs, installAndOpenMs: performance.now() - t, examples: restoredCount };
  rmSync(dir, { recursive: true, force: true });

  writeFileSync(join(root, 'bench', 'results-retention.json'), `${JSON.stringify(result, null, 2)}\n`);
  const r = result as { backup: { ms: number; bytes: number }; prune: Record<string, number>; restore: Record<string, number> };
  const md = [
    '# Retention and backup benchmark',
    '',
    `${String(result.date)}, Node ${process.version}, ${cpus().length} cores; one run at ${examples.toLocaleString('en-US')} examples (bench/data/db-1000000, copied).`,
    '',
    '| measure | result |',
    '|---|---|',
    `| backup (save, copy of snapshot and code file, check) | ${(r.backup.ms / 1000).toFixed(1)} s, ${(r.backup.bytes / 1e6).toFixed(0)} MB |`,
    `| prune of the oldest half | ${(r.prune.ms! / 1000).toFixed(1)} s for ${r.prune.removed!.toLocaleString('en-US')} examples in ${r.prune.slices} slices; longest slice ${r.prune.longestSliceMs!.toFixed(0)} ms |`,
    `| save after the prune | ${(r.prune.saveAfterMs! / 1000).toFixed(1)} s; snapshot ${(r.prune.snapshotBytesBefore! / 1e6).toFixed(0)} → ${(r.prune.snapshotBytesAfter! / 1e6).toFixed(0)} MB; code file ${(r.prune.codeFileBytesAfter! / 1e6).toFixed(0)} MB (not compacted) |`,
    `| restore: check the backup, put it in place, open | ${(r.restore.verifyMs! / 1000).toFixed(1)} s + ${(r.restore.installAndOpenMs! / 1000).toFixed(1)} s, ${r.restore.examples!.toLocaleString('en-US')} examples back |`,
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'results-retention.md'), md);
  process.stdout.write(md);
}

void main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
