import { strict as assert } from 'node:assert';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { examplesPage } from '../../src/core/queries/examples';
import { summary } from '../../src/core/queries/summary';
import { asciiLower } from '../../src/core/storage/textSearch';
import { filtersSchema } from '../../src/shared/filters';
import { kimi, storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

type Rec = { id: string; task_description?: string | null; human_feedback?: string | null; code_context?: string | null };

/** The rule the search keeps: LIKE '%text%' on each field alone, ASCII letters folded, nothing else. */
function expected(records: Rec[], needle: string): string[] {
  const n = asciiLower(needle.trim());
  return records
    .filter((r) => [r.task_description, r.human_feedback, r.code_context].some((v) => typeof v === 'string' && asciiLower(v).includes(n)))
    .map((r) => r.id)
    .sort();
}

describe('text search (description, feedback and code)', () => {
  const tmp = useTempDir();
  const records: Rec[] = [
    { id: 't1', task_description: 'Fix the PAGINATION bug', human_feedback: null, code_context: 'const page = 1;' },
    { id: 't2', task_description: 'abc', human_feedback: 'def', code_context: null },
    { id: 't3', task_description: 'Ünïcode names', human_feedback: 'Looks GOOD', code_context: 'Promise.all([a, b])' },
    { id: 't4', task_description: null, human_feedback: '50% done, a_b', code_context: 'promise.ALL(x); pagination()' },
    { id: 't5', task_description: 'nothing here', human_feedback: null, code_context: 'x'.repeat(5000) + 'needle' },
    { id: 't6', task_description: 'ünïcode lower', human_feedback: null, code_context: 'def f(): pass' },
  ];
  const needles = ['pagination', 'PROMISE.ALL', 'cd', 'def', 'Ünïcode', 'ünïcode', '50%', 'a_b', '_', 'needle', 'good', ' page ', 'zzz', 'e'];

  it('finds exactly what LIKE would, field by field, for every kind of text', async () => {
    const store = await storeWith(tmp.path, records.map((r, i) => kimi({ ...r, timestamp: `2026-11-2${i % 3}T10:00:00Z` })));
    try {
      for (const needle of needles) {
        const page = examplesPage(store, { filters: filtersSchema.parse({ search: needle }), limit: 100 });
        assert.deepEqual(page.rows.map((e) => e.id).sort(), expected(records, needle), `search ${JSON.stringify(needle)}`);
        assert.equal(page.total, expected(records, needle).length, `count for ${JSON.stringify(needle)}`);
        assert.equal(summary(store, filtersSchema.parse({ search: needle })).rate.total, expected(records, needle).length);
        // Sorted by another column, the page is found through the keys instead of the time index: the same examples.
        const byTokens = examplesPage(store, { filters: filtersSchema.parse({ search: needle }), limit: 100, sort: 'tokens', direction: 'asc' });
        assert.deepEqual(byTokens.rows.map((e) => e.id).sort(), expected(records, needle), `search ${JSON.stringify(needle)} sorted by tokens`);
      }
    } finally {
      store.close();
    }
  });

  it('sees examples added and feedback edited after its first search', async () => {
    const store = await storeWith(tmp.path, records.map((r) => kimi(r)));
    try {
      const ids = (needle: string) => examplesPage(store, { filters: filtersSchema.parse({ search: needle }), limit: 100 }).rows.map((e) => e.id).sort();
      assert.deepEqual(ids('pagination'), ['t1', 't4']);
      const later = normalizeRecord(kimi({ id: 't7', task_description: 'More Pagination', code_context: 'late needle' }), { assumeTimeZone: 'utc', now: Date.UTC(2026, 10, 21) });
      assert.ok(later.ok);
      store.insert([{ example: later.example }]);
      assert.deepEqual(ids('pagination'), ['t1', 't4', 't7']);
      assert.deepEqual(ids('needle'), ['t5', 't7']);
      assert.equal(store.setFeedback('t2', 'now about pagination'), true);
      assert.deepEqual(ids('pagination'), ['t1', 't2', 't4', 't7']);
      assert.deepEqual(ids('def'), ['t6'], 'the old feedback is no longer found');
    } finally {
      store.close();
    }
  });
});
