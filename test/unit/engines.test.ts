// One suite, two engines: the storage contract on the embedded engine (sql.js)
// and on a real PostgreSQL. The same import, the same figures, the same rows;
// then the same input on both gives the same numbers.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LearningEngine } from '../../src/core/engine/contract';
import { EmbeddedEngine } from '../../src/core/engine/embeddedEngine';
import { PgEngine } from '../../src/core/engine/postgres/pgEngine';
import { importFile } from '../../src/core/ingest/importFile';
import { generateKimiRecords, mulberry32, writeKimiLog } from '../../src/core/sample/generateExamples';
import { LearningStore } from '../../src/core/storage/learningStore';
import { filtersSchema, NO_FILTERS, type Filters } from '../../src/shared/filters';
import { localDayStart } from '../../src/core/queries/rollupPlan';
import { localDay } from '../../src/shared/series';
import { DAY_MS } from '../../src/shared/series';
import { testSqlJs } from '../helpers/sqlJs';
import { learnTechnology } from '../../src/core/tasks/builtinLearner';
import { copyEngine } from '../../src/core/engine/copyEngine';
import { exportExamples } from '../../src/core/export/exportExamples';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import type { Task } from '../../src/shared/tasks';
import { freshDatabase, postgresUrl } from '../helpers/postgres';
import { makeAgentHome } from '../helpers/agentHome';
import { findSessions } from '../../src/core/ingest/adapters/sessionFiles';
import { importSessions } from '../../src/core/ingest/importSessions';

const NOW = Date.now();
const opts = { assumeTimeZone: 'utc' as const, now: NOW };

interface EngineUnderTest {
  name: string;
  /** Null: this engine cannot be tested here (said once). */
  available(): boolean;
  open(): Promise<LearningEngine>;
  cleanup(): Promise<void>;
}

function embedded(): EngineUnderTest {
  const dirs: string[] = [];
  return {
    name: 'the embedded engine (sql.js)',
    available: () => true,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'lv-engine-'));
      dirs.push(dir);
      return new EmbeddedEngine(LearningStore.open({ SQL: await testSqlJs(), dataDir: dir }), dir);
    },
    async cleanup() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

function postgres(): EngineUnderTest {
  const base = postgresUrl();
  const drops: (() => Promise<void>)[] = [];
  return {
    name: 'PostgreSQL',
    available: () => base !== null,
    async open() {
      const db = await freshDatabase(base!);
      drops.push(db.drop);
      return PgEngine.open(db.url, { attempts: 1 });
    },
    async cleanup() {
      for (const drop of drops.splice(0)) await drop();
    },
  };
}

const filters = (f: Partial<Filters>): Filters => filtersSchema.parse({ ...NO_FILTERS, ...f });

/** Every example the filters select, counted from the rows themselves (the definition the rollups must meet). */
async function recount(engine: LearningEngine, f: Filters): Promise<{ total: number; successes: number; unknown: number; ids: string[] }> {
  let total = 0;
  let successes = 0;
  let unknown = 0;
  const ids: string[] = [];
  for await (const e of engine.examples(f)) {
    total++;
    if (e.success === true) successes++;
    if (e.success === null) unknown++;
    ids.push(e.id);
  }
  return { total, successes, unknown, ids };
}

/** One line in `every` of a log made of unknown outcome (`success: null`), as an agent session's turns are. */
function someUnknown(log: string, every: number): void {
  const lines = readFileSync(log, 'utf8').split('\n');
  writeFileSync(log, lines.map((l, i) => (i % every === 1 ? l.replace(/"success":(true|false)/, '"success":null') : l)).join('\n'));
}

/** Random filters the per-day rollups can answer: whole local days, outcome, model, at most one tag. */
function randomRollupFilters(rand: () => number, models: string[], tags: string[]): Filters {
  const today = localDay(NOW);
  const since = rand() < 0.6 ? localDayStart(today - Math.floor(rand() * 40)) : null;
  const until = rand() < 0.4 ? localDayStart(today - Math.floor(rand() * 20)) : null;
  return filters({
    since,
    until,
    success: rand() < 0.3 ? (rand() < 0.2 ? 'unknown' : rand() < 0.5) : null,
    model: rand() < 0.4 ? models[Math.floor(rand() * models.length)]! : null,
    tags: rand() < 0.4 ? [tags[Math.floor(rand() * tags.length)]!] : [],
  });
}

