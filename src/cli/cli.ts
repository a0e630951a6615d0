// learning-viewer: the same core as the extension, outside VS Code, for CI
// pipelines and scripts. A --db folder written by one opens in the other.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { emptyReport, importFile, mergeReports } from '../core/ingest/importFile';
import { byModel, byTag, daily } from '../core/queries/breakdowns';
import { summary } from '../core/queries/summary';
import { writeKimiLog } from '../core/sample/generateExamples';
import { LearningStore } from '../core/storage/learningStore';
import { loadSqlJs } from '../core/storage/loadSqlJs';

const EXIT_OK = 0;
const EXIT_REJECTED = 1;
const EXIT_USAGE = 2;

const HELP: Record<string, string> = {
  '': `usage: learning-viewer <command> [options]

commands:
  import FILE… --db DIR [--json]   import KIMI logs (.jsonl, .ndjson, .json, .gz)
  stats --db DIR [--json]          totals, success rate with its 95% interval, per tag, per model, per day
  sample --out FILE [--count N]    write a sample KIMI log (for trying things out)

Run 'learning-viewer <command> --help' for a command's options.
Exit codes: 0 done; 1 done but some lines rejected; 2 usage or unreadable input.`,
  import: `usage: learning-viewer import FILE… --db DIR [--json] [--utc]

Imports KIMI learning logs into the database folder DIR (created if missing).
Prints "added N, already present N, conflicts N, rejected N"; each rejected
line goes to stderr as file:line: reason. With --json, one JSON object.
--utc reads timestamps without an offset as UTC (default: local time).`,
  stats: `usage: learning-viewer stats --db DIR [--json]

Prints the totals of the database folder DIR: examples, successes, success
rate and its Wilson 95% interval, mean execution time, tokens, per tag, per
model and per day.`,
  sample: `usage: learning-viewer sample --out FILE [--count N] [--days D] [--seed S]

Writes N (default 5000) generated KIMI learning examples spread over the last
D (default 90) days to FILE as JSON Lines. The same seed gives the same file.`,
};

class UsageError extends Error {}

function wasmPath(): string {
  return join(__dirname, 'sql-wasm.wasm');
}

async function openStore(db: string | undefined, readOnly: boolean): Promise<LearningStore> {
  if (!db) throw new UsageError('--db DIR is required: the folder that holds the learning database');
  const SQL = await loadSqlJs(wasmPath());
  const store = LearningStore.open({ SQL, dataDir: db, readOnly });
  if (!readOnly && store.readOnly) {
    store.close();
    throw new Error(`cannot write to ${db}: ${store.reason}`);
  }
  return store;
}

async function runImport(files: string[], values: { db?: string; json?: boolean; utc?: boolean }): Promise<number> {
  if (files.length === 0) throw new UsageError('name at least one file to import');
  const store = await openStore(values.db, false);
  let report = emptyReport();
  try {
    for (const file of files) {
      try {
        report = mergeReports(report, await importFile(store, file, { assumeTimeZone: values.utc ? 'utc' : 'local', now: Date.now() }), 100_000);
      } catch (e) {
        process.stderr.write(`learning-viewer: cannot read ${file}: ${(e as Error).message}\n`);
        await store.save();
        return EXIT_USAGE;
      }
    }
    await store.save();
  } finally {
    store.close();
  }
  if (values.json) {
    const { added, duplicates, conflicts, rejected, problems } = report;
    process.stdout.write(`${JSON.stringify({ added, duplicates, conflicts, rejected, problems })}\n`);
  } else {
    process.stdout.write(`added ${report.added}, already present ${report.duplicates}, conflicts ${report.conflicts}, rejected ${report.rejected}\n`);
    for (const p of report.problems) process.stderr.write(`${p.file}:${p.line}: ${p.reason}\n`);
  }
  return report.rejected > 0 ? EXIT_REJECTED : EXIT_OK;
}

async function runStats(values: { db?: string; json?: boolean }): Promise<number> {
  const store = await openStore(values.db, true);
  try {
    const s = summary(store);
    const stats = {
      total: s.rate.total,
      successes: s.rate.successes,
      successRate: s.rate.rate,
      successRateCI: s.rate.interval,
      avgExecutionTime: s.avgExecutionTime,
      totalTokens: s.totalTokens,
      byTag: byTag(store).map(({ tag, total, successes }) => ({ tag, total, successes })),
      byModel: byModel(store).map(({ model, total, successes }) => ({ model, total, successes })),
      daily: daily(store),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(stats)}\n`);
    else {
      const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
      const ci = stats.successRateCI ? ` (95% interval ${pct(stats.successRateCI[0])}–${pct(stats.successRateCI[1])})` : '';
      process.stdout.write(`examples ${stats.total}, succeeded ${stats.successes}, success rate ${pct(stats.successRate)}${ci}\n`);
      for (const t of stats.byTag) process.stdout.write(`  tag ${t.tag}: ${t.total} examples, ${pct(t.successes / t.total)}\n`);
      for (const m of stats.byModel) process.stdout.write(`  model ${m.model}: ${m.total} examples, ${pct(m.successes / m.total)}\n`);
    }
    return EXIT_OK;
  } finally {
    store.close();
  }
}

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

export async function main(argv: string[]): Promise<number> {
  const [command = '', ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean' },
        utc: { type: 'boolean' },
        out: { type: 'string' },
        count: { type: 'string' },
        days: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`learning-viewer: ${(e as Error).message}\n${HELP[command] ?? HELP['']}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (command === '--help' || command === '-h' || command === 'help' || (command in HELP && values.help)) {
    process.stdout.write(`${HELP[command in HELP ? command : '']}\n`);
    return EXIT_OK;
  }
  try {
    switch (command) {
      case 'import':
        return await runImport(positionals, values);
      case 'stats':
        return await runStats(values);
      case 'sample':
        return await runSample(values);
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'name a command');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`learning-viewer: ${e.message}\n${HELP[command] ?? HELP['']}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`learning-viewer: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  // Piped into `head` and the like: a closed pipe is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_OK);
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
