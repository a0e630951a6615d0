// What only the PostgreSQL engine has: migrations under an advisory lock, many
// writers at once, a server that refuses or is not there, and the command line
// pointed at it. The contract's own suite (engines.test.ts) runs on both engines.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { PgEngine } from '../../src/core/engine/postgres/pgEngine';
import { migratePg, PG_SCHEMA_VERSION } from '../../src/core/engine/postgres/schema';
import { connectionProblem, describeUrl, isTransient, openPool, redact } from '../../src/core/engine/postgres/connect';
import { importFile } from '../../src/core/ingest/importFile';
import { generateKimiRecords } from '../../src/core/sample/generateExamples';
import { freshDatabase, postgresUrl } from '../helpers/postgres';
import { startProxy } from '../helpers/tcpProxy';
import { startTlsProxy } from '../helpers/tlsProxy';
import { startServeWith, stopServe, type ServeProcess } from '../helpers/serveProcess';
import { filtersSchema } from '../../src/shared/filters';
import { AlertMonitor, engineAlertSource } from '../../src/core/alerts/alertMonitor';
import { alertRuleSchema } from '../../src/shared/alerts';
import { writeDropLog } from '../helpers/alertLog';

const NOW = Date.now();
const opts = { assumeTimeZone: 'utc' as const, now: NOW };
const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

