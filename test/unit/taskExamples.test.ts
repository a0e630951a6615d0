import { strict as assert } from 'node:assert';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { byTag, daily } from '../../src/core/queries/breakdowns';
import { examplesPage } from '../../src/core/queries/examples';
import { summary } from '../../src/core/queries/summary';
import { MIGRATIONS } from '../../src/core/storage/schema';
import { filtersSchema, NO_FILTERS } from '../../src/shared/filters';
import { kimi, storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

const NOW = Date.UTC(2026, 10, 21, 12);
const at = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

/** The agent: 40 examples of auth, 30 succeeded. A learning task: 10 practice examples of auth, all failed. */
async function setup(dir: string) {
  const store = await storeWith(
    dir,
    Array.from({ length: 40 }, (_, i) => kimi({ id: `a${i}`, timestamp: at(i % 5), success: i < 30, tags: ['auth'], model_used: 'M', tokens_consumed: 100 })),
  );
  const practice = Array.from({ length: 10 }, (_, i) => {
    const p = normalizeRecord(kimi({ id: `p${i}`, timestamp: at(i % 5), success: false, tags: ['auth'], model_used: 'M', tokens_consumed: 50 }), { assumeTimeZone: 'utc', now: NOW });
    if (!p.ok) throw new Error(p.reason);
    return p.example;
  });
  store.addLearnerExamples('task-1', practice);
  return store;
}

describe("a learning task's examples are practice, not the agent's work", () => {
  const tmp = useTempDir();

  it("are left out of the agent's rates, lists and rollups unless a filter asks for them", async () => {
    const store = await setup(tmp.path);
    try {
      const own = summary(store);
      assert.deepEqual([own.rate.total, own.rate.successes], [40, 30], '75%, not 30 of 50');
      assert.deepEqual(summary(store, NO_FILTERS, { rollups: false }).rate, own.rate, 'the rollups and the rows agree');
      assert.equal(examplesPage(store, { limit: 100 }).total, 40);
      const withTasks = filtersSchema.parse({ taskExamples: 'with' });
      assert.deepEqual([summary(store, withTasks).rate.total, summary(store, withTasks).rate.successes], [50, 30]);
      assert.deepEqual(byTag(store, withTasks), [{ tag: 'auth', total: 50, successes: 30, unknown: 0 }]);
      const only = filtersSchema.parse({ taskExamples: 'only' });
      assert.deepEqual(
        examplesPage(store, { limit: 100, filters: only }).rows.map((r) => r.id).sort(),
        Array.from({ length: 10 }, (_, i) => `p${i}`).sort(),
      );
      assert.equal(summary(store, only).tokens.tokens, 500);
    } finally {
      store.close();
    }
  });

  it('a store from before (schema 8) is brought to the same figures: its tasks’ examples flagged and taken out of the rollups', async () => {
    const store = await setup(tmp.path);
    try {
      const expected = { daily: daily(store), byTag: byTag(store), summary: summary(store) };
      // Schema 8 as it was: no flag, and the rollups counting the task's examples too.
      store.db.exec('DROP INDEX examples_practice; UPDATE examples SET flags = flags & ~2');
      for (const [day, model, success, n, tokens] of store.rows<number[]>(
        "SELECT day, coalesce(model_id, 0), success, count(*), sum(tokens) FROM examples WHERE id LIKE 'p%' GROUP BY 1, 2, 3",
      )) {
        store.db.run('UPDATE rollup_daily SET n = n + ?, tokens = tokens + ?, tokens_n = tokens_n + ? WHERE day = ? AND model_id = ? AND success = ?', [n!, tokens!, n!, day!, model!, success!]);
        store.db.run(
          'UPDATE rollup_tag_daily SET n = n + ?, tokens = tokens + ?, tokens_n = tokens_n + ? WHERE tag_id = (SELECT tag_id FROM tags WHERE name = ?) AND day = ? AND model_id = ? AND success = ?',
          [n!, tokens!, n!, 'auth', day!, model!, success!],
        );
      }
      assert.notDeepEqual(summary(store).rate, expected.summary.rate, 'the old rollups count the practice');
      MIGRATIONS[8]!(store.db);
      assert.deepEqual(daily(store), expected.daily);
      assert.deepEqual(byTag(store), expected.byTag);
      assert.deepEqual(summary(store).rate, expected.summary.rate);
      assert.equal(store.rows<[number]>('SELECT count(*) FROM examples WHERE flags & 2')[0]![0], 10);
    } finally {
      store.close();
    }
  });
});
