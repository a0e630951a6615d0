// The alert monitor's state beside the embedded database: alerts.json, written
// atomically. One process writes the embedded database (the others open it
// read-only and check nothing), so the lock is that process's own: checks and
// edits run one after another.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AlertStateStore } from '../model/alertStateStore';
import { writeFileAtomic } from './atomicWrite';

export const ALERTS_FILE = 'alerts.json';

export class FileAlertState implements AlertStateStore {
  readonly place: string;
  private line: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.place = join(dataDir, ALERTS_FILE);
  }

  async load(): Promise<string | null> {
    try {
      return await fs.readFile(this.place, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  save(json: string): Promise<void> {
    return writeFileAtomic(this.place, Buffer.from(json));
  }

  async setAside(): Promise<string> {
    const aside = `${this.place}.damaged-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`;
    await fs.rename(this.place, aside).catch(() => undefined);
    return aside;
  }

  exclusive<T>(work: () => Promise<T>): Promise<{ ran: true; value: T }> {
    const turn = this.line.then(work).then((value) => ({ ran: true as const, value }));
    this.line = turn.catch(() => undefined);
    return turn;
  }
}
