import { strict as assert } from 'node:assert';
import { mulberry32 } from '../../src/core/sample/generateExamples';
import type { TaskOutcome, TaskRunContext } from '../../src/core/tasks/taskQueue';
import { TaskQueue, TRANSITIONS } from '../../src/core/tasks/taskQueue';
import type { Priority, Task, TaskRequest } from '../../src/shared/tasks';

const OK: TaskOutcome = { proficiency: 0.5, summary: 'ok', knowledgeId: null, examplesAdded: 0 };
const req = (technology: string, priority: Priority = 'normal'): TaskRequest => ({ technology, depth: 'quick', priority, learner: 'builtin' });

/** A runner whose tasks finish only when the test says so. */
function controlled() {
  const waiting = new Map<string, { resolve: (o: TaskOutcome) => void; reject: (e: Error) => void; ctx: TaskRunContext }>();
  const started: string[] = [];
  const runner = (task: Task, ctx: TaskRunContext) =>
    new Promise<TaskOutcome>((resolve, reject) => {
      started.push(task.technology);
      waiting.set(task.technology, { resolve, reject, ctx });
      ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  return { runner, waiting, started };
}

const settled = () => new Promise((r) => setImmediate(r));

describe('task queue', () => {
  let n = 0;
  const newId = () => `t${++n}`;

  it('runs by priority first, then by arrival', async () => {
    const c = controlled();
    const q = new TaskQueue({ runner: c.runner, maxConcurrent: 1, newId });
    q.enqueue(req('first'));
    q.enqueue(req('low', 'low'));
    q.enqueue(req('normal-2'));
    q.enqueue(req('high', 'high'));
    q.enqueue(req('high-2', 'high'));
    for (let i = 0; i < 5; i++) {
      const running = c.started.at(-1)!;
      c.waiting.get(running)!.resolve(OK);
      await settled();
    }
    assert.deepEqual(c.started, ['first', 'high', 'high-2', 'normal-2', 'low']);
  });

  it('returns the task at once, pending, with an id', () => {
    const q = new TaskQueue({ runner: () => new Promise(() => undefined), maxConcurrent: 1, newId });
    q.enqueue(req('a'));
    const t = q.enqueue(req('b'));
    assert.equal(t.state, 'pending');
    assert.match(t.id, /^t\d+$/);
  });

  it('never runs more than the limit under a random load of 200 tasks with cancels and failures', async () => {
    const rand = mulberry32(42);
    const limit = 3;
    let maxSeen = 0;
    let running = 0;
    const violations: string[] = [];
    const q = new TaskQueue({
      maxConcurrent: limit,
      newId,
      runner: (_task, ctx) =>
        new Promise((resolve, reject) => {
          running++;
          const ms = Math.floor(rand() * 5);
          const fail = rand() < 0.2;
          const timer = setTimeout(() => {
            running--;
            if (fail) reject(new Error('random failure'));
            else resolve(OK);
          }, ms);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            running--;
            reject(new Error('aborted'));
          });
        }),
    });
    const last = new Map<string, string>();
    q.onDidChange((t) => {
      maxSeen = Math.max(maxSeen, q.runningCount);
      if (q.runningCount > limit) violations.push(`${q.runningCount} running at ${t.id} ${t.state}`);
      const before = last.get(t.id);
      if (before && before !== t.state && !TRANSITIONS[before as Task['state']].includes(t.state)) violations.push(`${before} → ${t.state}`);
      last.set(t.id, t.state);
    });
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const priorities: Priority[] = ['low', 'normal', 'high'];
      ids.push(q.enqueue(req(`task-${i}`, priorities[Math.floor(rand() * 3)]!)).id);
      if (rand() < 0.15) q.cancel(ids[Math.floor(rand() * ids.length)]!);
      if (rand() < 0.3) await new Promise((r) => setTimeout(r, 1));
    }
    while (q.list().some((t) => t.state === 'pending' || t.state === 'running')) await q.idle().then(settled);
    assert.deepEqual(violations, []);
    assert.equal(maxSeen, limit);
    assert.equal(running, 0);
    const states = new Set(q.list().map((t) => t.state));
    for (const s of ['completed', 'failed', 'cancelled']) assert.ok(states.has(s as Task['state']), `no ${s} task in the run`);
  });

  it('cancels a pending task at once and a running one when its runner has stopped', async () => {
    const c = controlled();
    const q = new TaskQueue({ runner: c.runner, maxConcurrent: 1, newId });
    const a = q.enqueue(req('a'));
    const b = q.enqueue(req('b'));
    assert.ok(q.cancel(b.id));
    assert.equal(q.get(b.id)!.state, 'cancelled');
    assert.ok(q.cancel(a.id));
    await q.idle();
    await settled();
    assert.equal(q.get(a.id)!.state, 'cancelled');
    assert.equal(q.cancel(a.id), false, 'a finished task cannot be cancelled');
    assert.deepEqual(c.started, ['a']);
  });

  it('retries a failed or cancelled task, but not a completed one', async () => {
    const c = controlled();
    const q = new TaskQueue({ runner: c.runner, maxConcurrent: 1, newId });
    const a = q.enqueue(req('a'));
    c.waiting.get('a')!.reject(new Error('learner crashed'));
    await settled();
    assert.equal(q.get(a.id)!.state, 'failed');
    assert.equal(q.get(a.id)!.message, 'learner crashed');
    const again = q.retry(a.id)!;
    assert.equal(again.state, 'running');
    assert.equal(q.get(a.id)!.attempts, 2);
    c.waiting.get('a')!.resolve(OK);
    await settled();
    assert.equal(q.get(a.id)!.state, 'completed');
    assert.equal(q.retry(a.id), undefined);
  });

  it('fails a task that runs past its timeout, and stops its runner', async () => {
    let aborted = false;
    const q = new TaskQueue({
      maxConcurrent: 1,
      timeoutMs: 20,
      newId,
      runner: (_t, ctx) =>
        new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          }),
        ),
    });
    const t = q.enqueue(req('slow'));
    await new Promise<void>((resolve) => q.onDidChangeState((x) => x.state === 'failed' && resolve()));
    assert.ok(aborted);
    assert.match(q.get(t.id)!.message, /^Timed out after 0 s/);
  });

  it('after a reload: pending tasks stay queued, running ones are interrupted and can be retried', async () => {
    const c = controlled();
    const first = new TaskQueue({ runner: c.runner, maxConcurrent: 1, newId });
    const running = first.enqueue(req('running'));
    const pending = first.enqueue(req('pending'));
    const stored = first.list(); // what the store holds when the window closes
    const c2 = controlled();
    const second = new TaskQueue({ runner: c2.runner, maxConcurrent: 1, newId });
    const { requeued, interrupted } = second.restore(stored);
    assert.equal(requeued, 1);
    assert.deepEqual(
      interrupted.map((t) => t.id),
      [running.id],
    );
    assert.equal(second.get(running.id)!.state, 'interrupted');
    assert.equal(second.get(pending.id)!.state, 'running', 'the pending task starts in the new window');
    c2.waiting.get('pending')!.resolve(OK);
    await settled();
    second.retry(running.id);
    assert.equal(second.get(running.id)!.state, 'running');
    const next = second.enqueue(req('new'));
    assert.ok(next.seq > pending.seq, 'arrival order continues after the restored tasks');
  });

  it('disposing stops running tasks and marks them interrupted', async () => {
    const c = controlled();
    const q = new TaskQueue({ runner: c.runner, maxConcurrent: 2, newId });
    const a = q.enqueue(req('a'));
    const b = q.enqueue(req('b'));
    const p = q.enqueue(req('p'));
    await q.dispose();
    assert.equal(q.get(a.id)!.state, 'interrupted');
    assert.equal(q.get(b.id)!.state, 'interrupted');
    assert.equal(q.get(p.id)!.state, 'pending');
    assert.throws(() => q.enqueue(req('late')), /stopped/);
  });

  it('clamps progress to 0–100 and the concurrency setting to 1–8', async () => {
    const c = controlled();
    const q = new TaskQueue({ runner: c.runner, maxConcurrent: 99, newId });
    for (let i = 0; i < 10; i++) q.enqueue(req(`x${i}`));
    assert.equal(q.runningCount, 8);
    c.waiting.get('x0')!.ctx.progress(150, 'too far');
    assert.equal(q.list().find((t) => t.technology === 'x0')!.progress, 100);
    c.waiting.get('x1')!.ctx.progress(-5, 'too low');
    assert.equal(q.list().find((t) => t.technology === 'x1')!.progress, 0);
    await q.dispose();
  });
});
