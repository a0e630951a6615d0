// learning-viewer: the same core as the extension, outside VS Code, for CI
// pipelines and scripts. A --db folder written by one opens in the other.
import { tokenCoverage, tokensPerExample, tokensPerSuccess, totalTokens, UNKNOWN } from '../shared/figures';
import { join } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importFiles, type ImportFilesReport } from '../core/ingest/importFiles';
import { writeKimiLog } from '../core/sample/generateExamples';
import { exportExamples, type ExportFormat } from '../core/export/exportExamples';
import { toKimiRecord } from '../core/export/kimiRecord';
import { parseTimestamp } from '../core/ingest/timestamp';
import { regexProblem } from '../shared/filters';
import type { Filters } from '../shared/filters';
import { filtersSchema } from '../shared/filters';
import { LearningStore } from '../core/storage/learningStore';
import type { LearningEngine } from '../core/engine/contract';
import { EmbeddedEngine } from '../core/engine/embeddedEngine';
import { copyEngine } from '../core/engine/copyEngine';
import { PgEngine } from '../core/engine/postgres/pgEngine';
import { isPostgresUrl, redact } from '../core/engine/postgres/connect';
import { learnTechnology } from '../core/tasks/builtinLearner';
import { depthSchema } from '../shared/analytics';
import { loadSqlJs } from '../core/storage/loadSqlJs';
import { runPgServer, runServer, serveOptionsProblem, type ServeOptions } from './serve';
import { readAlertsFile, SMTP_PASSWORD_ENV, WEBHOOK_SECRET_ENV } from '../core/alerts/alertsFile';
import { AlertMonitor } from '../core/alerts/alertMonitor';
import { alertRuleSchema, DEFAULT_ALERT_RULES, type AlertRecord } from '../shared/alerts';
import { createToken, readTokens, revokeToken, roleSchema, type Role } from '../http/tokens';
import { pgCreateToken, pgRevokeToken, pgTokens } from '../core/engine/postgres/pgTokens';
import { retentionCutoff } from '../core/storage/retention';
import { BACKUPS_FOLDER, createBackup, DEFAULT_ROTATION, installBackup, listBackups, rotateBackups, verifyBackup, type BackupInfo } from '../core/storage/backups';
import { DAY_MS } from '../shared/series';

const EXIT_OK = 0;
const EXIT_REJECTED = 1;
const EXIT_USAGE = 2;

