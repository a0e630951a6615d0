// The examples' commits as the store keeps them: linking by trailers, judging
// what is new or stale (incrementally: a commit is judged again only when the
// main branch has moved), and the figures built on git's verdicts: the
// git-judged success rate beside KIMI's own, per tag and model, and per file.
import { gitSuccess, gitVerdictSchema, type ExampleCommit, type GitRates, type GitRefresh, type GitVerdict } from '../../shared/git';
import type { Filters } from '../../shared/filters';
import { successRate } from '../analytics/successRate';
import type { LearningStore } from '../storage/learningStore';
import type { RowSource } from '../storage/rowSource';
import { whereOf } from '../queries/filterSql';
import { stringKey } from '../storage/keys';
import { judgeCommits, moveVerdicts, PatchIdCache, resolveMainRef, trailerLinks } from './gitJudge';
import { successFromCode } from '../model/successCode';

/**
 * Reads the trailers, then judges what is new and brings what is stale to main's new head: verdicts
 * of a head main moved on from (forward) are moved (see moveVerdicts), the rest judged again; a
 * slice at a time, each slice's verdicts stored before the next is read.
 */
export async function refreshGit(store: LearningStore, dir: string, o: { mainRef?: string | null; now?: number; slice?: number; patchIds?: PatchIdCache } = {}): Promise<GitRefresh> {
  const main = await resolveMainRef(dir, o.mainRef ?? null);
  if (!main) return { mainRef: null, linked: 0, judged: 0, commits: 0, problem: `${dir} is not a git repository${o.mainRef ? ` with a branch ${o.mainRef}` : ''}` };
  const linked = store.readOnly ? 0 : store.linkTrailerCommits(await trailerLinks(dir));
  const judge = { mainRef: o.mainRef ?? null, now: o.now, patchIds: o.patchIds ?? new PatchIdCache() };
  const stale = store.rows<[string, string | null, string | null]>(
    'SELECT DISTINCT ec.sha, v.main_head, v.data FROM example_commits ec LEFT JOIN git_verdicts v ON v.sha = ec.sha WHERE v.sha IS NULL OR v.main_head != ?',
    [main.head],
  );
  const fresh: string[] = [];
  const byHead = new Map<string, Map<string, GitVerdict>>();
  for (const [sha, head, data] of stale) {
    const v = verdictOf(data);
    if (head === null || !v) fresh.push(sha);
    else byHead.set(head, (byHead.get(head) ?? new Map<string, GitVerdict>()).set(sha, v));
  }
  let judged = 0;
  const slice = o.slice ?? 100;
  const save = (verdicts: Iterable<[string, GitVerdict]>, head: string) => {
    const rows = [...verdicts].map(([sha, v]) => ({ sha, mainHead: head, data: JSON.stringify(v), files: v.files }));
    store.setGitVerdicts(rows);
    judged += rows.length;
  };
  for (const [head, previous] of byHead) {
    if (store.readOnly) break;
    const entries = [...previous];
    for (let i = 0; i < entries.length; i += slice) {
      const moved = await moveVerdicts(dir, new Map(entries.slice(i, i + slice)), head, main.head, judge);
      if (!moved) {
        fresh.push(...entries.slice(i).map(([sha]) => sha));
        break;
      }
      save(moved.moved, main.head);
      fresh.push(...moved.again);
    }
  }
  for (let i = 0; i < fresh.length && !store.readOnly; i += slice) {
    const result = await judgeCommits(dir, fresh.slice(i, i + slice), judge);
    if (!result) break;
    save(result.verdicts, result.mainHead);
  }
  const [commits = 0] = store.rows<[number]>('SELECT count(DISTINCT sha) FROM example_commits')[0] ?? [];
  return { mainRef: main.ref, linked, judged, commits, problem: null };
}

function verdictOf(data: string | null): GitVerdict | null {
  if (data === null) return null;
  const parsed = gitVerdictSchema.safeParse(JSON.parse(data));
  return parsed.success ? parsed.data : null;
}