for (const target of [embedded(), postgres()]) {
  describe(`the storage contract on ${target.name}`, function () {
    this.timeout(60_000);
    let dir: string;
    let engine: LearningEngine;
    before(function () {
      if (!target.available()) this.skip();
    });
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'lv-engine-log-'));
      engine = await target.open();
    });
    afterEach(async () => {
      await engine?.close();
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports a log once: a second import adds nothing and counts every line a duplicate', async () => {
      const log = join(dir, 'learning_logs.jsonl');
      await writeKimiLog(log, 1500, { seed: 7, end: NOW, days: 30 });
      const first = await importFile(engine, log, opts);
      assert.deepEqual([first.added, first.duplicates, first.conflicts, first.rejected], [1500, 0, 0, 0]);
      const again = await importFile(engine, log, opts);
      assert.deepEqual([again.added, again.duplicates], [0, 1500]);
      assert.equal(await engine.count(), 1500);
    });

    it('keeps the first of an id with other content and names the line of the conflict', async () => {
      const log = join(dir, 'clash.jsonl');
      const at = new Date(NOW - DAY_MS).toISOString();
      writeFileSync(
        log,
        [
          { id: 'a', timestamp: at, success: true, tags: ['auth'] },
          { id: 'a', timestamp: at, success: true, tags: ['auth'] },
          { id: 'a', timestamp: at, success: false, tags: ['auth'] },
          { id: 'b', timestamp: at, success: false },
        ]
          .map((r) => JSON.stringify(r))
          .join('\n') + '\n',
      );
      const report = await importFile(engine, log, opts);
      assert.deepEqual([report.added, report.duplicates, report.conflicts], [2, 1, 1]);
      assert.equal(report.problems[0]?.line, 3);
      assert.match(report.problems[0]!.reason, /id a is already stored with other content/);
      assert.equal((await engine.exampleById('a'))?.success, true);
      const s = await engine.summary(NO_FILTERS);
      assert.deepEqual([s.rate.total, s.rate.successes], [2, 1]);
    });

    it('follows a growing file from the offset its last batch stored, and never stores a line twice', async () => {
      const log = join(dir, 'followed.jsonl');
      const records = [...generateKimiRecords(30, { seed: 3, end: NOW, days: 5 })].map((r) => JSON.stringify(r));
      writeFileSync(log, `${records.slice(0, 20).join('\n')}\n${records[20]!.slice(0, 15)}`);
      const first = await importFile(engine, log, { ...opts, follow: true });
      assert.equal(first.added, 20, 'the half-written last line waits');
      const offset = await engine.sourceOffset(log);
      assert.equal(offset?.line, 20);
      appendFileSync(log, `${records[20]!.slice(15)}\n${records.slice(21).join('\n')}\n`);
      const second = await importFile(engine, log, { ...opts, follow: true });
      assert.deepEqual([second.added, second.duplicates, second.rejected], [10, 0, 0]);
      assert.equal(await engine.count(), 30);
    });

    it('answers random filters from the rollups with exactly the counts of the rows themselves', async () => {
      const log = join(dir, 'many.jsonl');
      await writeKimiLog(log, 2000, { seed: 11, end: NOW, days: 45 });
      someUnknown(log, 6);
      await importFile(engine, log, opts);
      const models = (await engine.byModel(NO_FILTERS)).map((m) => m.model);
      const tags = (await engine.byTag(NO_FILTERS)).map((t) => t.tag);
      assert.ok(models.length >= 2 && tags.length >= 3);
      const rand = mulberry32(5);
      for (let i = 0; i < 25; i++) {
        const f = randomRollupFilters(rand, models, tags);
        const rows = await recount(engine, f);
        const s = await engine.summary(f);
        assert.deepEqual([s.rate.total, s.rate.successes, s.rate.unknown], [rows.total, rows.successes, rows.unknown], `summary for ${JSON.stringify(f)}`);
        if (f.success === null && rows.total > 50) assert.ok(rows.unknown > 0, 'the data has unknown outcomes');
        const days = await engine.daily(f);
        assert.equal(days.reduce((n, d) => n + d.total, 0), rows.total, `daily for ${JSON.stringify(f)}`);
        const byModel = await engine.byModel({ ...f, model: null });
        if (f.model !== null) assert.equal(byModel.find((m) => m.model === f.model)?.total ?? 0, (await recount(engine, { ...f })).total);
      }
    });

    it('prunes examples older than the cutoff but keeps feedback and practice, and the rollups keep every figure', async () => {
      const log = join(dir, 'old.jsonl');
      await writeKimiLog(log, 1500, { seed: 13, end: NOW, days: 120 });
      const old = new Date(NOW - 100 * DAY_MS).toISOString();
      appendFileSync(log, `${JSON.stringify({ id: 'kept-feedback', timestamp: old, success: false, human_feedback: 'a person wrote this' })}\n`);
      await importFile(engine, log, opts);
      const cutoff = localDayStart(localDay(NOW) - 45);
      const models = (await engine.byModel(NO_FILTERS)).map((m) => m.model);
      const tags = (await engine.byTag(NO_FILTERS)).map((t) => t.tag);
      const rand = mulberry32(3);
      const cases = [NO_FILTERS, ...Array.from({ length: 10 }, () => randomRollupFilters(rand, models, tags)), filters({ since: localDayStart(localDay(NOW) - 110), until: cutoff })];
      // What the rollups answer: the summary and the days for every case, the per-tag list where no tag is chosen.
      const figures = (f: Filters) => Promise.all([engine.summary(f, { now: NOW }), f.tags.length ? null : engine.byTag(f), engine.daily(f)]);
      const before = await Promise.all(cases.map(figures));
      const dry = await engine.prune(cutoff, { dryRun: true });
      assert.ok(dry.examples > 500, `most of 120 days are before the cutoff (${dry.examples})`);
      assert.equal(await engine.count(), 1501, 'a dry run removes nothing');
      const report = await engine.prune(cutoff);
      assert.equal(report.removed, dry.examples, 'the dry run said what would go');
      assert.equal(await engine.count(), 1501 - dry.examples);
      assert.equal((await engine.exampleById('kept-feedback'))?.humanFeedback, 'a person wrote this');
      const after = await Promise.all(cases.map(figures));
      assert.deepEqual(after, before, 'every figure the rollups answer, to the last digit');
      assert.deepEqual((await engine.retention())?.removedBefore, cutoff);
      const again = await importFile(engine, log, opts);
      assert.equal(again.added, 0, 'nothing older than the cutoff comes back');
      assert.equal(again.rejected, dry.examples);
      assert.match(again.problems[0]!.reason, /older than the retention period keeps/);
    });

    it('finds text in the description, the feedback or the code, ASCII case ignored, and a code regex', async () => {
      const log = join(dir, 'text.jsonl');
      const at = new Date(NOW - DAY_MS).toISOString();
      writeFileSync(
        log,
        [
          { id: 'd', timestamp: at, success: true, task_description: 'Fix the JSON Parser' },
          { id: 'f', timestamp: at, success: true, human_feedback: 'the json parser broke' },
          { id: 'c', timestamp: at, success: false, code_context: 'def json_parser(x): return 100%' },
          { id: 'n', timestamp: at, success: false, task_description: 'Ünïcode ÉCOLE' },
          { id: 'x', timestamp: at, success: false, task_description: 'unrelated' },
        ]
          .map((r) => JSON.stringify(r))
          .join('\n') + '\n',
      );
      await importFile(engine, log, opts);
      const ids = async (f: Partial<Filters>) => (await recount(engine, filters(f))).ids.sort();
      assert.deepEqual(await ids({ search: 'JSON PARSER' }), ['d', 'f']);
      assert.deepEqual(await ids({ search: 'json_parser' }), ['c'], 'an underscore is itself, not any character');
      assert.deepEqual(await ids({ search: '100%' }), ['c']);
      assert.deepEqual(await ids({ search: 'école' }), [], 'non-ASCII letters keep their case, as SQLite LIKE does');
      assert.deepEqual(await ids({ search: 'ÉCOLE' }), ['n']);
      assert.deepEqual(await ids({ codeRegex: 'def [a-z_]+\\(' }), ['c']);
      const s = await engine.summary(filters({ search: 'parser' }));
      assert.equal(s.rate.total, 3);
    });

    it('keeps learning tasks with their numbered logs, the knowledge they produce and a learner\'s practice apart from the figures', async () => {
      const log = join(dir, 'learning_logs.jsonl');
      await writeKimiLog(log, 1200, { seed: 5, end: NOW, days: 30 });
      await importFile(engine, log, opts);
      const task: Task = {
        id: 'task-1', technology: 'auth', depth: 'deep', priority: 'normal', learner: 'builtin', seq: 1, state: 'pending', progress: 0, message: '',
        createdAt: NOW, startedAt: null, endedAt: null, attempts: 0, result: null,
      };
      await engine.saveTask(task, 'serve-a');
      await engine.saveTask({ ...task, state: 'running', startedAt: NOW, attempts: 1 }, 'serve-a');
      await engine.saveTask({ ...task, id: 'task-2', seq: 2, technology: 'api' }, 'serve-b');
      const all = await engine.tasks();
      assert.deepEqual(all.tasks.map((t) => [t.id, t.state]), [['task-1', 'running'], ['task-2', 'pending']], 'each task once, as it last stood');
      if (engine.kind === 'postgresql') assert.deepEqual((await engine.tasks('serve-b')).tasks.map((t) => t.id), ['task-2'], 'an owner restores only its own');
      assert.equal(await engine.appendTaskEvents('task-1', [{ at: NOW, kind: 'started', message: 'Started', progress: 0 }]), 1);
      assert.equal(await engine.appendTaskEvents('task-1', [{ at: NOW, kind: 'progress', message: 'half', progress: 50 }, { at: NOW, kind: 'log', message: 'a line', progress: null }]), 2);
      assert.deepEqual((await engine.taskEvents('task-1', 2)).map((e) => [e.seq, e.kind, e.message]), [[2, 'progress', 'half'], [3, 'log', 'a line']], 'the last two, oldest first');

      const entry = await learnTechnology(engine, { technology: 'auth', depth: 'deep', taskId: 'task-1', now: NOW });
      const authTotal = (await engine.summary(filters({ andTag: 'auth' }), { now: NOW })).rate.total;
      assert.equal(entry.examplesAnalysed, authTotal, 'the learner reads every auth example');
      await engine.addKnowledge(entry);
      assert.deepEqual(await engine.knowledge({ technology: 'auth' }), [entry]);
      assert.deepEqual((await engine.knowledge({ search: 'AUTH' })).map((k) => k.id), [entry.id], 'ASCII case ignored');
      assert.deepEqual(await engine.knowledge({ technology: 'rust' }), []);

      const before = await engine.summary(NO_FILTERS, { now: NOW });
      const practice = [0, 1, 2].map((i) => {
        const r = normalizeRecord({ id: `practice-${i}`, timestamp: new Date(NOW - i * 60_000).toISOString(), success: i !== 1, tags: ['auth'] }, { assumeTimeZone: 'utc', now: NOW });
        assert.ok(r.ok);
        return r.example;
      });
      assert.equal(await engine.addLearnerExamples('task-1', practice), 3);
      assert.equal(await engine.addLearnerExamples('task-1', practice), 0, 'reported again: nothing added');
      assert.deepEqual((await engine.summary(NO_FILTERS, { now: NOW })).rate, before.rate, 'practice is kept out of the figures');
      const only = await recount(engine, filters({ taskExamples: 'only' }));
      assert.deepEqual(only.ids.sort(), ['practice-0', 'practice-1', 'practice-2']);

      await engine.forgetTask('task-1');
      assert.deepEqual((await engine.tasks()).tasks.map((t) => t.id), ['task-2']);
      assert.deepEqual(await engine.taskEvents('task-1'), [], 'its log went with it');
    });

    it('stores every good line of a messy file and reports each bad one with its line and reason', async () => {
      // The bad-line corpus, with its own clock: the lines are dated the day before it.
      const now = Date.UTC(2026, 10, 21);
      const line = (id: string, success = true) => JSON.stringify({ id, timestamp: '2026-11-20T10:00:00Z', success, tags: ['auth'] });
      const file = join(dir, 'messy.jsonl');
      const parts: Buffer[] = [
        Buffer.from('\uFEFF' + line('a') + '\r\n'), // 1: BOM and CRLF
        Buffer.from('\n'), // 2: blank
        Buffer.from('{"timestamp": oops}\n'), // 3: invalid JSON
        Buffer.from('[1,2]\n'), // 4: not an object
        Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","success":true}\n')]), // 5: invalid UTF-8
        Buffer.from(line('b', false) + '\n'), // 6
        Buffer.from(`{"id":"big","code_context":"${'x'.repeat(10_000)}"}\n`), // 7: over the line limit
        Buffer.from(line('a') + '\n'), // 8: same id, same content
        Buffer.from(line('b', true) + '\n'), // 9: same id, other content
        Buffer.from(JSON.stringify({ id: 'f', timestamp: '2031-01-01T00:00:00Z', success: true }) + '\n'), // 10: future
        Buffer.from(JSON.stringify({ timestamp: '2026-11-20T10:00:00Z' }) + '\n'), // 11: no success
        Buffer.from(line('c')), // 12: no newline at the end
      ];
      writeFileSync(file, Buffer.concat(parts));
      const report = await importFile(engine, file, { assumeTimeZone: 'utc', now, maxLineBytes: 4096 });
      assert.deepEqual(
        { added: report.added, duplicates: report.duplicates, conflicts: report.conflicts, rejected: report.rejected },
        { added: 4, duplicates: 1, conflicts: 1, rejected: 5 },
      );
      const byLine = new Map(report.problems.map((p) => [p.line, p.reason]));
      assert.match(byLine.get(3)!, /invalid JSON/);
      assert.match(byLine.get(4)!, /must be a JSON object, not an array/);
      assert.match(byLine.get(5)!, /not valid UTF-8/);
      assert.match(byLine.get(7)!, /over the 4\.0 KB limit/);
      assert.match(byLine.get(9)!, /id b is already stored with other content; the first one was kept/);
      assert.match(byLine.get(11)!, /success is missing/);
      assert.ok(report.problems.every((p) => p.file === file));
      const s = await engine.summary(NO_FILTERS, { now });
      assert.equal(s.rate.total, 4);
      assert.equal(s.rate.successes, 3, 'b stayed a failure: the first one is kept');
      assert.equal((await engine.exampleById('f'))?.futureTimestamp, true, 'future timestamp flagged');
    });

    for (const format of ['json', 'jsonl'] as const) {
      it(`exports ${format} that imports into an empty database with every field and extra field`, async () => {
        const records = [
          { id: 'x1', timestamp: new Date(NOW - DAY_MS).toISOString(), success: true, tags: ['auth', 'api'], model_used: 'M', tokens_consumed: 10, metrics: { execution_time: 1.5, tests_passed: 3, note: 'n' }, code_context: 'a\nb,"c"', human_feedback: '=1+1', workflow_id: { deep: [1, { two: 2 }] } },
          { id: 'x2', timestamp: new Date(NOW - 2 * DAY_MS + 123).toISOString(), success: false, session_id: 's', task_description: 'Ünïcödé, "quoted"\nline', tags: [], kimi_version: '1.0' },
          { id: 'x3', timestamp: new Date(NOW - 3 * DAY_MS).toISOString(), success: null, tags: ['agent:codex'], outcome: 'interrupted', outcome_evidence: ['turn_aborted.reason=interrupted'] },
        ];
        const log = join(dir, 'two.jsonl');
        writeFileSync(log, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
        assert.equal((await importFile(engine, log, opts)).added, 3);
        const file = join(dir, `out.${format}`);
        assert.equal((await exportExamples(engine, file, { format, filters: NO_FILTERS })).written, 3);
        const other = await target.open();
        try {
          const report = await importFile(other, file, opts);
          assert.deepEqual([report.added, report.rejected], [3, 0]);
          assert.equal((await other.exampleById('x3'))?.success, null, 'an unknown outcome stays unknown');
          for (const id of ['x1', 'x2', 'x3']) assert.deepEqual({ ...(await other.exampleById(id))!, source: null }, { ...(await engine.exampleById(id))!, source: null });
        } finally {
          await other.close();
        }
      });
    }
  });
}

