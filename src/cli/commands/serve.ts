// learning-viewer serve: its options, its help and what it does.
import type { PgEngine } from '../../core/engine/postgres/pgEngine';
import { runPgServer, runServer, serveOptionsProblem, type ServeOptions } from '../serve';
import { EXIT_OK, UsageError, openStore, postgresTarget, openEngine, positiveInt, alertsConfig, type Command } from '../common';

export const serveCommand: Command = {
  name: 'serve',
  help: `usage: learning-viewer serve --db DIR [--host 127.0.0.1] [--port 8000] [--no-auth]
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
to it and restores its own after a restart), and alerts: their state is the
database's, every server shows the same, and one at a time checks the rules.
--retention-days N removes the raw examples older than N days at start and
then once a day, as prune does (their per-day figures stay; on the embedded
database a backup is made first).
--alerts FILE checks the alert rules of FILE (see 'learning-viewer alerts
--help') every checkMinutes, delivers what fires, and serves GET /api/alerts.`,
  options: ['db', 'database', 'retention-days', 'host', 'port', 'no-auth', 'allowed-host', 'allowed-origin', 'rate-limit', 'utc', 'learner', 'alerts'],
  positionals: true,
  postgres: true,
  run: (positionals, values) => runServe(values, positionals),
};

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
