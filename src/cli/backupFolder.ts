// Where a folder's backups are, and one backup in a line: shared by backup, backups and restore.
import { join } from 'node:path';
import { BACKUPS_FOLDER, type BackupInfo } from '../core/storage/backups';
import { UsageError } from './common';

export function backupFolderOf(values: { db?: string; folder?: string }): string {
  if (!values.db) throw new UsageError('--db DIR is required: the folder that holds the learning database');
  return values.folder ?? join(values.db, BACKUPS_FOLDER);
}

export function describeBackup(b: BackupInfo): string {
  return `${b.createdAt}  ${b.kind.padEnd(16)} ${String(b.examples).padStart(9)} examples  ${(b.totalBytes / 1e6).toFixed(1).padStart(8)} MB  ${b.path}`;
}
