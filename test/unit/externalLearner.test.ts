import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LineSplitter, parseLearnerLine } from '../../src/core/tasks/learnerProtocol';
import { runExternalLearner, substitute, type ExternalLearnerOptions } from '../../src/core/tasks/externalLearner';
import { useTempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..');
const behave = join(root, 'test', 'fixtures', 'learners', 'behave.mjs');
const values = { technology: 'auth', depth: 'quick', priority: 'normal', taskId: 't1' };

/** Running, not merely a zombie waiting for its (re)parent to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** A signalled process dies asynchronously and no event tells this test: poll its state for up to two seconds. */
async function gone(pid: number): Promise<boolean> {
  const deadline = Date.now() + 2000;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('learner protocol', () => {
  it('parses the three events', () => {
    assert.deepEqual(parseLearnerLine('{"event":"progress","progress":45,"message":"half way"}'), { event: 'progress', progress: 45, message: 'half way' });
    assert.deepEqual(parseLearnerLine('{"event":"result","proficiency":0.82,"summary":"good"}'), { event: 'result', proficiency: 0.82, summary: 'good' });
    assert.deepEqual(parseLearnerLine('{"event":"example","timestamp":"2026-11-20T10:00:00Z","success":true}'), {
      event: 'example',
      record: { timestamp: '2026-11-20T10:00:00Z', success: true },
    });
  });

  it('treats other lines as log text', () => {
    assert.deepEqual(parseLearnerLine('Loading model…'), { event: 'log', text: 'Loading model…' });
    assert.deepEqual(parseLearnerLine('{"level":"info"}'), { event: 'log', text: '{"level":"info"}' });
    assert.deepEqual(parseLearnerLine('[1,2]'), { event: 'log', text: '[1,2]' });
  });

  it('rejects bad and hostile event lines with a reason', () => {
    const reason = (line: string) => {
      const m = parseLearnerLine(line);
      assert.equal(m.event, 'invalid', line);
      return (m as { reason: string }).reason;
    };
    assert.match(reason('{"event":"progress","progress":45'), /not valid JSON/);
    assert.match(reason('{"event":"progress","progress":"45"}'), /"progress" must be a number from 0 to 100, got "45"/);
    assert.match(reason('{"event":"progress","progress":150}'), /progress 150 is outside 0–100/);
    assert.match(reason('{"event":"progress","progress":-1}'), /outside 0–100/);
    assert.match(reason('{"event":"result","proficiency":82}'), /"proficiency" must be a number from 0 to 1, got 82/);
    assert.match(reason('{"event":"result","summary":{"x":1}}'), /"summary" must be a string/);
    assert.match(reason('{"event":"rm -rf /"}'), /unknown event "rm -rf \/"/);
    assert.match(reason('{"event":"__proto__"}'), /unknown event/);
  });

  it('splits lines across chunks and skips an over-long line without holding it', () => {
    const lines: string[] = [];
    const overflows: number[] = [];
    const s = new LineSplitter(
      (l) => lines.push(l),
      (b) => overflows.push(b),
      10,
    );
    s.push(Buffer.from('ab'));
    s.push(Buffer.from('c\n0123456789'));
    s.push(Buffer.from('0123456789\nok\nlast'));
    s.end();
    assert.deepEqual(lines, ['abc', 'ok', 'last']);
    assert.deepEqual(overflows, [20]);
  });

  it('substitutes placeholders inside each argument and nothing else', () => {
    const hostile = { ...values, technology: '$(rm -rf ~); `id` ${depth}' };
    assert.deepEqual(substitute(['learn', '--tech=${technology}', '${depth}', '${HOME}'], hostile), ['learn', '--tech=$(rm -rf ~); `id` ${depth}', 'quick', '${HOME}']);
  });
});

describe('external learner processes', function () {
  this.timeout(30_000);
  const tmp = useTempDir();

  function run(mode: string, extra: Partial<ExternalLearnerOptions> = {}) {
    const pidFile = join(tmp.path, `${mode}.pids`);
    const logs: string[] = [];
    const progress: number[] = [];
    const controller = new AbortController();
    const done = runExternalLearner({
      command: [process.execPath, behave, mode, pidFile],
      cwd: tmp.path,
      values,
      signal: controller.signal,
      graceMs: 500,
      onProgress: (p) => progress.push(p),
      onExample: () => undefined,
      onLog: (_k, t) => logs.push(t),
      ...extra,
    });
    const pids = () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim().split('\n').map(Number) : []);
    const started = async (count: number) => {
      while (pids().length < count || progress.length === 0) await new Promise((r) => setTimeout(r, 20));
    };
    return { done, logs, progress, controller, pids, started };
  }

  it('fast: exits 0 with its result', async () => {
    const r = run('fast');
    const result = await r.done;
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.result, { proficiency: 0.5, summary: 'done fast' });
    assert.deepEqual(r.progress, [50]);
  });

  it('crashing: a non-zero exit with the end of stderr', async () => {
    const result = await run('crash').done;
    assert.equal(result.exitCode, 3);
    assert.match(result.stderrTail, /Traceback: boom/);
  });

  it('slow: cancel ends it with TERM', async () => {
    const r = run('slow');
    await r.started(1);
    r.controller.abort();
    const result = await r.done;
    assert.equal(result.signal, 'SIGTERM');
    assert.ok(await gone(r.pids()[0]!));
  });

  it('ignoring TERM: KILL follows after the grace period', async () => {
    const r = run('ignore-term');
    await r.started(1);
    r.controller.abort();
    const result = await r.done;
    assert.equal(result.signal, 'SIGKILL');
    assert.ok(await gone(r.pids()[0]!));
  });

  it('forking children: cancel ends the whole tree, no process survives', async () => {
    const r = run('fork');
    await r.started(3);
    r.controller.abort();
    await r.done;
    for (const pid of r.pids()) assert.ok(await gone(pid), `process ${pid} survived`);
  });

  it('a learner that exits and leaves a child behind: the child is ended too', async () => {
    const r = run('fork-and-exit');
    const result = await r.done;
    assert.equal(result.exitCode, 0);
    for (const pid of r.pids()) assert.ok(await gone(pid), `process ${pid} survived`);
  });

  it('a learner that leaves a grandchild in a session of its own holding stdout: the task ends at its exit, and the grandchild too', async () => {
    const started = Date.now();
    const r = run('setsid-and-exit');
    const result = await r.done;
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.result, { proficiency: 1, summary: 'left a setsid grandchild holding stdout' });
    assert.ok(Date.now() - started < 5000, `the task took ${Date.now() - started} ms to end`);
    const pids = r.pids();
    assert.equal(pids.length, 2);
    for (const pid of pids) assert.ok(await gone(pid), `process ${pid} survived`);
  });

  it('cancelling a learner whose grandchild escaped its process group ends both', async () => {
    const r = run('setsid-and-wait', { graceMs: 300 });
    await r.started(2);
    r.controller.abort();
    const result = await r.done;
    assert.notEqual(result.exitCode, 0);
    for (const pid of r.pids()) assert.ok(await gone(pid), `process ${pid} survived`);
  });

  it('flooding stdout: the log is bounded, says how much was cut, and the host stays responsive', async () => {
    const eld = monitorEventLoopDelay({ resolution: 10 });
    eld.enable();
    const r = run('flood', { logLinesPerSecond: 200 });
    const result = await r.done;
    eld.disable();
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.result, { proficiency: 0.9, summary: 'flooded' });
    assert.equal(result.cutLines + r.logs.length - 1 - 50, 200_000, 'every line is either shown or counted');
    assert.ok(r.logs.length < 1000, `${r.logs.length} lines were passed on`);
    assert.ok(r.logs.some((l) => /^Output was cut: [\d,]+ lines \([\d.]+ MB\) not shown\. The last 50 lines:$/.test(l)));
    console.log(`      flood of 40 MB: event-loop delay p99 ${(eld.percentile(99) / 1e6).toFixed(1)} ms, max ${(eld.max / 1e6).toFixed(1)} ms`);
  });

  it('a 3 MB line is skipped without being held, and the learner goes on', async () => {
    const r = run('huge-line');
    const result = await r.done;
    assert.deepEqual(result.result, { proficiency: 0.7, summary: 'after a huge line' });
    assert.ok(r.logs.some((l) => /a line of 3\.0 MB was longer than the 1 MB limit and was skipped/.test(l)));
  });

  it('a program that does not exist: a clear error', async () => {
    await assert.rejects(
      runExternalLearner({
        command: ['/no/such/learner'],
        cwd: tmp.path,
        values,
        signal: new AbortController().signal,
        onProgress: () => undefined,
        onExample: () => undefined,
        onLog: () => undefined,
      }),
      /could not start the learner "\/no\/such\/learner": spawn \/no\/such\/learner ENOENT/,
    );
  });
});
