import { strict as assert } from 'node:assert';
import { FILTERS_KEY, FilterMemory, type FilterStore } from '../../src/extension/filters/filterMemory';
import { NO_FILTERS } from '../../src/shared/filters';

/** A workspace state in memory: what VS Code's Memento keeps, kept in a map (as JSON, as VS Code stores it). */
class MapStore implements FilterStore {
  readonly map = new Map<string, string>();
  get(key: string): unknown {
    const v = this.map.get(key);
    return v === undefined ? undefined : JSON.parse(v);
  }
  update(key: string, value: unknown): Promise<void> {
    this.map.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

describe('the shared filters, kept between reloads (with an in-memory workspace state)', () => {
  it('starts with no filters, and a change is kept and read again by the next window', async () => {
    const store = new MapStore();
    const first = new FilterMemory(store);
    assert.deepEqual(first.filters, NO_FILTERS);
    await first.set({ tags: ['auth'], success: false });
    await first.set({ model: 'kimi-k2' });
    const again = new FilterMemory(store);
    assert.deepEqual([again.filters.tags, again.filters.success, again.filters.model], [['auth'], false, 'kimi-k2'], 'each change merges into the ones before');
  });

  it('two changes made at once both hold: the second merges into the first, not into what was there before', async () => {
    const store = new MapStore();
    const memory = new FilterMemory(store);
    await Promise.all([memory.set({ tags: ['auth'] }), memory.set({ model: 'kimi-k2' })]);
    assert.deepEqual([memory.filters.tags, memory.filters.model], [['auth'], 'kimi-k2']);
    assert.deepEqual(new FilterMemory(store).filters.tags, ['auth'], 'and what is kept is the last, whole');
  });

  it('a stored value that no longer parses (an older version, a hand edit) means no filters, not a failure', () => {
    const store = new MapStore();
    store.map.set(FILTERS_KEY, JSON.stringify({ tags: 'auth', since: 'yesterday' }));
    assert.deepEqual(new FilterMemory(store).filters, NO_FILTERS);
  });

  it('a bad change is refused whole: neither the filters nor what is stored change', async () => {
    const store = new MapStore();
    const memory = new FilterMemory(store);
    await memory.set({ tags: ['auth'] });
    const stored = store.map.get(FILTERS_KEY);
    await assert.rejects(memory.set({ tags: [''], model: 'other' }));
    assert.deepEqual([memory.filters.tags, memory.filters.model], [['auth'], null]);
    assert.equal(store.map.get(FILTERS_KEY), stored);
  });
});
