// learning-viewer learn: its options, its help and what it does.
import { UNKNOWN } from '../../shared/figures';
import { learnTechnology } from '../../core/tasks/builtinLearner';
import { depthSchema } from '../../shared/analytics';
import { EXIT_OK, UsageError, openEngine, type Command, type DatabaseValues } from '../common';

export const learnCommand: Command = {
  name: 'learn',
  help: `usage: learning-viewer learn TECHNOLOGY --db DIR [--depth quick|standard|deep] [--json]
       learning-viewer learn TECHNOLOGY --database postgresql://… [the same]

Runs the built-in learner on TECHNOLOGY (a tag) and stores the knowledge entry
in DIR (or the PostgreSQL database), as a learning task in the extension would: proficiency with its 95%
interval, trend, the tags it fails with, related technologies, next steps.
Depth sets the period: quick 7 days, standard 30 days (default), deep all.`,
  options: ['db', 'database', 'json', 'depth'],
  positionals: true,
  postgres: true,
  run: (positionals, values) => runLearn(positionals, values),
};

async function runLearn(positionals: string[], values: DatabaseValues & { json?: boolean; depth?: string }): Promise<number> {
  const technology = positionals[0]?.trim();
  if (!technology || positionals.length > 1) throw new UsageError('name one technology (a tag), for example: learning-viewer learn auth --db DIR');
  const depth = depthSchema.safeParse(values.depth ?? 'standard');
  if (!depth.success) throw new UsageError('--depth takes quick, standard or deep');
  const engine = await openEngine(values, false);
  try {
    const entry = await learnTechnology(engine, { technology, depth: depth.data, taskId: null });
    await engine.addKnowledge(entry);
    await engine.flush();
    if (values.json) process.stdout.write(`${JSON.stringify(entry)}\n`);
    else {
      const r = entry.proficiency;
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      process.stdout.write(
        [
          `${technology} (${entry.depth}): ${entry.examplesAnalysed} examples, proficiency ${r.rate === null ? UNKNOWN : pct(r.rate)}${r.interval ? ` (95% interval ${pct(r.interval[0])}–${pct(r.interval[1])})` : ''}`,
          `trend: ${entry.trend.statement}`,
          ...entry.failsWith.map((f) => `fails with ${f.tag}: ${f.failures} of ${f.total}`),
          ...entry.related.map((x) => `related: ${x.tag} (lift ${x.lift.toFixed(2)}, ${x.together} together)`),
          ...entry.nextSteps.map((n) => `next: ${n.step}: ${n.reason}`),
        ].join('\n') + '\n',
      );
    }
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}