describe('the same input on both engines', function () {
  this.timeout(120_000);
  const pg = postgres();
  const sqljs = embedded();
  let dir: string;
  before(function () {
    if (!pg.available()) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'lv-engines-'));
  });
  after(async () => {
    await pg.cleanup();
    await sqljs.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same figures, breakdowns, days and rows for the same filters', async () => {
    const log = join(dir, 'same.jsonl');
    await writeKimiLog(log, 3000, { seed: 23, end: NOW, days: 60, withoutIdShare: 0.1 });
    someUnknown(log, 9);
    // A few messy lines, the same for both.
    appendFileSync(log, '{"oops"\n{"timestamp":"2026-01-01T00:00:00Z"}\n');
    const a = await sqljs.open();
    const b = await pg.open();
    try {
      const ra = await importFile(a, log, opts);
      const rb = await importFile(b, log, opts);
      assert.deepEqual(rb, ra, 'the same import report');
      const models = (await a.byModel(NO_FILTERS)).map((m) => m.model);
      const tags = (await a.byTag(NO_FILTERS)).map((t) => t.tag);
      const rand = mulberry32(17);
      const cases: Filters[] = [
        NO_FILTERS,
        filters({ tags: [tags[0]!, tags[1]!], tagMode: 'all' }),
        filters({ search: 'parser' }),
        filters({ session: (await a.examples(NO_FILTERS)[Symbol.asyncIterator]().next()).value?.sessionId ?? null }),
        ...Array.from({ length: 12 }, () => randomRollupFilters(rand, models, tags)),
      ];
      const close = (x: number | null, y: number | null) => (x === null || y === null ? x === y : Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)));
      for (const f of cases) {
        const [sa, sb] = [await a.summary(f, { now: NOW }), await b.summary(f, { now: NOW })];
        assert.deepEqual(sb.rate, sa.rate, `rate for ${JSON.stringify(f)}`);
        assert.deepEqual(sb.tokens, sa.tokens);
        assert.ok(close(sa.avgExecutionTime, sb.avgExecutionTime), `mean time ${sa.avgExecutionTime} against ${sb.avgExecutionTime}`);
        assert.deepEqual(await b.byTag(f), await a.byTag(f), `per tag for ${JSON.stringify(f)}`);
        const [ma, mb] = [await a.byModel(f), await b.byModel(f)];
        assert.deepEqual(mb.map(({ avgExecutionTime: _, ...m }) => m), ma.map(({ avgExecutionTime: _, ...m }) => m));
        mb.forEach((m, i) => assert.ok(close(m.avgExecutionTime, ma[i]!.avgExecutionTime)));
        assert.deepEqual(await b.daily(f), await a.daily(f));
      }
      // The analytics: the same report from the same aggregates (floating sums to 9 digits: their order differs).
      const round = (x: unknown): unknown =>
        typeof x === 'number' ? Number(x.toPrecision(9)) : Array.isArray(x) ? x.map(round) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)])) : x;
      for (const f of [NO_FILTERS, cases[4]!, filters({ since: localDayStart(localDay(NOW) - 20) })]) {
        const [ra, rb] = [await a.analytics(f, { now: NOW }), await b.analytics(f, { now: NOW })];
        assert.ok(ra.proficiency.mostPractised.length > 0 || f !== NO_FILTERS);
        assert.deepEqual(round({ ...rb, computeMs: 0 }), round({ ...ra, computeMs: 0 }), `analytics for ${JSON.stringify(f)}`);
        assert.deepEqual(round(await b.prediction(f, tags[0]!)), round(await a.prediction(f, tags[0]!)));
        assert.deepEqual(round(await b.compareModels(f, models[0]!, models[1]!, tags[0]!)), round(await a.compareModels(f, models[0]!, models[1]!, tags[0]!)));
      }
      const rowsA: unknown[] = [];
      const rowsB: unknown[] = [];
      for await (const e of a.examples(NO_FILTERS)) rowsA.push(e);
      for await (const e of b.examples(NO_FILTERS)) rowsB.push(e);
      assert.equal(rowsB.length, 3000);
      assert.deepEqual(rowsB, rowsA, 'every example, field by field, in the same order');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('imports the same agent sessions into the same examples and figures, unknown outcomes and turn activity included', async () => {
    const home = join(dir, 'agent-home');
    makeAgentHome(home, NOW);
    const sessions = await findSessions(home, {});
    const a = await sqljs.open();
    const b = await pg.open();
    try {
      const [ra, rb] = [await importSessions(a, sessions, { now: NOW, home }), await importSessions(b, sessions, { now: NOW, home })];
      assert.deepEqual(rb, ra);
      assert.ok(ra.added >= 10);
      for (const f of [NO_FILTERS, filters({ success: 'unknown' }), filters({ tags: ['agent:codex'] }), filters({ success: false })]) {
        const [sa, sb] = [await a.summary(f, { now: NOW }), await b.summary(f, { now: NOW })];
        assert.deepEqual(sb.rate, sa.rate, JSON.stringify(f));
        assert.deepEqual(sb.activity, sa.activity, JSON.stringify(f));
        assert.deepEqual(await b.byTag(f), await a.byTag(f));
      }
      assert.ok((await a.summary(NO_FILTERS, { now: NOW })).activity!.turns === ra.added);
      const rowsA: unknown[] = [];
      const rowsB: unknown[] = [];
      for await (const e of a.examples(NO_FILTERS)) rowsA.push(e);
      for await (const e of b.examples(NO_FILTERS)) rowsB.push(e);
      assert.deepEqual(rowsB, rowsA);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('gives the same knowledge entry from the built-in learner, and a copy takes the tasks, their logs and the knowledge along once', async () => {
    const log = join(dir, 'learn.jsonl');
    await writeKimiLog(log, 2500, { seed: 31, end: NOW, days: 40 });
    const a = await sqljs.open();
    const b = await pg.open();
    try {
      await importFile(a, log, opts);
      await importFile(b, log, opts);
      for (const [technology, depth] of [['auth', 'deep'], ['database', 'standard'], ['testing', 'quick']] as const) {
        const [ea, eb] = [
          await learnTechnology(a, { technology, depth, taskId: null, now: NOW }),
          await learnTechnology(b, { technology, depth, taskId: null, now: NOW }),
        ];
        assert.ok(ea.examplesAnalysed > 0);
        const same = (e: typeof ea) => JSON.parse(JSON.stringify({ ...e, id: '', metrics: { ...e.metrics, avgExecutionTime: e.metrics.avgExecutionTime?.toPrecision(9) } })) as unknown;
        assert.deepEqual(same(eb), same(ea), `the entry for ${technology} (${depth})`);
      }
      const task: Task = {
        id: 'copied', technology: 'auth', depth: 'quick', priority: 'high', learner: 'builtin', seq: 4, state: 'completed', progress: 100, message: 'done',
        createdAt: NOW, startedAt: NOW, endedAt: NOW, attempts: 1, result: { proficiency: 0.5, summary: 's', knowledgeId: 'k', examplesAdded: 0 },
      };
      await a.saveTask(task);
      await a.appendTaskEvents('copied', [{ at: NOW, kind: 'started', message: 'Started', progress: 0 }, { at: NOW, kind: 'completed', message: 'done', progress: 100 }]);
      await a.addKnowledge({ ...(await learnTechnology(a, { technology: 'auth', depth: 'quick', taskId: 'copied', now: NOW })), id: 'k' });
      for (const round of [1, 2]) {
        const report = await copyEngine(a, b);
        assert.deepEqual([report.added, report.tasks, report.knowledge], [0, 1, 1], `copy ${round}`);
      }
      assert.deepEqual((await b.tasks()).tasks, [task]);
      assert.deepEqual((await b.taskEvents('copied')).map((e) => [e.seq, e.kind]), [[1, 'started'], [2, 'completed']], 'the log once, after two copies');
      assert.deepEqual(await b.knowledge(), await a.knowledge());
      // "Go deeper" advice builds on the completed task on both.
      const [ra, rb] = [await a.analytics(NO_FILTERS, { now: NOW }), await b.analytics(NO_FILTERS, { now: NOW })];
      assert.deepEqual(rb.recommendations, ra.recommendations);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses, by line and reason, text PostgreSQL cannot hold, and stores the rest', async () => {
    const log = join(dir, 'nul.jsonl');
    const at = new Date(NOW - DAY_MS).toISOString();
    writeFileSync(log, `${JSON.stringify({ id: 'ok', timestamp: at, success: true })}\n${JSON.stringify({ id: 'nul', timestamp: at, success: true, task_description: 'a\u0000b' })}\n`);
    const b = await pg.open();
    try {
      const report = await importFile(b, log, opts);
      assert.deepEqual([report.added, report.rejected], [1, 1]);
      assert.deepEqual(report.problems.map((p) => [p.line, p.reason]), [[2, 'task_description holds a NUL character (\\u0000), which a PostgreSQL database cannot store']]);
    } finally {
      await b.close();
    }
    assert.ok(readFileSync(log, 'utf8').includes('\\u0000'));
  });
});
