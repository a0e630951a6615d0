// learning-viewer token: its options, its help and what it does.
import { mkdirSync } from 'node:fs';
import type { PgEngine } from '../../core/engine/postgres/pgEngine';
import { createToken, readTokens, revokeToken, roleSchema, type Role } from '../../http/tokens';
import { pgCreateToken, pgRevokeToken, pgTokens } from '../../core/engine/postgres/pgTokens';
import { EXIT_OK, EXIT_REJECTED, UsageError, postgresTarget, openEngine, type Command, type DatabaseValues } from '../common';

export const tokenCommand: Command = {
  name: 'token',
  help: `usage: learning-viewer token create --role ingest|read|admin [--name N] --db DIR|--database URL
       learning-viewer token list --db DIR [--json]
       learning-viewer token revoke ID_OR_NAME --db DIR

create prints the token once; only its SHA-256 is kept (in DIR/api-tokens.json,
or with --database URL in the team's PostgreSQL, where every server on it
knows the token within 2 seconds, and a revoked one stops working as soon).
ingest: post examples, read stats; read: everything that reads; admin: all.`,
  options: ['db', 'database', 'role', 'name', 'json'],
  positionals: true,
  postgres: true,
  run: (positionals, values) => runToken(positionals, values),
};

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
