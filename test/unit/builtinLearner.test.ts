import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { learnTechnology, rowLearnerSource } from '../../src/core/tasks/builtinLearner';
import { wilsonInterval } from '../../src/core/analytics/successRate';
import { rmSync } from 'node:fs';
import { LearningStore, LOCK_FILE } from '../../src/core/storage/learningStore';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import type { Task } from '../../src/shared/tasks';
import { kimi, storeWith } from '../helpers/storeWith';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';

const NOW = Date.UTC(2026, 10, 21, 12);
const ago = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

/**
 * Known numbers, counted by construction:
 * - auth in the last 7 days: 40 examples, 30 successes (75%). 10 of them also carry
 *   "oauth" and all 10 failed; the other 30 carry only auth and all succeeded.
 * - auth 20–25 days ago: 20 more examples, all successes (seen by standard, not quick).
 * - 140 examples of "css" only, 30% successes, so that oauth is rare overall.
 */
function dataset(): Record<string, unknown>[] {
  const r: Record<string, unknown>[] = [];
  for (let i = 0; i < 30; i++) r.push(kimi({ id: `a${i}`, timestamp: ago(i % 6), success: true, tags: ['auth'], model_used: 'M1', tokens_consumed: 100 }));
  for (let i = 0; i < 10; i++) r.push(kimi({ id: `o${i}`, timestamp: ago(i % 6), success: false, tags: ['auth', 'oauth'], model_used: 'M2', tokens_consumed: 300 }));
  for (let i = 0; i < 20; i++) r.push(kimi({ id: `old${i}`, timestamp: ago(20 + (i % 5)), success: true, tags: ['auth'], model_used: 'M1' }));
  for (let i = 0; i < 140; i++) r.push(kimi({ id: `c${i}`, timestamp: ago(i % 28), success: i % 10 < 3, tags: ['css'], model_used: 'M1' }));
  return r;
}

