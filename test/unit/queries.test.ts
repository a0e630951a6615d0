import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { tokensPerExample, tokensPerSuccess, totalTokens } from '../../src/shared/figures';
import { byModel, byTag, daily, distinctValues } from '../../src/core/queries/breakdowns';
import { exampleById, examplesPage, iterateExamples } from '../../src/core/queries/examples';
import { summary } from '../../src/core/queries/summary';
import type { LearningStore } from '../../src/core/storage/learningStore';
import { filtersSchema, NO_FILTERS } from '../../src/shared/filters';
import { kimi, storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

const f = (x: Record<string, unknown>) => filtersSchema.parse(x);

// Ten examples whose figures are counted by hand in each test below.
const DATA = [
  kimi({ id: 'a1', timestamp: '2026-11-01T09:00:00Z', success: true, tags: ['auth'], model_used: 'A', tokens_consumed: 100, metrics: { execution_time: 1 }, task_description: 'Fix login' }),
  kimi({ id: 'a2', timestamp: '2026-11-01T10:00:00Z', success: false, tags: ['auth', 'api'], model_used: 'A', tokens_consumed: 300, metrics: { execution_time: 3 }, code_context: 'token = refresh(user)' }),
  kimi({ id: 'a3', timestamp: '2026-11-02T09:00:00Z', success: true, tags: ['api'], model_used: 'B', tokens_consumed: 50, human_feedback: '50% faster' }),
  kimi({ id: 'a4', timestamp: '2026-11-02T10:00:00Z', success: true, tags: ['api', 'db'], model_used: 'B', tokens_consumed: 70 }),
  kimi({ id: 'a5', timestamp: '2026-11-03T09:00:00Z', success: false, tags: ['db'], model_used: 'B', session_id: 's1' }),
  kimi({ id: 'a6', timestamp: '2026-11-03T10:00:00Z', success: true, tags: ['auth', 'db'], model_used: 'A', session_id: 's1' }),
  kimi({ id: 'a7', timestamp: '2026-11-04T09:00:00Z', success: true, tags: [], session_id: 's1' }),
  kimi({ id: 'a8', timestamp: '2026-11-04T10:00:00Z', success: false, tags: ['auth'], model_used: 'A', code_context: 'def refresh_token(): pass' }),
  kimi({ id: 'a9', timestamp: '2026-11-05T09:00:00Z', success: true, tags: ['api'], model_used: 'A' }),
  kimi({ id: 'a10', timestamp: '2026-11-05T10:00:00Z', success: true, tags: ['auth', 'api', 'db'], model_used: 'B', kimi_version: '1.2' }),
];

describe('queries', () => {
  const tmp = useTempDir();
  let store: LearningStore;
  beforeEach(async () => {
    store = await storeWith(tmp.path, DATA);
  });
  afterEach(() => store.close());

  it('tokens per success takes no tokens from a turn of unknown outcome: it was neither a success nor a failure on the way', async () => {
    const mixed = await storeWith(tmp.path + '-mixed', [
      kimi({ id: 'w', success: true, tokens_consumed: 100 }),
      kimi({ id: 'l', success: false, tokens_consumed: 50 }),
      kimi({ id: 'u', success: null, tokens_consumed: 1000 }),
    ]);
    try {
      for (const rollups of [true, false]) {
        const t = summary(mixed, NO_FILTERS, { rollups }).tokens;
        assert.deepEqual(t, { tokens: 1150, tokenExamples: 3, tokenSuccesses: 1, knownTokens: 150 });
        assert.equal(tokensPerSuccess(t), 150);
        assert.equal(tokensPerExample(t), 1150 / 3, 'every token spent counts per example');
      }
    } finally {
      mixed.close();
    }
  });

  it('summarises everything: 7 of 10, mean time 2 s, 520 tokens over the 4 examples that carry a count', () => {
    const s = summary(store);
    assert.equal(s.rate.total, 10);
    assert.equal(s.rate.successes, 7);
    assert.equal(s.avgExecutionTime, 2);
    assert.deepEqual(s.tokens, { tokens: 520, tokenExamples: 4, tokenSuccesses: 3, knownTokens: 520 });
    assert.equal(totalTokens(s.tokens), 520);
    assert.equal(tokensPerExample(s.tokens), 130, '520 ÷ 4, not ÷ 10');
    // a1, a3 and a4 succeeded with a count; the four successes without one do not lower the cost.
    assert.equal(tokensPerSuccess(s.tokens), 520 / 3);
    assert.equal(s.previous, null, 'no bounded range, no previous period');
  });

  it('compares a bounded range with the period of the same length before it', () => {
    const s = summary(store, f({ since: Date.UTC(2026, 10, 3), until: Date.UTC(2026, 10, 5) }));
    assert.deepEqual([s.rate.total, s.rate.successes], [4, 2]); // a5..a8
    assert.deepEqual([s.previous!.rate.total, s.previous!.rate.successes], [4, 3]); // a1..a4
  });

  it('compares a range with a start and no end (a preset) with the same length before it, ending with today', () => {
    const now = new Date(2026, 10, 5, 15).getTime(); // the injected clock: 5 November, afternoon
    const s = summary(store, f({ since: new Date(2026, 10, 3).getTime() }), { now });
    assert.deepEqual([s.rate.total, s.rate.successes], [6, 4]); // a5..a10: 3 to 5 November
    // Three days back from 3 November: 31 October to 2 November.
    assert.deepEqual([s.previous!.since, s.previous!.until], [new Date(2026, 9, 31).getTime(), new Date(2026, 10, 3).getTime()]);
    assert.deepEqual([s.previous!.rate.total, s.previous!.rate.successes], [4, 3]); // a1..a4
    assert.equal(summary(store, f({ since: null, until: new Date(2026, 10, 3).getTime() }), { now }).previous, null, 'no start, no period to compare');
  });

  it('counts per tag, per model and per day', () => {
    assert.deepEqual(byTag(store), [
      { tag: 'api', total: 5, successes: 4, unknown: 0 }, // a2 a3 a4 a9 a10
      { tag: 'auth', total: 5, successes: 3, unknown: 0 }, // a1 a2 a6 a8 a10
      { tag: 'db', total: 4, successes: 3, unknown: 0 }, // a4 a5 a6 a10
    ]);
    const models = byModel(store);
    assert.deepEqual(
      models.map(({ model, total, successes, tokens }) => ({ model, total, successes, tokens })),
      [
        { model: 'A', total: 5, successes: 3, tokens: { tokens: 400, tokenExamples: 2, tokenSuccesses: 1, knownTokens: 400 } },
        { model: 'B', total: 4, successes: 3, tokens: { tokens: 120, tokenExamples: 2, tokenSuccesses: 2, knownTokens: 120 } },
      ],
    );
    // Model A: 400 tokens spent for its one success that carries a count (a1; a2 failed). Not 100 (the mean
    // of its successes), not 400 ÷ 3 (counting the successes that carry no count).
    assert.deepEqual(models.map((m) => [tokensPerExample(m.tokens), tokensPerSuccess(m.tokens)]), [[200, 400], [60, 60]]);
    assert.deepEqual(
      daily(store).map((d) => [d.day, d.total, d.successes]),
      [
        ['2026-11-01', 2, 1],
        ['2026-11-02', 2, 2],
        ['2026-11-03', 2, 1],
        ['2026-11-04', 2, 1],
        ['2026-11-05', 2, 2],
      ].map(([day, t, s]) => [new Date(`${day}T10:00:00Z`).toISOString().slice(0, 10), t, s]),
    );
  });

  it('filters by outcome, model, session, tags (any and all) and per-tag counts follow the filters', () => {
    const count = (x: Record<string, unknown>) => summary(store, f(x)).rate.total;
    assert.equal(count({ success: false }), 3);
    assert.equal(count({ model: 'B' }), 4);
    assert.equal(count({ model: 'nobody' }), 0);
    assert.equal(count({ session: 's1' }), 3);
    assert.equal(count({ tags: ['auth', 'db'] }), 7);
    assert.equal(count({ tags: ['auth', 'db'], tagMode: 'all' }), 2);
    assert.deepEqual(byTag(store, f({ model: 'B' })).find((t) => t.tag === 'auth'), { tag: 'auth', total: 1, successes: 1, unknown: 0 });
  });

  it('searches description, code and feedback as plain text, wildcards included', () => {
    const ids = (x: Record<string, unknown>) => examplesPage(store, { filters: f(x), limit: 100 }).rows.map((r) => r.id).sort();
    assert.deepEqual(ids({ search: 'LOGIN' }), ['a1']);
    assert.deepEqual(ids({ search: 'refresh' }), ['a2', 'a8']);
    assert.deepEqual(ids({ search: '50%' }), ['a3']);
    assert.deepEqual(ids({ search: '%' }), ['a3'], 'a % is looked for, not a wildcard');
    assert.deepEqual(ids({ codeRegex: '^def \\w+_token' }), ['a8']);
  });

  it('pages stably in the order asked, with the filtered total', () => {
    const first = examplesPage(store, { limit: 4, offset: 0 });
    const second = examplesPage(store, { limit: 4, offset: 4 });
    const third = examplesPage(store, { limit: 4, offset: 8 });
    assert.equal(first.total, 10);
    const all = [...first.rows, ...second.rows, ...third.rows].map((r) => r.id);
    assert.deepEqual(all, ['a10', 'a9', 'a8', 'a7', 'a6', 'a5', 'a4', 'a3', 'a2', 'a1']);
    const byTokens = examplesPage(store, { sort: 'tokens', direction: 'desc', limit: 2 }).rows.map((r) => r.id);
    assert.deepEqual(byTokens, ['a2', 'a1']);
    assert.equal(first.rows[0]!.codeContext, null, 'pages leave the code out');
  });

  it('sorts unknown values last in either direction, ties newest first, models by name', () => {
    const order = (sort: 'tokens' | 'model' | 'executionTime', direction: 'asc' | 'desc') => examplesPage(store, { sort, direction, limit: 100 }).rows.map((r) => r.id);
    // Tokens: a3 50, a4 70, a1 100, a2 300; the six without a count after them, newest first.
    assert.deepEqual(order('tokens', 'asc'), ['a3', 'a4', 'a1', 'a2', 'a10', 'a9', 'a8', 'a7', 'a6', 'a5']);
    assert.deepEqual(order('tokens', 'desc'), ['a2', 'a1', 'a4', 'a3', 'a10', 'a9', 'a8', 'a7', 'a6', 'a5']);
    // Models by name (A before B), each model's examples newest first, a7 (no model) last both ways.
    assert.deepEqual(order('model', 'asc'), ['a9', 'a8', 'a6', 'a2', 'a1', 'a10', 'a5', 'a4', 'a3', 'a7']);
    assert.deepEqual(order('model', 'desc'), ['a10', 'a5', 'a4', 'a3', 'a9', 'a8', 'a6', 'a2', 'a1', 'a7']);
    assert.deepEqual(order('executionTime', 'desc').slice(0, 3), ['a2', 'a1', 'a10']);
  });

  it('sorts models by their name, not by the order they were first seen', async () => {
    const other = await storeWith(join(tmp.path, 'names'), [
      kimi({ id: 'z', timestamp: '2026-11-01T09:00:00Z', success: true, model_used: 'Zephyr' }),
      kimi({ id: 'a', timestamp: '2026-11-01T10:00:00Z', success: true, model_used: 'Aurora' }),
    ]);
    try {
      assert.deepEqual(examplesPage(other, { sort: 'model', direction: 'asc', limit: 10 }).rows.map((r) => r.id), ['a', 'z']);
    } finally {
      other.close();
    }
  });

  it('returns one example with every field, extra fields and code included', () => {
    const e = exampleById(store, 'a10')!;
    assert.deepEqual(e.tags, ['api', 'auth', 'db']);
    assert.deepEqual(e.extra, { kimi_version: '1.2' });
    assert.equal(exampleById(store, 'a2')!.codeContext, 'token = refresh(user)');
    assert.equal(exampleById(store, 'nope'), null);
  });

  it('offers distinct values with counts for autocomplete', () => {
    assert.deepEqual(distinctValues(store, 'tag'), [
      { value: 'api', count: 5 },
      { value: 'auth', count: 5 },
      { value: 'db', count: 4 },
    ]);
    assert.deepEqual(distinctValues(store, 'model', 'b'), [{ value: 'B', count: 4 }]);
    assert.deepEqual(distinctValues(store, 'session'), [{ value: 's1', count: 3 }]);
  });
});

describe('iterating every example (exports)', () => {
  const tmp = useTempDir();

  it('visits each example once, newest first, even when many share a timestamp across chunk boundaries', async () => {
    const same = '2026-11-10T10:00:00Z';
    const records = [
      ...Array.from({ length: 10 }, (_, i) => kimi({ id: `same-${i}`, timestamp: same })),
      kimi({ id: 'older', timestamp: '2026-11-01T00:00:00Z' }),
      kimi({ id: 'newer', timestamp: '2026-11-20T00:00:00Z' }),
    ];
    const store = await storeWith(tmp.path, records);
    const ids = [...iterateExamples(store, {}, 3)].map((e) => e.id);
    assert.equal(ids.length, 12);
    assert.equal(new Set(ids).size, 12);
    assert.equal(ids[0], 'newer');
    assert.equal(ids.at(-1), 'older');
    // Same timestamp: the later insertion first (the key breaks the tie).
    assert.deepEqual(ids.slice(1, 11), Array.from({ length: 10 }, (_, i) => `same-${9 - i}`));
    const failures = [...iterateExamples(store, { filters: f({ success: false }) }, 3)];
    assert.equal(failures.length, 0);
    store.close();
  });
});
