import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiApp, MAX_BATCH_ITEMS } from '../../src/http/apiApp';
import { LogRing } from '../../src/http/logRing';
import { GroupCommit } from '../../src/http/groupCommit';
import { ApiTasks } from '../../src/http/apiTasks';
import { API_ROUTES, openApiDocument } from '../../src/http/openapi';
import { version } from '../../package.json';
import { defaultAllowedHosts, isLoopback } from '../../src/http/requestGuards';
import { createToken, readTokens, revokeToken, TokenRegistry, TOKENS_FILE } from '../../src/http/tokens';
import { importFile } from '../../src/core/ingest/importFile';
import { LearningStore } from '../../src/core/storage/learningStore';
import { EmbeddedEngine } from '../../src/core/engine/embeddedEngine';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';
import { daysAgo } from '../helpers/clock';

const HOST = '127.0.0.1:8000';

describe('the HTTP API, without a socket', () => {
  const tmp = useTempDir();
  let store: LearningStore;
  let app: ReturnType<typeof createApiApp>;
  const dataDir = () => join(tmp.path, 'db');

  beforeEach(async () => {
    store = LearningStore.open({ SQL: await testSqlJs(), dataDir: dataDir() });
    const commit = new GroupCommit(store, 'api', () => undefined);
    app = createApiApp(
      { store, commit, assumeTimeZone: 'utc', version: '0.1.0', startedAt: Date.now() },
      { allowedHosts: defaultAllowedHosts('127.0.0.1', 8000), allowedOrigins: ['http://localhost:3000'], tokens: null },
    );
  });
  afterEach(() => store.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { host: HOST, 'content-type': 'application/json', ...headers } });
  const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers: { host: HOST, ...headers } });
  const record = (id: string, extra: Record<string, unknown> = {}) => ({ id, timestamp: daysAgo(1), success: true, tags: ['bug_fixing'], model_used: 'M', tokens_consumed: 10, ...extra });

  it('POST /api/examples: 201 with the stored example; the same again is 201 with the same body; other content is 409', async () => {
    const first = await post('/api/examples', record('a'));
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('location'), '/api/examples/a');
    const body = (await first.json()) as Record<string, unknown>;
    assert.equal(body.id, 'a');
    assert.deepEqual(body.tags, ['bug_fixing']);
    const retry = await post('/api/examples', record('a'));
    assert.equal(retry.status, 201);
    assert.deepEqual(await retry.json(), body);
    const clash = await post('/api/examples', record('a', { success: false }));
    assert.equal(clash.status, 409);
    assert.equal(clash.headers.get('content-type'), 'application/problem+json');
    const p = (await clash.json()) as { code: string; detail: string; id: string };
    assert.equal(p.code, 'id-conflict');
    assert.match(p.detail, /id a is already stored with other content/);
    assert.equal(store.count(), 1);
  });

  it('without a task queue (in VS Code) the learning routes answer 501 saying where tasks run, and the log tail has the refusals', async () => {
    const logs = new LogRing();
    const bare = createApiApp(
      { store, commit: new GroupCommit(store, 'api', () => undefined), assumeTimeZone: 'utc', version: '0.1.0', startedAt: 0, tasksUnavailable: 'in VS Code, learning tasks run in the Tasks view', logs },
      { allowedHosts: defaultAllowedHosts('127.0.0.1', 8000), allowedOrigins: [], tokens: null },
    );
    const learn = await bare.request('/api/nasa/learn', { method: 'POST', body: '{"technology":"x"}', headers: { host: HOST, 'content-type': 'application/json' } });
    assert.equal(learn.status, 501);
    assert.match(((await learn.json()) as { detail: string }).detail, /Tasks view/);
    const tail = await bare.request('/api/logs/tail?lines=5', { headers: { host: HOST } });
    assert.deepEqual(((await tail.json()) as { lines: { message: string }[] }).lines.map((l) => l.message), ['POST /api/nasa/learn → 501']);
  });

  it('the 201 body of a new example is exactly what GET /api/examples/{id} answers for it', async () => {
    const full = record('full', {
      session_id: 's1',
      task_description: 'fix the parser',
      code_context: 'const x = 1;\n',
      tags: ['zeta', 'alpha', 'bug_fixing'],
      metrics: { execution_time: '1.5', tokens_used: 20, custom: { deep: [1, 2] } },
      human_feedback: 'good',
      extra_field: { kept: true },
    });
    const created = await post('/api/examples', full);
    assert.equal(created.status, 201);
    const body = await created.json();
    const read = await get('/api/examples/full');
    assert.deepEqual(body, await read.json());
    assert.deepEqual((body as { tags: string[] }).tags, ['alpha', 'bug_fixing', 'zeta']);
  });

  it('201 means durable: the example is in the journal before the answer, and a store opened from disk without a snapshot has it', async () => {
    assert.equal((await post('/api/examples', record('durable'))).status, 201);
    // No save happened: what is on disk is the journal.
    const reader = LearningStore.open({ SQL: await testSqlJs(), dataDir: dataDir(), readOnly: true });
    try {
      assert.equal(reader.count(), 1);
    } finally {
      reader.close();
    }
  });

  it('refuses what is not an example: 400 naming the field, 415 for a body that is not JSON, 400 for broken JSON, 413 over 1 MiB', async () => {
    const invalid = await post('/api/examples', { timestamp: daysAgo(1), success: 'maybe' });
    assert.equal(invalid.status, 400);
    const p = (await invalid.json()) as { code: string; errors: { field: string; reason: string }[] };
    assert.equal(p.code, 'invalid-example');
    assert.deepEqual(p.errors, [{ field: 'success', reason: 'success must be true, false or null (unknown), not the text "maybe"' }]);
    // Everything wrong at once, each field named: a client fixes its record in one go.
    const several = await post('/api/examples', { timestamp: 'soon', success: 'maybe', tags: 7, metrics: [] });
    const all = (await several.json()) as { detail: string; errors: { field: string | null }[] };
    assert.deepEqual(all.errors.map((e) => e.field), ['timestamp', 'success', 'tags', 'metrics']);
    assert.match(all.detail, /and 3 more: see errors/);
    assert.equal((await post('/api/examples', 'id=1', { 'content-type': 'application/x-www-form-urlencoded' })).status, 415);
    const broken = await post('/api/examples', '{"id":');
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { code: string }).code, 'invalid-json');
    const huge = await post('/api/examples', record('big', { code_context: 'x'.repeat(1024 * 1024) }));
    assert.equal(huge.status, 413);
    assert.equal(store.count(), 0);
  });

  it('the bad-line corpus gets the same verdicts posted one by one, in a batch, and imported from a file', async () => {
    const corpus = [
      '{"timestamp":1e20,"success":true}',
      '{"timestamp":"2026-01-01T00:00:00Z","success":true,"metrics":{"execution_time":1e309}}',
      '{"timestamp":"2026-01-01T00:00:00Z","success":true,"task_description":"a\\ud800"}',
      '{"timestamp":"2026-01-01T00:00:00Z"}',
      '{"timestamp":"2026-02-30T00:00:00Z","success":true}',
      '{"timestamp":"2026-01-01T00:00:00Z","success":true,"tags":[1]}',
      '{"timestamp":"2026-01-01T00:00:00Z","success":true,"tokens_consumed":-1}',
      '[1,2]',
    ];
    const file = join(tmp.path, 'corpus.jsonl');
    writeFileSync(file, corpus.join('\n') + '\n');
    const fromFile = (await importFile(store, file, { assumeTimeZone: 'utc', now: Date.now() })).problems.map((p) => p.reason);
    assert.equal(fromFile.length, corpus.length);
    const oneByOne: string[] = [];
    for (const line of corpus) {
      const r = await post('/api/examples', line);
      assert.equal(r.status, 400, line);
      oneByOne.push(((await r.json()) as { errors: { reason: string }[] }).errors[0]!.reason);
    }
    assert.deepEqual(oneByOne, fromFile);
    const batch = await post('/api/examples/batch', `[${corpus.join(',')}]`);
    assert.equal(batch.status, 400);
    const results = ((await batch.json()) as { results: { index: number; status: number; reason: string }[] }).results;
    assert.deepEqual(
      results.map((r) => r.reason),
      fromFile,
    );
  });

  it('POST /api/examples/batch: 201 when all are stored, 207 with a result per item when some are not, never a silent drop', async () => {
    const all = await post('/api/examples/batch', [record('b1'), record('b2')]);
    assert.equal(all.status, 201);
    assert.deepEqual(((await all.json()) as { stored: number }).stored, 2);
    const mixed = await post('/api/examples/batch', { examples: [record('b1'), record('b3'), { success: true }, record('b2', { success: false })] });
    assert.equal(mixed.status, 207);
    const body = (await mixed.json()) as { stored: number; rejected: number; results: { index: number; id: string | null; status: number; outcome?: string; reason?: string }[] };
    assert.deepEqual(
      body.results.map((r) => [r.index, r.id, r.status, r.outcome ?? null]),
      [
        [0, 'b1', 201, 'duplicate'],
        [1, 'b3', 201, 'created'],
        [2, null, 400, null],
        [3, 'b2', 409, null],
      ],
    );
    assert.match(body.results[2]!.reason!, /timestamp is missing/);
    assert.equal(store.count(), 3);
    const tooMany = await post('/api/examples/batch', Array.from({ length: MAX_BATCH_ITEMS + 1 }, (_, i) => record(`m${i}`)));
    assert.equal(tooMany.status, 413);
  });

  it('concurrent posts share commits, and two requests with one id store it once', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post('/api/examples', record(`c${i % 40}`))));
    assert.ok(answers.every((a) => a.status === 201));
    assert.equal(store.count(), 40);
    // A retry answered while the first copy was still on its way to the disk reads the same.
    const bodies = await Promise.all(answers.map((a) => a.json() as Promise<{ id: string }>));
    assert.deepEqual(bodies[45], bodies[5]);
  });

  it('GET /api/stats is what KIMI reads: stats["success_rate"] and stats["categories"]["bug_fixing"]["success"]', async () => {
    await post('/api/examples/batch', [
      record('s1'),
      record('s2', { success: false }),
      record('s3', { tags: ['auth'], model_used: 'N' }),
      record('s4', { timestamp: daysAgo(45), tags: ['auth'] }),
    ]);
    const stats = (await (await get('/api/stats')).json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(stats.success_rate, 0.75);
    assert.equal(stats.total_examples, 4);
    assert.equal(stats.categories.bug_fixing.success, 0.5);
    assert.equal(stats.categories.bug_fixing.examples, 2);
    assert.ok(stats.success_rate < 0.8 && stats.categories.bug_fixing.success < 0.6, 'KIMI’s own comparisons work on the numbers');
    assert.equal(stats.models.M.tokens_per_success, 15, 'model M: 30 tokens spent (s1, s2, s4) for 2 successes');
    assert.equal(stats.success_rate_ci.length, 2);
    const recent = (await (await get('/api/stats?days=30')).json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(recent.total_examples, 3);
    assert.equal(typeof recent.change_vs_previous, 'number');
    assert.deepEqual(Object.keys((await (await get('/api/stats/categories?tags=auth')).json()) as object), ['auth']);
    const bad = await get('/api/stats?days=0');
    assert.equal(bad.status, 400);
  });

  it('an unknown outcome (success: null) is stored as unknown: out of every rate, counted apart, a filter of its own', async () => {
    await post('/api/examples/batch', [record('u1'), record('u2', { success: false }), record('u3', { success: null }), record('u4', { success: null, tags: ['auth'] })]);
    assert.equal((await post('/api/examples', record('u5', { success: 'maybe' }))).status, 400);
    const one = (await (await get('/api/examples/u3')).json()) as { success: unknown };
    assert.equal(one.success, null);
    const stats = (await (await get('/api/stats')).json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual([stats.total_examples, stats.successes, stats.unknown_outcomes, stats.success_rate], [4, 1, 2, 0.5]);
    assert.deepEqual(stats.categories.auth, { examples: 1, success: null, unknown: 1 });
    const unknown = (await (await get('/api/examples?success=unknown')).json()) as { total: number; examples: { id: string }[] };
    assert.deepEqual(unknown.examples.map((e) => e.id).sort(), ['u3', 'u4']);
    assert.equal((await get('/api/examples?success=perhaps')).status, 400);
    const jsonl = (await (await get('/api/export/jsonl?success=unknown')).text()).trim().split('\n');
    assert.deepEqual(jsonl.map((l) => (JSON.parse(l) as { success: unknown }).success), [null, null]);
  });

  it('GET /api/examples filters and pages; GET /api/examples/{id} is 404 for an unknown id', async () => {
    await post('/api/examples/batch', Array.from({ length: 30 }, (_, i) => record(`g${i}`, { success: i % 3 === 0, tags: i % 2 ? ['auth'] : ['api'] })));
    const page = (await (await get('/api/examples?success=true&tags=auth,api&limit=5&skip=2')).json()) as { total: number; examples: { id: string; success: boolean }[] };
    assert.equal(page.total, 10);
    assert.equal(page.examples.length, 5);
    assert.ok(page.examples.every((e) => e.success));
    assert.equal((await get('/api/examples?limit=1001')).status, 400);
    assert.equal((await get('/api/examples/g1')).status, 200);
    const missing = await get('/api/examples/nope');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { code: string }).code, 'example-not-found');
  });

  it('PATCH feedback is journalled; exports stream every filtered example with the CSV formula guard; search pages with a cursor', async () => {
    await post('/api/examples/batch', Array.from({ length: 25 }, (_, i) => record(`x${i}`, { success: i % 2 === 0, task_description: i === 4 ? '=HYPERLINK("http://evil")' : `find the needle ${i}` })));
    const patched = await app.request('/api/examples/x1', { method: 'PATCH', headers: { host: HOST, 'content-type': 'application/json' }, body: JSON.stringify({ human_feedback: 'checked by hand' }) });
    assert.equal(patched.status, 200);
    assert.equal(((await patched.json()) as { human_feedback: string }).human_feedback, 'checked by hand');
    assert.equal((await app.request('/api/examples/none', { method: 'PATCH', headers: { host: HOST, 'content-type': 'application/json' }, body: '{"human_feedback":null}' })).status, 404);
    assert.equal((await app.request('/api/examples/x1', { method: 'PATCH', headers: { host: HOST, 'content-type': 'application/json' }, body: '{"feedback":1}' })).status, 400);
    const csv = await get('/api/export/csv?success=true');
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines.length, 1 + 13);
    assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""http://evil"")"`)), 'a formula is written as text');
    const jsonl = (await (await get('/api/export/jsonl')).text()).trim().split('\n');
    assert.equal(jsonl.length, 25);
    assert.equal((JSON.parse(jsonl.find((l) => l.includes('"x1"'))!) as { human_feedback: string }).human_feedback, 'checked by hand');
    const json = JSON.parse(await (await get('/api/export/json?tags=bug_fixing')).text()) as unknown[];
    assert.equal(json.length, 25);
    const search = async (body: unknown) => {
      const r = await post('/api/search', body);
      return { status: r.status, body: (await r.json()) as { total: number; examples: { id: string }[]; next_cursor: string | null } };
    };
    const first = await search({ text: 'needle', limit: 10, filters: { success: false } });
    assert.equal(first.status, 200);
    assert.equal(first.body.total, 12);
    const second = await search({ text: 'needle', limit: 10, filters: { success: false }, cursor: first.body.next_cursor });
    assert.equal(second.body.examples.length, 2);
    assert.equal(second.body.next_cursor, null);
    assert.equal(new Set([...first.body.examples, ...second.body.examples].map((e) => e.id)).size, 12);
    assert.equal((await search({ regex: '(' })).status, 400);
    assert.equal((await search({ limit: 5 })).status, 400);
  });

  it('analytics as the panel computes them: trends, recommendations, insights, predictions with the backtest, and /api/insights as actions', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => record(`an${i}`, { timestamp: daysAgo(i % 84, 10), success: i % 84 < 42 ? i % 5 !== 0 : i % 2 === 0, tags: i % 3 ? ['auth'] : ['db'] }));
    for (let i = 0; i < rows.length; i += 300) assert.equal((await post('/api/examples/batch', rows.slice(i, i + 300))).status, 201);
    const trends = (await (await get('/api/nasa/analytics/trends')).json()) as { overall: { total: number }; trend: { weekly: unknown[]; statement: string } };
    assert.equal(trends.overall.total, 600);
    assert.ok(trends.trend.weekly.length >= 12);
    assert.match(trends.trend.statement, /points a week|trend/);
    const prediction = (await (await get('/api/nasa/analytics/predictions?tag=auth')).json()) as { tag: string; backtest: { heldOutWeeks: number } | null; explanation: string };
    assert.equal(prediction.tag, 'auth');
    assert.ok(prediction.backtest && prediction.backtest.heldOutWeeks >= 2, prediction.explanation);
    const recs = (await (await get('/api/nasa/analytics/recommendations')).json()) as { technology: string; reason: string }[];
    const insights = (await (await get('/api/nasa/analytics/insights')).json()) as { title: string }[];
    assert.ok(Array.isArray(insights));
    const actions = (await (await get('/api/insights')).json()) as { examples: number; actions: { technology: string; reason: string; start: { path: string } }[] };
    assert.equal(actions.examples, 600);
    assert.deepEqual(
      actions.actions.map((a) => [a.technology, a.reason]),
      recs.map((r) => [r.technology, r.reason]),
    );
    assert.ok(actions.actions.every((a) => a.start.path === '/api/nasa/learn'));
  });

  it('GET /api/metrics: requests by route template and status, examples ingested by outcome, the store size', async () => {
    await post('/api/examples', record('m1'));
    await post('/api/examples', record('m1'));
    await post('/api/examples', { success: true });
    await get('/api/examples/m1');
    await get('/api/examples/nope');
    const text = await (await get('/api/metrics')).text();
    assert.match(text, /learning_viewer_http_requests_total\{method="POST",route="\/api\/examples",status="201"\} 2/);
    assert.match(text, /learning_viewer_http_requests_total\{method="GET",route="\/api\/examples\/:id",status="404"\} 1/);
    assert.match(text, /learning_viewer_examples_ingested_total\{outcome="created"\} 1/);
    assert.match(text, /learning_viewer_examples_ingested_total\{outcome="duplicate"\} 1/);
    assert.match(text, /learning_viewer_examples_ingested_total\{outcome="rejected"\} 1/);
    assert.match(text, /learning_viewer_examples 1/);
    assert.match(text, /learning_viewer_http_request_duration_seconds_bucket\{le="0.5",route="\/api\/examples"\} 3/);
    assert.doesNotMatch(text, /route="\/api\/examples\/m1"/, 'ids never become labels');
  });

  it('answers only its own Host names and listed Origins; errors are problem+json without a stack', async () => {
    assert.equal((await app.request('/api/health', { headers: { host: 'evil.example:8000' } })).status, 421);
    assert.equal((await app.request('/api/health', { headers: { host: 'localhost:8000' } })).status, 200);
    assert.equal((await app.request('/api/health', { headers: { host: '127.0.0.1:9999' } })).status, 421);
    const foreign = await get('/api/health', { origin: 'http://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal(((await foreign.json()) as { code: string }).code, 'origin-not-allowed');
    const listed = await get('/api/health', { origin: 'http://localhost:3000' });
    assert.equal(listed.status, 200);
    assert.equal(listed.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    const none = await get('/api/nothing-here');
    assert.equal(none.status, 404);
    const text = await none.text();
    assert.doesNotMatch(text, /at .*\.ts:\d+/);
    assert.equal(isLoopback('127.0.0.2'), true);
    assert.equal(isLoopback('0.0.0.0'), false);
    assert.equal(isLoopback('::1'), true);
  });
});

describe('the HTTP API with tokens', () => {
  const tmp = useTempDir();

  it('401 without or with a bad token, 403 for the wrong role, and a revoked token stops working at once', async () => {
    const dataDir = join(tmp.path, 'db');
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir });
    try {
      const app = createApiApp(
        { store, commit: new GroupCommit(store, 'api', () => undefined), assumeTimeZone: 'utc', version: '0.1.0', startedAt: Date.now() },
        { allowedHosts: defaultAllowedHosts('127.0.0.1', 8000), allowedOrigins: [], tokens: new TokenRegistry(dataDir) },
      );
      const ingest = await createToken(dataDir, 'ingest', 'kimi');
      const reader = await createToken(dataDir, 'read', 'dashboards');
      assert.match(ingest.token, /^lv_ingest_/);
      assert.doesNotMatch(readFileSync(join(dataDir, TOKENS_FILE), 'utf8'), new RegExp(ingest.token), 'only the hash is stored');
      const call = (path: string, token: string | null, init: RequestInit = {}) =>
        app.request(path, { ...init, headers: { host: HOST, 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      const example = JSON.stringify({ id: 't1', timestamp: daysAgo(1), success: true });
      const missing = await call('/api/stats', null);
      assert.equal(missing.status, 401);
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="learning-viewer"');
      assert.equal((await call('/api/stats', 'lv_ingest_wrong')).status, 401);
      assert.equal((await call('/api/examples', ingest.token, { method: 'POST', body: example })).status, 201);
      assert.equal((await call('/api/stats', ingest.token)).status, 200);
      const forbidden = await call('/api/examples', ingest.token);
      assert.equal(forbidden.status, 403);
      assert.match(((await forbidden.json()) as { detail: string }).detail, /an ingest token may not GET \/api\/examples; this needs read or admin/);
      assert.equal((await call('/api/examples', reader.token)).status, 200);
      assert.equal((await call('/api/examples', reader.token, { method: 'POST', body: example })).status, 403);
      assert.equal(await revokeToken(dataDir, 'kimi'), true);
      assert.equal((await call('/api/stats', ingest.token)).status, 401);
      assert.deepEqual(
        readTokens(dataDir).map((t) => [t.name, t.role, t.revokedAt === null]),
        [
          ['kimi', 'ingest', false],
          ['dashboards', 'read', true],
        ],
      );
    } finally {
      store.close();
    }
  });

  it('a caller over its rate gets 429 with Retry-After', async () => {
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'rl') });
    try {
      let clock = 1_000_000;
      const app = createApiApp(
        { store, commit: new GroupCommit(store, 'api', () => undefined), assumeTimeZone: 'utc', version: '0.1.0', startedAt: 0, now: () => clock },
        { allowedHosts: [HOST], allowedOrigins: [], tokens: null, rateLimit: 5 },
      );
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await app.request('/api/health', { headers: { host: HOST } })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
      const limited = await app.request('/api/health', { headers: { host: HOST } });
      assert.equal(limited.headers.get('retry-after'), '1');
      clock += 1000;
      assert.equal((await app.request('/api/health', { headers: { host: HOST } })).status, 200);
    } finally {
      store.close();
    }
  });
});

