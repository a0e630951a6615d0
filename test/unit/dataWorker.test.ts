import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { DataClient } from '../../src/extension/dataClient';
import { SNAPSHOT_FILE } from '../../src/core/storage/learningStore';
import { useTempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..');
const workerPath = join(root, 'dist', 'worker.js');
const wasmPath = join(root, 'dist', 'sql-wasm.wasm');

describe('the data worker (dist/worker.js)', function () {
  const tmp = useTempDir();
  before(function () {
    if (!existsSync(workerPath)) throw new Error('dist/worker.js is missing: run `npm run build` first');
  });

  it('imports in the worker, answers queries, announces the change and saves on shutdown', async () => {
    const client = new DataClient(workerPath, { dataDir: join(tmp.path, 'db'), wasmPath, assumeTimeZone: 'utc', saveIdleMs: 60_000 });
    const health = await client.opened;
    assert.equal(health.state, 'ok');
    assert.equal(health.examples, 0);
    const file = join(tmp.path, 'log.jsonl');
    writeFileSync(
      file,
      [
        { id: 'a', timestamp: '2026-11-20T10:00:00Z', success: true, tokens_consumed: 100, metrics: { execution_time: 2 } },
        { id: 'b', timestamp: '2026-11-20T11:00:00Z', success: false, tokens_consumed: 300, metrics: { execution_time: 4 } },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n') + '\nnot json\n',
    );
    const changed = once(client, 'changed');
    const report = await client.request('importFiles', { paths: [file], importId: 'x' }, 0);
    assert.deepEqual([report.added, report.rejected], [2, 1]);
    assert.deepEqual(report.problems[0], { file, line: 3, reason: report.problems[0]!.reason });
    assert.equal((await changed)[0], 2);
    const summary = await client.request('summary', {});
    assert.equal(summary.rate.total, 2);
    assert.equal(summary.rate.successes, 1);
    assert.equal(summary.avgExecutionTime, 3);
    assert.equal(summary.tokens.tokens, 400);
    await client.dispose();
    assert.ok(existsSync(join(tmp.path, 'db', SNAPSHOT_FILE)), 'shutdown wrote the snapshot');
  });

  it('pages the tree groups: newest day first, a page at a time with "more" until the end', async () => {
    const client = new DataClient(workerPath, { dataDir: join(tmp.path, 'db'), wasmPath, assumeTimeZone: 'utc' });
    await client.opened;
    const file = join(tmp.path, 'sessions.jsonl');
    // Five sessions; session s4 is the most recently active.
    writeFileSync(
      file,
      Array.from({ length: 15 }, (_, i) => JSON.stringify({ id: `g${i}`, timestamp: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(), success: i % 2 === 0, session_id: `s${Math.floor(i / 3)}` })).join('\n'),
    );
    await client.request('importFiles', { paths: [file], importId: 'g' }, 0);
    const first = await client.request('groups', { field: 'session', limit: 2 });
    assert.deepEqual(first.groups.map((g) => [g.key, g.total]), [['s4', 3], ['s3', 3]]);
    assert.equal(first.more, true);
    const last = await client.request('groups', { field: 'session', offset: 4, limit: 2 });
    assert.deepEqual(last.groups.map((g) => g.key), ['s0']);
    assert.equal(last.more, false);
    const days = await client.request('groups', { field: 'day', limit: 3 });
    assert.deepEqual(days.groups.map((g) => g.key), ['2026-11-15', '2026-11-14', '2026-11-13']);
    const outcome = await client.request('groups', { field: 'outcome' });
    assert.deepEqual(outcome.groups, [
      { key: 'success', total: 8, successes: 8, unknown: 0 },
      { key: 'failure', total: 7, successes: 0, unknown: 0 },
    ]);
    await client.dispose();
  });

  it('rejects a request with invalid params instead of acting on it', async () => {
    const client = new DataClient(workerPath, { dataDir: join(tmp.path, 'db'), wasmPath });
    await client.opened;
    await assert.rejects(client.request('importFiles', { paths: [], importId: 'x' }), /array|too small|>=1/i);
    await client.dispose();
  });
});

describe('learning tasks through the data worker (dist/worker.js)', function () {
  const tmp = useTempDir();

  it('learn: reports progress, stores the knowledge entry, and a finished task leads to a "go deeper" recommendation', async () => {
    const client = new DataClient(workerPath, { dataDir: join(tmp.path, 'db'), wasmPath, assumeTimeZone: 'utc' });
    await client.opened;
    const file = join(tmp.path, 'auth.jsonl');
    const now = Date.now();
    // 60 auth examples in the last 6 days, 54 successes (90%).
    writeFileSync(file, Array.from({ length: 60 }, (_, i) => JSON.stringify({ id: `a${i}`, timestamp: new Date(now - (i % 6) * 86_400_000 - 60_000).toISOString(), success: i % 10 !== 0, tags: ['auth'] })).join('\n'));
    await client.request('importFiles', { paths: [file], importId: 'a' }, 0);
    const progress: number[] = [];
    client.on('taskProgress', (m) => m.taskId === 'task-1' && progress.push(m.progress));
    const entry = await client.request('learn', { taskId: 'task-1', technology: 'auth', depth: 'quick' }, 0);
    assert.equal(entry.examplesAnalysed, 60);
    assert.equal(entry.proficiency.successes, 54);
    assert.deepEqual(progress, [5, 25, 45, 60, 75, 90, 100]);
    assert.equal((await client.request('knowledge', { technology: 'auth' }))[0]!.id, entry.id);
    const task = {
      id: 'task-1',
      seq: 1,
      technology: 'auth',
      depth: 'quick' as const,
      priority: 'normal' as const,
      learner: 'builtin' as const,
      state: 'completed' as const,
      progress: 100,
      message: 'done',
      createdAt: now,
      startedAt: now,
      endedAt: now,
      attempts: 1,
      result: { proficiency: 0.9, summary: 'ok', knowledgeId: entry.id, examplesAdded: 0 },
    };
    await client.request('saveTask', { task });
    const report = await client.request('analytics', {});
    const deeper = report.recommendations.find((r) => r.kind === 'depth');
    assert.equal(deeper?.technology, 'auth');
    assert.equal(deeper?.depth, 'standard');
    assert.match(deeper!.reason, /The last quick task on auth reached 90% proficiency/);
    await client.dispose();
  });

  it("a learner's examples: good ones stored and linked to the task, bad ones rejected with a reason", async () => {
    const client = new DataClient(workerPath, { dataDir: join(tmp.path, 'db'), wasmPath, assumeTimeZone: 'utc' });
    await client.opened;
    const r = await client.request('addLearnerExamples', {
      taskId: 'task-9',
      records: [
        { id: 'good-1', timestamp: '2026-11-20T10:00:00Z', success: true, tags: ['auth'] },
        { id: 'bad-1', timestamp: 'yesterday', success: true },
        { id: 'bad-2', success: 'maybe', timestamp: '2026-11-20T10:00:00Z' },
        'not an object',
      ],
    });
    assert.equal(r.added, 1);
    assert.equal(r.rejected.length, 3);
    assert.match(r.rejected[0]!, /^example 2: .*timestamp/);
    assert.match(r.rejected[1]!, /^example 3: .*success/);
    assert.deepEqual((await client.request('example', { id: 'good-1' }))!.source, { file: 'learning-task:task-9', line: 1 });
    const again = await client.request('addLearnerExamples', { taskId: 'task-9', records: [{ id: 'good-1', timestamp: '2026-11-20T10:00:00Z', success: true, tags: ['auth'] }] });
    assert.deepEqual([again.added, again.alreadyPresent], [0, 1]);
    await client.dispose();
  });
});
