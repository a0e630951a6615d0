// The API in a real server process: the Python client as KIMI would run it,
// tokens made on the command line, and kill -9 under concurrent posters.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '../helpers/tempDir';
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

interface Server {
  child: ChildProcess;
  url: string;
}

/** Starts `serve` on a free port and resolves once it says where it listens. */
async function startServer(db: string, extra: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [cli, 'serve', '--db', db, '--port', '0', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
  return { child, url };
}

async function stop(server: Server, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill(signal);
  await exited;
}

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
      assert.equal(run.status, 0, run.stderr);
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