const HELP: Record<string, string> = {
  '': `usage: learning-viewer <command> [options]

commands:
  import FILE… --db DIR [--json]   import KIMI logs (.jsonl, .ndjson, .json, .gz)
  stats --db DIR [--json] [FILTERS]   totals, success rate with its 95% interval, per tag, per model, per day
  examples --db DIR [--json] [--limit N] [FILTERS]   the examples, newest first
    (these, export, analytics, prune, serve and token also on a team's PostgreSQL: --database postgresql://user@host/db, or DATABASE_URL)
  export --db DIR --format csv|json|jsonl --out FILE [FILTERS]
  analytics --db DIR [--json] [--compare A,B] [FILTERS]   trend, prediction, recommendations, insights; model A/B
  learn TECHNOLOGY --db DIR|--database URL [--depth quick|standard|deep] [--json]   the built-in learner: a knowledge entry
  sample --out FILE [--count N]    write a sample KIMI log (for trying things out)
  serve --db DIR [--host H] [--port P] [--no-auth]   the HTTP API (KIMI posts examples, reads stats)
  token create|list|revoke --db DIR   API tokens with roles (ingest, read, admin)
  copy --from DIR|URL --to DIR|URL [--json]   one database into another (a folder, or PostgreSQL)
  backup --db DIR | backups --db DIR | restore BACKUP --db DIR   back up, list, restore (the current state backed up first)
  prune --older-than 30d --db DIR [--dry-run]   retention: raw examples older than that go, their per-day figures stay
  alerts --db DIR [--check [--alerts FILE]] [--json]   the alert history; --check checks the rules now and delivers

FILTERS: --since DATE --until DATE --success true|false --tag T (repeatable)
         --model M --session S --search TEXT
Run 'learning-viewer <command> --help' for a command's options.
Exit codes: 0 done; 1 done but some lines rejected; 2 usage or unreadable input.`,
  import: `usage: learning-viewer import FILE… --db DIR [--json] [--utc] [--max-lines N] [--max-mb N]
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
  stats: `usage: learning-viewer stats --db DIR|--database URL [--json] [FILTERS]

Prints the totals of the database folder DIR: examples, successes, success
rate and its Wilson 95% interval, mean execution time, tokens, per tag, per
model and per day, of the examples the filters select.
FILTERS: --since DATE --until DATE (a date alone covers that whole day)
         --success true|false --tag T (repeatable; any of them) --model M
         --session S --search TEXT`,
  examples: `usage: learning-viewer examples --db DIR|--database URL [--json] [--limit N] [FILTERS]

Prints the examples the filters select, newest first: every KIMI field and the
extra fields. --json prints one JSON array; otherwise one JSON object a line.
--id ID prints that one example.`,
  export: `usage: learning-viewer export --db DIR|--database URL --format csv|json|jsonl --out FILE [--bom] [FILTERS]

Writes the examples the filters select to FILE. CSV follows RFC 4180; a text
cell that starts with = + - @, a tab or a carriage return gets a leading ' so
spreadsheets show it as text. --bom starts a CSV with a UTF-8 byte order mark.
JSON and JSON Lines round-trip: importing them gives the same examples.`,
  analytics: `usage: learning-viewer analytics --db DIR|--database URL [--json] [--compare A,B] [FILTERS]

Prints what the panel's Analytics tab shows for the examples the filters
select: the trend in words, the prediction (or why there is none),
recommendations and insights, each with its reason. --json prints the whole
report as one JSON object. --compare A,B adds model A against model B (with
--tag, within that tag): rates, the difference and its significance.`,
  learn: `usage: learning-viewer learn TECHNOLOGY --db DIR [--depth quick|standard|deep] [--json]
       learning-viewer learn TECHNOLOGY --database postgresql://… [the same]

Runs the built-in learner on TECHNOLOGY (a tag) and stores the knowledge entry
in DIR (or the PostgreSQL database), as a learning task in the extension would: proficiency with its 95%
interval, trend, the tags it fails with, related technologies, next steps.
Depth sets the period: quick 7 days, standard 30 days (default), deep all.`,
  serve: `usage: learning-viewer serve --db DIR [--host 127.0.0.1] [--port 8000] [--no-auth]
       [--allowed-host NAME:PORT]… [--allowed-origin ORIGIN]… [--rate-limit N] [--utc]
       [--alerts FILE] [--retention-days N] [--learner PROGRAM [ARG…]]
       learning-viewer serve --database postgresql://… [the same]

Serves the HTTP API over the database folder DIR until Ctrl-C or SIGTERM.
POST /api/examples answers 201 once the example is durable. Tokens are
required (learning-viewer token create); --no-auth (or ENABLE_AUTH=false) is
allowed only on a loopback address. Only requests whose Host is this server's
own loopback name and port (or an --allowed-host) are answered; a request with
an Origin not given by --allowed-origin or ALLOWED_ORIGINS (comma-separated)
is refused. --rate-limit: requests a second per token (default 5000).
Learning tasks (POST /api/nasa/learn) run here, two at a time: the built-in
learner, or with --learner the external one: PROGRAM and the rest of the line
as its arguments, run without a shell in the current folder, \${technology},
\${depth}, \${priority} and \${taskId} replaced (put -- before arguments that
start with -). It reports progress and examples as JSON lines on stdout.
On a team's PostgreSQL (--database URL, or DATABASE_URL with no --db): the
examples, the statistics, search and feedback, from any number of servers on
one database, the tokens the database's own (token create --database URL);
exports, analytics and learning tasks too (each server runs the tasks posted
to it and restores its own after a restart); alerts need --db DIR for now.
--retention-days N removes the raw examples older than N days at start and
then once a day, as prune does (their per-day figures stay; on the embedded
database a backup is made first).
--alerts FILE checks the alert rules of FILE (see 'learning-viewer alerts
--help') every checkMinutes, delivers what fires, and serves GET /api/alerts.`,
  alerts: `usage: learning-viewer alerts --db DIR [--json] [--limit N]
       learning-viewer alerts --check --db DIR [--alerts FILE] [--json]

Prints the alerts of the database folder DIR: those firing now, then the
history (fired, resolved). --check evaluates the rules now, as serve does every
checkMinutes (run it from cron: a rule must hold for two checks in a row to
fire), and delivers what fires to the webhook and by mail. Exit code 3 when an
alert is firing after the check.

FILE is JSON: {"rules": [...], "checkMinutes": 15, "minExamples": 20,
"webhook": {"url": "https://…", "format": "json"|"slack"},
"email": {"host": "smtp.example.com", "port": 587, "security": "starttls",
"from": "…", "to": ["…"], "user": "…"}}. Without rules, the defaults: a
significant success-rate drop overall, per tag and per model (last 7 days
against the 28 before), tokens per success up 50%, no examples for 24 hours,
a failed learning task. Secrets never go in the file: the webhook's signing
key comes from ${WEBHOOK_SECRET_ENV}, the SMTP password from ${SMTP_PASSWORD_ENV}.`,
  token: `usage: learning-viewer token create --role ingest|read|admin [--name N] --db DIR|--database URL
       learning-viewer token list --db DIR [--json]
       learning-viewer token revoke ID_OR_NAME --db DIR

create prints the token once; only its SHA-256 is kept (in DIR/api-tokens.json,
or with --database URL in the team's PostgreSQL, where every server on it
knows the token within 2 seconds, and a revoked one stops working as soon).
ingest: post examples, read stats; read: everything that reads; admin: all.`,
  backup: `usage: learning-viewer backup --db DIR [--folder FOLDER] [--json]

Backs up the database folder DIR (its snapshot, saved first, and its code file)
into FOLDER (default DIR/backups), verifies the copy against the snapshot's
saved fingerprint, then keeps the newest of each of the last 7 days and 4
weeks and the last 5 others. A failed backup leaves the earlier ones as they are.`,
  backups: `usage: learning-viewer backups --db DIR [--folder FOLDER] [--json]

Lists the backups, newest first: when, kind, examples, size, folder.`,
  restore: `usage: learning-viewer restore BACKUP --db DIR [--folder FOLDER]

Puts the backup BACKUP (its folder, or its name as "backups" lists it) back in
DIR, after checking it (its fingerprint, that SQLite opens it, its count) and
backing up the current state. Nothing else may have DIR open.`,
  prune: `usage: learning-viewer prune --older-than Nd --db DIR|--database URL [--dry-run] [--json]

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
  copy: `usage: learning-viewer copy --from DIR|URL --to DIR|URL [--json]

Copies every example of one database into another, each a folder (the
embedded database) or a PostgreSQL URL: the examples with their ids, feedback,
source file and line, learning-task practice included, then the offsets of the
files being followed, so following goes on where it was. Re-running it adds
nothing. Moving a workspace into a team's database: --from .vscode/… (the
extension's storage folder) --to postgresql://…; an offline copy of a team
database: --from postgresql://… --to DIR. Tasks, knowledge entries and API
tokens stay where they are: PostgreSQL does not keep them yet.`,
  sample: `usage: learning-viewer sample --out FILE [--count N] [--days D] [--seed S]

Writes N (default 5000) generated KIMI learning examples spread over the last
D (default 90) days to FILE as JSON Lines. The same seed gives the same file.`,
};

class UsageError extends Error {}

/** The parse worker's bundle beside this one, when there is one. */
function parseWorkerPath(): string | undefined {
  const path = join(__dirname, 'parseWorker.js');
  return existsSync(path) ? path : undefined;
}

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
  // Damage is said, never read as truth: what was recovered, or that nothing could be read.
  if (readOnly && store.loaded.nothingReadable) {
    const reason = store.loaded.note ?? 'the learning data could not be read';
    store.close();
    throw new Error(`cannot read ${db}: ${reason}`);
  }
  if (store.loaded.note) process.stderr.write(`learning-viewer: ${store.loaded.note}\n`);
  else if (store.reason && store.state === 'ok') process.stderr.write(`learning-viewer: ${store.reason}\n`);
  return store;
}

/** Commands that run on a PostgreSQL database too; the others need the embedded one's folder for now. */
const POSTGRES_COMMANDS = new Set(['import', 'stats', 'examples', 'export', 'analytics', 'learn', 'prune', 'serve', 'token']);

interface DatabaseValues {
  db?: string;
  database?: string;
}

/** The PostgreSQL URL the command names (--database URL, or DATABASE_URL when no --db folder is given), or null. */
function postgresTarget(values: DatabaseValues): string | null {
  if (values.database !== undefined) return isPostgresUrl(values.database) ? values.database.trim() : null;
  if (values.db !== undefined) return null;
  const env = process.env.DATABASE_URL;
  return env && isPostgresUrl(env) ? env.trim() : null;
}

/** The database a command reads or writes: a team's PostgreSQL (--database URL or DATABASE_URL), or the embedded one in --db DIR. */
async function openEngine(values: DatabaseValues, readOnly: boolean): Promise<LearningEngine> {
  const url = postgresTarget(values);
  if (url) {
    return PgEngine.open(url, {
      application: 'learning-viewer cli',
      onRetry: (message) => process.stderr.write(`learning-viewer: ${message}\n`),
    });
  }
  const folder = values.database ?? values.db;
  return new EmbeddedEngine(await openStore(folder, readOnly), folder!);
}

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

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of 1 or more, not "${text}"`);
  return n;
}

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

