// A profile of one PostgreSQL import: the time each statement of the write path takes, summed
// over every batch (BENCH_DATABASE_URL or LV_TEST_DATABASE_URL; BENCH_PG_PROFILE_N examples, default 50,000).
import { join } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { Client } from 'pg';
import { PgEngine } from '../src/core/engine/postgres/pgEngine';
import { importFile } from '../src/core/ingest/importFile';
import { writeKimiLog } from '../src/core/sample/generateExamples';

const END = Date.UTC(2026, 10, 21);

async function main(): Promise<void> {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.LV_TEST_DATABASE_URL;
  if (!base) throw new Error('set BENCH_DATABASE_URL');
  const n = Number(process.env.BENCH_PG_PROFILE_N ?? 50_000);
  const dir = join(__dirname, '..', '..', 'bench', 'data');
  mkdirSync(dir, { recursive: true });
  const log = join(dir, `kimi-${n}.jsonl`);
  if (!existsSync(log)) await writeKimiLog(log, n, { seed: 1, end: END, days: 120 });
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS lv_profile WITH (FORCE)');
  await admin.query('CREATE DATABASE lv_profile');
  const u = new URL(base);
  u.pathname = '/lv_profile';
  const times = new Map<string, { ms: number; calls: number }>();
  const original = Client.prototype.query;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? 'COPY');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const started = performance.now();
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      void (result as Promise<unknown>).finally(() => {
        const t = times.get(key) ?? { ms: 0, calls: 0 };
        t.ms += performance.now() - started;
        t.calls++;
        times.set(key, t);
      }).catch(() => undefined);
    }
    return result;
  } as typeof Client.prototype.query;
  const engine = await PgEngine.open(u.toString());
  if (process.env.PROFILE_SQL) await engine.database.query(process.env.PROFILE_SQL);
  const t = performance.now();
  const r = await importFile(engine, log, { assumeTimeZone: 'utc', now: END, parseWorker: join(__dirname, '..', '..', 'dist', 'parseWorker.js') });
  const ms = performance.now() - t;
  await engine.close();
  console.log(`${r.added} examples in ${(ms / 1000).toFixed(2)} s: ${Math.round((r.added / ms) * 1000)}/s`);
  for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 16)) console.log(`${v.ms.toFixed(0).padStart(7)} ms ${String(v.calls).padStart(5)}× ${k}`);
  await admin.query('DROP DATABASE IF EXISTS lv_profile WITH (FORCE)');
  await admin.end();
}

main().catch((e: Error) => {
  console.error(e.stack);
  process.exit(1);
});
