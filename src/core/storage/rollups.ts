import type { NormalizedExample } from '../model/example';
import { type SuccessCode, successCode } from '../model/successCode';

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
  private removes = false;

  add(e: NormalizedExample, modelId: number | null, tagIds: number[]): void {
    const exec = typeof e.metrics.execution_time === 'number' ? e.metrics.execution_time : null;
    this.addRow(e.day, modelId, successCode(e.success), e.tokens, exec, tagIds, 1);
  }

  /** A stored example's share, added (sign 1) or taken away (sign -1, when it is deleted). */
  addRow(day: number, modelId: number | null, success: SuccessCode, tokens: number | null, exec: number | null, tagIds: readonly number[], sign: 1 | -1): void {
    const key = `${day}|${modelId ?? 0}|${success}`;
    if (sign < 0) this.removes = true;
    bump(this.daily, key, tokens, exec, sign);
    for (const tagId of tagIds) bump(this.tagDaily, `${tagId}|${key}`, tokens, exec, sign);
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
      // What a delete took to nothing goes.
      { sql: 'DELETE FROM rollup_daily WHERE n <= 0', rows: this.removes ? [[]] : [] },
      { sql: 'DELETE FROM rollup_tag_daily WHERE n <= 0', rows: this.removes ? [[]] : [] },
    ];
  }

}

function bump(map: Map<string, Sums>, key: string, tokens: number | null, exec: number | null, sign: 1 | -1 = 1): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = { n: 0, tokens: 0, tokensN: 0, execSum: 0, execN: 0 }));
  s.n += sign;
  if (tokens !== null) {
    s.tokens += sign * tokens;
    s.tokensN += sign;
  }
  if (exec !== null) {
    s.execSum += sign * exec;
    s.execN += sign;
  }
}
