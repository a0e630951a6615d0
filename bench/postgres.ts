// npm run bench:pg: both engines side by side through the storage contract, in
// the same run on the same generated log: import end to end (the parse worker,
// then COPY and one merge per batch on PostgreSQL; inserts and a snapshot on
// the embedded engine), the dashboard's questions, text search and the example
// list; then PostgreSQL alone with 8 writers at once (examples/s and the p99 of
// a batch's commit). BENCH_DATABASE_URL (or LV_TEST_DATABASE_URL) names a role
// that may create databases; a database per size is made and dropped.
// BENCH_PG_SIZES=10000,100000 picks sizes. Writes bench/results-postgres.md.
// BENCH_PG_LARGE=10000000 measures PostgreSQL alone at that size instead
// (bench/results-postgres-large.md).
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { LearningEngine } from '../src/core/engine/contract';
import { EmbeddedEngine } from '../src/core/engine/embeddedEngine';
import { PgEngine } from '../src/core/engine/postgres/pgEngine';
import { describeUrl } from '../src/core/engine/postgres/connect';
import { importFile } from '../src/core/ingest/importFile';
import { writeKimiLog } from '../src/core/sample/generateExamples';
import { LearningStore } from '../src/core/storage/learningStore';
import { loadSqlJs } from '../src/core/storage/loadSqlJs';
import { filtersSchema, type Filters } from '../src/shared/filters';
import { median, timeMedian as timeRuns } from './timing';

const root = join(__dirname, '..', '..');
const dataRoot = join(root, 'bench', 'data');
const RUNS = 5;
const END = Date.UTC(2026, 10, 21);
const DAY = 86_400_000;

/** Each query once to warm, then the median of RUNS. */
const timeMedian = (fn: () => Promise<unknown>) => timeRuns(fn, RUNS, 1);

const f = (x: Partial<Filters>) => filtersSchema.parse(x);
const last30 = f({ since: END - 30 * DAY, until: END + DAY });

async function firstPage(e: LearningEngine, filters: Filters, n = 100): Promise<number> {
  const ids: string[] = [];
  for await (const example of e.examples(filters)) if (ids.push(example.id) >= n) break;
  return ids.length;
}

/** The dashboard's questions, through the contract: the same calls on both engines. */
const QUERIES: Record<string, (e: LearningEngine) => Promise<unknown>> = {
  summary: (e) => e.summary(f({})),
  summaryLast30Days: (e) => e.summary(last30, { now: END }),
  byTag: (e) => e.byTag(f({})),
  byModel: (e) => e.byModel(f({})),
  daily: (e) => e.daily(f({})),
  dashboardRefresh: (e) => Promise.all([e.summary(last30, { now: END }), e.byTag(last30), e.byModel(last30), e.daily(last30)]),
  summaryBySession: (e) => e.summary(f({ session: 'none-such' })),
  firstPage: (e) => firstPage(e, f({})),
  textSearchDescription: (e) => e.summary(f({ search: 'pagination' })),
  textSearchCode: (e) => e.summary(f({ search: 'Promise.all' })),
  textSearchRare: (e) => e.summary(f({ search: 'never-written-text' })),
};

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

async function withAdmin<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

interface SizeResult {
  examples: number;
  fileBytes: number;
  import: Record<'embedded' | 'postgresql', { ms: number; perSecond: number }>;
  queries: Record<string, { embeddedMs: number; postgresMs: number }>;
  postgresBytes: number;
  concurrent: { writers: number; perSecond: number; p99CommitMs: number; medianCommitMs: number };
}

