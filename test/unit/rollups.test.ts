import { strict as assert } from 'node:assert';
import { byModel, byTag, daily } from '../../src/core/queries/breakdowns';
import { localDayStart, rollupPlan } from '../../src/core/queries/rollupPlan';
import { summary } from '../../src/core/queries/summary';
import { localDay } from '../../src/shared/series';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { generateKimiRecords, mulberry32 } from '../../src/core/sample/generateExamples';
import type { LearningStore } from '../../src/core/storage/learningStore';
import { filtersSchema, type Filters } from '../../src/shared/filters';
import { storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

const END = Date.UTC(2026, 10, 21, 15);

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b));
}

describe('per-day rollups', () => {
  const tmp = useTempDir();
  let store: LearningStore;
  beforeEach(async () => {
    // Three batches, so later rollups are upserted onto earlier ones; one example in five of unknown outcome.
    const records = [...generateKimiRecords(900, { seed: 3, end: END, days: 30 })].map((r, i) => (i % 5 === 2 ? { ...r, success: null } : r));
    store = await storeWith(tmp.path, records.slice(0, 300));
    for (const part of [records.slice(300, 600), records.slice(600)]) {
      store.insert(
        part.map((r) => {
          const p = normalizeRecord(r, { assumeTimeZone: 'utc', now: END });
          if (!p.ok) throw new Error(p.reason);
          return { example: p.example };
        }),
      );
    }
  });
  afterEach(() => store.close());

  it('answer exactly as the examples do, for 200 random filters they can serve', () => {
    const rand = mulberry32(11);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const lastDay = localDay(END);
    let served = 0;
    for (let i = 0; i < 200; i++) {
      const from = rand() < 0.7 ? lastDay - Math.floor(rand() * 35) : null;
      const to = from !== null && rand() < 0.6 ? from + 1 + Math.floor(rand() * 20) : null;
      const filters: Filters = filtersSchema.parse({
        since: from === null ? null : localDayStart(from),
        until: to === null ? null : localDayStart(to),
        success: pick([null, null, true, false, 'unknown']),
        model: pick([null, null, 'Mistral 7B', 'DeepSeek Coder 33B', 'nobody']),
        tags: pick([[], [], ['auth'], ['security'], ['unknown-tag']]),
      });
      assert.ok(rollupPlan(filters), `filters ${JSON.stringify(filters)} should be served by the rollups`);
      served++;
      const fast = summary(store, filters);
      const slow = summary(store, filters, { rollups: false });
      assert.deepEqual(fast.rate, slow.rate, JSON.stringify(filters));
      assert.ok(close(fast.avgExecutionTime, slow.avgExecutionTime));
      assert.deepEqual(fast.tokens, slow.tokens);
      assert.deepEqual(daily(store, filters), daily(store, filters, { rollups: false }));
      assert.deepEqual(byTag(store, filters), byTag(store, filters, { rollups: false }));
      const fm = byModel(store, filters);
      const sm = byModel(store, filters, { rollups: false });
      assert.deepEqual(
        fm.map(({ avgExecutionTime: _, ...rest }) => rest),
        sm.map(({ avgExecutionTime: _, ...rest }) => rest),
      );
      fm.forEach((m, j) => assert.ok(close(m.avgExecutionTime, sm[j]!.avgExecutionTime)));
    }
    assert.equal(served, 200);
  });

  it('count unknown outcomes apart: in the totals, never in a rate', () => {
    const all = summary(store, filtersSchema.parse({}));
    assert.equal(all.rate.total, 900);
    assert.equal(all.rate.unknown, 180);
    const known = summary(store, filtersSchema.parse({ success: true })).rate.total + summary(store, filtersSchema.parse({ success: false })).rate.total;
    assert.equal(known, 720);
    assert.equal(all.rate.rate, all.rate.successes / 720);
    assert.equal(summary(store, filtersSchema.parse({ success: 'unknown' })).rate.total, 180);
    assert.equal(summary(store, filtersSchema.parse({ success: 'unknown' })).rate.rate, null);
    assert.equal(daily(store, filtersSchema.parse({})).reduce((n, d) => n + d.unknown, 0), 180);
  });

  it('leave to the examples what they cannot answer: sessions, text, several tags, a time inside a day', () => {
    assert.equal(rollupPlan(filtersSchema.parse({ session: 's' })), null);
    assert.equal(rollupPlan(filtersSchema.parse({ search: 'x' })), null);
    assert.equal(rollupPlan(filtersSchema.parse({ codeRegex: 'x' })), null);
    assert.equal(rollupPlan(filtersSchema.parse({ tags: ['a', 'b'] })), null);
    assert.equal(rollupPlan(filtersSchema.parse({ since: localDayStart(localDay(END)) + 3_600_000 })), null);
  });
});
