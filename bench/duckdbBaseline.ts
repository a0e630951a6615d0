// DuckDB, what a data-minded user would reach for instead, on the same file in
// the same run: the log loaded with read_json into an in-memory table, then the
// dashboard's questions and the searches as SQL. What it measures is not what
// ours does: DuckDB's table is in memory only (nothing durable, nothing
// deduplicated, a new line means loading again); ours is durable, deduplicated
// and incremental. The package is installed by `npm run bench`, not by a plain
// `npm install` (scripts/benchDeps.mjs), so it is loaded by name at run time.

/** The little of @duckdb/node-api this uses. */
interface DuckConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
  closeSync(): void;
}
interface DuckModule {
  DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckConnection>; closeSync(): void }> };
}

export interface DuckResult {
  version: string;
  loadMs: number;
  rows: number;
  queriesMs: Record<string, number>;
}

const COLUMNS =
  "{id: 'VARCHAR', timestamp: 'TIMESTAMPTZ', session_id: 'VARCHAR', task_description: 'VARCHAR', code_context: 'VARCHAR', success: 'BOOLEAN', metrics: 'JSON', tags: 'VARCHAR[]', model_used: 'VARCHAR', tokens_consumed: 'BIGINT', human_feedback: 'VARCHAR'}";

/** A SQL string literal (the texts here are the benchmark's own). */
const text = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The worker's questions as DuckDB SQL, each a list of statements run one after another (as the worker answers a request). */
function questions(since: number, until: number, search: string, codeSearch: string): Record<string, string[]> {
  const window = `timestamp >= to_timestamp(${since / 1000}) AND timestamp < to_timestamp(${until / 1000})`;
  const summary = (where: string) => `SELECT count(*), sum(success::INT), sum(tokens_consumed), avg((metrics->>'execution_time')::DOUBLE) FROM ex WHERE ${where}`;
  const breakdowns = (where: string) => [
    `SELECT tag, count(*), sum(success::INT) FROM (SELECT unnest(tags) AS tag, success FROM ex WHERE ${where}) GROUP BY tag ORDER BY 2 DESC`,
    `SELECT model_used, count(*), sum(success::INT), sum(tokens_consumed) FROM ex WHERE ${where} GROUP BY model_used ORDER BY 2 DESC`,
    `SELECT CAST(timestamp AS DATE) AS day, count(*), sum(success::INT) FROM ex WHERE ${where} GROUP BY day ORDER BY day`,
  ];
  const page = (where: string) => [`SELECT count(*) FROM ex WHERE ${where}`, `SELECT * FROM ex WHERE ${where} ORDER BY timestamp DESC LIMIT 100`];
  // LIKE's rules as ours: ASCII case ignored, in the description, the feedback and the code.
  const matches = (needle: string) => `(task_description ILIKE ${text(`%${needle}%`)} OR human_feedback ILIKE ${text(`%${needle}%`)} OR code_context ILIKE ${text(`%${needle}%`)})`;
  return {
    summary: [summary('true')],
    breakdowns: breakdowns('true'),
    firstPage: page('true'),
    textSearch: page(matches(search)),
    textSearchCode: page(matches(codeSearch)),
    dashboardRefresh: [summary(window), ...breakdowns(window), ...page(window)],
  };
}

/** Loads `log` into DuckDB and times each question (median of `time`'s runs); null when DuckDB is not installed. */
export async function duckdbBaseline(
  log: string,
  o: { since: number; until: number; search: string; codeSearch: string },
  time: (fn: () => Promise<unknown>) => Promise<number>,
): Promise<DuckResult | null> {
  let duck: DuckModule;
  const name = '@duckdb/node-api';
  try {
    duck = (await import(name)) as DuckModule;
  } catch {
    return null;
  }
  const instance = await duck.DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const version = String((await c.runAndReadAll('SELECT version()')).getRows()[0]?.[0] ?? '?');
    const t = performance.now();
    await c.run(`CREATE TABLE ex AS SELECT * FROM read_json(${text(log)}, format = 'newline_delimited', columns = ${COLUMNS})`);
    const loadMs = performance.now() - t;
    const rows = Number((await c.runAndReadAll('SELECT count(*) FROM ex')).getRows()[0]?.[0] ?? 0);
    const queriesMs: Record<string, number> = {};
    for (const [q, statements] of Object.entries(questions(o.since, o.until, o.search, o.codeSearch))) {
      queriesMs[q] = await time(async () => {
        for (const sql of statements) await c.runAndReadAll(sql);
      });
    }
    return { version, loadMs, rows, queriesMs };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
