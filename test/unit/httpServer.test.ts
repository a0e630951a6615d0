// The API in a real server process: the Python client as KIMI would run it,
// tokens made on the command line, and kill -9 under concurrent posters.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { useTempDir } from '../helpers/tempDir';
import { startServe, stopServe } from '../helpers/serveProcess';
import { daysAgo } from '../helpers/clock';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

/** A Python that has `requests` (Debian's python3-requests is for /usr/bin/python3). */
function pythonWithRequests(): string {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', 'import requests'], { encoding: 'utf8' }).status === 0) return python;
  }
  throw new Error('no python3 with the requests package: sudo apt-get install python3-requests');
}

const startServer = (db: string, extra: string[] = []) => startServe(cli, db, extra);
const stop = stopServe;

describe('the HTTP API in a real server process', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  before(() => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });

  it("KIMI's Python client posts, retries, batches and reads stats against serve --no-auth, and its numbers are right", async () => {
    const db = join(tmp.path, 'py');
    const server = await startServer(db, ['--no-auth']);
    try {
      const run = spawnSync(pythonWithRequests(), [join(root, 'examples', 'kimi_client.py')], { encoding: 'utf8', env: { ...process.env, LEARNING_VIEWER_URL: server.url } });
      assert.equal(run.status, 0, `${run.stderr}\nthe server said: ${server.log()} (exit ${server.child.exitCode}, signal ${server.child.signalCode})`);
      const out = JSON.parse(run.stdout) as { created: number; total_examples: number; success_rate: number; bug_fixing_success: number; actions: string[] };
      assert.equal(out.created, 60);
      assert.equal(out.total_examples, 61);
      // 1 + 10 of 40 bug fixes succeeded, and all 20 refactors: 31 of 61.
      assert.equal(out.success_rate, 31 / 61);
      assert.equal(out.bug_fixing_success, 11 / 41);
      assert.deepEqual(out.actions, ['overall success rate is below 70%: review failures', 'practise bug_fixing: success 27% on 41 examples']);
    } finally {
      await stop(server);
    }
  });

  it('tokens made on the command line: ingest posts, no token is 401; serve refuses --no-auth off loopback', async () => {
    const db = join(tmp.path, 'tok');
    const made = spawnSync(process.execPath, [cli, 'token', 'create', '--role', 'ingest', '--name', 'kimi', '--db', db], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const token = made.stdout.trim();
    assert.match(made.stderr, /created ingest token "kimi" \(id [0-9a-f]{12}\); it is shown this once/);
    const server = await startServer(db);
    try {
      const body = JSON.stringify({ id: 'with-token', timestamp: daysAgo(1), success: true });
      const headers = { 'content-type': 'application/json' };
      assert.equal((await fetch(`${server.url}/api/examples`, { method: 'POST', body, headers })).status, 401);
      assert.equal((await fetch(`${server.url}/api/examples`, { method: 'POST', body, headers: { ...headers, authorization: `Bearer ${token}` } })).status, 201);
      const listed = spawnSync(process.execPath, [cli, 'token', 'list', '--db', db, '--json'], { encoding: 'utf8' });
      assert.deepEqual((JSON.parse(listed.stdout) as { name: string }[]).map((t) => t.name), ['kimi']);
      assert.doesNotMatch(listed.stdout, /sha256|lv_ingest_/);
    } finally {
      await stop(server);
    }
    const open = spawnSync(process.execPath, [cli, 'serve', '--db', db, '--host', '0.0.0.0', '--no-auth'], { encoding: 'utf8' });
    assert.equal(open.status, 2);
    assert.match(open.stderr, /--no-auth is allowed only on a loopback address/);
  });

  it('a real task followed live over SSE and WebSocket, each with a reconnect after the second event that resumes where it left off', async () => {
    const db = join(tmp.path, 'live');
    const server = await startServer(db, ['--no-auth']);
    try {
      const json = { 'content-type': 'application/json' };
      const records = Array.from({ length: 2000 }, (_, i) => ({ id: `live-${i}`, timestamp: daysAgo(i % 60), success: i % 3 !== 0, tags: ['auth', i % 2 ? 'api' : 'db'] }));
      for (let i = 0; i < records.length; i += 1000) {
        assert.equal((await fetch(`${server.url}/api/examples/batch`, { method: 'POST', headers: json, body: JSON.stringify(records.slice(i, i + 1000)) })).status, 201);
      }
      const learn = async () => {
        const r = await fetch(`${server.url}/api/nasa/learn`, { method: 'POST', headers: json, body: JSON.stringify({ technology: 'auth', depth: 'deep' }) });
        assert.equal(r.status, 202);
        return ((await r.json()) as { task_id: string }).task_id;
      };
      // SSE: read two events, drop the connection, come back with Last-Event-ID.
      const sseTask = await learn();
      const firstTwo: number[] = [];
      const controller = new AbortController();
      const stream = await fetch(`${server.url}/api/nasa/learn/${sseTask}/events`, { signal: controller.signal });
      assert.equal(stream.headers.get('content-type'), 'text/event-stream');
      const reader = stream.body!.getReader();
      let text = '';
      while (firstTwo.length < 2) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        firstTwo.splice(0, firstTwo.length, ...[...text.matchAll(/^id: ?(\d+)$/gm)].map((m) => Number(m[1])).slice(0, 2));
      }
      controller.abort();
      assert.deepEqual(firstTwo, [1, 2]);
      const rest = await (await fetch(`${server.url}/api/nasa/learn/${sseTask}/events`, { headers: { 'last-event-id': '2' } })).text();
      const ids = [...rest.matchAll(/^id: ?(\d+)$/gm)].map((m) => Number(m[1]));
      assert.equal(ids[0], 3, 'resumed after the last event seen');
      assert.deepEqual(ids, ids.map((_, i) => i + 3));
      assert.match(rest, /event: ?completed/);
      // WebSocket: the same, as JSON messages.
      const wsTask = await learn();
      const wsUrl = server.url.replace('http://', 'ws://');
      const messages = (after: number, max = Infinity) =>
        new Promise<{ seq: number; event: string }[]>((resolve, reject) => {
          const got: { seq: number; event: string }[] = [];
          const socket = new WebSocket(`${wsUrl}/api/nasa/ws/learn/${wsTask}?last_event_id=${after}`);
          socket.on('message', (m) => {
            if (got.length >= max) return; // Already buffered when we hung up.
            got.push(JSON.parse(String(m)) as { seq: number; event: string });
            if (got.length >= max) socket.close();
          });
          socket.on('close', () => resolve(got));
          socket.on('error', reject);
        });
      const head = await messages(0, 2);
      assert.deepEqual(head.map((m) => m.seq), [1, 2]);
      const tail = await messages(2);
      assert.equal(tail[0]!.seq, 3);
      assert.equal(tail.at(-1)!.event, 'completed', 'closed after the last event');
      const foreign = new WebSocket(`${wsUrl}/api/nasa/ws/learn/${wsTask}`, { headers: { origin: 'http://evil.example' } });
      const refused = await new Promise<number>((resolve) => foreign.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      assert.equal(refused, 403);
    } finally {
      await stop(server);
    }
  });

  it('serve --learner runs the external learner for POST /api/nasa/learn: its examples are stored and its verdict is the result; the log tail tells', async () => {
    const db = join(tmp.path, 'external');
    const learner = join(root, 'test', 'fixtures', 'learners', 'behave.mjs');
    // A literal ${technology}: the server puts the task's technology in its place.
    const server = await startServer(db, ['--no-auth', '--learner', process.execPath, learner, 'examples', '', '${technology}']);
    try {
      const json = { 'content-type': 'application/json' };
      const started = await fetch(`${server.url}/api/nasa/learn`, { method: 'POST', headers: json, body: JSON.stringify({ technology: 'graphql' }) });
      assert.equal(started.status, 202);
      const { task_id } = (await started.json()) as { task_id: string };
      const events = await (await fetch(`${server.url}/api/nasa/learn/${task_id}/events`)).text();
      assert.match(events, /event: ?completed/);
      const task = (await (await fetch(`${server.url}/api/nasa/learn/${task_id}`)).json()) as { status: string; result: { proficiency: number; summary: string; examplesAdded: number } };
      assert.equal(task.status, 'completed');
      assert.equal(task.result.summary, 'practised graphql');
      assert.equal(task.result.examplesAdded, 3);
      // A task's examples are practice: out of KIMI's own figures unless asked for.
      assert.equal(((await (await fetch(`${server.url}/api/stats`)).json()) as { total_examples: number }).total_examples, 0);
      const stats = (await (await fetch(`${server.url}/api/stats?task_examples=with`)).json()) as { total_examples: number; categories: Record<string, { examples: number }> };
      assert.equal(stats.total_examples, 3);
      assert.equal(stats.categories.graphql?.examples, 3);
      const builtin = await fetch(`${server.url}/api/nasa/learn`, { method: 'POST', headers: json, body: JSON.stringify({ technology: 'graphql', learner: 'builtin' }) });
      assert.equal(builtin.status, 202);
      const tail = (await (await fetch(`${server.url}/api/logs/tail?lines=50`)).json()) as { lines: { level: string; message: string }[] };
      assert.ok(tail.lines.some((l) => l.message.startsWith('listening on')));
      assert.ok(tail.lines.some((l) => l.message.includes(`task ${task_id} (graphql, external): completed`)), JSON.stringify(tail.lines));
    } finally {
      await stop(server);
    }
  });

  it('kill -9 during 8 concurrent posters: every example that got 201 is there after a restart', async () => {
    const db = join(tmp.path, 'kill');
    const server = await startServer(db, ['--no-auth']);
    const acknowledged: string[] = [];
    let stopPosting = false;
    const poster = async (p: number) => {
      for (let i = 0; !stopPosting; i++) {
        const id = `p${p}-${i}`;
        try {
          const r = await fetch(`${server.url}/api/examples`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id, timestamp: daysAgo(1), success: i % 2 === 0, tags: ['kill'], code_context: `code of ${id}` }),
          });
          if (r.status === 201) acknowledged.push(id);
        } catch {
          return; // The server is gone.
        }
      }
    };
    const posters = Array.from({ length: 8 }, (_, p) => poster(p));
    // Kill it once a good number of examples are acknowledged.
    while (acknowledged.length < 400) await new Promise((r) => setTimeout(r, 10));
    const exited = once(server.child, 'exit');
    server.child.kill('SIGKILL');
    stopPosting = true;
    await Promise.all(posters);
    await exited;
    const again = await startServer(db, ['--no-auth']);
    try {
      let found = 0;
      for (const id of acknowledged) {
        const r = await fetch(`${again.url}/api/examples/${id}`);
        if (r.status === 200 && ((await r.json()) as { code_context: string }).code_context === `code of ${id}`) found++;
      }
      console.log(`      kill -9 after ${acknowledged.length} acknowledged examples: ${found} found after the restart`);
      assert.equal(found, acknowledged.length);
    } finally {
      await stop(again);
    }
  });
});