describe('learning tasks through the HTTP API', () => {
  const tmp = useTempDir();

  /** Reads an SSE response to its end: each event's id, name and data. */
  async function readEvents(response: Response): Promise<{ id: number; event: string; data: Record<string, unknown> }[]> {
    const text = await response.text();
    return text
      .split('\n\n')
      .filter((block) => block.includes('event:'))
      .map((block) => {
        const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}:`))!.slice(name.length + 1).trim();
        return { id: Number(field('id')), event: field('event'), data: JSON.parse(field('data')) as Record<string, unknown> };
      });
  }

  it('POST /api/nasa/learn is 202 with the task id; its status, the task list, its live events to the end, and a resume after the last one seen', async () => {
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
    const tasks = await ApiTasks.open(new EmbeddedEngine(store, tmp.path), { maxConcurrent: 2, timeoutMs: 60_000, afterWrite: () => undefined });
    try {
      const commit = new GroupCommit(store, 'api', () => undefined);
      const app = createApiApp({ store, commit, assumeTimeZone: 'utc', version: '0.1.0', startedAt: Date.now(), tasks }, { allowedHosts: [HOST], allowedOrigins: [], tokens: null });
      const post = (path: string, body: unknown) => app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { host: HOST, 'content-type': 'application/json' } });
      const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers: { host: HOST, ...headers } });
      await post('/api/examples/batch', Array.from({ length: 40 }, (_, i) => ({ id: `l${i}`, timestamp: daysAgo(i % 5), success: i % 4 !== 0, tags: ['auth'] })));
      const started = await post('/api/nasa/learn', { technology: 'auth', depth: 'quick', priority: 'high' });
      assert.equal(started.status, 202);
      const { task_id: id, status } = (await started.json()) as { task_id: string; status: string };
      assert.ok(['pending', 'running'].includes(status), status);
      const events = await readEvents(await get(`/api/nasa/learn/${id}/events`));
      assert.deepEqual(
        events.map((e) => e.id),
        events.map((_, i) => i + 1),
        'numbered 1, 2, 3…',
      );
      assert.equal(events[0]!.event, 'queued');
      assert.ok(events.some((e) => e.event === 'started'));
      assert.ok(events.some((e) => e.event === 'progress'));
      assert.equal(events.at(-1)!.event, 'completed');
      assert.equal((events.at(-1)!.data.result as { proficiency: number }).proficiency, 0.75);
      // A reconnect after event 2 gets the rest, not the start again.
      const resumed = await readEvents(await get(`/api/nasa/learn/${id}/events`, { 'last-event-id': '2' }));
      assert.deepEqual(
        resumed.map((e) => e.id),
        events.slice(2).map((e) => e.id),
      );
      const one = (await (await get(`/api/nasa/learn/${id}`)).json()) as { status: string; progress: number; messages: { kind: string }[] };
      assert.equal(one.status, 'completed');
      assert.equal(one.progress, 100);
      assert.ok(one.messages.some((m) => m.kind === 'completed'));
      const list = (await (await get('/api/nasa/tasks')).json()) as { tasks: { task_id: string }[]; queue_size: number };
      assert.deepEqual([list.tasks.map((t) => t.task_id), list.queue_size], [[id], 0]);
      assert.equal((await post(`/api/nasa/learn/${id}/cancel`, {})).status, 409);
      assert.equal((await get('/api/nasa/learn/nope')).status, 404);
      // A task that fails (nothing tagged rust), then is retried: the retry's events are numbered on, after everything seen.
      const failing = ((await (await post('/api/nasa/learn', { technology: 'rust', depth: 'quick' })).json()) as { task_id: string }).task_id;
      const firstRun = await readEvents(await get(`/api/nasa/learn/${failing}/events`));
      assert.equal(firstRun.at(-1)!.event, 'error');
      tasks.queue.retry(failing);
      const retried = await readEvents(await get(`/api/nasa/learn/${failing}/events`, { 'last-event-id': String(firstRun.at(-1)!.id) }));
      assert.equal(retried[0]!.event, 'queued');
      assert.equal(retried[0]!.id, firstRun.at(-1)!.id + 1);
      assert.equal(retried.at(-1)!.event, 'error');
      const bad = await post('/api/nasa/learn', { technology: '--help' });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { detail: string }).detail, /cannot start with "-"/);
    } finally {
      await tasks.dispose();
      store.close();
    }
  });
});

describe('the OpenAPI document', () => {
  const tmp = useTempDir();
  it('lists exactly the routes the app serves, and docs/openapi.json is the document the code makes (npm run openapi)', async () => {
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
    const tasks = await ApiTasks.open(new EmbeddedEngine(store, tmp.path), { maxConcurrent: 1, timeoutMs: 0, afterWrite: () => undefined });
    try {
      const app = createApiApp(
        { store, commit: new GroupCommit(store, 'api', () => undefined), assumeTimeZone: 'utc', version: '0.1.0', startedAt: 0, tasks },
        { allowedHosts: [HOST], allowedOrigins: [], tokens: null },
      );
      const served = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
      const documented = API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
      assert.deepEqual(served, documented);
      const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8');
      assert.equal(committed, `${JSON.stringify(openApiDocument(version), null, 2)}\n`, 'docs/openapi.json is out of date: run npm run openapi');
      const served200 = await app.request('/api/openapi.json', { headers: { host: HOST } });
      assert.deepEqual(await served200.json(), openApiDocument('0.1.0'));
    } finally {
      await tasks.dispose();
      store.close();
    }
  });
});
