import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { deleteMatching } from '../../src/core/queries/deleteMatching';
import { examplesPage, iterateExamples } from '../../src/core/queries/examples';
import { summary } from '../../src/core/queries/summary';
import { CodeFile } from '../../src/core/storage/codeFile';
import { CODE_FILE } from '../../src/core/storage/learningStore';
import { asciiLower, TextSearch, type CodeScan } from '../../src/core/storage/textSearch';
import { CodeScanner } from '../../src/worker/codeScanner';
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

  it('reads a text many examples hold and a text few hold alike, with other filters, pages and after deletes', async () => {
    // 300 examples a minute apart: "common" in every other one (description or code), "rare" in three, "absent" in none.
    const start = Date.UTC(2026, 10, 1);
    const all = Array.from({ length: 300 }, (_, i) => ({
      id: `m${String(i).padStart(3, '0')}`,
      timestamp: new Date(start + i * 60_000).toISOString(),
      success: i % 3 !== 0,
      task_description: i % 4 === 0 ? `a COMMON task ${i}` : `task ${i}`,
      code_context: i % 4 === 2 ? `common(${i})` : i % 100 === 7 ? `const rare = ${i};` : `x = ${i}`,
    }));
    const store = await storeWith(tmp.path, all.map((r) => kimi(r)));
    try {
      const check = (label: string) => {
        const alive = new Set(examplesPage(store, { limit: 1000 }).rows.map((e) => e.id));
        for (const needle of ['common', 'Rare', 'absent']) {
          const extras: { since?: number; success?: boolean }[] = [{}, { since: start + 100 * 60_000 }, { success: true }];
          for (const extra of extras) {
            const filters = filtersSchema.parse({ search: needle, ...extra });
            // Newest first, the rule written out: the text in a field, the other conditions, the newest first.
            const want = all
              .filter((r) => alive.has(r.id) && [r.task_description, r.code_context].some((v) => asciiLower(v).includes(asciiLower(needle))))
              .filter((r) => extra.since === undefined || Date.parse(r.timestamp) >= extra.since)
              .filter((r) => extra.success === undefined || r.success === extra.success)
              .map((r) => r.id)
              .reverse();
            const what = `${label}: ${needle} ${JSON.stringify(extra)}`;
            const first = examplesPage(store, { filters, limit: 10 });
            assert.equal(first.total, want.length, `count, ${what}`);
            assert.deepEqual(first.rows.map((e) => e.id), want.slice(0, 10), `first page, ${what}`);
            assert.deepEqual(examplesPage(store, { filters, limit: 10, offset: 20 }).rows.map((e) => e.id), want.slice(20, 30), `third page, ${what}`);
            assert.equal(summary(store, filters).rate.total, want.length, `summary, ${what}`);
          }
        }
      };
      check('as stored');
      // An export reads in slices, and other searches run between them: it still reads its own text's examples.
      const slices = iterateExamples(store, { filters: filtersSchema.parse({ search: 'common' }) }, 7);
      const exported: string[] = [];
      for (let next = slices.next(); !next.done; next = slices.next()) {
        exported.push(next.value.id);
        if (exported.length % 20 === 0) for (const other of ['task 1', 'x = 2', 'rare', 'task 3', 'x = 4', 'a common']) examplesPage(store, { filters: filtersSchema.parse({ search: other }), limit: 5 });
      }
      assert.deepEqual(exported, all.filter((r) => `${r.task_description} ${r.code_context}`.includes('common') || r.task_description.includes('COMMON')).map((r) => r.id).reverse());
      // Deleted examples stay in the search's indexes: they must not be counted or shown.
      assert.equal((await deleteMatching(store, { filters: filtersSchema.parse({ search: 'common', success: false }), sourcePath: null })).deleted, 50);
      assert.equal((await deleteMatching(store, { filters: filtersSchema.parse({ search: 'rare' }), sourcePath: null })).deleted, 3);
      check('after deletes');
    } finally {
      store.close();
    }
  });

  describe('with half the code file searched on the code search thread', () => {
    const script = join(__dirname, '..', '..', 'dist', 'scanWorker.js');
    // Codes of every length, some holding the texts near their ends or across two codes' boundary.
    const records = Array.from({ length: 400 }, (_, i) => ({
      id: `s${i}`,
      timestamp: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      task_description: i % 50 === 0 ? 'about Retry' : `task ${i}`,
      code_context: i % 7 === 0 ? null : `${'y'.repeat(i % 97)}${i % 3 === 0 ? 'retry()' : 'x'}${i % 11 === 0 ? 'Promise.ALL' : ''}${i % 13 === 0 ? 'pro' : ''}`,
    }));
    // "promise" also spans the end of one code and the start of the next ("pro" + "mise..." never): no false match.
    const needles = ['retry', 'PROMISE.all', 'promise', 'yyyy', 'absent', 'y', 'about'];

    /** The store's own answer (one thread) and the split one, for each text. */
    async function compare(scanFar: CodeScan): Promise<number> {
      const store = await storeWith(tmp.path, records.map((r) => kimi(r)));
      const codeFile = new CodeFile(join(tmp.path, 'db', CODE_FILE), false);
      try {
        let splits = 0;
        for (const needle of needles) {
          const alone = new TextSearch(store, codeFile).match(needle);
          const split = new TextSearch(store, codeFile);
          await split.matchAhead(
            needle,
            (...args) => {
              splits++;
              return scanFar(...args);
            },
            0,
          );
          const answer = split.match(needle);
          assert.equal(answer.json(), alone.json(), `keys for ${needle}`);
          assert.equal(answer.count, alone.count, `count for ${needle}`);
          const want = records.filter((r) => [r.task_description, r.code_context].some((v) => v !== null && asciiLower(v).includes(asciiLower(needle)))).length;
          assert.equal(answer.count, want, `the rule for ${needle}`);
        }
        return splits;
      } finally {
        codeFile.close();
        store.close();
      }
    }

    it('finds what one thread finds, through the real code search thread', async () => {
      if (!existsSync(script)) throw new Error('dist/scanWorker.js is missing: run `npm run build` first');
      const scanner = new CodeScanner(script, join(tmp.path, 'db', CODE_FILE), undefined, 50);
      try {
        assert.equal(await compare(scanner.scan), needles.length, 'every text was split');
        // Idle, the thread stops; the next search starts it again.
        await scanner.whenStopped();
        assert.equal(scanner.running, false);
        assert.equal(await compare(scanner.scan), needles.length);
        assert.equal(scanner.running, true);
      } finally {
        await scanner.close();
      }
    });

    it('finds it alone when the other thread fails', async () => {
      assert.equal(await compare(() => Promise.reject(new Error('the thread stopped'))), needles.length);
    });
  });

  it('builds its indexes again once many of the examples in them are deleted', async () => {
    const records = Array.from({ length: 60 }, (_, i) => ({ id: `g${i}`, task_description: i % 2 ? 'odd one' : 'even one', code_context: `value = ${i}` }));
    const store = await storeWith(tmp.path, records.map((r) => kimi(r)));
    const codeFile = new CodeFile(join(tmp.path, 'db', CODE_FILE), false);
    try {
      const search = new TextSearch(store, codeFile, 10);
      assert.equal(search.match('odd').count, 30);
      const keyOf = (id: string) => store.rows<[number]>('SELECT k FROM examples WHERE id = ?', [id])[0]![0];
      const remove = (ids: string[]) => {
        const keys = ids.map(keyOf);
        store.deleteExamples(ids);
        search.removed(keys);
      };
      remove(['g1', 'g3', 'g5']);
      assert.equal(search.deletedHeld, 3, 'a few deleted are left out of the answers');
      assert.equal(search.match('odd').count, 27);
      remove(['g7', 'g9', 'g11', 'g13', 'g15', 'g17', 'g19', 'g21']);
      assert.equal(search.deletedHeld, 0, 'past ten, the indexes are dropped');
      // Built again from the rows that remain: the same answers as the rule.
      assert.equal(search.match('odd').count, 19);
      assert.equal(search.match('even').count, 30);
      assert.equal(search.match('value = 1').count, records.filter((r, i) => !(i % 2 && i <= 21) && r.code_context.includes('value = 1')).length);
    } finally {
      codeFile.close();
      store.close();
    }
  });
});
