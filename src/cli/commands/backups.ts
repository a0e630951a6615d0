// learning-viewer backups: its options, its help and what it does.
import { listBackups } from '../../core/storage/backups';
import { EXIT_OK, type Command } from '../common';
import { backupFolderOf, describeBackup } from '../backupFolder';

export const backupsCommand: Command = {
  name: 'backups',
  help: `usage: learning-viewer backups --db DIR [--folder FOLDER] [--json]

Lists the backups, newest first: when, kind, examples, size, folder.`,
  options: ['db', 'folder', 'json'],
  positionals: false,
  postgres: false,
  run: (_positionals, values) => runBackups(values),
};

async function runBackups(values: { db?: string; folder?: string; json?: boolean }): Promise<number> {
  const list = await listBackups(backupFolderOf(values));
  if (values.json) process.stdout.write(`${JSON.stringify(list)}\n`);
  else process.stdout.write(list.length ? `${list.map(describeBackup).join('\n')}\n` : 'no backups yet\n');
  return EXIT_OK;
}
