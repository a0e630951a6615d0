// learning-viewer copy: its options, its help and what it does.
import { copyEngine } from '../../core/engine/copyEngine';
import { EXIT_OK, EXIT_REJECTED, UsageError, openEngine, type Command } from '../common';

export const copyCommand: Command = {
  name: 'copy',
  help: `usage: learning-viewer copy --from DIR|URL --to DIR|URL [--json]

Copies every example of one database into another, each a folder (the
embedded database) or a PostgreSQL URL: the examples with their ids, feedback,
source file and line, learning-task practice included, then the offsets of the
files being followed, so following goes on where it was. Re-running it adds
nothing. Moving a workspace into a team's database: --from .vscode/… (the
extension's storage folder) --to postgresql://…; an offline copy of a team
database: --from postgresql://… --to DIR. The learning tasks with their logs
and the knowledge entries go along too (each once); API tokens stay where they
are: make new ones for the target (token create).`,
  options: ['from', 'to', 'json'],
  positionals: false,
  postgres: false,
  run: (_positionals, values) => runCopy(values),
};

async function runCopy(values: { from?: string; to?: string; json?: boolean }): Promise<number> {
  if (!values.from || !values.to) throw new UsageError('copy needs --from and --to, each a database folder or a postgresql:// URL');
  if (values.from.trim() === values.to.trim()) throw new UsageError('--from and --to name the same database');
  const from = await openEngine({ database: values.from }, true);
  try {
    const to = await openEngine({ database: values.to }, false);
    try {
      const report = await copyEngine(from, to, { onProgress: (n) => process.stderr.write(`\rcopied ${n.toLocaleString('en-US')} examples…`) });
      process.stderr.write('\n');
      if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        process.stdout.write(`copied into ${to.place}: added ${report.added}, already present ${report.duplicates}, conflicts ${report.conflicts}, not storable ${report.problems.length - report.conflicts}; offsets of ${report.offsets} followed files; ${report.tasks} learning tasks, ${report.knowledge} knowledge entries\n`);
        for (const p of report.problems) process.stderr.write(`${p.reason}\n`);
      }
      return report.problems.length ? EXIT_REJECTED : EXIT_OK;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
