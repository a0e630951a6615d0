// The alert monitor's state in a team's PostgreSQL database: one row every
// server reads and writes, and a session advisory lock so that one server at a
// time checks the rules (a second one finds it taken and skips that round), so
// an alert fires, and is delivered, once.
import type { Pool } from 'pg';
import type { AlertStateStore } from '../../model/alertStateStore';
import { ALERTS_LOCK } from './schema';

const CURRENT = 'current';

export class PgAlertState implements AlertStateStore {
  readonly place = 'the database (table alert_state)';

  constructor(
    private readonly pool: Pool,
    private readonly run: <T>(work: () => Promise<T>) => Promise<T>,
  ) {}

  async load(): Promise<string | null> {
    const { rows } = await this.run(() => this.pool.query<{ state: string }>('SELECT state FROM alert_state WHERE name = $1', [CURRENT]));
    return rows[0]?.state ?? null;
  }

  async save(json: string): Promise<void> {
    await this.run(() => this.pool.query('INSERT INTO alert_state (name, state) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, updated_at = now()', [CURRENT, json]));
  }

  async setAside(): Promise<string> {
    const name = `damaged ${new Date().toISOString()}`;
    await this.run(() => this.pool.query('UPDATE alert_state SET name = $1 WHERE name = $2', [name, CURRENT]));
    return `the row named "${name}" of alert_state`;
  }

  async exclusive<T>(work: () => Promise<T>, wait: boolean): Promise<{ ran: true; value: T } | { ran: false }> {
    // A session lock needs one connection from lock to unlock; the work itself uses the pool.
    const client = await this.run(() => this.pool.connect());
    let broken = false;
    try {
      if (wait) await client.query('SELECT pg_advisory_lock($1)', [ALERTS_LOCK]);
      else {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [ALERTS_LOCK]);
        if (!rows[0]?.locked) return { ran: false };
      }
      try {
        return { ran: true, value: await work() };
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [ALERTS_LOCK]).catch(() => {
          // The connection is gone, and the lock with it: this client is not given back to be used again.
          broken = true;
        });
      }
    } finally {
      client.release(broken);
    }
  }
}
