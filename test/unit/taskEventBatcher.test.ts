import { strict as assert } from 'node:assert';
import { TaskEventBatcher, type TaskEventSink } from '../../src/extension/tasks/taskEventBatcher';
import type { LoggedTaskEvent, TaskEvent } from '../../src/shared/tasks';

const log = (message: string): TaskEvent => ({ at: 1, kind: 'log', message, progress: null });

/** An in-memory task log: numbers events from 1 per task, can be told to fail the next write. */
class FakeLog implements TaskEventSink {
  readonly logs = new Map<string, TaskEvent[]>();
  readonly heard: { taskId: string; events: LoggedTaskEvent[] }[] = [];
  readonly failures: string[] = [];
  readonly writes: string[] = [];
  failNext = false;
  givesPlaces = true;

  async store(taskId: string, events: TaskEvent[]): Promise<{ first: number | null }> {
    await Promise.resolve();
    this.writes.push(`${taskId}:${events.length}`);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    const log = this.logs.get(taskId) ?? [];
    this.logs.set(taskId, [...log, ...events]);
    return { first: this.givesPlaces ? log.length + 1 : null };
  }
  stored(taskId: string, events: LoggedTaskEvent[]): void {
    this.heard.push({ taskId, events });
  }
  failed(message: string): void {
    this.failures.push(message);
  }
}

describe('the task log batcher (the Tasks view and the panel hear what is stored)', () => {
  it('writes the events of a moment as one batch per task, and tells them numbered by their place in the log', async () => {
    const sink = new FakeLog();
    const batcher = new TaskEventBatcher(sink, 60_000);
    batcher.add('a', log('one'));
    batcher.add('b', log('other'));
    batcher.add('a', log('two'));
    assert.deepEqual(sink.writes, [], 'nothing is written before the delay or a flush');
    await batcher.flush();
    assert.deepEqual(sink.writes, ['a:2', 'b:1']);
    batcher.add('a', log('three'));
    await batcher.flush();
    const a = sink.heard.filter((h) => h.taskId === 'a').flatMap((h) => h.events);
    assert.deepEqual(
      a.map((e) => [e.seq, e.message]),
      [
        [1, 'one'],
        [2, 'two'],
        [3, 'three'],
      ],
    );
  });

  it('writes on its own after the delay', async () => {
    const sink = new FakeLog();
    const heard = new Promise<void>((resolve) => {
      sink.stored = (taskId, events) => {
        FakeLog.prototype.stored.call(sink, taskId, events);
        resolve();
      };
    });
    const batcher = new TaskEventBatcher(sink, 5);
    batcher.add('a', log('one'));
    await heard;
    assert.deepEqual(sink.logs.get('a')?.map((e) => e.message), ['one']);
  });

  it('a batch that fails is said, and the next ones are stored and numbered on (a failure poisons nothing)', async () => {
    const sink = new FakeLog();
    sink.givesPlaces = false;
    const batcher = new TaskEventBatcher(sink, 60_000);
    batcher.add('a', log('one'));
    await batcher.flush();
    sink.failNext = true;
    batcher.add('a', log('lost'));
    await batcher.flush();
    batcher.add('a', log('two'));
    await batcher.flush();
    assert.deepEqual(sink.failures, ['task a: 1 log events could not be stored: disk full']);
    assert.deepEqual(sink.logs.get('a')?.map((e) => e.message), ['one', 'two']);
    assert.deepEqual(
      sink.heard.flatMap((h) => h.events.map((e) => [e.seq, e.message])),
      [
        [1, 'one'],
        [2, 'two'],
      ],
    );
  });

  it('keeps other writes in line with the batches: a task state made after its events is written after them', async () => {
    const sink = new FakeLog();
    const batcher = new TaskEventBatcher(sink, 60_000);
    batcher.add('a', log('one'));
    void batcher.flush();
    const done = batcher.inOrder(async () => {
      sink.writes.push('state');
    });
    // A write that throws is said and the line goes on.
    void batcher.inOrder(() => Promise.reject(new Error('state not saved')));
    batcher.add('a', log('two'));
    await Promise.all([done, batcher.flush()]);
    assert.deepEqual(sink.writes, ['a:1', 'state', 'a:1']);
    assert.deepEqual(sink.failures, ['state not saved']);
  });
});
