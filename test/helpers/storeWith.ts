import { join } from 'node:path';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { LearningStore } from '../../src/core/storage/learningStore';
import { testSqlJs } from './sqlJs';

/** A builder for KIMI records with sensible defaults. */
export function kimi(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { timestamp: '2026-11-20T10:00:00Z', success: true, ...overrides };
}

/** A store in `dir` holding exactly these records. */
export async function storeWith(dir: string, records: Record<string, unknown>[]): Promise<LearningStore> {
  const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(dir, 'db') });
  store.insert(
    records.map((r) => {
      const p = normalizeRecord(r, { assumeTimeZone: 'utc', now: Date.UTC(2026, 10, 21) });
      if (!p.ok) throw new Error(p.reason);
      return { example: p.example };
    }),
  );
  return store;
}
