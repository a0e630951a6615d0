import { strict as assert } from 'node:assert';
import { appendFileSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/core/storage/atomicWrite';
import { JOURNAL_FILE, LearningStore, SNAPSHOT_FILE } from '../../src/core/storage/learningStore';
import { Journal } from '../../src/core/storage/journal';
import { testSqlJs } from '../helpers/sqlJs';
import { kimi, storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

/** An `open` whose handles write part of the data and then fail as a full disk does. */
const fullDiskOpen: typeof fs.open = (async (path: string, flags: string) => {
  const handle = await fs.open(path, flags);
  return new Proxy(handle, {
    get(target, prop) {
      if (prop === 'writeFile') {
        return async (data: Uint8Array) => {
          await target.writeFile(data.subarray(0, Math.floor(data.length / 2)));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}) as typeof fs.open;

describe('durability', () => {
  const tmp = useTempDir();

  it('a full disk while saving leaves the previous snapshot intact, no temp file, and the data still to save', async () => {
    const store = await storeWith(tmp.path, [kimi({ id: 'one' })]);
    await store.save();
    const dir = join(tmp.path, 'db');
    const before = readFileSync(join(dir, SNAPSHOT_FILE));
    store.setFeedback('one', 'edited');
    store.snapshotWriter = (target, data, backup) => writeFileAtomic(target, data, backup, fullDiskOpen);
    await assert.rejects(store.save(), /ENOSPC/);
    assert.deepEqual(readFileSync(join(dir, SNAPSHOT_FILE)), before, 'the old snapshot is untouched');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no half-written temp file is left');
    assert.equal(store.isDirty, true, 'the change is still waiting to be saved');
    store.snapshotWriter = writeFileAtomic;
    assert.equal((await store.save()).saved, true, 'once space is back, the save goes through');
    store.close();
  });

  it('a feedback edit survives a crash before any snapshot: the journal replays it', async () => {
    const store = await storeWith(tmp.path, [kimi({ id: 'one' }), kimi({ id: 'two' })]);
    await store.save();
    assert.equal(store.setFeedback('one', 'needs a test'), true);
    assert.equal(store.setFeedback('missing', 'x'), false);
    // Crash: no save, no close. Only the lock is left behind, by a process that is (for this test) gone.
    await fs.rm(join(tmp.path, 'db', 'learning.lock'));
    const reopened = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
    assert.equal(reopened.replayed.applied, 1);
    assert.equal(reopened.rows<[string]>("SELECT human_feedback FROM examples WHERE id = 'one'")[0]![0], 'needs a test');
    await reopened.save();
    assert.equal(readFileSync(join(tmp.path, 'db', JOURNAL_FILE), 'utf8'), '', 'saved entries leave the journal');
    reopened.close();
    store.close();
  });

  it('ignores a torn last journal line and keeps the entries before it', async () => {
    const store = await storeWith(tmp.path, [kimi({ id: 'one' }), kimi({ id: 'two' })]);
    await store.save();
    store.setFeedback('one', 'first');
    store.setFeedback('two', 'second');
    appendFileSync(join(tmp.path, 'db', JOURNAL_FILE), '{"seq":3,"op":"feedback","id":"one","feedb');
    await fs.rm(join(tmp.path, 'db', 'learning.lock'));
    const reopened = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
    assert.deepEqual(reopened.replayed, { applied: 2, ignored: 1 });
    assert.deepEqual(reopened.rows("SELECT id, human_feedback FROM examples ORDER BY id"), [
      ['one', 'first'],
      ['two', 'second'],
    ]);
    reopened.close();
    store.close();
  });

  it('compaction keeps exactly the entries after the snapshot, old-format lines included, and sets damaged ones aside under their own line number', () => {
    const journal = new Journal(join(tmp.path, 'compact.journal'));
    journal.append([1, 2, 3].map((seq) => ({ seq, op: 'feedback' as const, id: `e${seq}`, feedback: `f${seq}`, at: 0 })));
    // A line from before the number came first (plain JSON), one after the snapshot; a line whose bytes changed.
    appendFileSync(journal.path, `${JSON.stringify({ op: 'feedback', id: 'e4', feedback: 'f4', at: 0, seq: 4 })}\n`);
    appendFileSync(journal.path, 'c:00000000 {"seq":5,"op":"feedback","id":"e5","feedback":"f5","at":0}\n');
    journal.append([{ seq: 6, op: 'feedback', id: 'e6', feedback: 'f6', at: 0 }]);
    journal.compact(2);
    const after = journal.read(0);
    assert.deepEqual(after.entries.map((e) => e.seq), [3, 4, 6]);
    assert.deepEqual(after.damaged, []);
    const aside = readFileSync(journal.damagedPath, 'utf8');
    assert.match(aside, /# line 5: its checksum does not match/);
    assert.match(aside, /"id":"e5"/);
  });
});