describe('built-in learner', () => {
  const tmp = useTempDir();

  it('a quick task: the known proficiency, interval, failing tag, related tag and model', async () => {
    const store = await storeWith(tmp.path, dataset());
    const progress: number[] = [];
    try {
      const e = await learnTechnology(rowLearnerSource(store), { technology: 'auth', depth: 'quick', taskId: 't1', now: NOW, onProgress: (p) => progress.push(p) });
      assert.equal(e.examplesAnalysed, 40);
      assert.equal(e.proficiency.successes, 30);
      assert.deepEqual(e.proficiency.interval, wilsonInterval(30, 40));
      // Wilson 95% for 30/40 (Newcombe 1998, method 3): 0.5980 to 0.8579.
      assert.ok(Math.abs(e.proficiency.interval![0] - 0.598) < 5e-4 && Math.abs(e.proficiency.interval![1] - 0.8579) < 5e-4);
      assert.deepEqual(e.failsWith, [{ tag: 'oauth', failures: 10, total: 10, failureRate: 1 }]);
      // lift(auth, oauth) = together × all / (auth × oauth) over the 7 days studied: 10 × N / (40 × 10),
      // N counted here straight from the table (40 auth and the css-only examples of those days).
      const n = store.rows<[number]>('SELECT count(*) FROM examples WHERE ts >= ?', [e.since!])[0]![0];
      const oauth = e.related.find((x) => x.tag === 'oauth')!;
      assert.ok(Math.abs(oauth.lift - (10 * n) / (40 * 10)) < 1e-9, `${oauth.lift} with ${n} examples`);
      assert.deepEqual(
        e.byModel.map((m) => [m.model, m.rate.successes, m.rate.total]),
        [
          ['M1', 30, 30],
          ['M2', 0, 10],
        ],
      );
      assert.ok(e.nextSteps.some((s) => s.step === 'Practise auth together with oauth' && /10 of the 10 examples with both failed \(100%\)/.test(s.reason)));
      // M2 has 10 examples, under the small-sample line: no model is preferred on so little.
      assert.ok(!e.nextSteps.some((s) => s.step.startsWith('Prefer')), JSON.stringify(e.nextSteps));
      assert.ok(e.nextSteps.some((s) => s.step === 'Learn oauth next'));
      assert.equal(e.metrics.avgTokens, (30 * 100 + 10 * 300) / 40);
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only goes forward');
      assert.equal(progress.at(-1), 100);
    } finally {
      store.close();
    }
  });

  it('advice only from significant differences: failing 43% with a tag against 41% without it is no next step; 83% against 21% is', async () => {
    const r: Record<string, unknown>[] = [];
    // css: 100 examples with flex, 43 failed; 100 without, 41 failed.
    for (let i = 0; i < 100; i++) r.push(kimi({ id: `f${i}`, timestamp: ago(i % 6), success: i >= 43, tags: ['css', 'flex'] }));
    for (let i = 0; i < 100; i++) r.push(kimi({ id: `n${i}`, timestamp: ago(i % 6), success: i >= 41, tags: ['css'] }));
    // html: 30 examples with grid, 25 failed; 170 without, 35 failed.
    for (let i = 0; i < 30; i++) r.push(kimi({ id: `g${i}`, timestamp: ago(i % 6), success: i >= 25, tags: ['html', 'grid'] }));
    for (let i = 0; i < 170; i++) r.push(kimi({ id: `h${i}`, timestamp: ago(i % 6), success: i >= 35, tags: ['html'] }));
    const store = await storeWith(tmp.path, r);
    try {
      const css = await learnTechnology(rowLearnerSource(store), { technology: 'css', depth: 'quick', taskId: 'c', now: NOW });
      assert.ok(css.failsWith.some((f) => f.tag === 'flex'), 'the table still lists it');
      assert.ok(!css.nextSteps.some((s) => s.step.startsWith('Practise')), JSON.stringify(css.nextSteps));
      const html = await learnTechnology(rowLearnerSource(store), { technology: 'html', depth: 'quick', taskId: 'h', now: NOW });
      const step = html.nextSteps.find((s) => s.step === 'Practise html together with grid');
      assert.ok(step, JSON.stringify(html.nextSteps));
      assert.match(step.reason, /25 of the 30 examples with both failed \(83%\), against 21% of the other examples of html \(p < 0\.001\)/);
    } finally {
      store.close();
    }
  });

  it('depth sets the period: a standard task sees the older examples too', async () => {
    const store = await storeWith(tmp.path, dataset());
    try {
      const e = await learnTechnology(rowLearnerSource(store), { technology: 'auth', depth: 'standard', taskId: 't2', now: NOW });
      assert.equal(e.examplesAnalysed, 60);
      assert.equal(e.proficiency.successes, 50);
    } finally {
      store.close();
    }
  });

  it('fails with a reason when there is nothing to learn from, and stops when cancelled', async () => {
    const store = await storeWith(tmp.path, dataset());
    try {
      await assert.rejects(learnTechnology(rowLearnerSource(store), { technology: 'rust', depth: 'quick', taskId: 't3', now: NOW }), /No examples tagged “rust” in the last 7 days/);
      const controller = new AbortController();
      const run = learnTechnology(rowLearnerSource(store), { technology: 'auth', depth: 'deep', taskId: 't4', now: NOW, signal: controller.signal, onProgress: () => controller.abort() });
      await assert.rejects(run, /cancelled/);
    } finally {
      store.close();
    }
  });

  it('tasks, their log and knowledge survive a reload through the journal, without a snapshot', async () => {
    const SQL = await testSqlJs();
    const dir = join(tmp.path, 'db');
    const first = LearningStore.open({ SQL, dataDir: dir });
    const task: Task = {
      id: 'task-1',
      seq: 1,
      technology: 'auth',
      depth: 'quick',
      priority: 'high',
      learner: 'external',
      state: 'completed',
      progress: 100,
      message: 'done',
      createdAt: NOW,
      startedAt: NOW,
      endedAt: NOW,
      attempts: 1,
      result: { proficiency: 0.8, summary: 'ok', knowledgeId: null, examplesAdded: 1 },
    };
    first.saveTask(task);
    const ex = normalizeRecord(kimi({ id: 'from-learner', tags: ['auth'] }), { assumeTimeZone: 'utc', now: NOW });
    assert.ok(ex.ok);
    first.addLearnerExamples('task-1', [ex.example]);
    // The learner studies the agent's own examples (a task's practice is left out): one of them.
    const own = normalizeRecord(kimi({ id: 'from-the-agent', tags: ['auth'] }), { assumeTimeZone: 'utc', now: NOW });
    assert.ok(own.ok);
    first.insert([{ example: own.example }]);
    const entry = await learnTechnology(rowLearnerSource(first), { technology: 'auth', depth: 'deep', taskId: 'task-1', now: NOW });
    assert.equal(entry.examplesAnalysed, 1, 'the task’s own example is not counted as the agent’s');
    first.addKnowledge(entry);
    // A crash: no snapshot written, and the dead process's lock left behind (a stale lock is taken over).
    (first as unknown as { lockHeld: boolean }).lockHeld = false;
    rmSync(join(dir, LOCK_FILE));
    const second = LearningStore.open({ SQL, dataDir: dir });
    try {
      assert.deepEqual(second.tasks().tasks, [task]);
      assert.equal(second.knowledge({ technology: 'auth' })[0]!.id, entry.id);
      assert.equal(second.knowledge({ search: 'no such thing' }).length, 0);
      assert.equal(second.rows<[string]>("SELECT s.path FROM examples e JOIN sources s ON s.source_id = e.source_id WHERE e.id = 'from-learner'")[0]![0], 'learning-task:task-1');
    } finally {
      second.close();
    }
  });
});
