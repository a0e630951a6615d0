// learning-viewer import: its options, its help and what it does.
import { importFiles, type ImportFilesReport } from '../../core/ingest/importFiles';
import { EXIT_OK, EXIT_REJECTED, EXIT_USAGE, UsageError, parseWorkerPath, openEngine, positiveInt, type Command, type DatabaseValues } from '../common';

export const importCommand: Command = {
  name: 'import',
  help: `usage: learning-viewer import FILE… --db DIR [--json] [--utc] [--max-lines N] [--max-mb N]
       learning-viewer import FILE… --database postgresql://USER@HOST[:PORT]/DB[?sslmode=…] …

Imports KIMI learning logs into the database folder DIR (created if missing),
or into a PostgreSQL database (--database URL, or DATABASE_URL when no --db is
given; the password from PGPASSWORD or the URL, never shown; TLS as sslmode
and sslrootcert=CA-FILE say). Many importers may write to one PostgreSQL
database at once: each id is stored once and counted once.
Prints "added N, already present N, conflicts N, rejected N"; each rejected
line goes to stderr as file:line: reason. With --json, one JSON object.
--utc reads timestamps without an offset as UTC (default: local time).
--max-lines and --max-mb stop reading one file after that many lines or
megabytes (decompressed, for .gz), saying so (defaults 20000000 and 20480).`,
  options: ['db', 'database', 'json', 'utc', 'max-lines', 'max-mb'],
  positionals: true,
  postgres: true,
  run: (positionals, values) => runImport(positionals, values),
};

async function runImport(files: string[], values: DatabaseValues & { json?: boolean; utc?: boolean; 'max-lines'?: string; 'max-mb'?: string }): Promise<number> {
  if (files.length === 0) throw new UsageError('name at least one file to import');
  const maxLines = positiveInt(values['max-lines'], '--max-lines');
  const maxMb = positiveInt(values['max-mb'], '--max-mb');
  const store = await openEngine(values, false);
  let report: ImportFilesReport;
  try {
    // The same loop as the extension: an unreadable file is said, and the others are still read.
    report = await importFiles(store, files, {
      assumeTimeZone: values.utc ? 'utc' : 'local',
      now: Date.now(),
      parseWorker: parseWorkerPath(),
      maxLines,
      maxBytes: maxMb === undefined ? undefined : maxMb * 1024 * 1024,
      maxProblems: 100_000,
    });
    await store.flush();
  } finally {
    await store.close();
  }
  for (const file of report.unreadable) process.stderr.write(`learning-viewer: cannot read ${file}\n`);
  if (values.json) {
    const { added, duplicates, conflicts, rejected, problems } = report;
    process.stdout.write(`${JSON.stringify({ added, duplicates, conflicts, rejected, problems })}\n`);
  } else {
    process.stdout.write(`added ${report.added}, already present ${report.duplicates}, conflicts ${report.conflicts}, rejected ${report.rejected}\n`);
    for (const p of report.problems) process.stderr.write(`${p.file}:${p.line}: ${p.reason}\n`);
  }
  return report.unreadable.length > 0 ? EXIT_USAGE : report.rejected > 0 ? EXIT_REJECTED : EXIT_OK;
}
