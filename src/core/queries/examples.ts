import type { StoredExample } from '../../shared/example';
import type { Filters, PageRequest, SortColumn } from '../../shared/filters';
import { NO_FILTERS, pageRequestSchema } from '../../shared/filters';
import type { RowSource } from '../storage/rowSource';
import { countByTextAlone, whereOf } from './filterSql';
import { stringKey } from '../storage/keys';
import type { CsvCells } from '../model/csvCells';
import { successFromCode } from '../model/successCode';

/** Whitelisted sort columns: the only text of a request that shapes the SQL. */
const SORT_SQL: Record<SortColumn, string> = {
  timestamp: 'e.ts',
  success: 'e.success',
  // By name, as the table shows it (model_id is the order names were first seen).
  model: '(SELECT m.name FROM models m WHERE m.model_id = e.model_id)',
  tokens: 'e.tokens',
  executionTime: 'e.exec_time',
};

/** Unknown values last whichever the direction, ties newest first; by time, the insertion key breaks ties. */
function orderSql(sort: SortColumn, dir: 'ASC' | 'DESC'): string {
  if (sort === 'timestamp') return `ORDER BY e.ts ${dir}, e.k ${dir}`;
  const col = SORT_SQL[sort];
  return `ORDER BY (${col}) IS NULL, ${col} ${dir}, e.ts DESC, e.k DESC`;
}

const TAG_SEPARATOR = '\u001f';

/** The columns of a Row, the key last. Pages leave the code (and its join) out: it can be large. */
function selectSql(withCode: boolean): string {
  return `SELECT e.id, e.ts, ss.name, e.task_description, ${withCode ? 'c.off' : 'NULL'}, e.success, e.metrics, m.name, e.tokens,
    e.human_feedback, e.extra, s.path, e.source_line, e.flags,
    (SELECT group_concat(t.name, '${TAG_SEPARATOR}') FROM example_tags et JOIN tags t ON t.tag_id = et.tag_id WHERE et.k = e.k),
    e.k, ${withCode ? 'c.len' : 'NULL'}, ${withCode ? 'c.crc' : 'NULL'}, e.exec_time
  FROM examples e
  LEFT JOIN models m ON m.model_id = e.model_id
  LEFT JOIN sessions ss ON ss.session_k = e.session_k
  ${withCode ? 'LEFT JOIN code_refs c ON c.k = e.k' : ''}
  LEFT JOIN sources s ON s.source_id = e.source_id`;
}

type Row = [
  string,
  number,
  string | null,
  string | null,
  number | null,
  number,
  string | null,
  string | null,
  number | null,
  string | null,
  string | null,
  string | null,
  number | null,
  number,
  string | null,
  number,
  number | null,
  number | null,
  number | null,
];

/** The code is read from the code file here, in JavaScript: cheaper per row than a SQL function call. */
function toExample(r: Row, withCode: boolean, store: RowSource): StoredExample {
  const code = withCode && r[4] !== null && r[16] !== null ? store.codeRecord(r[4], r[16], r[17]) : null;
  return {
    id: r[0],
    timestamp: new Date(r[1]).toISOString(),
    sessionId: r[2],
    taskDescription: r[3],
    codeContext: code?.text ?? null,
    ...(code?.problem ? { codeProblem: code.problem } : {}),
    success: successFromCode(r[5]),
    metrics: r[6] ? (JSON.parse(r[6]) as Record<string, unknown>) : {},
    model: r[7],
    tokens: r[8],
    humanFeedback: r[9],
    extra: r[10] ? (JSON.parse(r[10]) as Record<string, unknown>) : {},
    source: r[11] !== null && r[12] !== null ? { file: r[11], line: r[12] } : null,
    futureTimestamp: (r[13] & 1) === 1,
    tags: r[14] ? r[14].split(TAG_SEPARATOR).sort() : [],
  };
}

/**
 * One page of the filtered examples, sorted by a whitelisted column (unknown
 * values last, ties newest first, then by insertion key so pages are stable). The code context is left
 * out of pages (it can be large); ask for one example to get it.
 */
export function examplesPage(store: RowSource, request: PageRequest): { rows: StoredExample[]; total: number | null } {
  const r = pageRequestSchema.parse(request);
  const where = whereOf(store, r.filters);
  const dir = r.direction === 'asc' ? 'ASC' : 'DESC';
  // Counting can cost more than the page itself; callers that know the total (the tree) skip it.
  const total = r.countTotal ? (countByTextAlone(store, r.filters) ?? Number(store.rows<[number]>(`SELECT count(*) FROM examples e WHERE ${where.sql}`, where.params)[0]![0])) : null;
  // The page's keys first, then its rows: SQLite's sorter would otherwise build every output column
  // (joins, the tag list) for every matching row, not just the page's.
  const order = orderSql(r.sort, dir);
  const pageWhere = r.sort === 'timestamp' ? whereOf(store, r.filters, { newestFirstPage: true }) : where;
  const keys = store.rows<[number]>(`SELECT e.k FROM examples e WHERE ${pageWhere.sql} ${order} LIMIT ? OFFSET ?`, [...pageWhere.params, r.limit, r.offset]).map(([k]) => k);
  const rows = keys.length ? store.rows<Row>(`${selectSql(false)} WHERE e.k IN (${keys.map(() => '?').join(', ')}) ${order}`, keys) : [];
  return { rows: rows.map((row) => toExample(row, false, store)), total };
}

