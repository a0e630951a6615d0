import { strict as assert } from 'node:assert';
import { groupRows } from '../../src/core/queries/treeGroups';
import { NO_FILTERS } from '../../src/shared/filters';
import { kimi, storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

describe("the Examples tree's groups, from the core", () => {
  const tmp = useTempDir();

  it('pages days newest first, tags and models most used first, and outcomes as succeeded and failed', async () => {
    const store = await storeWith(tmp.path, [
      kimi({ id: 'a', timestamp: '2026-11-18T10:00:00Z', success: true, tags: ['auth', 'api'], model_used: 'M' }),
      kimi({ id: 'b', timestamp: '2026-11-19T10:00:00Z', success: false, tags: ['auth'], model_used: 'M' }),
      kimi({ id: 'c', timestamp: '2026-11-20T10:00:00Z', success: true, tags: ['css'], model_used: 'N' }),
    ]);
    const keys = async (field: Parameters<typeof groupRows>[1], offset = 0, limit = 10) => (await groupRows(store, field, NO_FILTERS, offset, limit)).map((g) => `${g.key} ${g.successes}/${g.total}`);
    assert.deepEqual(await keys('tag'), ['auth 1/2', 'api 1/1', 'css 1/1']);
    assert.deepEqual(await keys('tag', 1, 1), ['api 1/1'], 'a page');
    assert.deepEqual(await keys('model'), ['M 1/2', 'N 1/1']);
    assert.equal((await keys('day')).length, 3);
    const days = await keys('day');
    assert.ok(days[0]! > days[2]!, 'newest day first');
    assert.deepEqual(await keys('outcome'), ['success 2/2', 'failure 0/1']);
    assert.deepEqual((await groupRows(store, 'outcome', { ...NO_FILTERS, success: true }, 0, 10)).map((g) => g.key), ['success'], 'an empty outcome is left out');
    store.close();
  });
});
