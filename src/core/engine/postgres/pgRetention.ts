// Retention on PostgreSQL: the same rule as the embedded engine's
// (src/core/storage/retention.ts): raw examples dated before the cutoff go,
// their per-day rollups stay; examples with feedback a person wrote and a
// learning task's practice are kept. The cutoff is recorded first, in its own
// transaction, so the rollups of the days before it are final: no writer adds
// an example dated before it afterwards. A month partition that ends before the
// cutoff and keeps nothing is dropped whole; the rest is deleted a slice at a
// time, each slice its own transaction under the write lock, so importers wait
// a slice at most.
import type { Pool, PoolClient } from 'pg';
import type { PruneReport } from '../../storage/retention';
import { FLAG_TASK_EXAMPLE } from '../../storage/schema';
import { WRITE_LOCK } from './schema';

const PRUNABLE = `e.ts < $1 AND e.human_feedback IS NULL AND (e.flags & ${FLAG_TASK_EXAMPLE}) = 0`;

async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Removes the rows of these keys from the tables beside the examples. */
async function removeBeside(client: PoolClient, keys: string): Promise<void> {
  for (const table of ['example_tags', 'example_code', 'example_commits']) await client.query(`DELETE FROM ${table} WHERE k IN (${keys})`);
  await client.query(`DELETE FROM example_ids WHERE k IN (${keys})`);
}

export async function prunePg(pool: Pool, before: number, options: { dryRun?: boolean; sliceSize?: number; onProgress?: (removed: number) => void } = {}): Promise<PruneReport> {
  const candidates = await pool.query(
    `SELECT count(*) AS n, min(e.ts) AS first, max(e.ts) AS last, coalesce(sum(octet_length(c.code)), 0) AS bytes
     FROM examples e LEFT JOIN example_code c ON c.k = e.k WHERE ${PRUNABLE}`,
    [before],
  );
  const c = candidates.rows[0];
  const report: PruneReport = {
    before,
    examples: Number(c.n),
    first: c.first === null ? null : Number(c.first),
    last: c.last === null ? null : Number(c.last),
    codeBytes: Number(c.bytes),
    removed: 0,
    dryRun: options.dryRun ?? false,
    slices: 0,
    longestSliceMs: 0,
  };
  if (report.dryRun) return report;
  const client = await pool.connect();
  try {
    // The rollups before the cutoff become final: from here on no writer stores an example dated before it.
    await inTransaction(client, () =>
      client.query(
        `INSERT INTO lv_meta (key, value) VALUES ('pruned_before', $1) ON CONFLICT (key) DO UPDATE SET value = greatest(lv_meta.value::bigint, excluded.value::bigint)::text`,
        [String(before)],
      ),
    );
    const record = (n: number) =>
      client.query(
        `INSERT INTO lv_meta (key, value) VALUES ('pruned_examples', $1) ON CONFLICT (key) DO UPDATE SET value = (lv_meta.value::bigint + excluded.value::bigint)::text`,
        [String(n)],
      );
    const timed = async (work: () => Promise<number>) => {
      const t = performance.now();
      const n = await inTransaction(client, work);
      report.longestSliceMs = Math.max(report.longestSliceMs, performance.now() - t);
      report.slices++;
      report.removed += n;
      options.onProgress?.(report.removed);
      return n;
    };
    // Whole months before the cutoff that keep nothing: dropped, not deleted row by row.
    const { rows: parts } = await client.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'examples'::regclass`,
    );
    for (const part of parts) {
      const to = /TO \('?(-?\d+)'?\)/.exec(part.bound)?.[1];
      if (to === undefined || Number(to) > before) continue;
      await timed(async () => {
        const kept = await client.query(`SELECT 1 FROM ${part.name} e WHERE NOT (${PRUNABLE}) LIMIT 1`, [before]);
        if (kept.rowCount) return 0;
        const n = Number((await client.query(`SELECT count(*) AS n FROM ${part.name}`)).rows[0].n);
        await removeBeside(client, `SELECT k FROM ${part.name}`);
        await client.query(`DROP TABLE ${part.name}`);
        await record(n);
        return n;
      });
    }
    // The rest (a month the cutoff cuts, a month that keeps something, the default partition): a slice at a time.
    for (;;) {
      const n = await timed(async () => {
        await client.query(`CREATE TEMP TABLE IF NOT EXISTS lv_prune (k bigint) ON COMMIT DELETE ROWS`);
        await client.query(`INSERT INTO lv_prune SELECT e.k FROM examples e WHERE ${PRUNABLE} LIMIT $2`, [before, options.sliceSize ?? 5000]);
        const removed = Number((await client.query(`DELETE FROM examples e USING lv_prune p WHERE e.k = p.k AND e.ts < $1`, [before])).rowCount ?? 0);
        if (removed > 0) {
          await removeBeside(client, 'SELECT k FROM lv_prune');
          await record(removed);
        }
        return removed;
      });
      if (n === 0) break;
    }
  } finally {
    client.release();
  }
  return report;
}
