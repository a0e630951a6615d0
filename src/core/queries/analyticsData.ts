// The few aggregates the analytics are computed from. Each reads the per-day
// rollups when the filters allow and the examples otherwise.
import type { Filters } from '../../shared/filters';
import type { CoOccurrence, Totals } from '../analytics/advice';
import type { QuarterCount } from '../analytics/heatmap';
import { QUARTER_HOUR_MS } from '../analytics/heatmap';
import { whereOf } from './filterSql';
import { rollupPlan } from './rollupPlan';
import { failuresOf, knownTokensOf, rollupOutcomes, successesOf, tokenSuccessesOf, unknownOf } from './outcomeSql';
import { UNKNOWN_OUTCOME, successFromCode } from '../model/successCode';
import type { RowSource } from '../storage/rowSource';

export interface TagDay extends Totals {
  tag: string;
  day: number;
}

type TagDayRow = [string, number, number, number, number | null, number | null, number, number, number | null, number, number | null];

/** Examples, successes, tokens and execution time per tag and local day. */
export function tagDays(store: RowSource, filters: Filters): TagDay[] {
  const plan = rollupPlan(filters);
  let rows: TagDayRow[];
  if (plan && !plan.tagged) {
    const o = rollupOutcomes(store);
    rows = store.rows<TagDayRow>(
      `SELECT t.name, c.day, c.total, c.successes, c.tokens, c.exec_sum, c.exec_n, c.tokens_n, c.token_successes, c.unknown, c.known_tokens FROM
         (SELECT r.tag_id, r.day, sum(r.n) AS total, ${o.successes('r')} AS successes, sum(r.tokens) AS tokens, sum(r.exec_sum) AS exec_sum, sum(r.exec_n) AS exec_n,
                 sum(r.tokens_n) AS tokens_n, ${o.tokenSuccesses('r')} AS token_successes, ${o.unknown('r')} AS unknown, ${o.knownTokens('r')} AS known_tokens
          FROM rollup_tag_daily r WHERE ${plan.where} GROUP BY r.tag_id, r.day) c
       JOIN tags t ON t.tag_id = c.tag_id`,
      plan.params,
    );
  } else {
    const where = whereOf(store, filters);
    rows = store.rows<TagDayRow>(
      `SELECT t.name, c.day, c.total, c.successes, c.tokens, c.exec_sum, c.exec_n, c.tokens_n, c.token_successes, c.unknown, c.known_tokens FROM
         (SELECT et.tag_id, e.day, count(*) AS total, ${successesOf('e')} AS successes, sum(e.tokens) AS tokens, sum(e.exec_time) AS exec_sum, count(e.exec_time) AS exec_n,
                 count(e.tokens) AS tokens_n, ${tokenSuccessesOf('e')} AS token_successes, ${unknownOf('e')} AS unknown, ${knownTokensOf('e')} AS known_tokens
          FROM example_tags et JOIN examples e ON e.k = et.k WHERE ${where.sql} GROUP BY et.tag_id, e.day) c
       JOIN tags t ON t.tag_id = c.tag_id`,
      where.params,
    );
  }
  return rows.map(([tag, day, total, successes, tokens, execSum, execN, tokenExamples, tokenSuccesses, unknown, knownTokens]) => ({
    tag,
    day,
    total,
    successes,
    unknown,
    tokens: tokens ?? 0,
    tokenExamples,
    tokenSuccesses: tokenSuccesses ?? 0,
    knownTokens: knownTokens ?? 0,
    execSum: execSum ?? 0,
    execN,
  }));
}

/** Totals of the filtered examples. */
export function outcomeTotals(store: RowSource, filters: Filters): Totals {
  const plan = rollupPlan(filters);
  let rows: [number, number, number | null, number | null, number, number][];
  if (plan) {
    rows = store.rows(`SELECT r.success, sum(r.n), sum(r.tokens), sum(r.exec_sum), sum(r.exec_n), sum(r.tokens_n) FROM ${plan.table} r WHERE ${plan.where} GROUP BY r.success`, plan.params);
  } else {
    const where = whereOf(store, filters);
    rows = store.rows(`SELECT e.success, count(*), sum(e.tokens), sum(e.exec_time), count(e.exec_time), count(e.tokens) FROM examples e WHERE ${where.sql} GROUP BY e.success`, where.params);
  }
  return totalsOfOutcomes(rows);
}

/** Totals from rows grouped by outcome code (either engine's). */
export function totalsOfOutcomes(rows: Iterable<readonly [unknown, number, number | null, number | null, number, number]>): Totals {
  const all: Totals = { total: 0, successes: 0, unknown: 0, tokens: 0, tokenExamples: 0, tokenSuccesses: 0, knownTokens: 0, execSum: 0, execN: 0 };
  for (const [code, n, tokens, execSum, execN, tokensN] of rows) {
    const success = successFromCode(code);
    all.total += n;
    all.successes += success === true ? n : 0;
    all.unknown += success === null ? n : 0;
    all.tokens += tokens ?? 0;
    all.tokenExamples += tokensN;
    all.tokenSuccesses += success === true ? tokensN : 0;
    all.knownTokens += success === null ? 0 : (tokens ?? 0);
    all.execSum += execSum ?? 0;
    all.execN += execN;
  }
  return all;
}

/** Pairs are counted among this many of the sample's most frequent tags… */
export const PAIR_TAGS = 64;
/** …and, on one example, among its first this many of those (by frequency): at most 120 pairs an example. */
export const PAIR_TAGS_PER_EXAMPLE = 16;

