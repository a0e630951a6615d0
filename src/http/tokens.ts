// API tokens with roles. A token is shown once, when it is made; only its
// SHA-256 is kept, in a file of its own beside the database (so `token create`
// works while `serve` holds the database's lock, and `serve` sees a new or
// revoked token at its next request).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/storage/atomicWrite';

export const TOKENS_FILE = 'api-tokens.json';

/** ingest: post examples and read the statistics (what KIMI needs); read: everything that reads; admin: everything. */
export const roleSchema = z.enum(['ingest', 'read', 'admin']);
export type Role = z.infer<typeof roleSchema>;

const tokenRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type TokenRecord = z.infer<typeof tokenRecordSchema>;
const tokensFileSchema = z.object({ tokens: z.array(tokenRecordSchema) });

export function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function path(dataDir: string): string {
  return join(dataDir, TOKENS_FILE);
}

/** The tokens on record; a file that does not parse is an error naming it (never read as "no tokens"). */
export function readTokens(dataDir: string): TokenRecord[] {
  const file = path(dataDir);
  if (!existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}); fix or remove it`);
  }
  const parsed = tokensFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} is not a token list (${parsed.error.issues[0]?.message}); fix or remove it`);
  return parsed.data.tokens;
}

async function writeTokens(dataDir: string, tokens: TokenRecord[]): Promise<void> {
  await writeFileAtomic(path(dataDir), Buffer.from(`${JSON.stringify({ tokens }, null, 2)}\n`));
}

/** A new token of this role: its record (only the hash of the secret) and the secret, shown once. */
export function newToken(role: Role, name: string, now = new Date()): { record: TokenRecord; token: string } {
  const token = `lv_${role}_${randomBytes(24).toString('base64url')}`;
  return { record: { id: randomBytes(6).toString('hex'), name, role, sha256: hash(token), createdAt: now.toISOString(), revokedAt: null }, token };
}

/** Why a token of this name cannot be made. */
export const nameTaken = (name: string) => `a token named "${name}" exists already; revoke it first or choose another name`;

/** Makes a token; the secret is returned once and never stored. */
export async function createToken(dataDir: string, role: Role, name: string, now = new Date()): Promise<{ record: TokenRecord; token: string }> {
  const tokens = readTokens(dataDir);
  if (tokens.some((t) => t.name === name && t.revokedAt === null)) throw new Error(nameTaken(name));
  const made = newToken(role, name, now);
  await writeTokens(dataDir, [...tokens, made.record]);
  return made;
}

/** Revokes the token with this id or name; false when there is none still valid. */
export async function revokeToken(dataDir: string, idOrName: string, now = new Date()): Promise<boolean> {
  const tokens = readTokens(dataDir);
  const target = tokens.find((t) => (t.id === idOrName || t.name === idOrName) && t.revokedAt === null);
  if (!target) return false;
  target.revokedAt = now.toISOString();
  await writeTokens(dataDir, tokens);
  return true;
}

/** What the API checks a bearer token with. */
export interface TokenChecker {
  /** The valid token record for `token`, or null. */
  check(token: string): TokenRecord | null;
}

/** The valid record among `tokens` whose hash is the token's, compared in constant time; or null. */
export function matchToken(tokens: readonly TokenRecord[], token: string): TokenRecord | null {
  const digest = Buffer.from(hash(token), 'hex');
  for (const t of tokens) {
    if (t.revokedAt === null && timingSafeEqual(Buffer.from(t.sha256, 'hex'), digest)) return t;
  }
  return null;
}

/** Checks bearer tokens against the file, read again whenever it changes. */
export class TokenRegistry implements TokenChecker {
  private mtime = -1;
  private tokens: TokenRecord[] = [];

  constructor(private readonly dataDir: string) {}

  private refresh(): void {
    const file = path(this.dataDir);
    const mtime = existsSync(file) ? statSync(file).mtimeMs : 0;
    if (mtime === this.mtime) return;
    this.tokens = mtime === 0 ? [] : readTokens(this.dataDir);
    this.mtime = mtime;
  }

  /** The valid token record for `token`, or null. Compared in constant time. */
  check(token: string): TokenRecord | null {
    this.refresh();
    return matchToken(this.tokens, token);
  }

  get count(): number {
    this.refresh();
    return this.tokens.filter((t) => t.revokedAt === null).length;
  }
}
