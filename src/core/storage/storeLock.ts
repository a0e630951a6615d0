import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockResult {
  acquired: boolean;
  /** Who holds it, when not acquired. */
  holder?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer per store: the first window takes the lock; a second one opens
 * read-only. A lock left by a process that has died is taken over.
 */
export function acquireLock(path: string): LockResult {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      return { acquired: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
      } catch {
        // Half-written by a process that died while taking it: stale.
      }
      const sameHost = holder.host === hostname();
      if (sameHost && typeof holder.pid === 'number' && alive(holder.pid)) {
        return { acquired: false, holder: `process ${holder.pid}` };
      }
      if (!sameHost && holder.host) return { acquired: false, holder: `host ${holder.host}` };
      rmSync(path, { force: true });
    }
  }
  return { acquired: false, holder: 'another process' };
}

export function releaseLock(path: string): void {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
    if (holder.pid === process.pid) rmSync(path, { force: true });
  } catch {
    // Nothing to release.
  }
}
