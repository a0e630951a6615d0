// learning-viewer: the same core as the extension, outside VS Code, for CI
// pipelines and scripts. A --db folder written by one opens in the other.
// Each command is a file of its own under commands/, declaring its options.
import { parseArgs } from 'node:util';
import { redact } from '../core/engine/postgres/connect';
import { EXIT_OK, EXIT_USAGE, postgresTarget, UsageError, type Command } from './common';
import { OPTIONS, type OptionName } from './options';
import { importCommand } from './commands/import';
import { statsCommand } from './commands/stats';
import { examplesCommand } from './commands/examples';
import { exportCommand } from './commands/export';
import { analyticsCommand } from './commands/analytics';
import { learnCommand } from './commands/learn';
import { sampleCommand } from './commands/sample';
import { serveCommand } from './commands/serve';
import { tokenCommand } from './commands/token';
import { copyCommand } from './commands/copy';
import { backupCommand } from './commands/backup';
import { backupsCommand } from './commands/backups';
import { restoreCommand } from './commands/restore';
import { pruneCommand } from './commands/prune';
import { alertsCommand } from './commands/alerts';
import { importSessionsCommand } from './commands/importSessions';

const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [
    importCommand,
    importSessionsCommand,
    statsCommand,
    examplesCommand,
    exportCommand,
    analyticsCommand,
    learnCommand,
    pruneCommand,
    serveCommand,
    tokenCommand,
    sampleCommand,
    copyCommand,
    backupCommand,
    backupsCommand,
    restoreCommand,
    alertsCommand,
  ].map((c) => [c.name, c]),
);

const USAGE = `usage: learning-viewer <command> [options]

commands:
  import FILE… --db DIR [--json]   import KIMI logs (.jsonl, .ndjson, .json, .gz)
  import-sessions --db DIR [--agent A] [--since DATE] [PATHS…]   import Kimi CLI, Kimi Code, Claude Code and Codex sessions
  stats --db DIR [--json] [FILTERS]   totals, success rate with its 95% interval, per tag, per model, per day
  examples --db DIR [--json] [--limit N] [FILTERS]   the examples, newest first
    (these, export, analytics, learn, prune, serve, token and alerts also on a team's PostgreSQL: --database postgresql://user@host/db, or DATABASE_URL)
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

FILTERS: --since DATE --until DATE --success true|false|unknown --tag T (repeatable)
         --model M --session S --search TEXT
Run 'learning-viewer <command> --help' for a command's options.
Exit codes: 0 done; 1 done but some lines rejected; 2 usage or unreadable input.`;

/** The commands that run on PostgreSQL too, for the message of one that does not. */
const POSTGRES_COMMANDS = [...COMMANDS.values()].filter((c) => c.postgres).map((c) => c.name);

export async function main(argv: string[]): Promise<number> {
  const [name = '', ...rest] = argv;
  const command = COMMANDS.get(name);
  const helpOf = () => command?.help ?? USAGE;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: OPTIONS });
    const foreign = command ? Object.keys(parsed.values).filter((o) => o !== 'help' && !command.options.includes(o as OptionName)) : [];
    if (foreign.length) throw new Error(`${name} takes no ${foreign.map((o) => `--${o}`).join(', ')}`);
  } catch (e) {
    process.stderr.write(`learning-viewer: ${(e as Error).message}\n${helpOf()}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const pgUrl = postgresTarget(values);
  if (name === '--help' || name === '-h' || name === 'help' || (command && values.help)) {
    process.stdout.write(`${helpOf()}\n`);
    return EXIT_OK;
  }
  try {
    if (!command) throw new UsageError(name ? `unknown command "${name}"` : 'name a command');
    if (!command.positionals && positionals.length > 0) throw new UsageError(`${name} takes no arguments (${positionals[0]})`);
    if (pgUrl && command.options.includes('db') && !command.postgres) {
      throw new UsageError(
        `${name} runs on the embedded database (--db DIR) only for now; on PostgreSQL (${values.database !== undefined ? '--database' : 'DATABASE_URL'}): ${POSTGRES_COMMANDS.join(', ')}`,
      );
    }
    return await command.run(positionals, values);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`learning-viewer: ${e.message}\n${helpOf()}\n`);
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
