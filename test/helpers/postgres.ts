// A real PostgreSQL for the suites that run on both engines. LV_TEST_DATABASE_URL
// names a role that may create databases (`.ci/run` makes one); each suite gets a
// database of its own, dropped after it. Without the URL, in CI the suites fail
// (PostgreSQL must be tested there); on a developer's machine they are skipped, saying so.
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

export const PG_URL_ENV = 'LV_TEST_DATABASE_URL';

/** The admin URL, or null (after saying why) when this machine has none and may go without. */
export function postgresUrl(): string | null {
  const url = process.env[PG_URL_ENV];
  if (url) return url;
  if (process.env.CI) throw new Error(`${PG_URL_ENV} is not set: CI must run the PostgreSQL suites (.ci/run starts a server and sets it)`);
  console.warn(`    (PostgreSQL suites skipped: set ${PG_URL_ENV}=postgresql://user:password@localhost/db, a role that may create databases)`);
  return null;
}

/** A database URL like `base`, for another database name. */
export function withDatabase(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database; returns its URL and a function that drops it. */
export async function freshDatabase(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lv_test_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(base, name),
    drop: async () => {
      const c = new Client({ connectionString: base });
      await c.connect();
      try {
        // An autovacuum worker (after a large delete) cannot be ended by this role: wait for it, a while at most.
        for (let attempt = 0; ; attempt++) {
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            return;
          } catch (e) {
            if (attempt >= 25) {
              console.warn(`    (could not drop the test database ${name}: ${(e as Error).message})`);
              return;
            }
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}
