import type { NormalizedExample } from '../ingest/parseKimiLine';

interface Sums {
  n: number;
  tokens: number;
  tokensN: number;
  execSum: number;
  execN: number;
}

/**
 * Collects a batch's contribution to the per-day rollups in memory, then
 * writes it with one upsert per group instead of one per example.
 */
export class RollupBatch {
  private readonly daily = new Map<string, Sums>();
  private readonly tagDaily = new Map<string, Sums>();

  add(e: NormalizedExample, modelId: number | null, tagIds: number[]): void {
    const exec = typeof e.metrics.execution_time === 'number' ? e.metrics.execution_time : null;
    const key = `${e.day}|${modelId ?? 0}|${e.success ? 1 : 0}`;
    bump(this.daily, key, e.tokens, exec);
    for (const tagId of tagIds) bump(this.tagDaily, `${tagId}|${key}`, e.tokens, exec);
  }

  /** The upserts that apply this batch, for whichever engine runs them (sql.js here, native SQLite in the benchmark). */
  statements(): { sql: string; rows: number[][] }[] {
    const set =
      'n = n + excluded.n, tokens = tokens + excluded.tokens, tokens_n = tokens_n + excluded.tokens_n, exec_sum = exec_sum + excluded.exec_sum, exec_n = exec_n + excluded.exec_n';
    const rows = (map: Map<string, Sums>) => [...map].map(([key, s]) => [...key.split('|').map(Number), s.n, s.tokens, s.tokensN, s.execSum, s.execN]);
    return [
      { sql: `INSERT INTO rollup_daily VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, model_id, success) DO UPDATE SET ${set}`, rows: rows(this.daily) },
      {
        sql: `INSERT INTO rollup_tag_daily VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tag_id, day, model_id, success) DO UPDATE SET ${set}`,
        rows: rows(this.tagDaily),
      },
    ];
  }

}

function bump(map: Map<string, Sums>, key: string, tokens: number | null, exec: number | null): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = { n: 0, tokens: 0, tokensN: 0, execSum: 0, execN: 0 }));
  s.n++;
  if (tokens !== null) {
    s.tokens += tokens;
    s.tokensN++;
  }
  if (exec !== null) {
    s.execSum += exec;
    s.execN++;
  }
}
