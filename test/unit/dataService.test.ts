// The data worker's service in this thread: no worker, no bundle. The same
// messages the host sends, the same answers and announcements it hears.
import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createDataService, type DataService } from '../../src/worker/dataService';
import { SNAPSHOT_FILE } from '../../src/core/storage/learningStore';
import { workerInitSchema, type WorkerToHost } from '../../src/shared/workerProtocol';
import { useTempDir } from '../helpers/tempDir';

const require = createRequire(__filename);

/** A service on `dataDir`, with a way to await the next message of a kind it tells the host. */
function start(dataDir: string) {
  const waiting: { kind: WorkerToHost['kind']; resolve: (m: WorkerToHost) => void }[] = [];
  const service: DataService = createDataService({
    init: workerInitSchema.parse({ dataDir, wasmPath: require.resolve('sql.js/dist/sql-wasm.wasm'), assumeTimeZone: 'utc', saveIdleMs: 60_000 }),
    post: (m) => {
      const i = waiting.findIndex((w) => w.kind === m.kind);
      if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m);
    },
  });
  const next = <K extends WorkerToHost['kind']>(kind: K) => new Promise<Extract<WorkerToHost, { kind: K }>>((resolve) => waiting.push({ kind, resolve: resolve as (m: WorkerToHost) => void }));
  let id = 0;
  const request = async (method: string, params: unknown) => {
    const answer = next('response');
    await service.dispatch({ id: ++id, method, params });
    return answer;
  };
  return { next, request, service };
}

describe('the data service, in this thread', () => {
  const tmp = useTempDir();

  it('opens, imports, announces the change, answers, refuses what is invalid by name, and saves on shutdown', async () => {
    const dataDir = join(tmp.path, 'db');
    const { next, request, service } = start(dataDir);
    const opened = await next('opened');
    assert.equal(opened.health.state, 'ok');
    const file = join(tmp.path, 'log.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'a', timestamp: '2026-11-20T10:00:00Z', success: true })}\n${JSON.stringify({ id: 'b', timestamp: '2026-11-20T11:00:00Z', success: false })}\nnot json\n`);
    const changed = next('changed');
    const imported = await request('importFiles', { paths: [file], importId: 'i1' });
    assert.equal(imported.ok, true);
    assert.deepEqual([(imported.result as { added: number }).added, (imported.result as { rejected: number }).rejected], [2, 1]);
    assert.equal((await changed).examples, 2);
    const summary = await request('summary', {});
    assert.equal((summary.result as { rate: { total: number; successes: number } }).rate.total, 2);
    // A bad regular expression is refused with the reason, before any SQL.
    const badRegex = await request('summary', { filters: { codeRegex: '(' } });
    assert.equal(badRegex.ok, false);
    assert.match(badRegex.error!, /regular expression/i);
    // A message that is no request is dropped, and the log says so.
    const log = next('log');
    await service.dispatch({ id: 'x', method: 'nope' });
    assert.match((await log).message, /dropped an invalid request/);
    assert.equal((await request('shutdown', {})).ok, true);
    assert.ok(existsSync(join(dataDir, SNAPSHOT_FILE)), 'the snapshot is saved on shutdown');
  });
});