describe('the PostgreSQL engine', function () {
  this.timeout(120_000);
  const base = postgresUrl();
  let db: { url: string; drop: () => Promise<void> };
  let dir: string;
  before(function () {
    if (base === null) this.skip();
  });
  beforeEach(async () => {
    db = await freshDatabase(base!);
    dir = mkdtempSync(join(tmpdir(), 'lv-pg-'));
  });
  afterEach(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('migrates once when eight processes open a new database at the same moment', async () => {
    const engines = await Promise.all(Array.from({ length: 8 }, () => PgEngine.open(db.url, { attempts: 1 })));
    try {
      const { rows } = await engines[0]!.database.query('SELECT version FROM lv_schema_migrations ORDER BY version');
      assert.deepEqual(
        rows.map((r) => r.version),
        Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1),
      );
    } finally {
      await Promise.all(engines.map((e) => e.close()));
    }
  });

  it('migrates a database of every older version, keeping what it holds', async () => {
    for (let from = 1; from < PG_SCHEMA_VERSION; from++) {
      const target = await freshDatabase(base!);
      const pool = new Pool({ connectionString: target.url });
      try {
        await migratePg(pool, from);
        // An example as that version stored it.
        await pool.query("INSERT INTO example_ids (id, ts, content_hash) VALUES ('old', $1, 'h')", [NOW]);
        await pool.query('INSERT INTO examples (k, id, ts, day, success, ingested_at) SELECT k, id, ts, 1, 1, 0 FROM example_ids');
        await pool.query('INSERT INTO rollup_daily VALUES (1, 0, 1, 1, 0, 0, 0, 0)');
        await pool.end();
        const engine = await PgEngine.open(target.url, { attempts: 1 });
        try {
          assert.equal(await engine.count(), 1, `from version ${from}`);
          assert.equal((await engine.exampleById('old'))?.success, true);
          const { rows } = await engine.database.query('SELECT max(version) AS v FROM lv_schema_migrations');
          assert.equal(rows[0].v, PG_SCHEMA_VERSION);
        } finally {
          await engine.close();
        }
      } finally {
        await pool.end().catch(() => undefined);
        await target.drop();
      }
    }
  });

  it('refuses a database a newer version wrote, saying so', async () => {
    const engine = await PgEngine.open(db.url, { attempts: 1 });
    await engine.database.query('INSERT INTO lv_schema_migrations (version) VALUES (99)');
    await engine.close();
    await assert.rejects(PgEngine.open(db.url, { attempts: 1 }), /schema version 99, written by a newer Learning Viewer/);
  });

  it('counts every id once when four importers of overlapping files write at the same time', async () => {
    // 4 files of 1,500 lines each, every one sharing half its lines with the next: 3,000 distinct ids in 6,000 lines.
    const all = [...generateKimiRecords(3000, { seed: 9, end: NOW, days: 20 })].map((r) => JSON.stringify(r));
    const files = [0, 1, 2, 3].map((i) => {
      const file = join(dir, `part${i}.jsonl`);
      const lines = Array.from({ length: 1500 }, (_, j) => all[(i * 750 + j) % 3000]!);
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    });
    const engines = await Promise.all(files.map(() => PgEngine.open(db.url, { attempts: 5 })));
    try {
      const reports = await Promise.all(files.map((file, i) => importFile(engines[i]!, file, { ...opts, batchSize: 200 })));
      assert.equal(
        reports.reduce((n, r) => n + r.added, 0),
        3000,
        'every id added once in all',
      );
      assert.equal(
        reports.reduce((n, r) => n + r.duplicates, 0),
        3000,
        'and the rest counted as already present',
      );
      const pool = engines[0]!.database;
      const one = async (sql: string) => Number((await pool.query(sql)).rows[0].n);
      assert.equal(await one('SELECT count(*) AS n FROM examples'), 3000);
      assert.equal(await one('SELECT count(DISTINCT id) AS n FROM examples'), 3000);
      // Every rollup row equal to a recount from the rows.
      const mismatch = await one(`SELECT count(*) AS n FROM (
          SELECT day, coalesce(model_id, 0) AS model_id, success, count(*) AS n, coalesce(sum(tokens), 0) AS tokens FROM examples GROUP BY 1, 2, 3) c
        FULL JOIN rollup_daily r USING (day, model_id, success) WHERE c.n IS DISTINCT FROM r.n OR c.tokens IS DISTINCT FROM r.tokens`);
      assert.equal(mismatch, 0, 'per-day rollups equal a recount');
      const tagMismatch = await one(`SELECT count(*) AS n FROM (
          SELECT et.tag_id, e.day, coalesce(e.model_id, 0) AS model_id, e.success, count(*) AS n FROM example_tags et JOIN examples e ON e.k = et.k GROUP BY 1, 2, 3, 4) c
        FULL JOIN rollup_tag_daily r USING (tag_id, day, model_id, success) WHERE c.n IS DISTINCT FROM r.n`);
      assert.equal(tagMismatch, 0, 'per-tag rollups equal a recount');
      const s = await engines[1]!.summary((await import('../../src/shared/filters')).NO_FILTERS);
      assert.equal(s.rate.total, 3000);
    } finally {
      await Promise.all(engines.map((e) => e.close()));
    }
  });

  it('survives a connection cut while a client is lent out between two queries: the next query fails as a lost connection, nothing is thrown', async () => {
    const proxy = await startProxy(db.url);
    const pool = openPool(proxy.url);
    try {
      const client = await pool.connect();
      await client.query('SELECT 1');
      const ended = new Promise((r) => client.once('end', r));
      proxy.cut();
      await ended;
      await assert.rejects(client.query('SELECT 1'), (e: Error) => isTransient(e));
      client.release(true);
      await proxy.restore();
      assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1, 'a new connection once the server is back');
    } finally {
      await pool.end();
      proxy.close();
    }
  });

  it('goes on after the connection is cut mid-import: resumes, loses nothing and counts nothing twice', async () => {
    // A proxy between the engine and the server, whose connections are cut and which refuses new ones for a moment.
    const proxy = await startProxy(db.url);
    const log = join(dir, 'long.jsonl');
    writeFileSync(log, `${[...generateKimiRecords(6000, { seed: 2, end: NOW, days: 15 })].map((r) => JSON.stringify(r)).join('\n')}\n`);
    const retries: string[] = [];
    const engine = await PgEngine.open(proxy.url, { attempts: 8, onRetry: (m) => retries.push(m) });
    let batches = 0;
    try {
      const report = await importFile(engine, log, {
        ...opts,
        batchSize: 500,
        follow: true,
        afterBatch: async () => {
          if (++batches !== 4) return;
          // The server goes away for a moment: every connection cut, new ones refused.
          proxy.cut();
          setTimeout(() => void proxy.restore(), 600);
        },
      });
      assert.ok(retries.length >= 1, 'the cut was met and retried');
      assert.match(retries[0]!, /PostgreSQL at lv\w*@127\.0\.0\.1:\d+\/lv_test_\w+(: the connection was lost| refused the connection.*); trying again in \d/);
      assert.equal(report.added + report.duplicates, 6000);
      assert.equal(await engine.count(), 6000);
      const { rows } = await engine.database.query('SELECT sum(n) AS n FROM rollup_daily');
      assert.equal(Number(rows[0].n), 6000, 'each example counted once in the rollups');
      assert.deepEqual(await engine.sourceOffset(log).then((o) => o?.line), 6000);
    } finally {
      await engine.close();
      proxy.close();
    }
  });

  describe('an import two batches at a time', () => {
    // 2,000 lines in batches of 500; line 1,250 (the third batch) carries a marker a trigger fails on.
    const MARKED = 1250;
    function markedLog(extra: (records: Record<string, unknown>[]) => void = () => undefined): string {
      const records = [...generateKimiRecords(2000, { seed: 5, end: NOW, days: 10 })] as Record<string, unknown>[];
      records[MARKED - 1]!.code_context = `${String(records[MARKED - 1]!.code_context)}\n// FAIL-HERE`;
      extra(records);
      const log = join(dir, 'marked.jsonl');
      writeFileSync(log, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
      return log;
    }
    // In the code (after the batch's rows are merged and the next batch merges its own) or in the rows (during the merge).
    const WHERE = { code: `example_code FOR EACH ROW WHEN (NEW.code LIKE '%FAIL-HERE%')`, rows: `examples FOR EACH ROW WHEN (NEW.source_line = ${MARKED})` };
    async function failOn(engine: PgEngine, where: keyof typeof WHERE, condition: string, sqlstate: string): Promise<void> {
      await engine.database.query(`CREATE SEQUENCE lv_test_failures;
        CREATE FUNCTION lv_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF ${condition} THEN RAISE EXCEPTION 'refused by a test trigger' USING ERRCODE = '${sqlstate}'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER lv_test_fail BEFORE INSERT ON ${WHERE[where]} EXECUTE FUNCTION lv_test_fail()`);
    }
    async function assertRecounted(engine: PgEngine, n: number): Promise<void> {
      const one = async (sql: string) => Number((await engine.database.query(sql)).rows[0].n);
      assert.equal(await one('SELECT count(*) AS n FROM examples'), n);
      assert.equal(await one('SELECT count(*) AS n FROM example_code'), n, 'every stored example has its code');
      assert.equal(await one('SELECT coalesce(sum(n), 0) AS n FROM rollup_daily'), n, 'the rollups count what is stored, once');
    }

    it('stores nothing after a batch that cannot be stored: the next one is rolled back, the offset stays at the last stored batch', async () => {
      const log = markedLog();
      const engine = await PgEngine.open(db.url);
      try {
        await failOn(engine, 'code', 'true', 'P0001');
        await assert.rejects(importFile(engine, log, { ...opts, batchSize: 500, follow: true }), /refused by a test trigger/);
        await assertRecounted(engine, 1000);
        const { rows } = await engine.database.query('SELECT max(source_line) AS line FROM examples');
        assert.equal(Number(rows[0].line), 1000, 'the fourth batch, on its way beside the third, was not stored');
        assert.equal((await engine.sourceOffset(log))?.line, 1000, 'a follow resumes at the failed batch');
        // The trigger gone, following the file again stores the rest, once.
        await engine.database.query('DROP TRIGGER lv_test_fail ON example_code');
        const again = await importFile(engine, log, { ...opts, batchSize: 500, follow: true });
        assert.equal(again.added, 1000);
        assert.equal(again.duplicates, 0, 'resumed from the offset, nothing read twice');
        await assertRecounted(engine, 2000);
      } finally {
        await engine.close();
      }
    });

    for (const where of ['code', 'rows'] as const) {
      it(`writes a batch again after a passing failure in its ${where}, and the one after it too, keeping the first of an id`, async () => {
        // Line 1,600 (the fourth batch) has line 1,300's id (the third) with other content: the third's must win.
        const log = markedLog((records) => {
          records[1599] = { ...records[1599]!, id: records[1299]!.id };
        });
        const engine = await PgEngine.open(db.url);
        try {
          // A serialization failure (transient) the first time only: a sequence does not roll back.
          await failOn(engine, where, "nextval('lv_test_failures') = 1", '40001');
          const report = await importFile(engine, log, { ...opts, batchSize: 500, follow: true });
          assert.ok(Number((await engine.database.query("SELECT last_value AS n FROM lv_test_failures")).rows[0].n) >= 2, 'the marked batch failed once and was written again');
          assert.equal(report.added, 1999);
          assert.equal(report.conflicts, 1);
          assert.deepEqual(report.problems.map((p) => p.line), [1600], 'the later line is the conflict');
          await assertRecounted(engine, 1999);
          const { rows } = await engine.database.query('SELECT source_line FROM examples WHERE id = $1', [JSON.parse(readFileSync(log, 'utf8').split('\n')[1299]!).id]);
          assert.deepEqual(rows.map((r) => Number(r.source_line)), [1300]);
          assert.equal((await engine.sourceOffset(log))?.line, 2000);
        } finally {
          await engine.close();
        }
      });
    }
  });

  it('copies a folder into PostgreSQL and back: every example, field by field, the feedback and the offsets; again adds nothing', async () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    const log = join(dir, 'log.jsonl');
    const records = [...generateKimiRecords(1200, { seed: 8, end: NOW, days: 20 })].map((r) => JSON.stringify(r));
    writeFileSync(log, `${records.join('\n')}\n`);
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    const folder = join(dir, 'db');
    assert.equal(run(['import', log, '--utc', '--db', folder]).status, 0);
    // A learning task's practice and edited feedback travel too.
    const { LearningStore } = await import('../../src/core/storage/learningStore');
    const { testSqlJs } = await import('../helpers/sqlJs');
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: folder });
    const task = store.sourceId('learning-task:t1');
    store.insert([{ example: (await import('../../src/core/engine/copyEngine')).toNormalized({ id: 'practice-1', timestamp: new Date(NOW - 3_600_000).toISOString(), sessionId: null, taskDescription: 'practice', codeContext: null, success: true, metrics: {}, tags: ['auth'], model: null, tokens: null, humanFeedback: null, extra: {}, source: null, futureTimestamp: false }), sourceId: task, line: 1 }]);
    store.setFeedback(JSON.parse(records[5]!).id, 'edited by a person');
    store.setSourceOffset({ path: log, byteOffset: 1234, line: 3, head: '1:x' });
    await store.save();
    store.close();
    const there = run(['copy', '--from', folder, '--to', db.url]);
    assert.equal(there.status, 0, there.stderr);
    assert.match(there.stdout, /copied into lv\w*@[^ ]+\/lv_test_\w+: added 1201, already present 0, conflicts 0, not storable 0; offsets of 1 followed files/);
    assert.doesNotMatch(there.stdout + there.stderr, new RegExp(new URL(db.url).password));
    const again = run(['copy', '--from', folder, '--to', db.url]);
    assert.match(again.stdout, /added 0, already present 1201, conflicts 0, not storable 0; offsets of 0 followed files/);
    const back = join(dir, 'back');
    assert.equal(run(['copy', '--from', db.url, '--to', back, '--json']).status, 0);
    const rows = (d: string) => run(['examples', '--db', d]).stdout;
    assert.equal(rows(back), rows(folder), 'every example, field by field, in the same order');
    assert.equal(rows(folder).split('\n').length - 1, 1200);
    assert.match(rows(back), /edited by a person/);
    const stats = (d: string) => JSON.parse(run(['stats', '--json', '--db', d]).stdout);
    assert.deepEqual({ ...stats(back), avgExecutionTime: 0 }, { ...stats(folder), avgExecutionTime: 0 });
    const engine = await PgEngine.open(db.url, { attempts: 1 });
    try {
      assert.equal(await engine.count(), 1201, 'the practice example too');
      const { NO_FILTERS } = await import('../../src/shared/filters');
      assert.equal((await engine.summary(NO_FILTERS)).rate.total, 1200, 'practice stays out of the figures');
      assert.equal((await engine.summary(filtersSchema.parse({ taskExamples: 'only' }))).rate.total, 1);
      assert.deepEqual(await engine.sourceOffset(log), { path: log, byteOffset: 1234, line: 3, head: '1:x' });
    } finally {
      await engine.close();
    }
  });

  it('drops whole the month partitions retention empties, and deletes the rest of the old rows', async () => {
    const log = join(dir, 'months.jsonl');
    const records = [...generateKimiRecords(2000, { seed: 12, end: NOW, days: 150 })].map((r) => JSON.stringify({ ...r, human_feedback: null }));
    writeFileSync(log, `${records.join('\n')}\n`);
    const engine = await PgEngine.open(db.url, { attempts: 1 });
    try {
      await importFile(engine, log, opts);
      const partitions = async () => Number((await engine.database.query("SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'examples'::regclass")).rows[0].n);
      const before = await partitions();
      const { retentionCutoff } = await import('../../src/core/storage/retention');
      const cutoff = retentionCutoff(40, new Date(NOW));
      const report = await engine.prune(cutoff);
      // 150 days reach into 5 or 6 months; those that end before the cutoff go whole.
      const whole = new Set(records.map((r) => Date.parse(JSON.parse(r).timestamp)).filter((ts) => Date.UTC(new Date(ts).getUTCFullYear(), new Date(ts).getUTCMonth() + 1, 1) <= cutoff).map((ts) => new Date(ts).toISOString().slice(0, 7)));
      assert.ok(whole.size >= 2);
      assert.equal(await partitions(), before - whole.size, `months ${[...whole].join(', ')} dropped`);
      const { rows } = await engine.database.query('SELECT count(*) AS n, min(ts) AS first FROM examples');
      assert.ok(Number(rows[0].first) >= cutoff, 'nothing older than the cutoff is left');
      assert.equal(Number(rows[0].n), 2000 - report.removed);
      const orphans = await engine.database.query('SELECT (SELECT count(*) FROM example_code c WHERE NOT EXISTS (SELECT 1 FROM examples e WHERE e.k = c.k)) + (SELECT count(*) FROM example_tags t WHERE NOT EXISTS (SELECT 1 FROM examples e WHERE e.k = t.k)) AS n');
      assert.equal(Number(orphans.rows[0].n), 0, 'no code or tag row is left without its example');
    } finally {
      await engine.close();
    }
  });

  it('serves one database from two servers at once: what is posted to either is read from both, every id once', async () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    const servers: ServeProcess[] = [];
    try {
      servers.push(await startServeWith(cli, ['--database', db.url, '--no-auth']), await startServeWith(cli, ['--database', db.url, '--no-auth']));
      const [a, b] = servers as [ServeProcess, ServeProcess];
      assert.notEqual(a.url, b.url);
      const host = (url: string) => ({ host: new URL(url).host, 'content-type': 'application/json' });
      const records = [...generateKimiRecords(800, { seed: 6, end: NOW, days: 10 })];
      // 8 posters, four to each server, with batches that overlap their neighbours' by half.
      const posted = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const server = i % 2 ? b : a;
          const statuses: number[] = [];
          for (let j = 0; j < 4; j++) {
            const batch = Array.from({ length: 50 }, (_, x) => records[(i * 100 + j * 50 + x) % 800]);
            const r = await fetch(`${server.url}/api/examples/batch`, { method: 'POST', headers: host(server.url), body: JSON.stringify(batch) });
            statuses.push(r.status);
            await r.arrayBuffer();
          }
          return statuses;
        }),
      );
      assert.ok(posted.flat().every((s) => s === 201), `every batch stored: ${posted.flat().join(',')}`);
      const one = await fetch(`${a.url}/api/examples`, { method: 'POST', headers: host(a.url), body: JSON.stringify({ id: 'posted-to-a', timestamp: new Date(NOW).toISOString(), success: true, tags: ['auth'] }) });
      assert.equal(one.status, 201);
      const fromB = await fetch(`${b.url}/api/examples/posted-to-a`, { headers: host(b.url) });
      assert.equal(fromB.status, 200, 'posted to one server, read from the other');
      assert.equal(((await fromB.json()) as { success: boolean }).success, true);
      const stats = async (s: ServeProcess) => (await (await fetch(`${s.url}/api/stats`, { headers: host(s.url) })).json()) as { total_examples: number };
      const [sa, sb] = [await stats(a), await stats(b)];
      assert.equal(sa.total_examples, 801);
      assert.deepEqual(sb, sa, 'both servers give the same figures');
      const engine = await PgEngine.open(db.url, { attempts: 1 });
      try {
        assert.equal(await engine.count(), 801);
        const { rows } = await engine.database.query('SELECT sum(n) AS n FROM rollup_daily');
        assert.equal(Number(rows[0].n), 801, 'each example counted once');
      } finally {
        await engine.close();
      }
      const exported = await fetch(`${b.url}/api/export/jsonl`, { headers: host(b.url) });
      assert.equal(exported.status, 200);
      assert.equal((await exported.text()).trim().split('\n').length, 801, 'an export streams every example');
      const insights = await fetch(`${a.url}/api/insights`, { headers: host(a.url) });
      assert.equal(insights.status, 200);
      assert.equal(((await insights.json()) as { examples: number }).examples, 801, 'analytics over the same database');
      // A learning task runs on the server it was posted to; its task, log and knowledge entry are the database's.
      const learn = await fetch(`${a.url}/api/nasa/learn`, { method: 'POST', headers: host(a.url), body: JSON.stringify({ technology: 'auth', depth: 'deep' }) });
      assert.equal(learn.status, 202);
      const { task_id: taskId } = (await learn.json()) as { task_id: string };
      const events = await (await fetch(`${a.url}/api/nasa/learn/${taskId}/events`, { headers: host(a.url) })).text();
      assert.match(events, /event: completed/, events);
      const done = (await (await fetch(`${a.url}/api/nasa/learn/${taskId}`, { headers: host(a.url) })).json()) as { status: string; messages: { kind: string }[] };
      assert.equal(done.status, 'completed');
      assert.deepEqual(done.messages.map((m) => m.kind).filter((k) => k !== 'progress'), ['queued', 'started', 'completed'], 'its log, as stored');
      const listB = (await (await fetch(`${b.url}/api/nasa/tasks`, { headers: host(b.url) })).json()) as { tasks: unknown[] };
      assert.deepEqual(listB.tasks, [], 'the other server runs its own tasks only');
      const check = await PgEngine.open(db.url, { attempts: 1 });
      try {
        assert.deepEqual((await check.tasks()).tasks.map((t) => [t.id, t.state]), [[taskId, 'completed']]);
        const [entry] = await check.knowledge({ technology: 'auth' });
        assert.equal(entry?.taskId, taskId);
        assert.equal(entry?.examplesAnalysed, (await check.summary(filtersSchema.parse({ andTag: 'auth' }))).rate.total, 'learnt from every auth example');
      } finally {
        await check.close();
      }
    } finally {
      for (const s of servers) await stopServe(s);
    }
  });

  it('keeps the API tokens in the database: one made on the command line is known to every server there, and a revoked one to none', async () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    const env = { ...process.env, DATABASE_URL: db.url };
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env });
    const made = run(['token', 'create', '--role', 'ingest', '--name', 'kimi-runner']);
    assert.equal(made.status, 0, made.stderr);
    const token = made.stdout.trim();
    assert.match(token, /^lv_ingest_/);
    assert.equal(run(['token', 'create', '--role', 'read', '--name', 'kimi-runner']).status, 2, 'one valid token per name');
    const servers = [await startServeWith(cli, [], env), await startServeWith(cli, [], env)];
    try {
      const post = (s: ServeProcess, bearer: string | null, id: string) =>
        fetch(`${s.url}/api/examples`, {
          method: 'POST',
          headers: { host: new URL(s.url).host, 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
          body: JSON.stringify({ id, timestamp: new Date(NOW).toISOString(), success: true }),
        });
      assert.equal((await post(servers[0]!, null, 'no-token')).status, 401);
      assert.equal((await post(servers[0]!, token, 'via-a')).status, 201);
      assert.equal((await post(servers[1]!, token, 'via-b')).status, 201, 'the other server knows it too');
      const listed = JSON.parse(run(['token', 'list', '--json']).stdout) as { name: string; role: string; sha256?: string }[];
      assert.deepEqual(listed.map((t) => [t.name, t.role, t.sha256]), [['kimi-runner', 'ingest', undefined]], 'never the hash');
      assert.equal(run(['token', 'revoke', 'kimi-runner']).status, 0);
      // Each server reads the tokens again every 2 s: the next requests after that are refused.
      for (const s of servers) {
        const refused = await new Promise<number>((resolve) => {
          const again = async () => {
            const status = (await post(s, token, `after-revoke-${Date.now()}`)).status;
            if (status === 401) resolve(status);
            else setTimeout(() => void again(), 250);
          };
          void again();
        });
        assert.equal(refused, 401);
      }
    } finally {
      for (const s of servers) await stopServe(s);
    }
  });

  it('alerts on a shared database: two servers checking at once fire and deliver an alert once, and both show it', async () => {
    const log = join(dir, 'drop.jsonl');
    writeDropLog(log);
    const engines = [await PgEngine.open(db.url), await PgEngine.open(db.url)];
    try {
      assert.equal((await importFile(engines[0]!, log, opts)).added, readFileSync(log, 'utf8').trim().split('\n').length);
      let clock = NOW;
      const heard: string[] = [];
      const config = { enabled: true, rules: [alertRuleSchema.parse({ id: 'drop-tag', kind: 'successDrop', scope: 'tag' })], checkMinutes: 15, minExamples: 20, webhook: null, email: null };
      const monitors = await Promise.all(
        engines.map((e, i) => AlertMonitor.open(e.alertState(), () => engineAlertSource(e), { log: () => undefined, onAlert: (event, a) => heard.push(`server ${i}: ${event} ${a.subject}`) }, () => clock)),
      );
      for (const m of monitors) m.configure(config, 3_600_000);
      // Each round both servers' timers come at once: one checks, the other finds it checking or just checked.
      const round = async () => (await Promise.all(monitors.map((m) => m.check({ onTimer: true })))).filter((r) => r.observations.length > 0).length;
      assert.equal(await round(), 1, 'one server checked the first round');
      assert.deepEqual(heard, [], 'one breach is not yet an alert');
      clock += 15 * 60_000;
      assert.equal(await round(), 1, 'one server checked the second round');
      assert.equal(heard.length, 1, `fired once, by one server: ${heard.join('; ')}`);
      assert.match(heard[0]!, /fired auth$/);
      // Both servers show it, as the database holds it; a third process (the command line) too.
      for (const m of monitors) assert.deepEqual((await m.overviewNow()).active.map((a) => a.subject), ['auth']);
      const third = await AlertMonitor.open(engines[1]!.alertState(), () => engineAlertSource(engines[1]!), { log: () => undefined }, () => clock);
      assert.equal(third.overview().active.length, 1);
      // A later round does not fire it again, whichever server checks.
      clock += 15 * 60_000;
      await round();
      assert.equal(heard.length, 1);
      // A snooze from one server holds for the other.
      assert.ok(await monitors[1]!.snooze((await monitors[1]!.overviewNow()).active[0]!.id));
      const { rows } = await engines[0]!.database.query<{ state: string }>("SELECT state FROM alert_state WHERE name = 'current'");
      assert.equal(Object.values((JSON.parse(rows[0]!.state) as { subjects: Record<string, { snoozedUntil: number | null }> }).subjects).filter((x) => x.snoozedUntil !== null).length, 1);
    } finally {
      for (const e of engines) await e.close();
    }
  });

  it('answers 503 with Retry-After while the database is away, and goes on when it is back', async () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    const proxy = await startProxy(db.url);
    const server = await startServeWith(cli, ['--no-auth'], { ...process.env, DATABASE_URL: proxy.url });
    try {
      const headers = { host: new URL(server.url).host, 'content-type': 'application/json' };
      const post = (id: string) => fetch(`${server.url}/api/examples`, { method: 'POST', headers, body: JSON.stringify({ id, timestamp: new Date(NOW).toISOString(), success: true }) });
      assert.equal((await post('before')).status, 201);
      proxy.cut();
      const away = await post('while-away');
      assert.equal(away.status, 503);
      assert.equal(away.headers.get('retry-after'), '5');
      const body = (await away.json()) as { detail: string };
      assert.match(body.detail, /PostgreSQL at .*127\.0\.0\.1/);
      assert.doesNotMatch(JSON.stringify(body) + server.log(), new RegExp(new URL(db.url).password));
      assert.equal((await fetch(`${server.url}/api/health`, { headers })).status, 503);
      await proxy.restore();
      assert.equal((await post('while-away')).status, 201, 'the client retries and it is stored');
      const stats = (await (await fetch(`${server.url}/api/stats`, { headers })).json()) as { total_examples: number };
      assert.equal(stats.total_examples, 2);
    } finally {
      await stopServe(server);
      proxy.close();
    }
  });

  it('says plainly when the server is not there or refuses the login, and never shows the password', async () => {
    // A port nothing listens on.
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const retries: string[] = [];
    await assert.rejects(
      PgEngine.open(`postgresql://someone:s3cret-pw@127.0.0.1:${free}/nowhere`, { attempts: 2, onRetry: (m) => retries.push(m) }),
      (e: Error) => {
        assert.match(e.message, new RegExp(`PostgreSQL at someone@127.0.0.1:${free}/nowhere refused the connection`));
        assert.doesNotMatch(e.message, /s3cret/);
        return true;
      },
    );
    assert.equal(retries.length, 1, 'tried again once, saying so');
    assert.match(retries[0]!, /trying again in 0\.3 s/);
    const u = new URL(db.url);
    u.password = 'wrong-password-x';
    await assert.rejects(PgEngine.open(u.toString(), { attempts: 1 }), (e: Error) => {
      assert.match(e.message, /refused the login/);
      assert.doesNotMatch(e.message, /wrong-password-x/);
      return true;
    });
    assert.equal(redact(`could not use postgresql://a:pw-1234@h/db`), 'could not use postgresql://a:***@h/db');
    // A user who may not make tables, and a server whose certificate no known authority signed: what to do, said.
    assert.match(connectionProblem({ code: '42501', message: 'permission denied for schema public' }, 'postgresql://u:p4ss@h/team'), /^PostgreSQL at u@h\/team: permission denied for schema public \(the user needs to own the database/);
    assert.match(connectionProblem({ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' }, 'postgresql://u:p4ss@h/team?sslmode=verify-full'), /sslrootcert=\/path\/to\/ca\.pem/);
    assert.equal(describeUrl('postgresql://a:pw@h:5433/team?sslmode=require'), 'a@h:5433/team');
  });

  it('speaks TLS as sslmode says: verifies the server against the CA file given, refuses an unknown authority saying what to do, encrypts unchecked only when asked', async () => {
    const proxy = await startTlsProxy(db.url);
    const at = (query: string) => `${proxy.url}${proxy.url.includes('?') ? '&' : '?'}${query}`;
    try {
      const verified = await PgEngine.open(at(`sslmode=verify-full&sslrootcert=${encodeURIComponent(proxy.caFile)}`), { attempts: 1 });
      try {
        const log = join(dir, 'tls.jsonl');
        writeFileSync(log, `${JSON.stringify({ id: 'over-tls', timestamp: new Date(NOW).toISOString(), success: true, tags: ['auth'] })}\n`);
        assert.equal((await importFile(verified, log, opts)).added, 1);
        assert.equal(await verified.count(), 1);
      } finally {
        await verified.close();
      }
      assert.ok(proxy.tlsSessions > 0, 'every connection went through TLS');
      const password = new URL(db.url).password;
      await assert.rejects(PgEngine.open(at('sslmode=verify-full'), { attempts: 1 }), (e: Error) => {
        assert.match(e.message, /presented a certificate that no known authority signed \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): give its CA with sslrootcert=/);
        if (password) assert.ok(!e.message.includes(password), 'no password in the message');
        return true;
      });
      const unchecked = await PgEngine.open(at('sslmode=require&uselibpqcompat=true'), { attempts: 1 });
      try {
        assert.equal(await unchecked.count(), 1, 'encrypted, the certificate not checked, as libpq\'s require');
      } finally {
        await unchecked.close();
      }
      // A server that takes only TLS refuses a client that asks none.
      await assert.rejects(PgEngine.open(at('sslmode=disable'), { attempts: 1 }));
      assert.ok(proxy.refusedPlain > 0);
    } finally {
      proxy.close();
    }
  });

  it('runs import, stats and examples from the command line on the database DATABASE_URL names, with the same figures as on a folder', async function () {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    const log = join(dir, 'log.jsonl');
    writeFileSync(log, `${[...generateKimiRecords(400, { seed: 4, end: NOW, days: 10 })].map((r) => JSON.stringify(r)).join('\n')}\n`);
    const env = { ...process.env, DATABASE_URL: db.url };
    const run = (args: string[], withEnv = env) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: withEnv });
    const imported = run(['import', log, '--utc']);
    assert.equal(imported.stdout, 'added 400, already present 0, conflicts 0, rejected 0\n', imported.stderr);
    assert.equal(run(['import', log, '--utc']).stdout, 'added 0, already present 400, conflicts 0, rejected 0\n');
    const folder = run(['import', log, '--utc', '--db', join(dir, 'db')]);
    assert.equal(folder.status, 0, folder.stderr);
    const onPg = JSON.parse(run(['stats', '--json', '--tag', 'auth']).stdout);
    const onFolder = JSON.parse(run(['stats', '--json', '--tag', 'auth', '--db', join(dir, 'db')]).stdout);
    assert.ok(onPg.total > 0);
    assert.deepEqual({ ...onPg, avgExecutionTime: null }, { ...onFolder, avgExecutionTime: null });
    assert.ok(Math.abs(onPg.avgExecutionTime - onFolder.avgExecutionTime) < 1e-9);
    const examples = run(['examples', '--limit', '3', '--database', db.url]).stdout.trim().split('\n');
    assert.equal(examples.length, 3);
    assert.deepEqual(examples, run(['examples', '--limit', '3', '--db', join(dir, 'db')]).stdout.trim().split('\n'));
    // An export from either is the same file.
    for (const format of ['csv', 'jsonl']) {
      const [fromPg, fromFolder] = [join(dir, `pg.${format}`), join(dir, `folder.${format}`)];
      assert.equal(run(['export', '--format', format, '--out', fromPg, '--tag', 'auth']).status, 0);
      assert.equal(run(['export', '--format', format, '--out', fromFolder, '--tag', 'auth', '--db', join(dir, 'db')]).status, 0);
      assert.equal(readFileSync(fromPg, 'utf8'), readFileSync(fromFolder, 'utf8'), `the same ${format}`);
    }
    const analytics = JSON.parse(run(['analytics', '--json', '--compare', 'Mistral 7B,Llama 3 8B']).stdout) as { overall: unknown; comparison: { verdict: string } };
    const analyticsFolder = JSON.parse(run(['analytics', '--json', '--compare', 'Mistral 7B,Llama 3 8B', '--db', join(dir, 'db')]).stdout) as typeof analytics;
    assert.deepEqual([analytics.overall, analytics.comparison.verdict], [analyticsFolder.overall, analyticsFolder.comparison.verdict]);
    // The built-in learner gives the same entry on both, and stores it where it read.
    const learnt = (args: string[]) => {
      const r = run(['learn', 'auth', '--depth', 'deep', '--json', ...args]);
      assert.equal(r.status, 0, r.stderr);
      const entry = JSON.parse(r.stdout) as { id?: string; createdAt?: number; until?: number; metrics: Record<string, number | null> };
      // Made now, each with its own id: the rest is what the examples say.
      delete entry.id;
      delete entry.createdAt;
      delete entry.until;
      const metrics = entry.metrics;
      return { ...entry, metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, v === null ? v : Number(v.toPrecision(9))])) };
    };
    assert.deepEqual(learnt([]), learnt(['--db', join(dir, 'db')]));
    // A command that needs the embedded folder says so instead of opening something else.
    const backups = run(['backups']);
    assert.equal(backups.status, 2);
    assert.match(backups.stderr, /backups runs on the embedded database \(--db DIR\) only for now; on PostgreSQL \(DATABASE_URL\): import, import-sessions, stats, examples, export, analytics, learn, prune, serve.*, alerts/);
    // Alerts run there too, their state the database's.
    const alerts = run(['alerts']);
    assert.equal(alerts.status, 0, alerts.stderr);
    assert.match(alerts.stdout, /no alerts yet/);
    // Unreachable: a clear message, exit 2, no password.
    const down = run(['stats'], { ...process.env, DATABASE_URL: 'postgresql://u:hidden-pw@127.0.0.1:1/x' });
    assert.equal(down.status, 2);
    assert.match(down.stderr, /PostgreSQL at u@127\.0\.0\.1:1\/x refused the connection/);
    assert.doesNotMatch(down.stderr, /hidden-pw/);
  });
});
