// learning-viewer restore: its options, its help and what it does.
import { loadSqlJs } from '../../core/storage/loadSqlJs';
import { createBackup, installBackup, listBackups, verifyBackup, type BackupInfo } from '../../core/storage/backups';
import { EXIT_OK, UsageError, wasmPath, openStore, type Command } from '../common';
import { backupFolderOf } from '../backupFolder';

export const restoreCommand: Command = {
  name: 'restore',
  help: `usage: learning-viewer restore BACKUP --db DIR [--folder FOLDER]

Puts the backup BACKUP (its folder, or its name as "backups" lists it) back in
DIR, after checking it (its fingerprint, that SQLite opens it, its count) and
backing up the current state. Nothing else may have DIR open.`,
  options: ['db', 'folder'],
  positionals: true,
  postgres: false,
  run: (positionals, values) => runRestore(positionals, values),
};

async function runRestore(positionals: string[], values: { db?: string; folder?: string }): Promise<number> {
  const folder = backupFolderOf(values);
  const [wanted] = positionals;
  if (!wanted) throw new UsageError('name the backup to restore (its folder, or its name as `backups` lists it)');
  const list = await listBackups(folder);
  const chosen = list.find((b) => b.path === wanted || b.path.endsWith(`/${wanted}`) || b.path.endsWith(`\\${wanted}`));
  if (!chosen) throw new Error(`no backup ${wanted} in ${folder} (learning-viewer backups --db ${values.db} lists them)`);
  const problem = verifyBackup(await loadSqlJs(wasmPath()), chosen);
  if (problem) throw new Error(problem);
  // Opening takes the lock: nothing else writes while the current state is backed up.
  const store = await openStore(values.db, false);
  let before: BackupInfo;
  try {
    before = await createBackup({ dataDir: values.db!, save: () => store.saveNow(), count: () => store.count() }, folder, 'before-restore');
  } finally {
    store.close();
  }
  await installBackup(chosen, values.db!);
  const check = await openStore(values.db, true);
  const count = check.count();
  check.close();
  process.stdout.write(`restored the backup of ${chosen.createdAt}: ${count} examples (the state before is backed up in ${before.path})\n`);
  return EXIT_OK;
}
