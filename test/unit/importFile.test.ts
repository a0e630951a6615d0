import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { appendFileSync, createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFile, PARSE_WORKER_MIN_BYTES } from '../../src/core/ingest/importFile';
import { writeKimiLog } from '../../src/core/sample/generateExamples';
import { summary } from '../../src/core/queries/summary';
import { LearningStore } from '../../src/core/storage/learningStore';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';

const NOW = Date.UTC(2026, 10, 21);
const opts = { assumeTimeZone: 'utc' as const, now: NOW, maxLineBytes: 4096 };
const line = (id: string, success = true, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, timestamp: '2026-11-20T10:00:00Z', success, tags: ['auth'], ...extra });

describe('importing a KIMI log', () => {
  const tmp = useTempDir();
  let store: LearningStore;
  beforeEach(async () => {
    store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
  });
  afterEach(() => store.close());

  it('counts a second import of the same file as already present', async () => {
    const file = join(tmp.path, 'log.jsonl');
    writeFileSync(file, [line('a'), line('b'), JSON.stringify({ timestamp: '2026-11-20T10:00:00Z', success: true })].join('\n') + '\n');
    const first = await importFile(store, file, opts);
    const second = await importFile(store, file, opts);
    assert.equal(first.added, 3);
    assert.equal(second.added, 0);
    assert.equal(second.duplicates, 3, 'even the line without an id');
    assert.equal(store.count(), 3);
  });

  it('in follow mode reads only what was appended and waits for a partial line', async () => {
    const file = join(tmp.path, 'learning_logs.jsonl');
    writeFileSync(file, line('a') + '\n' + line('b').slice(0, 20));
    const follow = { ...opts, follow: true };
    assert.equal((await importFile(store, file, follow)).added, 1);
    appendFileSync(file, line('b').slice(20) + '\n' + line('c') + '\n');
    const second = await importFile(store, file, follow);
    assert.equal(second.added, 2);
    assert.equal(second.duplicates, 0, 'nothing was read twice');
    assert.equal(second.rejected, 0, 'the completed line parsed whole');
  });

  it('in follow mode reads a truncated or replaced file again from the start without duplicates', async () => {
    const file = join(tmp.path, 'learning_logs.jsonl');
    writeFileSync(file, line('a') + '\n' + line('b') + '\n');
    await importFile(store, file, { ...opts, follow: true });
    writeFileSync(file, line('c') + '\n');
    const report = await importFile(store, file, { ...opts, follow: true });
    assert.equal(report.added, 1);
    assert.equal(store.count(), 3);
  });

  it('imports gzip files and JSON arrays, naming the array position of a bad item', async () => {
    const gz = join(tmp.path, 'old.jsonl.gz');
    writeFileSync(gz, gzipSync(line('g1') + '\n' + line('g2') + '\n'));
    const json = join(tmp.path, 'old.json');
    writeFileSync(json, JSON.stringify([JSON.parse(line('j1')), { id: 'j2', success: true }]));
    assert.equal((await importFile(store, gz, opts)).added, 2);
    const r = await importFile(store, json, opts);
    assert.equal(r.added, 1);
    assert.equal(r.problems[0]!.line, 2);
    assert.match(r.problems[0]!.reason, /item 2: timestamp is missing/);
  });

  it('stops after the current batch when cancelled and keeps what was committed', async () => {
    const file = join(tmp.path, 'big.jsonl');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => line(`id${i}`)).join('\n') + '\n');
    const controller = new AbortController();
    const report = await importFile(store, file, {
      ...opts,
      batchSize: 10,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.linesRead >= 20) controller.abort();
      },
    });
    assert.equal(report.cancelled, true);
    assert.equal(report.added, 20);
    assert.equal(store.count(), 20);
  });
});

