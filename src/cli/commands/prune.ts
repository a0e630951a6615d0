// learning-viewer prune: its options, its help and what it does.
import { join } from 'node:path';
import { EmbeddedEngine } from '../../core/engine/embeddedEngine';
import { retentionCutoff } from '../../core/storage/retention';
import { BACKUPS_FOLDER, createBackup, type BackupInfo } from '../../core/storage/backups';
import { EXIT_OK, UsageError, openEngine, type Command, type DatabaseValues } from '../common';

export const pruneCommand: Command = {
  name: 'prune',
  help: `usage: learning-viewer prune --older-than Nd --db DIR|--database URL [--dry-run] [--json]

Removes the raw examples dated before local midnight N-1 days ago (today is
kept whole), after a backup (into DIR/backups). Their per-day rollups stay, so
rates, daily trends and per-tag and per-model figures of old periods keep
their numbers; the examples table, search and exports no longer have them.
Kept: examples with human feedback, and examples a learning task reported.
An example dated before the cutoff is not imported again. --dry-run says what
would go (examples, dates, code bytes) and removes nothing. On PostgreSQL
(--database URL or DATABASE_URL): the months wholly before the cutoff that keep
nothing are dropped whole, the rest deleted a slice at a time while importers
go on; back it up with pg_dump first (no backup is made there).`,
  options: ['db', 'database', 'older-than', 'dry-run', 'json'],
  positionals: false,
  postgres: true,
  run: (_positionals, values) => runPrune(values),
};

async function runPrune(values: DatabaseValues & { 'older-than'?: string; 'dry-run'?: boolean; json?: boolean }): Promise<number> {
  const m = /^(\d+)d?$/.exec(values['older-than'] ?? '');
  const days = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new UsageError('--older-than takes a number of days, such as 30d');
  const engine = await openEngine(values, false);
  try {
    const cutoff = retentionCutoff(days);
    const dryRun = values['dry-run'] ?? false;
    let backup: BackupInfo | null = null;
    // The embedded database is backed up first; a PostgreSQL one with its own tools (pg_dump), as the README says.
    if (engine instanceof EmbeddedEngine && !dryRun && engine.store.hasPrunable(cutoff)) {
      const store = engine.store;
      backup = await createBackup({ dataDir: engine.place, save: () => store.saveNow(), count: () => store.count() }, join(engine.place, BACKUPS_FOLDER), 'before-prune');
    }
    const report = await engine.prune(cutoff, { dryRun });
    await engine.flush();
    if (values.json) process.stdout.write(`${JSON.stringify({ ...report, backup: backup?.path ?? null })}\n`);
    else {
      const range = report.first === null ? '' : ` dated ${new Date(report.first).toISOString().slice(0, 10)} to ${new Date(report.last!).toISOString().slice(0, 10)}`;
      process.stdout.write(
        dryRun
          ? `would remove ${report.examples} examples${range} (before ${new Date(cutoff).toISOString()}), ${(report.codeBytes / 1e6).toFixed(1)} MB of code\n`
          : `removed ${report.removed} examples${range} (before ${new Date(cutoff).toISOString()})${backup ? `; backed up first to ${backup.path}` : ''}\n`,
      );
    }
  } finally {
    await engine.close();
  }
  return EXIT_OK;
}
