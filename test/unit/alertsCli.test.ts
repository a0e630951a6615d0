import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { signBody, SIGNATURE_HEADER } from '../../src/core/alerts/webhook';
import { writeDropLog } from '../helpers/alertLog';
import { startServe, startServeWith, stopServe } from '../helpers/serveProcess';
import { freshDatabase, postgresUrl } from '../helpers/postgres';
import { useTempDir } from '../helpers/tempDir';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

/** Runs the CLI without blocking this process (the webhook receiver lives here). */
function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } }, (error, out, err) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

describe('alerts on the command line and in serve (dist/cli.js)', () => {
  const tmp = useTempDir();
  let receiver: Server;
  let hooks: { body: string; signature: string | undefined }[];
  let hookUrl: string;
  before(() => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });
  beforeEach(async () => {
    hooks = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        hooks.push({ body, signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  /** PostgreSQL databases made by a test, dropped after it. */
  const dropAfter: (() => Promise<void>)[] = [];
  afterEach(async () => {
    receiver.close();
    for (const drop of dropAfter.splice(0)) await drop();
  });

  for (const engine of ['embedded', 'postgresql'] as const) {
    it(`alerts --check fires on the second check in a row, posts a signed webhook, exits 3 while it fires; serve --alerts shows it at GET /api/alerts (${engine})`, async function () {
      let where = ['--db', 'db'];
      let serveWith = (extra: string[]) => startServe(cli, join(tmp.path, 'db'), extra);
      if (engine === 'postgresql') {
        const base = postgresUrl();
        if (base === null) return this.skip();
        const db = await freshDatabase(base);
        dropAfter.push(db.drop);
        where = ['--database', db.url];
        serveWith = (extra) => startServeWith(cli, ['--database', db.url, ...extra]);
      }
      writeDropLog(join(tmp.path, 'log.jsonl'));
      assert.equal((await run(['import', 'log.jsonl', ...where], tmp.path)).code, 0);
      writeFileSync(join(tmp.path, 'alerts.json'), JSON.stringify({ rules: [{ id: 'drop-tag', kind: 'successDrop', scope: 'tag' }], webhook: { url: hookUrl, format: 'json' } }));
      const env = { LEARNING_VIEWER_WEBHOOK_SECRET: 'whsec-test' };

      const first = await run(['alerts', '--check', ...where, '--alerts', 'alerts.json'], tmp.path, env);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /0 fired, 0 resolved/);
      assert.match(first.out, /drop-tag \(auth\): breach, the drop is significant/);
      assert.equal(hooks.length, 0);

      const second = await run(['alerts', '--check', ...where, '--alerts', 'alerts.json'], tmp.path, env);
      assert.equal(second.code, 3, second.err);
      assert.match(second.out, /1 fired/);
      assert.match(second.out, /FIRING\s+Success rate of tag auth down 50 points: 80% → 30% on 50 examples/);
      assert.equal(hooks.length, 1, 'one webhook for one alert; css never fires');
      assert.equal(hooks[0]!.signature, signBody('whsec-test', hooks[0]!.body));
      const posted = JSON.parse(hooks[0]!.body) as { event: string; alert: { subject: string; measure: { windowCount: number; pValue: number } } };
      assert.equal(posted.event, 'alert.fired');
      assert.equal(posted.alert.subject, 'auth');
      assert.equal(posted.alert.measure.windowCount, 50);
      assert.ok(posted.alert.measure.pValue < 0.001);

      const third = await run(['alerts', '--check', ...where, '--alerts', 'alerts.json', '--json'], tmp.path, env);
      assert.equal(third.code, 3);
      assert.equal((JSON.parse(third.out) as { fired: unknown[] }).fired.length, 0, 'it does not fire twice');
      assert.equal(hooks.length, 1);

      const server = await serveWith(['--no-auth', '--alerts', join(tmp.path, 'alerts.json')]);
      try {
        assert.match(server.log(), /alerts: 1 rules checked every 15 minutes, to the webhook/);
        const res = await fetch(`${server.url}/api/alerts`);
        assert.equal(res.status, 200);
        const body = (await res.json()) as { checking: boolean; active: { title: string }[]; history: unknown[] };
        assert.equal(body.checking, true);
        assert.equal(body.active.length, 1);
        assert.match(body.active[0]!.title, /tag auth down 50 points/);
        assert.equal((await fetch(`${server.url}/api/alerts?limit=0`)).status, 400);
      } finally {
        await stopServe(server);
      }
    });
  }

  it('an alerts file with a secret in it, or a wrong rule, is refused naming the file and the field', async () => {
    writeFileSync(join(tmp.path, 'secret.json'), JSON.stringify({ webhook: { url: hookUrl, secret: 'oops' } }));
    const secret = await run(['alerts', '--check', '--db', 'db', '--alerts', 'secret.json'], tmp.path);
    assert.equal(secret.code, 2);
    assert.match(secret.err, /secret\.json: "webhook\.secret" would put a secret in a file; set LEARNING_VIEWER_WEBHOOK_SECRET/);
    writeFileSync(join(tmp.path, 'wrong.json'), JSON.stringify({ rules: [{ id: 'x', kind: 'successDrop', level: 3 }] }));
    const wrong = await run(['serve', '--db', 'db', '--alerts', 'wrong.json'], tmp.path);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /--alerts .*wrong\.json: rules\.0\.level: /);
  });
});
