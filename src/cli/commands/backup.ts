// learning-viewer backup: its options, its help and what it does.
import { createBackup, DEFAULT_ROTATION, rotateBackups } from '../../core/storage/backups';
import { EXIT_OK, openStore, type Command } from '../common';
import { backupFolderOf } from '../backupFolder';

export const backupCommand: Command = {
  name: 'backup',
  help: `usage: learning-viewer backup --db DIR [--folder FOLDER] [--json]

Backs up the database folder DIR (its snapshot, saved first, and its code file)
into FOLDER (default DIR/backups), verifies the copy against the snapshot's
saved fingerprint, then keeps the newest of each of the last 7 days and 4
weeks and the last 5 others. A failed backup leaves the earlier ones as they are.`,
  options: ['db', 'folder', 'json'],
  positionals: false,
  postgres: false,
  run: (_positionals, values) => runBackup(values),
};

async function runBackup(values: { db?: string; folder?: string; json?: boolean }): Promise<number> {
  const folder = backupFolderOf(values);
  const store = await openStore(values.db, false);
  try {
    const made = await createBackup({ dataDir: values.db!, save: () => store.saveNow(), count: () => store.count() }, folder, 'manual');
    const dropped = await rotateBackups(folder, DEFAULT_ROTATION);
    process.stdout.write(values.json ? `${JSON.stringify({ ...made, removedByRotation: dropped.map((d) => d.path) })}\n` : `backed up ${made.examples} examples to ${made.path}${dropped.length ? ` (${dropped.length} older removed by the rotation)` : ''}\n`);
  } finally {
    store.close();
  }
  return EXIT_OK;
}