describe('a 100 MB line', () => {
  const tmp = useTempDir();

  it('is rejected without being held whole, and the lines around it are stored', async function () {
    this.timeout(60_000);
    const file = join(tmp.path, 'huge.jsonl');
    const out = createWriteStream(file);
    out.write(line('before') + '\n');
    out.write('{"id":"huge","timestamp":"2026-11-20T10:00:00Z","success":true,"code_context":"');
    const mb = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 100; i++) if (!out.write(mb)) await once(out, 'drain');
    out.write('"}\n' + line('after') + '\n');
    out.end();
    await once(out, 'finish');

    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
    // JS heap plus Buffer memory: what holding the line whole (100 MB of bytes, then 200 MB of string) would inflate.
    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = used();
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, used())), 2);
    const report = await importFile(store, file, {
      assumeTimeZone: 'utc',
      now: NOW,
      onProgress: () => (peak = Math.max(peak, used())),
    });
    clearInterval(sampler);
    peak = Math.max(peak, used());
    assert.equal(report.added, 2);
    assert.equal(report.rejected, 1);
    assert.equal(report.problems[0]!.line, 2);
    assert.match(report.problems[0]!.reason, /the line is 100\.0 MB, over the 16\.0 MB limit/);
    const growthMb = (peak - base) / 1048576;
    assert.ok(growthMb < 60, `memory grew by ${growthMb.toFixed(0)} MB while reading a 100 MB line`);
    store.close();
  });
});

describe('importing through the parse worker (dist/parseWorker.js)', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  const parseWorker = join(__dirname, '..', '..', 'dist', 'parseWorker.js');

  /** A log over PARSE_WORKER_MIN_BYTES (so the worker is used) with bad lines among the good ones. */
  async function bigMessyLog(): Promise<{ file: string; lines: number }> {
    const file = join(tmp.path, 'big.jsonl');
    await writeKimiLog(file, 12_000, { seed: 7, end: NOW, days: 30 });
    appendFileSync(file, ['{"timestamp": oops}', '[1,2]', line('x1'), line('x1'), line('x1', false), '', JSON.stringify({ timestamp: 'yesterday', success: true })].join('\n'));
    assert.ok(statSync(file).size > PARSE_WORKER_MIN_BYTES, 'the log is large enough for the parse worker');
    return { file, lines: 12_007 };
  }

  it('stores the same examples and reports the same problems as parsing in this thread', async () => {
    if (!existsSync(parseWorker)) throw new Error('dist/parseWorker.js is missing: run `npm run build` first');
    const { file } = await bigMessyLog();
    const SQL = await testSqlJs();
    const results = [];
    for (const [name, worker] of [['thread', undefined], ['worker', parseWorker]] as const) {
      const store = LearningStore.open({ SQL, dataDir: join(tmp.path, name) });
      try {
        const progress: number[] = [];
        const report = await importFile(store, file, { ...opts, maxLineBytes: undefined, parseWorker: worker, onProgress: (p) => progress.push(p.linesRead) });
        results.push({
          report,
          rows: store.rows('SELECT id, ts, success, session_k, content_k, source_line FROM examples ORDER BY k'),
          summary: summary(store),
          offset: store.getSourceOffset(file),
          progress,
        });
      } finally {
        store.close();
      }
    }
    const [thread, worker] = results;
    assert.deepEqual(worker!.report, thread!.report);
    assert.deepEqual([worker!.report.added, worker!.report.duplicates, worker!.report.conflicts, worker!.report.rejected], [12_001, 1, 1, 3]);
    assert.deepEqual(
      worker!.report.problems.map((p) => p.line).sort((a, b) => a - b),
      [12_001, 12_002, 12_005, 12_007],
    );
    assert.deepEqual(worker!.rows, thread!.rows);
    assert.deepEqual(worker!.summary, thread!.summary);
    assert.deepEqual(worker!.offset, thread!.offset);
    assert.equal(worker!.progress.at(-1), 12_007);
  });

  it('a cancel stops the worker and keeps what was committed; importing again completes it with nothing twice', async () => {
    const { file } = await bigMessyLog();
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'cancel') });
    try {
      const controller = new AbortController();
      const first = await importFile(store, file, {
        ...opts,
        maxLineBytes: undefined,
        batchSize: 1000,
        parseWorker,
        signal: controller.signal,
        onProgress: (p) => p.linesRead >= 3000 && controller.abort(),
      });
      assert.equal(first.cancelled, true);
      assert.equal(store.count(), 3000);
      const second = await importFile(store, file, { ...opts, maxLineBytes: undefined, parseWorker });
      assert.equal(second.added, 12_001 - 3000);
      assert.equal(second.duplicates, 3000 + 1);
      assert.equal(store.count(), 12_001);
    } finally {
      store.close();
    }
  });
});
