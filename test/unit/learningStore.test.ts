import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKimiLine } from '../../src/core/ingest/parseKimiLine';
import { BACKUP_FILE, LearningStore, SNAPSHOT_FILE } from '../../src/core/storage/learningStore';
import { MIGRATIONS, SCHEMA_VERSION, migrate, userVersion } from '../../src/core/storage/schema';
import { contentKey, registerKeyFunctions, stringKey } from '../../src/core/storage/keys';
import { exampleById } from '../../src/core/queries/examples';
import { distinctValues, sessions } from '../../src/core/queries/breakdowns';
import { examplesPage } from '../../src/core/queries/examples';
import { filtersSchema } from '../../src/shared/filters';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';

function example(id: string, success = true) {
  const r = parseKimiLine(JSON.stringify({ id, timestamp: '2026-11-20T10:00:00Z', success, tags: ['auth', 'api'], model_used: 'M' }), {
    assumeTimeZone: 'utc',
    now: Date.UTC(2026, 10, 21),
  });
  if (!r.ok) throw new Error(r.reason);
  return { example: r.example };
}

describe('the learning store', () => {
  const tmp = useTempDir();
  const dir = () => join(tmp.path, 'data');

  it("numbers each task's log: appended events get the next places, read back with them, task by task", async () => {
    const SQL = await testSqlJs();
    const store = LearningStore.open({ SQL, dataDir: dir() });
    const event = (message: string) => ({ at: 1, kind: 'log' as const, message, progress: null });
    assert.equal(store.appendTaskEvents('a', [event('one'), event('two')]), 1);
    assert.equal(store.appendTaskEvents('b', [event('other')]), 1);
    assert.equal(store.appendTaskEvents('a', [event('two')]), 3, 'the same words again are a new event');
    assert.equal(store.appendTaskEvents('a', []), 4, 'nothing appended: the next place');
    assert.deepEqual(store.taskEvents('a').map((e) => [e.seq, e.message]), [[1, 'one'], [2, 'two'], [3, 'two']]);
    assert.deepEqual(store.taskEvents('a', 2).map((e) => e.seq), [2, 3], 'the last ones, oldest first');
    store.close();
  });

  it('saves a snapshot that a new process loads with every example', async () => {
    const SQL = await testSqlJs();
    const a = LearningStore.open({ SQL, dataDir: dir() });
    a.insert([example('1'), example('2', false)]);
    const saved = await a.save();
    assert.equal(saved.saved, true);
    a.close();
    const b = LearningStore.open({ SQL, dataDir: dir() });
    assert.equal(b.count(), 2);
    assert.deepEqual(b.rows('SELECT name FROM tags ORDER BY name'), [['api'], ['auth']]);
    b.close();
  });

  it('after a reopen, an example of a session stored before joins that session (its key read when first needed)', async () => {
    const SQL = await testSqlJs();
    const inSession = (id: string, session: string) => {
      const r = parseKimiLine(JSON.stringify({ id, timestamp: '2026-11-20T10:00:00Z', success: true, session_id: session }), { assumeTimeZone: 'utc', now: Date.UTC(2026, 10, 21) });
      if (!r.ok) throw new Error(r.reason);
      return { example: r.example };
    };
    const a = LearningStore.open({ SQL, dataDir: dir() });
    a.insert([inSession('1', 's1'), inSession('2', 's2')]);
    await a.save();
    a.close();
    const b = LearningStore.open({ SQL, dataDir: dir() });
    b.insert([inSession('3', 's1'), inSession('4', 's3')]);
    assert.deepEqual(b.rows('SELECT name FROM sessions ORDER BY name'), [['s1'], ['s2'], ['s3']], 'no session twice');
    assert.equal(examplesPage(b, { filters: filtersSchema.parse({ session: 's1' }), limit: 10 }).rows.length, 2);
    b.close();
  });

  it('says when the last example was stored, after a reopen too', async () => {
    const SQL = await testSqlJs();
    const a = LearningStore.open({ SQL, dataDir: dir() });
    assert.equal(a.lastIngest(), null, 'nothing stored yet');
    const t = Date.UTC(2026, 10, 21, 9);
    a.insert([example('1'), example('2')], t);
    a.insert([example('3')], t + 60_000);
    assert.equal(a.lastIngest(), t + 60_000);
    await a.save();
    a.close();
    const b = LearningStore.open({ SQL, dataDir: dir() });
    assert.equal(b.lastIngest(), t + 60_000);
    b.close();
  });

  it('keeps the previous snapshot as a backup and leaves no temp files', async () => {
    const SQL = await testSqlJs();
    const a = LearningStore.open({ SQL, dataDir: dir() });
    a.insert([example('1')]);
    await a.save();
    const first = readFileSync(join(dir(), SNAPSHOT_FILE));
    a.insert([example('2')]);
    await a.save();
    a.close();
    assert.deepEqual(readFileSync(join(dir(), BACKUP_FILE)), first);
    assert.deepEqual(readdirSync(dir()).filter((f) => f.endsWith('.tmp')), []);
  });

  it('moves an unreadable snapshot aside, starts fresh and says so', async () => {
    const SQL = await testSqlJs();
    LearningStore.open({ SQL, dataDir: dir() }).close();
    writeFileSync(join(dir(), SNAPSHOT_FILE), 'this is not a database, but it may be the only copy of something');
    const s = LearningStore.open({ SQL, dataDir: dir() });
    assert.equal(s.count(), 0);
    assert.ok(s.recoveredFrom && existsSync(s.recoveredFrom), 'the unreadable file is kept');
    assert.match(readFileSync(s.recoveredFrom!, 'utf8'), /only copy/);
    assert.match(s.reason!, /is damaged.*moved to.*import your KIMI logs again/);
    s.close();
  });

  it('opens a second writer on the same folder read-only, and says why', async () => {
    const SQL = await testSqlJs();
    const first = LearningStore.open({ SQL, dataDir: dir() });
    first.insert([example('1')]);
    await first.save();
    const second = LearningStore.open({ SQL, dataDir: dir() });
    assert.equal(second.state, 'read-only');
    assert.match(second.reason!, /another window .* is writing/);
    assert.equal(second.count(), 1, 'the read-only view still answers');
    assert.throws(() => second.insert([example('2')]), /read-only/);
    second.close();
    first.close();
    const third = LearningStore.open({ SQL, dataDir: dir() });
    assert.equal(third.state, 'ok', 'the lock is released on close');
    third.close();
  });

  it('opens a database from a newer schema read-only and never downgrades it', async () => {
    const SQL = await testSqlJs();
    const a = LearningStore.open({ SQL, dataDir: dir() });
    a.insert([example('1')]);
    a.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    await a.save();
    a.close();
    const before = readFileSync(join(dir(), SNAPSHOT_FILE));
    const b = LearningStore.open({ SQL, dataDir: dir() });
    assert.equal(b.state, 'read-only');
    assert.match(b.reason!, /newer version of Learning Viewer/);
    await b.save();
    b.close();
    assert.deepEqual(readFileSync(join(dir(), SNAPSHOT_FILE)), before);
  });

  it('migrates from every older schema version to the current one', async () => {
    const SQL = await testSqlJs();
    for (let start = 0; start < SCHEMA_VERSION; start++) {
      const db = new SQL.Database();
      registerKeyFunctions(db);
      for (let v = 0; v < start; v++) MIGRATIONS[v]!(db);
      db.exec(`PRAGMA user_version = ${start}`);
      const result = migrate(db);
      assert.deepEqual(result, { from: start, to: SCHEMA_VERSION, newer: false });
      assert.equal(userVersion(db), SCHEMA_VERSION);
      db.close();
    }
  });

  it('upgrading a schema-5 database keeps every example, its session and its id; re-importing the same log adds nothing', async () => {
    const SQL = await testSqlJs();
    const records = [
      { id: 'u-1', timestamp: '2026-11-19T10:00:00Z', success: true, session_id: 'sess-a', tags: ['auth'], model_used: 'M' },
      { id: 'u-2', timestamp: '2026-11-19T11:00:00Z', success: false, session_id: 'sess-a', tags: ['db'], model_used: 'M' },
      { id: 'u-3', timestamp: '2026-11-20T09:00:00Z', success: true, session_id: 'sess-b', task_description: 'kept' },
    ].map((r) => {
      const p = parseKimiLine(JSON.stringify(r), { assumeTimeZone: 'utc', now: Date.UTC(2026, 10, 21) });
      if (!p.ok) throw new Error(p.reason);
      return p.example;
    });
    // A snapshot as version 5 wrote it: text ids under a UNIQUE index, session ids and hex content hashes in the row.
    const db = new SQL.Database();
    for (let v = 0; v < 5; v++) MIGRATIONS[v]!(db);
    db.exec('PRAGMA user_version = 5');
    records.forEach((e, i) =>
      db.run('INSERT INTO examples (k, id, ts, day, success, session_id, task_description, ingested_at, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)', [
        i + 1,
        e.id,
        e.ts,
        e.day,
        e.success ? 1 : 0,
        e.sessionId,
        e.taskDescription,
        e.contentHash,
      ]),
    );
    mkdirSync(dir(), { recursive: true });
    writeFileSync(join(dir(), SNAPSHOT_FILE), db.export());
    db.close();

    const store = LearningStore.open({ SQL, dataDir: dir() });
    try {
      assert.equal(userVersion(store.db), SCHEMA_VERSION);
      assert.equal(store.count(), 3);
      assert.equal(exampleById(store, 'u-3')!.taskDescription, 'kept');
      assert.equal(exampleById(store, 'u-2')!.sessionId, 'sess-a');
      assert.deepEqual(
        sessions(store).map((s) => [s.session, s.total, s.successes]),
        [
          ['sess-b', 1, 1],
          ['sess-a', 2, 1],
        ],
      );
      assert.deepEqual(distinctValues(store, 'session', 'sess-'), [
        { value: 'sess-a', count: 2 },
        { value: 'sess-b', count: 1 },
      ]);
      const inA = examplesPage(store, { filters: filtersSchema.parse({ session: 'sess-a' }), limit: 10 });
      assert.deepEqual(inA.rows.map((e) => e.id).sort(), ['u-1', 'u-2']);
      // The same lines again are all already present; one changed line is a conflict, and the first version stays.
      const again = store.insert(records.map((example) => ({ example })));
      assert.deepEqual([again.added, again.duplicates, again.conflicts], [0, 3, 0]);
      const changed = parseKimiLine(JSON.stringify({ id: 'u-1', timestamp: '2026-11-19T10:00:00Z', success: false }), {
        assumeTimeZone: 'utc',
        now: Date.UTC(2026, 10, 21),
      });
      assert.ok(changed.ok);
      assert.equal(store.insert([{ example: changed.example }]).conflicts, 1);
      assert.equal(exampleById(store, 'u-1')!.success, true);
      assert.equal(store.setFeedback('u-2', 'upgraded'), true);
      assert.equal(exampleById(store, 'u-2')!.humanFeedback, 'upgraded');
    } finally {
      store.close();
    }
  });

  it('tells apart ids whose integer keys collide', async () => {
    const SQL = await testSqlJs();
    const store = LearningStore.open({ SQL, dataDir: dir() });
    try {
      const a = example('collide-a');
      const b = example('collide-b', false);
      store.insert([a]);
      // Force a collision: give the stored row the key the second id will look up.
      store.db.run('UPDATE examples SET id_k = ? WHERE id = ?', [stringKey('collide-b'), 'collide-a']);
      const counts = store.insert([b]);
      assert.deepEqual([counts.added, counts.duplicates, counts.conflicts], [1, 0, 0]);
      assert.equal(exampleById(store, 'collide-b')!.success, false);
      assert.equal(store.insert([b]).duplicates, 1);
    } finally {
      store.close();
    }
  });
});

describe('integer keys', () => {
  it('are whole numbers below 2^47 (6 bytes in SQLite), the same for the same text and different for near texts', () => {
    const ids = ['', 'a', 'b', 'ab', 'ba', '3f2a9c1e-0d4b-4c7a-a1b2-9e8f7d6c5b4a', '3f2a9c1e-0d4b-4c7a-a1b2-9e8f7d6c5b4b', 'Ünïcödé ✓'];
    const keys = ids.map(stringKey);
    for (const k of keys) assert.ok(Number.isSafeInteger(k) && k >= 0 && k < 2 ** 47, String(k));
    assert.equal(new Set(keys).size, ids.length);
    assert.deepEqual(ids.map(stringKey), keys);
  });

  it('reads a content hash by its first 44 bits, and any other text by its own key', () => {
    assert.equal(contentKey('da39a3ee5e6b4b0d3255bfef95601890afd80709'), 0xda39a3ee5e6);
    assert.equal(contentKey('not hex'), stringKey('not hex'));
  });
});
