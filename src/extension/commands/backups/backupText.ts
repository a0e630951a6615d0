// Back Up Now and Restore from Backup…: the work runs in the data worker; the
// host asks, confirms and tells.
import type { BackupInfoMessage } from '../../../shared/workerProtocol';

export const KIND_LABEL: Record<BackupInfoMessage['kind'], string> = {
  daily: 'daily',
  manual: 'made by hand',
  'before-restore': 'before a restore',
  'before-prune': 'before retention removed old examples',
};

export function size(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
