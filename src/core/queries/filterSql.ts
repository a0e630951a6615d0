import type { Filters } from '../../shared/filters';
import { FLAG_TASK_EXAMPLE } from '../storage/schema';
import type { RowSource } from '../storage/rowSource';
import { filterCode } from '../model/successCode';

/** What the source's text search found for the text filter: its answer's number, how many examples hold the text, and whether so many do that a flag per row is read. */
export interface SearchAnswer {
  id: number;
  count: number;
  common: boolean;
}

export interface SqlWhere {
  /** A WHERE clause over `examples e` (without the keyword), or '1' for none. */
  sql: string;
  params: (string | number)[];
}

/**
 * Turns the shared filters into SQL with bound parameters only: nothing the
 * user typed is ever spliced into the statement.
 */
export function filterSql(f: Filters, options: { newestFirstPage?: boolean; taskExamplesStored?: boolean; searchAnswer?: SearchAnswer } = {}): SqlWhere {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  // A learning task's examples, found through their small partial index (examples_practice). With none
  // stored (most stores), leaving them out is no condition, and a count stays SQLite's quick one.
  if (f.taskExamples === 'only' || (f.taskExamples === 'without' && options.taskExamplesStored !== false)) parts.push(`e.k ${f.taskExamples === 'only' ? '' : 'NOT '}IN (SELECT k FROM examples WHERE (flags & ${FLAG_TASK_EXAMPLE}) != 0)`);
  if (f.since !== null) {
    parts.push('e.ts >= ?');
    params.push(f.since);
  }
  if (f.until !== null) {
    parts.push('e.ts < ?');
    params.push(f.until);
  }
  if (f.success !== null) {
    parts.push('e.success = ?');
    params.push(filterCode(f.success));
  }
  if (f.model !== null) {
    parts.push('e.model_id = (SELECT model_id FROM models WHERE name = ?)');
    params.push(f.model);
  }
  if (f.session !== null) {
    parts.push('e.session_k = (SELECT session_k FROM sessions WHERE name = ?)');
    params.push(f.session);
  }
  if (f.tags.length > 0) {
    const tags = [...new Set(f.tags)];
    const marks = tags.map(() => '?').join(', ');
    if (f.tagMode === 'all' && tags.length > 1) {
      parts.push(
        `e.k IN (SELECT et.k FROM example_tags et JOIN tags t ON t.tag_id = et.tag_id WHERE t.name IN (${marks}) GROUP BY et.k HAVING count(*) = ${tags.length})`,
      );
    } else {
      parts.push(`e.k IN (SELECT et.k FROM example_tags et JOIN tags t ON t.tag_id = et.tag_id WHERE t.name IN (${marks}))`);
    }
    params.push(...tags);
  }
  if (f.andTag !== null) {
    parts.push('e.k IN (SELECT et.k FROM example_tags et WHERE et.tag_id = (SELECT tag_id FROM tags WHERE name = ?))');
    params.push(f.andTag);
  }
  if (f.search !== null && f.search.trim() !== '') {
    // Description, feedback and code, ASCII case ignored as LIKE does: TextSearch finds the matching keys
    // once per text. A text no example holds reads no row. A text many hold is read as a flag per row
    // (search_has): a page walks the time index from the newest and stops at its end, a count reads each
    // row's flag (at 1M, 552,888 matches: page 183 → 3 ms, count 347 → 190 ms); the statement names the
    // search's answer by its number, as a text argument would be copied out of SQLite at every call.
    // A text few hold is read as one list of keys, each looked up, which costs what it matches; for a
    // page sorted by time, the unary + has SQLite walk the time index instead of sorting the lookups.
    if (options.searchAnswer?.count === 0) parts.push('0');
    else if (options.searchAnswer?.common) {
      parts.push('search_has(?, e.k)');
      params.push(options.searchAnswer.id);
    } else {
      parts.push(`${options.newestFirstPage ? '+' : ''}e.k IN (SELECT value FROM json_each(search_keys(?)))`);
      params.push(f.search.trim());
    }
  }
  if (f.codeRegex !== null && f.codeRegex !== '') {
    parts.push('e.k IN (SELECT c.k FROM code_refs c WHERE code_text(c.off, c.len) REGEXP ?)');
    params.push(f.codeRegex);
  }
  if (f.hasCommit !== null) parts.push(`e.k ${f.hasCommit ? '' : 'NOT '}IN (SELECT k FROM example_commits)`);
  if (f.branch !== null) {
    parts.push('e.k IN (SELECT k FROM example_commits WHERE branch = ?)');
    params.push(f.branch);
  }
  if (f.file !== null) {
    parts.push('e.k IN (SELECT ec.k FROM example_commits ec JOIN git_files gf ON gf.sha = ec.sha WHERE gf.path = ?)');
    params.push(f.file);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** The WHERE clause of `f` for this store (which knows whether it holds any learning-task example). */
export function whereOf(store: RowSource, f: Filters, options: { newestFirstPage?: boolean } = {}): SqlWhere {
  return filterSql(f, { ...options, taskExamplesStored: store.hasTaskExamples(), searchAnswer: searchAnswer(store, f, options.newestFirstPage === true) });
}

/**
 * The text search's answer for the text filter's text, if the source searches itself: none held
 * (no row is read), or so many that a flag per row read costs less than the list of their keys:
 * one in 64 for a page walked from the newest (about 6,400 rows read for a page of 100), one in 8
 * for a count (the calls to every row against a lookup per match).
 */
function searchAnswer(store: RowSource, f: Filters, page: boolean): SearchAnswer | undefined {
  const text = f.search?.trim();
  if (!text || !store.searchMatches) return undefined;
  const { id, count, span } = store.searchMatches(text);
  return { id, count, common: count * (page ? 64 : 8) >= span };
}

/**
 * How many examples the filters select when the text filter is their only condition: the text
 * search's own count, with no statement at all. Null when other conditions apply too.
 */
export function countByTextAlone(store: RowSource, f: Filters): number | null {
  const text = f.search?.trim();
  if (!text || !store.searchMatches) return null;
  if (filterSql({ ...f, search: null }, { taskExamplesStored: store.hasTaskExamples() }).sql !== '1') return null;
  return store.searchMatches(text).count;
}
