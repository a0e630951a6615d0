// learning-viewer examples: its options, its help and what it does.
import { toKimiRecord } from '../../core/export/kimiRecord';
import { EXIT_OK, EXIT_REJECTED, UsageError, openEngine, type Command, type DatabaseValues } from '../common';
import { cliFilters, type FilterValues, FILTER_OPTIONS } from '../options';

export const examplesCommand: Command = {
  name: 'examples',
  help: `usage: learning-viewer examples --db DIR|--database URL [--json] [--limit N] [FILTERS]

Prints the examples the filters select, newest first: every KIMI field and the
extra fields. --json prints one JSON array; otherwise one JSON object a line.
--id ID prints that one example.`,
  options: ['db', 'database', 'json', 'limit', 'id', ...FILTER_OPTIONS],
  positionals: false,
  postgres: true,
  run: (_positionals, values) => runExamples(values),
};

async function runExamples(values: FilterValues & DatabaseValues & { json?: boolean; limit?: string; id?: string }): Promise<number> {
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (values.limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new UsageError('--limit takes a whole number of 0 or more');
  const filters = cliFilters(values);
  const store = await openEngine(values, true);
  try {
    if (values.id !== undefined) {
      const e = await store.exampleById(values.id);
      if (!e) {
        process.stderr.write(`learning-viewer: no example with id ${values.id}\n`);
        return EXIT_REJECTED;
      }
      if (e.codeProblem) process.stderr.write(`learning-viewer: example ${e.id}: ${e.codeProblem}\n`);
      process.stdout.write(`${JSON.stringify(toKimiRecord(e))}\n`);
      return EXIT_OK;
    }
    let n = 0;
    if (values.json) process.stdout.write('[');
    for await (const e of store.examples(filters)) {
      if (n >= limit) break;
      if (e.codeProblem) process.stderr.write(`learning-viewer: example ${e.id}: ${e.codeProblem}\n`);
      const text = JSON.stringify(toKimiRecord(e));
      process.stdout.write(values.json ? `${n > 0 ? ',' : ''}\n${text}` : `${text}\n`);
      n++;
    }
    if (values.json) process.stdout.write('\n]\n');
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
