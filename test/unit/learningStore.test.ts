import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKimiLine } from '../../src/core/ingest/parseKimiLine';
import { BACKUP_FILE, LearningStore, SNAPSHOT_FILE } from '../../src/core/storage/learningStore';
import { MIGRATIONS, SCHEMA_VERSION, migrate, userVersion } from '../../src/core/storage/schema';
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
    assert.match(s.reason!, /could not be read.*moved to.*Import your KIMI logs again/);
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
      for (let v = 0; v < start; v++) MIGRATIONS[v]!(db);
      db.exec(`PRAGMA user_version = ${start}`);
      const result = migrate(db);
      assert.deepEqual(result, { from: start, to: SCHEMA_VERSION, newer: false });
      assert.equal(userVersion(db), SCHEMA_VERSION);
      db.close();
    }
  });
});