/**
 * Which tags occur together, from the newest `limit` filtered examples: a
 * large recent sample estimates lift as well as the whole table would, at a
 * bounded cost. Each tag's count is exact over the sample; pairs are counted
 * among the PAIR_TAGS most frequent tags, at most PAIR_TAGS_PER_EXAMPLE of them
 * on one example, so the work is linear in the examples whatever one of them
 * carries (a pair of rare tags has no lift worth showing anyway).
 */
export function coOccurrence(store: RowSource, filters: Filters, limit = 20_000): CoOccurrence & { sampled: boolean } {
  const where = whereOf(store, filters);
  const sample = `SELECT e.k FROM examples e WHERE ${where.sql} ORDER BY e.ts DESC LIMIT ?`;
  const examples = store.rows<[number]>(`SELECT count(*) FROM (SELECT 1 FROM examples e WHERE ${where.sql} LIMIT ?)`, [...where.params, limit + 1])[0]![0];
  // The sample's (example, tag) rows, counted here: one pass, linear in the rows.
  const rows = store.rows<[number, number]>(`SELECT et.k, et.tag_id FROM (${sample}) s JOIN example_tags et ON et.k = s.k ORDER BY et.k`, [...where.params, limit]);
  return coOccurrenceOf(examples, rows, () => new Map(store.rows<[number, string]>('SELECT tag_id, name FROM tags')), limit);
}

/**
 * The counting of `coOccurrence`, for any engine: `examples` matched (up to limit + 1), the sample's
 * (example key, tag key) rows ordered by example, and the tags' names by key.
 */
export function coOccurrenceOf(
  examples: number,
  rows: readonly (readonly [number, number])[],
  tagNames: () => Map<number, string>,
  limit: number,
): CoOccurrence & { sampled: boolean } {
  const single = new Map<number, number>();
  for (const [, tag] of rows) single.set(tag, (single.get(tag) ?? 0) + 1);
  const top = new Set([...single].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, PAIR_TAGS).map(([tag]) => tag));
  /** Pair counts by the smaller tag id, then the larger. */
  const pairCounts = new Map<number, Map<number, number>>();
  const rank = (tag: number) => single.get(tag)!;
  const countExample = (tags: number[]) => {
    // An example's most frequent PAIR_TAGS_PER_EXAMPLE tags among the top ones.
    const kept = tags.filter((t) => top.has(t)).sort((a, b) => rank(b) - rank(a) || a - b).slice(0, PAIR_TAGS_PER_EXAMPLE).sort((a, b) => a - b);
    for (let i = 0; i < kept.length; i++) {
      let row = pairCounts.get(kept[i]!);
      if (!row) pairCounts.set(kept[i]!, (row = new Map()));
      for (let j = i + 1; j < kept.length; j++) row.set(kept[j]!, (row.get(kept[j]!) ?? 0) + 1);
    }
  };
  let current = -1;
  let tags: number[] = [];
  for (const [k, tag] of rows) {
    if (k !== current) {
      countExample(tags);
      current = k;
      tags = [];
    }
    tags.push(tag);
  }
  countExample(tags);
  const names = new Map([...tagNames()].filter(([id]) => single.has(id)));
  const counts = new Map<string, number>([...single].map(([tag, n]) => [names.get(tag)!, n]));
  const pairs = new Map<string, number>();
  for (const [x, row] of pairCounts) {
    for (const [y, n] of row) {
      const a = names.get(x)!;
      const b = names.get(y)!;
      pairs.set(a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`, n);
    }
  }
  return { examples: Math.min(examples, limit), counts, pairs, sampled: examples > limit };
}

/** Examples and successes per quarter hour since `since` (epoch ms). */
export function quarterCounts(store: RowSource, filters: Filters): QuarterCount[] {
  const where = whereOf(store, filters);
  return store
    .rows<[number, number, number, number]>(`SELECT e.ts / ${QUARTER_HOUR_MS} AS q, count(*), ${successesOf('e')}, ${unknownOf('e')} FROM examples e WHERE ${where.sql} GROUP BY q`, where.params)
    .map(([quarter, total, successes, unknown]) => ({ quarter, total, successes, unknown }));
}

/** A tag that comes with another in its examples, and how many of those failed (of those with a known outcome). */
export interface FailingWith {
  tag: string;
  failures: number;
  /** Examples with a known outcome. */
  total: number;
  failureRate: number;
}

/** Tags that occur with `tag` in its examples since `sinceDay`, with how many of those examples failed. */
export function failingWith(store: RowSource, tag: string, sinceDay: number | null): FailingWith[] {
  return store
    .rows<[string, number, number]>(
      `SELECT t.name, count(*), ${failuresOf('b')} FROM example_tags a
         JOIN example_tags b ON b.k = a.k AND b.tag_id != a.tag_id
         JOIN tags t ON t.tag_id = b.tag_id
       WHERE a.tag_id = (SELECT tag_id FROM tags WHERE name = ?) AND a.day >= ? AND b.success != ${UNKNOWN_OUTCOME}
       GROUP BY b.tag_id HAVING ${failuresOf('b')} > 0 ORDER BY 3 DESC, 2 DESC, 1 LIMIT 5`,
      [tag, sinceDay ?? -1e9],
    )
    .map(([name, total, failures]) => ({ tag: name, failures, total, failureRate: failures / total }));
}