interface FilterValues {
  since?: string;
  until?: string;
  success?: string;
  tag?: string[];
  model?: string;
  session?: string;
  search?: string;
  regex?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** FILTERS from the command line, checked with the same schema the extension uses. */
export function cliFilters(v: FilterValues): Filters {
  const time = (name: string, text: string | undefined, endOfDay: boolean): number | null => {
    if (text === undefined) return null;
    const t = parseTimestamp(text, 'local');
    if (typeof t === 'string') throw new UsageError(`${name}: ${t.replace(/^timestamp/, 'the date')}`);
    return endOfDay && DATE_ONLY.test(text.trim()) ? t + DAY_MS : t;
  };
  let success: boolean | null = null;
  if (v.success !== undefined) {
    if (v.success !== 'true' && v.success !== 'false') throw new UsageError('--success takes true or false');
    success = v.success === 'true';
  }
  if (v.regex) {
    const problem = regexProblem(v.regex);
    if (problem) throw new UsageError(problem);
  }
  const parsed = filtersSchema.safeParse({
    since: time('--since', v.since, false),
    until: time('--until', v.until, true),
    success,
    tags: v.tag ?? [],
    model: v.model ?? null,
    session: v.session ?? null,
    search: v.search ?? null,
    codeRegex: v.regex ?? null,
  });
  if (!parsed.success) throw new UsageError(`invalid filter: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

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

async function runExport(values: FilterValues & DatabaseValues & { format?: string; out?: string; bom?: boolean }): Promise<number> {
  if (!values.out) throw new UsageError('--out FILE is required');
  if (values.format !== 'csv' && values.format !== 'json' && values.format !== 'jsonl') throw new UsageError('--format takes csv, json or jsonl');
  const filters = cliFilters(values);
  const engine = await openEngine(values, true);
  try {
    // The embedded store directly (its code records checked as they are read); any other engine through the contract.
    const source = engine instanceof EmbeddedEngine ? engine.store : engine;
    const { written, codeProblems } = await exportExamples(source, values.out, { format: values.format as ExportFormat, filters, csvBom: values.bom });
    for (const p of codeProblems) process.stderr.write(`learning-viewer: ${p}; written without its code\n`);
    process.stderr.write(`wrote ${written} examples to ${values.out}\n`);
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}

async function runStats(values: FilterValues & DatabaseValues & { json?: boolean }): Promise<number> {
  const filters = cliFilters(values);
  const store = await openEngine(values, true);
  try {
    const s = await store.summary(filters);
    const retention = await store.retention();
    const stats = {
      total: s.rate.total,
      successes: s.rate.successes,
      successRate: s.rate.rate,
      successRateCI: s.rate.interval,
      avgExecutionTime: s.avgExecutionTime,
      totalTokens: totalTokens(s.tokens),
      tokensPerExample: tokensPerExample(s.tokens),
      tokensPerSuccess: tokensPerSuccess(s.tokens),
      examplesWithTokens: s.tokens.tokenExamples,
      byTag: (await store.byTag(filters)).map(({ tag, total, successes }) => ({ tag, total, successes })),
      byModel: (await store.byModel(filters)).map(({ model, total, successes }) => ({ model, total, successes })),
      daily: await store.daily(filters),
      retention: retention === null ? null : { removedBefore: new Date(retention.removedBefore).toISOString(), removedExamples: retention.removedExamples },
    };
    if (values.json) process.stdout.write(`${JSON.stringify(stats)}\n`);
    else {
      const pct = (x: number | null) => (x === null ? UNKNOWN : `${(x * 100).toFixed(1)}%`);
      const ci = stats.successRateCI ? ` (95% interval ${pct(stats.successRateCI[0])}–${pct(stats.successRateCI[1])})` : '';
      process.stdout.write(`examples ${stats.total}, succeeded ${stats.successes}, success rate ${pct(stats.successRate)}${ci}\n`);
      const count = (x: number | null) => (x === null ? '—' : Math.round(x).toLocaleString('en-US'));
      const coverage = tokenCoverage(s.tokens, stats.total);
      process.stdout.write(`tokens ${count(stats.totalTokens)}, ${count(stats.tokensPerExample)} per example, ${count(stats.tokensPerSuccess)} per success${coverage ? ` (${coverage})` : ''}\n`);
      for (const t of stats.byTag) process.stdout.write(`  tag ${t.tag}: ${t.total} examples, ${pct(t.successes / t.total)}\n`);
      for (const m of stats.byModel) process.stdout.write(`  model ${m.model}: ${m.total} examples, ${pct(m.successes / m.total)}\n`);
      if (stats.retention) {
        process.stdout.write(`(retention removed ${stats.retention.removedExamples} examples dated before ${stats.retention.removedBefore}; the figures above still count them where they come from the per-day rollups)\n`);
      }
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

async function runAnalytics(values: FilterValues & DatabaseValues & { json?: boolean; compare?: string }): Promise<number> {
  const filters = cliFilters(values);
  let pair: [string, string] | null = null;
  if (values.compare !== undefined) {
    const parts = values.compare.split(',').map((x) => x.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError('--compare takes two model names separated by a comma: --compare "Model A,Model B"');
    pair = [parts[0], parts[1]];
  }
  const store = await openEngine(values, true);
  try {
    // The same advice as the panel's, "go deeper" from the tasks this database holds included.
    const report = await store.analytics(filters);
    const tag = filters.tags.length === 1 ? filters.tags[0]! : null;
    const comparison = pair ? await store.compareModels({ ...filters, tags: [] }, pair[0], pair[1], tag) : null;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...report, comparison })}\n`);
      return EXIT_OK;
    }
    const lines = [
      `trend: ${report.trend.statement}`,
      `prediction: ${report.prediction.forecasts.map((f) => `in ${f.days} days ${f.value.toFixed(1)}% (${f.low.toFixed(1)}–${f.high.toFixed(1)}%)`).join(', ')}${report.prediction.forecasts.length ? '. ' : ''}${report.prediction.explanation}`,
      ...report.recommendations.map((r) => `recommendation: ${r.title} (${r.depth}): ${r.reason}`),
      ...report.insights.map((i) => `insight: ${i.title}: ${i.detail}`),
      ...(comparison ? [`A/B: ${comparison.verdict}`] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

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

async function runServe(values: {
  db?: string;
  database?: string;
  'retention-days'?: string;
  host?: string;
  port?: string;
  'no-auth'?: boolean;
  'allowed-host'?: string[];
  'allowed-origin'?: string[];
  'rate-limit'?: string;
  utc?: boolean;
  learner?: string;
  alerts?: string;
}, positionals: string[] = []): Promise<number> {
  const port = values.port === undefined ? 8000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number from 0 to 65535');
  const options: ServeOptions = {
    host: values.host ?? '127.0.0.1',
    port,
    auth: !(values['no-auth'] || process.env.ENABLE_AUTH === 'false'),
    allowedHosts: values['allowed-host'] ?? [],
    allowedOrigins: [...(values['allowed-origin'] ?? []), ...(process.env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)],
    utc: values.utc ?? false,
    rateLimit: positiveInt(values['rate-limit'], '--rate-limit'),
    // The learner's program, then the rest of the command line as its arguments.
    learner: values.learner ? [values.learner, ...positionals] : undefined,
    alerts: alertsConfig(values.alerts),
    retentionDays: positiveInt(values['retention-days'], '--retention-days'),
  };
  if (!values.learner && positionals.length > 0) throw new UsageError(`serve takes no arguments (${positionals[0]}); an external learner's command goes after --learner`);
  const problem = serveOptionsProblem(options);
  if (problem) throw new UsageError(problem);
  const log = (line: string) => process.stderr.write(`learning-viewer serve: ${line}\n`);
  if (postgresTarget(values)) {
    if (options.alerts) throw new UsageError('--alerts: alerts are checked on the embedded database only for now (serve --db DIR)');
    const engine = (await openEngine(values, false)) as PgEngine;
    try {
      await runPgServer(engine, options, log);
    } finally {
      await engine.close();
    }
    return EXIT_OK;
  }
  const store = await openStore(values.db, false);
  try {
    await runServer(store, values.db!, options, (line) => process.stderr.write(`learning-viewer serve: ${line}\n`));
  } finally {
    store.close();
  }
  return EXIT_OK;
}

function backupFolderOf(values: { db?: string; folder?: string }): string {
  if (!values.db) throw new UsageError('--db DIR is required: the folder that holds the learning database');
  return values.folder ?? join(values.db, BACKUPS_FOLDER);
}

function describeBackup(b: BackupInfo): string {
  return `${b.createdAt}  ${b.kind.padEnd(16)} ${String(b.examples).padStart(9)} examples  ${(b.totalBytes / 1e6).toFixed(1).padStart(8)} MB  ${b.path}`;
}

async function runBackup(values: { db?: string; folder?: string; json?: boolean }): Promise<number> {
  const folder = backupFolderOf(values);
  const store = await openStore(values.db, false);
  try {
    const made = await createBackup({ dataDir: values.db!, save: () => store.saveNow(), count: () => store.count() }, folder, 'manual');
    const dropped = await rotateBackups(folder, DEFAULT_ROTATION);
    process.stdout.write(values.json ? `${JSON.stringify({ ...made, removedByRotation: dropped.map((d) => d.path) })}\n` : `backed up ${made.examples} examples to ${made.path}${dropped.length ? ` (${dropped.length} older removed by the rotation)` : ''}\n`);
  } finally {
    store.close();
  }
  return EXIT_OK;
}

async function runBackups(values: { db?: string; folder?: string; json?: boolean }): Promise<number> {
  const list = await listBackups(backupFolderOf(values));
  if (values.json) process.stdout.write(`${JSON.stringify(list)}\n`);
  else process.stdout.write(list.length ? `${list.map(describeBackup).join('\n')}\n` : 'no backups yet\n');
  return EXIT_OK;
}

async function runRestore(positionals: string[], values: { db?: string; folder?: string }): Promise<number> {
  const folder = backupFolderOf(values);
  const [wanted] = positionals;
  if (!wanted) throw new UsageError('name the backup to restore (its folder, or its name as `backups` lists it)');
  const list = await listBackups(folder);
  const chosen = list.find((b) => b.path === wanted || b.path.endsWith(`/${wanted}`) || b.path.endsWith(`\\${wanted}`));
  if (!chosen) throw new Error(`no backup ${wanted} in ${folder} (learning-viewer backups --db ${values.db} lists them)`);
  const problem = verifyBackup(await loadSqlJs(wasmPath()), chosen);
  if (problem) throw new Error(problem);
  // Opening takes the lock: nothing else writes while the current state is backed up.
  const store = await openStore(values.db, false);
  let before: BackupInfo;
  try {
    before = await createBackup({ dataDir: values.db!, save: () => store.saveNow(), count: () => store.count() }, folder, 'before-restore');
  } finally {
    store.close();
  }
  await installBackup(chosen, values.db!);
  const check = await openStore(values.db, true);
  const count = check.count();
  check.close();
  process.stdout.write(`restored the backup of ${chosen.createdAt}: ${count} examples (the state before is backed up in ${before.path})\n`);
  return EXIT_OK;
}

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

async function runToken(positionals: string[], values: DatabaseValues & { role?: string; name?: string; json?: boolean }): Promise<number> {
  const [action, target] = positionals;
  // A team's tokens are in its PostgreSQL database (every server there knows them); a folder's in its api-tokens.json.
  const url = postgresTarget(values);
  const engine = url ? ((await openEngine(values, false)) as PgEngine) : null;
  if (!engine) {
    if (!values.db) throw new UsageError('--db DIR is required: the folder that holds the learning database (or --database URL)');
    mkdirSync(values.db, { recursive: true });
  }
  const tokens = {
    create: (role: Role, name: string) => (engine ? pgCreateToken(engine.database, role, name) : createToken(values.db!, role, name)),
    list: async () => (engine ? pgTokens(engine.database) : readTokens(values.db!)),
    revoke: (idOrName: string) => (engine ? pgRevokeToken(engine.database, idOrName) : revokeToken(values.db!, idOrName)),
  };
  try {
    switch (action) {
      case 'create': {
        const role = roleSchema.safeParse(values.role);
        if (!role.success) throw new UsageError('--role takes ingest, read or admin');
        const { record, token } = await tokens.create(role.data, values.name ?? `${role.data}-${new Date().toISOString().slice(0, 10)}`);
        process.stderr.write(`created ${record.role} token "${record.name}" (id ${record.id}); it is shown this once:\n`);
        process.stdout.write(`${token}\n`);
        return EXIT_OK;
      }
      case 'list': {
        const list = (await tokens.list()).map(({ sha256: _hash, ...t }) => t);
        if (values.json) process.stdout.write(`${JSON.stringify(list)}\n`);
        else for (const t of list) process.stdout.write(`${t.id}  ${t.role.padEnd(6)}  ${t.name}  created ${t.createdAt}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}\n`);
        return EXIT_OK;
      }
      case 'revoke': {
        if (!target) throw new UsageError('name the token to revoke, by id or name');
        if (!(await tokens.revoke(target))) {
          process.stderr.write(`learning-viewer: no valid token with id or name ${target}\n`);
          return EXIT_REJECTED;
        }
        process.stderr.write(`revoked ${target}\n`);
        return EXIT_OK;
      }
      default:
        throw new UsageError(action ? `unknown token action "${action}"` : 'say create, list or revoke');
    }
  } finally {
    await engine?.close();
  }
}

/** The alert settings of --alerts FILE (an unreadable or wrong file is a usage error naming it). */
function alertsConfig(file: string | undefined) {
  if (file === undefined) return undefined;
  try {
    return readAlertsFile(file);
  } catch (e) {
    throw new UsageError(`--alerts ${(e as Error).message}`);
  }
}

function describeAlert(a: AlertRecord): string {
  const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
  const state = a.resolvedAt === null ? 'FIRING' : a.kind === 'taskFailed' ? 'event' : `resolved ${when(a.resolvedAt)}`;
  return `${when(a.firedAt)}  ${state.padEnd(22)}  ${a.title}`;
}

async function runAlerts(values: { db?: string; check?: boolean; alerts?: string; json?: boolean; limit?: string }): Promise<number> {
  const limit = positiveInt(values.limit, '--limit') ?? 50;
  const config = values.check ? (alertsConfig(values.alerts) ?? { enabled: true, rules: DEFAULT_ALERT_RULES.map((r) => alertRuleSchema.parse(r)), checkMinutes: 15, minExamples: 20, webhook: null, email: null }) : undefined;
  if (!values.check && values.alerts) throw new UsageError('--alerts goes with --check');
  const store = await openStore(values.db, !values.check);
  try {
    const monitor = await AlertMonitor.open(values.db!, () => store, { log: (level, m) => level !== 'info' && process.stderr.write(`learning-viewer alerts: ${m}\n`) });
    let checked = null;
    if (config) {
      monitor.configure({ ...config, enabled: true }, 3_600_000);
      checked = await monitor.check();
      monitor.dispose();
    }
    const overview = monitor.overview(limit);
    if (values.json) process.stdout.write(`${JSON.stringify(checked ? { ...overview, fired: checked.fired, resolved: checked.resolved, failures: checked.failures } : overview, null, 2)}\n`);
    else {
      if (checked) {
        process.stdout.write(`checked ${checked.observations.length} rule subjects: ${checked.fired.length} fired, ${checked.resolved.length} resolved\n`);
        for (const o of checked.observations.filter((x) => x.status !== 'clear')) process.stdout.write(`  ${o.ruleId}${o.subject ? ` (${o.subject})` : ''}: ${o.status}, ${o.reason}\n`);
      }
      process.stdout.write(overview.history.length ? `${overview.history.map(describeAlert).join('\n')}\n` : 'no alerts yet\n');
      if (overview.muted.length) process.stdout.write(`muted rules: ${overview.muted.join(', ')}\n`);
    }
    if (checked?.failures.length) return EXIT_REJECTED;
    return overview.active.length > 0 ? 3 : EXIT_OK;
  } finally {
    store.close();
  }
}

/** Every option a command may take, as `parseArgs` reads it. */
const OPTIONS = {
  db: { type: 'string' },
  database: { type: 'string' },
  from: { type: 'string' },
  'retention-days': { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
  utc: { type: 'boolean' },
  out: { type: 'string' },
  count: { type: 'string' },
  days: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  since: { type: 'string' },
  until: { type: 'string' },
  success: { type: 'string' },
  tag: { type: 'string', multiple: true },
  model: { type: 'string' },
  session: { type: 'string' },
  search: { type: 'string' },
  regex: { type: 'string' },
  limit: { type: 'string' },
  id: { type: 'string' },
  format: { type: 'string' },
  bom: { type: 'boolean' },
  compare: { type: 'string' },
  depth: { type: 'string' },
  'max-lines': { type: 'string' },
  'max-mb': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'no-auth': { type: 'boolean' },
  'allowed-host': { type: 'string', multiple: true },
  'allowed-origin': { type: 'string', multiple: true },
  'rate-limit': { type: 'string' },
  learner: { type: 'string' },
  folder: { type: 'string' },
  'older-than': { type: 'string' },
  'dry-run': { type: 'boolean' },
  role: { type: 'string' },
  name: { type: 'string' },
  alerts: { type: 'string' },
  check: { type: 'boolean' },
} as const;
type OptionName = keyof typeof OPTIONS;

const FILTER_OPTIONS: OptionName[] = ['since', 'until', 'success', 'tag', 'model', 'session', 'search', 'regex'];
/** The options each command declares (with --help): any other is a usage error naming it, never silently ignored. */
const COMMAND_OPTIONS: Record<string, OptionName[]> = {
  import: ['db', 'database', 'json', 'utc', 'max-lines', 'max-mb'],
  stats: ['db', 'database', 'json', ...FILTER_OPTIONS],
  examples: ['db', 'database', 'json', 'limit', 'id', ...FILTER_OPTIONS],
  export: ['db', 'database', 'format', 'out', 'bom', ...FILTER_OPTIONS],
  analytics: ['db', 'database', 'json', 'compare', ...FILTER_OPTIONS],
  learn: ['db', 'database', 'json', 'depth'],
  sample: ['out', 'count', 'days', 'seed'],
  serve: ['db', 'database', 'retention-days', 'host', 'port', 'no-auth', 'allowed-host', 'allowed-origin', 'rate-limit', 'utc', 'learner', 'alerts'],
  token: ['db', 'database', 'role', 'name', 'json'],
  backup: ['db', 'folder', 'json'],
  backups: ['db', 'folder', 'json'],
  restore: ['db', 'folder'],
  prune: ['db', 'database', 'older-than', 'dry-run', 'json'],
  copy: ['from', 'to', 'json'],
  alerts: ['db', 'json', 'limit', 'check', 'alerts'],
};

export async function main(argv: string[]): Promise<number> {
  const [command = '', ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: OPTIONS });
    const allowed = COMMAND_OPTIONS[command];
    const foreign = allowed ? Object.keys(parsed.values).filter((o) => o !== 'help' && !allowed.includes(o as OptionName)) : [];
    if (foreign.length) throw new Error(`${command} takes no ${foreign.map((o) => `--${o}`).join(', ')}`);
  } catch (e) {
    process.stderr.write(`learning-viewer: ${(e as Error).message}\n${HELP[command] ?? HELP['']}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const pgUrl = postgresTarget(values);
  if (command === '--help' || command === '-h' || command === 'help' || (command in HELP && values.help)) {
    process.stdout.write(`${HELP[command in HELP ? command : '']}\n`);
    return EXIT_OK;
  }
  try {
    if (pgUrl && command in COMMAND_OPTIONS && COMMAND_OPTIONS[command]!.includes('db') && !POSTGRES_COMMANDS.has(command)) {
      throw new UsageError(
        `${command} runs on the embedded database (--db DIR) only for now; on PostgreSQL (${values.database !== undefined ? '--database' : 'DATABASE_URL'}): ${[...POSTGRES_COMMANDS].join(', ')}`,
      );
    }
    switch (command) {
      case 'import':
        return await runImport(positionals, values);
      case 'copy':
        return await runCopy(values);
      case 'stats':
        return await runStats(values);
      case 'examples':
        return await runExamples(values);
      case 'export':
        return await runExport(values);
      case 'analytics':
        return await runAnalytics(values);
      case 'learn':
        return await runLearn(positionals, values);
      case 'sample':
        return await runSample(values);
      case 'serve':
        return await runServe(values, positionals);
      case 'token':
        return await runToken(positionals, values);
      case 'backup':
        return await runBackup(values);
      case 'backups':
        return await runBackups(values);
      case 'restore':
        return await runRestore(positionals, values);
      case 'prune':
        return await runPrune(values);
      case 'alerts':
        return await runAlerts(values);
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'name a command');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`learning-viewer: ${e.message}\n${HELP[command] ?? HELP['']}\n`);
      return EXIT_USAGE;
    }
    // A password in a URL never reaches a message.
    process.stderr.write(`learning-viewer: ${redact((e as Error).message, pgUrl ?? undefined)}\n`);
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
