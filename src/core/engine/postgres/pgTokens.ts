// API tokens kept in a team's PostgreSQL, so every server on the database knows
// the same ones: made, listed and revoked with `learning-viewer token … --database`.
// Only a token's SHA-256 is stored. A server reads the list again every few
// seconds, so a new or revoked token counts on every server within that time.
import type { Pool } from 'pg';
import { matchToken, nameTaken, newToken, type Role, type TokenChecker, type TokenRecord } from '../../../http/tokens';

/** How often a server reads the tokens again. */
export const TOKENS_REFRESH_MS = 2000;

function toRecord(r: Record<string, unknown>): TokenRecord {
  return { id: String(r.id), name: String(r.name), role: r.role as Role, sha256: String(r.sha256), createdAt: String(r.created_at), revokedAt: r.revoked_at === null ? null : String(r.revoked_at) };
}

export async function pgTokens(pool: Pool): Promise<TokenRecord[]> {
  const { rows } = await pool.query('SELECT id, name, role, sha256, created_at, revoked_at FROM api_tokens ORDER BY created_at, id');
  return rows.map(toRecord);
}

export async function pgCreateToken(pool: Pool, role: Role, name: string, now = new Date()): Promise<{ record: TokenRecord; token: string }> {
  const made = newToken(role, name, now);
  const r = made.record;
  // The partial unique index keeps one valid token per name, whoever makes one at the same moment.
  const inserted = await pool.query('INSERT INTO api_tokens (id, name, role, sha256, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [r.id, r.name, r.role, r.sha256, r.createdAt]);
  if (inserted.rowCount === 0) throw new Error(nameTaken(name));
  return made;
}

export async function pgRevokeToken(pool: Pool, idOrName: string, now = new Date()): Promise<boolean> {
  const r = await pool.query('UPDATE api_tokens SET revoked_at = $2 WHERE (id = $1 OR name = $1) AND revoked_at IS NULL', [idOrName, now.toISOString()]);
  return (r.rowCount ?? 0) > 0;
}

/** The tokens of the database, for a server: read at start, then again every TOKENS_REFRESH_MS (a failed read keeps the last list). */
export class PgTokenRegistry implements TokenChecker {
  private tokens: TokenRecord[] = [];
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly pool: Pool,
    private readonly onError: (message: string) => void,
  ) {
    this.timer = setInterval(() => void this.refresh(), TOKENS_REFRESH_MS);
    this.timer.unref();
  }

  static async open(pool: Pool, onError: (message: string) => void): Promise<PgTokenRegistry> {
    const registry = new PgTokenRegistry(pool, onError);
    registry.tokens = await pgTokens(pool);
    return registry;
  }

  private async refresh(): Promise<void> {
    try {
      this.tokens = await pgTokens(this.pool);
    } catch (e) {
      this.onError(`the API tokens could not be read again (${(e as Error).message}); the last list stays in force`);
    }
  }

  check(token: string): TokenRecord | null {
    return matchToken(this.tokens, token);
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
