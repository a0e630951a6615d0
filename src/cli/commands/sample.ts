// learning-viewer sample: its options, its help and what it does.
import { writeKimiLog } from '../../core/sample/generateExamples';
import { EXIT_OK, UsageError, type Command } from '../common';

export const sampleCommand: Command = {
  name: 'sample',
  help: `usage: learning-viewer sample --out FILE [--count N] [--days D] [--seed S]

Writes N (default 5000) generated KIMI learning examples spread over the last
D (default 90) days to FILE as JSON Lines. The same seed gives the same file.`,
  options: ['out', 'count', 'days', 'seed'],
  positionals: false,
  postgres: false,
  run: (_positionals, values) => runSample(values),
};

async function runSample(values: { out?: string; count?: string; days?: string; seed?: string }): Promise<number> {
  if (!values.out) throw new UsageError('--out FILE is required');
  const count = Number(values.count ?? 5000);
  const days = Number(values.days ?? 90);
  const seed = Number(values.seed ?? 42);
  for (const [name, v] of [['--count', count], ['--days', days], ['--seed', seed]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new UsageError(`${name} takes a whole number of 0 or more`);
  }
  await writeKimiLog(values.out, count, { days, seed });
  process.stdout.write(`wrote ${count} examples to ${values.out}\n`);
  return EXIT_OK;
}