/**
 * Every stored example matching the filters, newest first, in chunks (for
 * exports and the command line). Keyset paging: each chunk starts after the
 * last one's (ts, k), so a million rows cost a million, not a triangle.
 */
export function* iterateExamples(store: RowSource, request: { filters?: Filters }, chunk = 1000): Generator<StoredExample> {
  for (const row of iterateRows(store, request.filters ?? NO_FILTERS, chunk)) yield toExample(row, true, store);
}

/**
 * The CSV export's cells of every example the filters select, newest first, straight from the rows: no
 * example object, the stored JSON of metrics and extra as it is (it was written by JSON.stringify, so it is
 * what writing the parsed object gives), the execution time from its column (the same definition).
 * One cells object is filled again for each row: `visit` uses it before the next.
 */
export function* iterateCsvCells(store: RowSource, filters: Filters, visit: (cells: CsvCells, codeProblem: string | undefined) => Buffer | null, chunk = 5000): Generator<Buffer> {
  // Tag sets repeat: each one's JSON made once (a bounded cache, emptied when full).
  const tagsJson = new Map<string, string>();
  const cells: CsvCells = { id: '', timestamp: '', success: false, model: null, sessionId: null, taskDescription: null, tagsJson: '[]', tokens: null, executionTime: null, metricsJson: '{}', humanFeedback: null, codeContext: null, extraJson: null, sourceFile: null, sourceLine: null };
  for (const r of iterateRows(store, filters, chunk)) {
    const code = r[4] !== null && r[16] !== null ? store.codeRecord(r[4], r[16], r[17]) : null;
    const source = r[11] !== null && r[12] !== null;
    cells.id = r[0];
    cells.timestamp = new Date(r[1]).toISOString();
    cells.success = successFromCode(r[5]);
    cells.model = r[7];
    cells.sessionId = r[2];
    cells.taskDescription = r[3];
    const tags = r[14];
    let json = tags ? tagsJson.get(tags) : '[]';
    if (json === undefined) {
      if (tagsJson.size >= 10_000) tagsJson.clear();
      json = JSON.stringify(tags!.split(TAG_SEPARATOR).sort());
      tagsJson.set(tags!, json);
    }
    cells.tagsJson = json;
    cells.tokens = r[8];
    cells.executionTime = r[18];
    cells.metricsJson = r[6] || '{}';
    cells.humanFeedback = r[9];
    cells.codeContext = code?.text ?? null;
    cells.extraJson = r[10] && r[10] !== '{}' ? r[10] : null;
    cells.sourceFile = source ? r[11] : null;
    cells.sourceLine = source ? r[12] : null;
    const piece = visit(cells, code?.problem ?? undefined);
    if (piece !== null) yield piece;
  }
}

/** Every row the filters select (with its code's place), newest first, in keyset-paged chunks. */
function* iterateRows(store: RowSource, filters: Filters, chunk: number): Generator<Row> {
  const where = whereOf(store, filters);
  let after: [number, number] | null = null;
  for (;;) {
    // A row value, not `ts < ? OR (ts = ? AND k < ?)`: SQLite turns it into an index range instead of a scan.
    const keyset: string = after ? ' AND (e.ts, e.k) < (?, ?)' : '';
    const params: (string | number)[] = after ? [...where.params, after[0], after[1], chunk] : [...where.params, chunk];
    const rows: Row[] = store.rows<Row>(`${selectSql(true)} WHERE ${where.sql}${keyset} ORDER BY e.ts DESC, e.k DESC LIMIT ?`, params);
    yield* rows;
    if (rows.length < chunk) return;
    const last: Row = rows[rows.length - 1]!;
    // Row[1] is e.ts, Row[15] is e.k.
    after = [last[1], last[15]];
  }
}

/** One example with everything, its code context included; null when no such id is stored. */
export function exampleById(store: RowSource, id: string): StoredExample | null {
  const row = store.rows<Row>(`${selectSql(true)} WHERE e.id_k = ? AND e.id = ?`, [stringKey(id), id])[0];
  return row ? toExample(row, true, store) : null;
}