async function runSize(n: number, base: string): Promise<SizeResult> {
  mkdirSync(dataRoot, { recursive: true });
  const log = join(dataRoot, `kimi-${n}.jsonl`);
  if (!existsSync(log)) await writeKimiLog(log, n, { seed: 1, end: END, days: 120 });
  const parseWorker = join(root, 'dist', 'parseWorker.js');
  const options = { assumeTimeZone: 'utc' as const, now: END, parseWorker };
  const name = `lv_bench_${n}`;
  await withAdmin(base, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const dir = join(dataRoot, `engines-${n}`);
  rmSync(dir, { recursive: true, force: true });
  const SQL = await loadSqlJs(join(root, 'dist', 'sql-wasm.wasm'));
  const embedded = new EmbeddedEngine(LearningStore.open({ SQL, dataDir: dir }), dir);
  const pg = await PgEngine.open(databaseUrl(base, name));
  const result: Partial<SizeResult> = { examples: n, fileBytes: statSync(log).size };
  try {
    const timeImport = async (e: LearningEngine) => {
      const t = performance.now();
      const r = await importFile(e, log, options);
      await e.flush();
      const ms = performance.now() - t;
      if (r.added !== n) throw new Error(`${e.kind}: added ${r.added} of ${n}`);
      return { ms, perSecond: (n / ms) * 1000 };
    };
    result.import = { embedded: await timeImport(embedded), postgresql: await timeImport(pg) };
    await pg.database.query('VACUUM ANALYZE');
    result.queries = {};
    for (const [q, run] of Object.entries(QUERIES)) {
      result.queries[q] = { embeddedMs: await timeMedian(() => run(embedded)), postgresMs: await timeMedian(() => run(pg)) };
    }
    result.postgresBytes = Number((await pg.database.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
  } finally {
    await embedded.close();
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  }
  result.concurrent = await concurrentWriters(base, n);
  await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return result as SizeResult;
}

/** 8 writers at once into one new database, each its own log of n/8 examples: examples/s in all, and each batch's commit time. */
async function concurrentWriters(base: string, n: number): Promise<SizeResult['concurrent']> {
  const writers = 8;
  const name = `lv_bench_concurrent`;
  await withAdmin(base, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const logs = await Promise.all(
    Array.from({ length: writers }, async (_, i) => {
      const log = join(dataRoot, `kimi-${n}-writer${i}.jsonl`);
      if (!existsSync(log)) await writeKimiLog(log, Math.floor(n / writers), { seed: 100 + i, end: END, days: 120 });
      return log;
    }),
  );
  const engines = await Promise.all(logs.map(() => PgEngine.open(databaseUrl(base, name), { max: 2 })));
  const commits: number[] = [];
  const t = performance.now();
  try {
    await Promise.all(
      engines.map((engine, i) => {
        const timed: LearningEngine = Object.create(engine) as LearningEngine;
        timed.writeBatch = async (batch, offset) => {
          const s = performance.now();
          const r = await engine.writeBatch(batch, offset);
          commits.push(performance.now() - s);
          return r;
        };
        // An import writes through the ordered writer (two batches on their way): each batch timed from its handing over to its commit.
        timed.orderedWriter = () => {
          const writer = engine.orderedWriter();
          return {
            depth: writer.depth,
            write: async (batch, offset) => {
              const s = performance.now();
              const r = await writer.write(batch, offset);
              commits.push(performance.now() - s);
              return r;
            },
          };
        };
        return importFile(timed, logs[i]!, { assumeTimeZone: 'utc', now: END, batchSize: 1000 });
      }),
    );
  } finally {
    await Promise.all(engines.map((e) => e.close()));
  }
  const ms = performance.now() - t;
  await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  if (commits.length === 0) throw new Error('no batch commit was timed');
  const sorted = [...commits].sort((a, b) => a - b);
  return {
    writers,
    perSecond: ((Math.floor(n / writers) * writers) / ms) * 1000,
    p99CommitMs: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!,
    medianCommitMs: median(sorted),
  };
}

function markdown(results: SizeResult[], place: string): string {
  const head = `| | ${results.map((r) => r.examples.toLocaleString('en-US')).join(' | ')} |\n|---|${results.map(() => '---:').join('|')}|`;
  const row = (label: string, get: (r: SizeResult) => string) => `| ${label} | ${results.map(get).join(' | ')} |`;
  const rate = (x: { ms: number; perSecond: number }) => `${fmt(x.ms)} (${Math.round(x.perSecond).toLocaleString('en-US')}/s)`;
  return [
    '# Both engines, side by side',
    '',
    `Generated by \`npm run bench:pg\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores, PostgreSQL at ${place} on the same machine.`,
    `Medians of ${RUNS} runs after one warm-up, through the storage contract (the same calls on both engines); "embedded / PostgreSQL" with the ratio PostgreSQL over embedded.`,
    'Import is end to end: read, parse (in the parse worker), deduplicate by id, store with the rollups and the offset; durable at the end (the snapshot saved, or committed).',
    '',
    head,
    row('log file', (r) => `${(r.fileBytes / 1048576).toFixed(1)} MB`),
    row('import, embedded', (r) => rate(r.import.embedded)),
    row('import, PostgreSQL (COPY + merge per batch)', (r) => rate(r.import.postgresql)),
    ...Object.keys(results[0]?.queries ?? {}).map((q) =>
      row(q, (r) => `${fmt(r.queries[q]!.embeddedMs)} / ${fmt(r.queries[q]!.postgresMs)} (×${(r.queries[q]!.postgresMs / r.queries[q]!.embeddedMs).toFixed(2)})`),
    ),
    row('PostgreSQL database size', (r) => `${(r.postgresBytes / 1048576).toFixed(0)} MB`),
    row('8 writers at once into PostgreSQL: examples/s', (r) => Math.round(r.concurrent.perSecond).toLocaleString('en-US')),
    row('8 writers: a batch of 1,000, median / p99 commit', (r) => `${fmt(r.concurrent.medianCommitMs)} / ${fmt(r.concurrent.p99CommitMs)}`),
    '',
  ].join('\n');
}

/** What PostgreSQL alone answers at a size the embedded engine cannot hold (10M): the dashboard, search, the first page. */
const LARGE_QUERIES = ['dashboardRefresh', 'summary', 'textSearchDescription', 'textSearchCode', 'textSearchRare', 'firstPage'] as const;

interface LargeResult {
  examples: number;
  fileBytes: number;
  import: { ms: number; perSecond: number };
  queries: Record<string, number>;
  postgresBytes: number;
}

/** PostgreSQL alone at `n` examples: the log generated (and removed after), imported end to end, then the questions. */
async function runLarge(n: number, base: string): Promise<LargeResult> {
  mkdirSync(dataRoot, { recursive: true });
  const log = join(dataRoot, `kimi-${n}.jsonl`);
  if (!existsSync(log)) await writeKimiLog(log, n, { seed: 1, end: END, days: 365 });
  const name = `lv_bench_large_${n}`;
  await withAdmin(base, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const pg = await PgEngine.open(databaseUrl(base, name));
  try {
    const t = performance.now();
    let lastSaid = t;
    const r = await importFile(pg, log, {
      assumeTimeZone: 'utc',
      now: END,
      parseWorker: join(root, 'dist', 'parseWorker.js'),
      onProgress: (p) => {
        if (performance.now() - lastSaid < 60_000) return;
        lastSaid = performance.now();
        console.log(`bench:pg: ${p.added.toLocaleString('en-US')} stored after ${Math.round((lastSaid - t) / 1000)} s`);
      },
    });
    const ms = performance.now() - t;
    if (r.added !== n) throw new Error(`added ${r.added} of ${n}`);
    await pg.database.query('VACUUM ANALYZE');
    const queries: Record<string, number> = {};
    for (const q of LARGE_QUERIES) queries[q] = await timeMedian(() => QUERIES[q]!(pg));
    const postgresBytes = Number((await pg.database.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
    return { examples: n, fileBytes: statSync(log).size, import: { ms, perSecond: (n / ms) * 1000 }, queries, postgresBytes };
  } finally {
    await pg.close();
    await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    // Generated, not kept: 10M examples are about 8 GB of log.
    rmSync(log, { force: true });
  }
}

function largeMarkdown(results: LargeResult[], place: string): string {
  const targets: Record<string, string> = { dashboardRefresh: '300 ms', textSearchDescription: '500 ms', textSearchCode: '500 ms', textSearchRare: '500 ms', firstPage: '50 ms' };
  return [
    '# PostgreSQL alone, at sizes the embedded engine cannot hold',
    '',
    `Generated by \`BENCH_PG_LARGE=10000000 npm run bench:pg\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores, PostgreSQL at ${place} on the same machine; the log generated for the run and removed after. Medians of ${RUNS} runs after one warm-up.`,
    '',
    ...results.flatMap((r) => [
      `## ${r.examples.toLocaleString('en-US')} examples (${(r.fileBytes / 1048576 / 1024).toFixed(1)} GB of log)`,
      '',
      '| | measured | target |',
      '|---|---:|---:|',
      `| import end to end (COPY + merge per batch) | ${fmt(r.import.ms)} (${Math.round(r.import.perSecond).toLocaleString('en-US')}/s) | |`,
      ...Object.entries(r.queries).map(([q, ms]) => `| ${q} | ${fmt(ms)} | ${targets[q] ?? ''} |`),
      `| database size | ${(r.postgresBytes / 1073741824).toFixed(1)} GB | |`,
      '',
    ]),
  ].join('\n');
}

async function main(): Promise<void> {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.LV_TEST_DATABASE_URL;
  if (!base) throw new Error('set BENCH_DATABASE_URL to a PostgreSQL role that may create databases (postgresql://user:password@localhost/db)');
  if (process.env.BENCH_PG_LARGE) {
    const large: LargeResult[] = [];
    for (const n of process.env.BENCH_PG_LARGE.split(',').map(Number)) {
      console.log(`bench:pg: ${n.toLocaleString('en-US')} examples, PostgreSQL alone…`);
      large.push(await runLarge(n, base));
      console.log(JSON.stringify(large[large.length - 1], null, 1));
    }
    const md = largeMarkdown(large, describeUrl(base));
    writeFileSync(join(root, 'bench', 'results-postgres-large.md'), md);
    console.log(md);
    return;
  }
  const sizes = (process.env.BENCH_PG_SIZES ?? '10000,100000').split(',').map(Number);
  const results: SizeResult[] = [];
  for (const n of sizes) {
    console.log(`bench:pg: ${n.toLocaleString('en-US')} examples…`);
    results.push(await runSize(n, base));
    console.log(JSON.stringify(results[results.length - 1], null, 1));
  }
  const md = markdown(results, describeUrl(base));
  writeFileSync(join(root, 'bench', 'results-postgres.md'), md);
  console.log(md);
}

main().catch((e: Error) => {
  console.error(e.stack);
  process.exit(1);
});
