import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { countSelected, deleteMatching } from '../../src/core/queries/deleteMatching';
import { LearningStore, LOCK_FILE } from '../../src/core/storage/learningStore';
import { byModel, byTag, daily } from '../../src/core/queries/breakdowns';
import { summary } from '../../src/core/queries/summary';
import { filtersSchema, NO_FILTERS } from '../../src/shared/filters';
import { kimi, storeWith } from '../helpers/storeWith';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';

const f = (x: Record<string, unknown>) => filtersSchema.parse(x);
const day = (d: number, h: number) => `2026-11-0${d}T${String(h).padStart(2, '0')}:00:00Z`;

/** 60 examples over 3 days: tag auth on a third, model M or N, tokens on half. */
const DATA = Array.from({ length: 60 }, (_, i) =>
  kimi({ id: `d${i}`, timestamp: day(1 + (i % 3), 8 + (i % 10)), success: i % 4 !== 0, tags: i % 3 === 0 ? ['auth', 'api'] : ['api'], model_used: i % 2 ? 'M' : 'N', tokens_consumed: i % 2 ? 100 + i : undefined }),
);

/** Every figure the rollups answer, against the same read from the examples themselves. */
function sameBothWays(store: LearningStore, filters = NO_FILTERS): void {
  const fast = summary(store, filters);
  const slow = summary(store, filters, { rollups: false });
  assert.deepEqual([fast.rate, fast.tokens], [slow.rate, slow.tokens]);
  assert.deepEqual(byTag(store, filters), byTag(store, filters, { rollups: false }));
  assert.deepEqual(byModel(store, filters), byModel(store, filters, { rollups: false }));
  assert.deepEqual(daily(store, filters), daily(store, filters, { rollups: false }));
}

describe('Delete Examples…', () => {
  const tmp = useTempDir();

  it('deletes what the filters select, with its share of every per-day figure; the rest stays as it was', async () => {
    const store = await storeWith(tmp.path, DATA);
    try {
      const auth = f({ tags: ['auth'] });
      const before = summary(store, f({ tags: ['api'] }), { rollups: false });
      assert.equal(countSelected(store, { filters: auth, sourcePath: null }), 20);
      const progress: number[] = [];
      assert.deepEqual(await deleteMatching(store, { filters: auth, sourcePath: null }, (done) => progress.push(done)), { deleted: 20 });
      assert.deepEqual(progress, [20]);
      assert.equal(store.count(), 40);
      assert.equal(summary(store, auth).rate.total, 0, 'the rollups no longer count them');
      assert.deepEqual(byTag(store).map((t) => t.tag), ['api'], 'a tag left with no example is not listed');
      assert.equal(summary(store).rate.total, before.rate.total - 20);
      sameBothWays(store);
      sameBothWays(store, f({ model: 'M' }));
      assert.equal(countSelected(store, { filters: auth, sourcePath: null }), 0);
    } finally {
      store.close();
    }
  });

  it('is journalled: after a crash, the snapshot from before the delete and the journal give the same store', async () => {
    const SQL = await testSqlJs();
    const first = await storeWith(tmp.path, DATA);
    await first.save();
    await deleteMatching(first, { filters: f({ success: false }), sourcePath: null });
    const expected = summary(first, NO_FILTERS, { rollups: false });
    // A crash: no snapshot after the delete, the dead process's lock left behind.
    (first as unknown as { lockHeld: boolean }).lockHeld = false;
    rmSync(join(tmp.path, 'db', LOCK_FILE));
    const second = LearningStore.open({ SQL, dataDir: join(tmp.path, 'db') });
    try {
      assert.equal(second.count(), 45);
      assert.deepEqual(summary(second, NO_FILTERS, { rollups: false }), expected);
      sameBothWays(second);
    } finally {
      second.close();
    }
  });

  it('deletes more than one slice (1,000) in slices, and only the given source when asked', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => kimi({ id: `m${i}`, timestamp: day(1 + (i % 3), 9), success: i % 2 === 0, tags: ['bulk'] }));
    const store = await storeWith(tmp.path, many);
    try {
      assert.deepEqual(await deleteMatching(store, { filters: NO_FILTERS, sourcePath: '/no/such/file.jsonl' }), { deleted: 0 }, 'examples from no such file: nothing');
      const progress: number[] = [];
      assert.deepEqual(await deleteMatching(store, { filters: f({ success: true }), sourcePath: null }, (done) => progress.push(done)), { deleted: 1250 });
      assert.deepEqual(progress, [1000, 1250]);
      sameBothWays(store);
    } finally {
      store.close();
    }
  });
});