/** The commit an example is linked to and what git says of it (null verdict: not judged yet). */
export function exampleCommit(store: RowSource, id: string): ExampleCommit | null {
  const row = store.rows<[string, string | null, string | null, string, string | null]>(
    'SELECT ec.sha, ec.repository, ec.branch, ec.via, v.data FROM examples e JOIN example_commits ec ON ec.k = e.k LEFT JOIN git_verdicts v ON v.sha = ec.sha WHERE e.id_k = ? AND e.id = ? LIMIT 1',
    [stringKey(id), id],
  )[0];
  if (!row) return null;
  const [sha, repository, branch, via, data] = row;
  return { sha, repository, branch, via: via === 'trailer' ? 'trailer' : 'example', verdict: verdictOf(data) };
}

class Tally {
  examples = 0;
  kimi = 0;
  kimiUnknown = 0;
  gitN = 0;
  gitOk = 0;
  /** KIMI's outcome as stored (1, 0, or 2 for unknown) and git's verdict. */
  add(code: unknown, git: boolean | null): void {
    const kimi = successFromCode(code);
    this.examples++;
    if (kimi === true) this.kimi++;
    if (kimi === null) this.kimiUnknown++;
    if (git !== null) {
      this.gitN++;
      if (git) this.gitOk++;
    }
  }
  row(key: string) {
    return { key, examples: this.examples, kimi: successRate(this.kimi, this.examples, this.kimiUnknown), git: successRate(this.gitOk, this.gitN), pending: this.examples - this.gitN };
  }
}

/** KIMI's success rate and git's, over the filtered examples that are linked to a commit: overall, per tag, per model (most examples first). */
export function gitRates(store: RowSource, filters: Filters, now: number, limit = 50): GitRates {
  const where = whereOf(store, filters);
  const verdicts = new Map<string, boolean | null>();
  const overall = new Tally();
  const tags = new Map<string, Tally>();
  const models = new Map<string, Tally>();
  const rows = store.rows<[number, number, string, string | null, string | null]>(
    `SELECT e.success, ec.k, ec.sha, v.data, m.name FROM examples e JOIN example_commits ec ON ec.k = e.k LEFT JOIN git_verdicts v ON v.sha = ec.sha LEFT JOIN models m ON m.model_id = e.model_id WHERE ${where.sql}`,
    where.params,
  );
  const keys = rows.map((r) => r[1]);
  const tagsOf = new Map<number, string[]>();
  for (let i = 0; i < keys.length; i += 500) {
    const part = keys.slice(i, i + 500);
    for (const [k, tag] of store.rows<[number, string]>(`SELECT et.k, t.name FROM example_tags et JOIN tags t ON t.tag_id = et.tag_id WHERE et.k IN (${part.map(() => '?').join(', ')})`, part)) {
      tagsOf.set(k, [...(tagsOf.get(k) ?? []), tag]);
    }
  }
  for (const [success, k, sha, data, model] of rows) {
    let git = verdicts.get(sha);
    if (git === undefined) {
      const v = verdictOf(data);
      git = v ? gitSuccess(v, now) : null;
      verdicts.set(sha, git);
    }
    overall.add(success, git);
    for (const tag of tagsOf.get(k) ?? []) {
      if (!tags.has(tag)) tags.set(tag, new Tally());
      tags.get(tag)!.add(success, git);
    }
    if (model !== null) {
      if (!models.has(model)) models.set(model, new Tally());
      models.get(model)!.add(success, git);
    }
  }
  const ranked = (m: Map<string, Tally>) =>
    [...m]
      .sort((a, b) => b[1].examples - a[1].examples || a[0].localeCompare(b[0]))
      .slice(0, limit)
      .map(([key, t]) => t.row(key));
  return { overall: overall.row('all'), byTag: ranked(tags), byModel: ranked(models) };
}

/** The examples whose commits touched `path`: KIMI's rate and git's. */
export function fileRates(store: RowSource, path: string, now: number): ReturnType<Tally['row']> {
  const t = new Tally();
  for (const [success, data] of store.rows<[number, string | null]>(
    'SELECT e.success, v.data FROM git_files gf JOIN example_commits ec ON ec.sha = gf.sha JOIN examples e ON e.k = ec.k LEFT JOIN git_verdicts v ON v.sha = ec.sha WHERE gf.path = ?',
    [path],
  )) {
    const v = verdictOf(data);
    t.add(success, v ? gitSuccess(v, now) : null);
  }
  return t.row(path);
}
