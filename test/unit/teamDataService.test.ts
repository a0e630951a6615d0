// The data worker's service on a team's PostgreSQL database, in this thread: two
// editors on two machines share one database, each hears the other's changes,
// a file's offset is its machine's own, and a lost listener comes back and re-reads.
import { strict as assert } from 'node:assert';
import { writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataService } from '../../src/worker/dataService';
import { workerInitSchema, type WorkerToHost } from '../../src/shared/workerProtocol';
import { PgChangeFeed, type FeedState } from '../../src/core/engine/postgres/pgChanges';
import { useTempDir } from '../helpers/tempDir';
import { freshDatabase, postgresUrl } from '../helpers/postgres';

const DAY = 86_400_000;
/** A KIMI line dated `daysAgo` before now. */
const line = (id: string, daysAgo: number, success: boolean, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ id, timestamp: new Date(Date.now() - daysAgo * DAY).toISOString(), success, ...extra })}\n`;

/** A team service (an editor on `machine`), with a way to await the next message of a kind, optionally one that passes a test. */
function editor(dataDir: string, url: string, machine: string) {
  const waiting: { kind: WorkerToHost['kind']; test: (m: WorkerToHost) => boolean; resolve: (m: WorkerToHost) => void }[] = [];
  const seen: WorkerToHost[] = [];
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const service = createDataService({
    init: workerInitSchema.parse({ dataDir, wasmPath: '', assumeTimeZone: 'utc', database: { url: u.toString(), password, machine, owner: `editor ${machine}` } }),
    post: (m) => {
      seen.push(m);
      const i = waiting.findIndex((w) => w.kind === m.kind && w.test(m));
      if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m);
    },
  });
  const next = <K extends WorkerToHost['kind']>(kind: K, test: (m: Extract<WorkerToHost, { kind: K }>) => boolean = () => true) =>
    new Promise<Extract<WorkerToHost, { kind: K }>>((resolve) => waiting.push({ kind, test: test as (m: WorkerToHost) => boolean, resolve: resolve as (m: WorkerToHost) => void }));
  let id = 0;
  const request = async <T = unknown>(method: string, params: unknown): Promise<T> => {
    const answer = next('response', (m) => m.id === id);
    id++;
    await service.dispatch({ id, method, params });
    const r = await answer;
    if (!r.ok) throw new Error(r.error);
    return r.result as T;
  };
  return { next, request, seen, opened: next('opened') };
}

describe('team mode: the data service on a shared PostgreSQL database', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  const base = postgresUrl();
  let db: { url: string; drop: () => Promise<void> } | null = null;
  before(async function () {
    if (!base) return this.skip();
    db = await freshDatabase(base);
  });
  after(async () => db?.drop());

  it("two editors on two machines: one imports, the other hears it within a second; a file's offset is its machine's own", async () => {
    const a = editor(join(tmp.path, 'a'), db!.url, 'laptop-a');
    const b = editor(join(tmp.path, 'b'), db!.url, 'laptop-b');
    const [openedA, openedB] = await Promise.all([a.opened, b.opened]);
    assert.equal(openedA.health.reason, null);
    assert.equal(openedA.health.place.engine, 'postgresql');
    assert.match(openedA.health.place.name, /\/lv_test_/);
    assert.equal(openedB.health.connection?.state, 'connected');
    assert.doesNotMatch(JSON.stringify([openedA, openedB]), /lv-test-pw|password/i, 'no password in what the host hears');

    // The same path on both machines: two sources, each with its own offset.
    const log = join(tmp.path, 'learning_logs.jsonl');
    writeFileSync(log, line('a1', 1, true, { tags: ['auth'], model_used: 'M' }) + line('a2', 2, false, { tags: ['auth', 'css'], model_used: 'N', session_id: 's1' }));
    const heardByB = b.next('changed', (m) => m.examples === 2);
    const started = Date.now();
    const imported = await a.request<{ added: number }>('importFiles', { paths: [log], importId: 'i1', follow: true });
    assert.equal(imported.added, 2);
    assert.equal((await heardByB).examples, 2);
    const heardIn = Date.now() - started;
    assert.ok(heardIn < 1000, `the other editor heard of the import ${heardIn} ms after it began (target: 1 s)`);

    // B follows its own file at the same path: read from the start (its machine's offset), nothing added twice.
    const again = await b.request<{ added: number; duplicates: number }>('importFiles', { paths: [log], importId: 'i2', follow: true });
    assert.deepEqual([again.added, again.duplicates], [0, 2], "laptop-b's file is read from its start; the same ids are not added twice");
    // A follows on: only the new line.
    appendFileSync(log, line('a3', 0, true, { tags: ['css'] }));
    const more = await a.request<{ added: number; duplicates: number }>('importFiles', { paths: [log], importId: 'i3', follow: true });
    assert.deepEqual([more.added, more.duplicates], [1, 0], 'laptop-a resumes from its own offset');

    // B's views read what A wrote: a page sorted as asked, groups, the values a filter completes.
    const page = await b.request<{ rows: { id: string }[]; total: number }>('examplesPage', { sort: 'timestamp', direction: 'asc', limit: 2 });
    assert.deepEqual([page.rows.map((r) => r.id), page.total], [['a2', 'a1'], 3]);
    const groups = await b.request<{ groups: { key: string; total: number }[]; more: boolean }>('groups', { field: 'tag', limit: 1 });
    assert.deepEqual([groups.groups.map((g) => `${g.key} ${g.total}`), groups.more], [['auth 2'], true]);
    const sessions = await b.request<{ groups: { key: string }[] }>('groups', { field: 'session' });
    assert.deepEqual(sessions.groups.map((g) => g.key), ['s1']);
    assert.deepEqual(await b.request('distinct', { field: 'model', prefix: 'm' }), [{ value: 'M', count: 1 }], 'ASCII case ignored, as on the embedded store');

    // B's feedback reaches A.
    const heardByA = a.next('changed');
    const edited = Date.now();
    assert.deepEqual(await b.request('setFeedback', { id: 'a2', feedback: 'wrong import order', author: 'Ben' }), { found: true });
    await heardByA;
    const seen = await a.request<{ humanFeedback: string; feedbackBy: string; feedbackAt: string }>('example', { id: 'a2' });
    assert.deepEqual([seen.humanFeedback, seen.feedbackBy], ['wrong import order', 'Ben'], 'who edited, for the details view');
    assert.ok(Date.parse(seen.feedbackAt) >= edited - 1000 && Date.parse(seen.feedbackAt) <= Date.now() + 1000, 'and when');

    // A task A starts is in B's list of the team's tasks, with who runs it; not in A's own.
    const task = { id: 'task-a', seq: 1, technology: 'auth', depth: 'quick', priority: 'normal', learner: 'builtin', state: 'running', progress: 10, message: 'reading', createdAt: Date.now(), startedAt: Date.now(), endedAt: null, attempts: 1, result: null };
    const heardTask = b.next('tasksChanged');
    await a.request('saveTask', { task });
    await heardTask;
    assert.deepEqual(
      (await b.request<{ task: { id: string; state: string }; owner: string }[]>('teamTasks', {})).map((t) => [t.task.id, t.task.state, t.owner]),
      [['task-a', 'running', 'editor laptop-a']],
    );
    assert.deepEqual(await a.request('teamTasks', {}), [], "A's own task is in A's queue, not among the others'");

    // What the team database does not keep is refused in words.
    await assert.rejects(a.request('backupNow', {}), /backed up where it runs/);
    await assert.rejects(a.request('deleteExamples', { filters: {} }), /administrator/);
    await Promise.all([a.request('shutdown', {}), b.request('shutdown', {})]);
  });

  it('a listener whose connection is ended says so, comes back and asks every view to re-read', async () => {
    const states: FeedState['state'][] = [];
    const reasons: string[] = [];
    let connectedAgain!: () => void;
    const back = new Promise<void>((r) => (connectedAgain = r));
    const feed = await PgChangeFeed.start(db!.url, {
      counter: async () => 0,
      onState: (s) => states.push(s.state),
      onChange: (reason) => {
        reasons.push(reason);
        connectedAgain();
      },
    });
    assert.deepEqual(states, ['connected']);
    const admin = new Client({ connectionString: db!.url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'learning-viewer-changes' AND datname = current_database()");
    await admin.end();
    await back;
    assert.equal(states[1], 'reconnecting');
    assert.equal(states.at(-1), 'connected');
    assert.deepEqual(reasons, ['reconnected'], 'every view re-reads: what changed meanwhile is unknown');
    await feed.stop();
  });

  it('a server that is not there is "unreachable", with the place and never the password', async () => {
    const seen: FeedState[] = [];
    let unreachable!: (s: FeedState) => void;
    const said = new Promise<FeedState>((r) => (unreachable = r));
    // A port nothing listens on.
    const feed = await PgChangeFeed.start('postgresql://lv:secret-pw-123@127.0.0.1:1/lv', {
      password: 'secret-pw-123',
      counter: async () => 0,
      onState: (s) => {
        seen.push(s);
        if (s.state === 'unreachable') unreachable(s);
      },
      onChange: () => undefined,
    });
    const s = await said;
    await feed.stop();
    assert.equal(s.state, 'unreachable');
    assert.ok('since' in s && s.since > 0, 'since when');
    assert.match(JSON.stringify(s), /127\.0\.0\.1:1\/lv/);
    assert.doesNotMatch(JSON.stringify(seen), /secret-pw-123/);
  });
});
