// What the repository says, later, of the commits examples are linked to:
// still on the main branch (also after a rebase or a squash), reverted, and
// how many of the lines each added stand today. KIMI's own `success` is its
// opinion at the time; this is the repository's. Every git call runs in a
// child process, so the thread that asks keeps serving.
import type { GitVerdict } from '../../shared/git';
import { EXAMPLE_TRAILER } from '../model/commitRef';
import { cpus } from 'node:os';
import { git, gitOk, gitPipe } from './gitCommand';
import { DAY_MS as DAY } from '../../shared/series';


/** The main branch: the one named, else origin's HEAD, main, master, or HEAD. Null when `dir` is not a git repository. */
export async function resolveMainRef(dir: string, named: string | null = null): Promise<{ ref: string; head: string } | null> {
  const inside = await git(dir, ['rev-parse', '--is-inside-work-tree']).catch(() => null);
  if (!inside || inside.code !== 0) return null;
  const candidates = named ? [named] : ['refs/remotes/origin/HEAD', 'main', 'master', 'HEAD'];
  for (const ref of candidates) {
    const r = await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (r.code === 0) return { ref: ref.replace(/^refs\/remotes\//, ''), head: r.stdout.trim() };
  }
  return null;
}

/** Example ids named by a `Learning-Example-Id:` trailer, in the commits of every branch, with the commit that names them. */
export async function trailerLinks(dir: string): Promise<{ exampleId: string; sha: string }[]> {
  const out = await gitOk(dir, ['log', '--all', '--no-color', `--grep=^${EXAMPLE_TRAILER}:`, `--format=%H%x00%(trailers:key=${EXAMPLE_TRAILER},valueonly,separator=%x01)%x1e`]);
  const links: { exampleId: string; sha: string }[] = [];
  for (const record of out.split('\x1e')) {
    const [sha, values] = record.trim().split('\x00');
    if (!sha || !values) continue;
    for (const id of values.split('\x01').map((v) => v.trim())) if (id && id.length <= 500) links.push({ exampleId: id, sha });
  }
  return links;
}

interface Diff {
  files: string[];
  /** Added lines per file (text, as written). */
  added: Map<string, string[]>;
  patch: string;
}

function parseDiff(patch: string): Diff {
  const files: string[] = [];
  const added = new Map<string, string[]>();
  let current: string | null = null;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) current = null;
    else if (line.startsWith('+++ ')) {
      const path = line.slice(4).trim();
      current = path === '/dev/null' ? null : path.replace(/^b\//, '');
      if (current !== null && !files.includes(current)) files.push(current);
    } else if (line.startsWith('rename to ')) {
      const path = line.slice('rename to '.length).trim();
      if (!files.includes(path)) files.push(path);
    } else if (current !== null && line.startsWith('+')) {
      const list = added.get(current) ?? [];
      list.push(line.slice(1));
      added.set(current, list);
    }
  }
  return { files, added, patch };
}

/** Added lines whose text still stands in the file on main (each line of the file matched once). */
async function standing(dir: string, rev: string, added: Map<string, string[]>): Promise<number> {
  let n = 0;
  for (const [path, lines] of added) {
    const r = await git(dir, ['show', `${rev}:${path}`]);
    if (r.code !== 0) continue;
    const counts = new Map<string, number>();
    for (const l of r.stdout.split('\n')) counts.set(l, (counts.get(l) ?? 0) + 1);
    for (const l of lines) {
      const c = counts.get(l) ?? 0;
      if (c > 0) {
        n++;
        counts.set(l, c - 1);
      }
    }
  }
  return n;
}

/** Lines that tell a change apart (a bare brace or a blank line stands everywhere). */
function telling(added: Map<string, string[]>): Map<string, string[]> {
  return new Map([...added].map(([path, lines]) => [path, lines.filter((l) => l.trim().length >= 4)]));
}

const SHA = /^[0-9a-f]{40}$/;

/** Calls `each` on every item, giving the event loop a turn every few thousand (main's log can hold millions of lines). */
async function inTurns<T>(items: readonly T[], each: (item: T) => void, turn = 5_000): Promise<void> {
  for (let i = 0; i < items.length; i += turn) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const item of items.slice(i, i + turn)) each(item);
  }
}

/** `<patch id> <commit>` lines of `git patch-id` as commit → patch id. */
async function readPatchIds(out: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await inTurns(out.split('\n'), (line) => {
    const [id, sha] = line.trim().split(' ');
    if (id && sha) ids.set(sha, id);
  });
  return ids;
}

/** Stable patch ids of commits (by `diff-tree --stdin` into `patch-id`, never held here); `reverse` gives the id of the patch that would undo each. */
async function patchIdsOf(dir: string, shas: readonly string[], reverse = false): Promise<Map<string, string>> {
  if (shas.length === 0) return new Map();
  // -R swaps the sides after the prefixes are given: swapped prefixes give the a/ b/ of the revert's own patch.
  const sides = reverse ? ['-R', '--src-prefix=b/', '--dst-prefix=a/'] : [];
  return await readPatchIds(await gitPipe(dir, ['diff-tree', '--stdin', '-p', '-r', '--root', '-M', '--no-color', ...sides], ['patch-id', '--stable'], `${shas.join('\n')}\n`));
}

/**
 * Patch ids of commits, kept between refreshes: a commit's patch never changes, so after the first
 * refresh only the commits main gained are read. Held by whoever refreshes (the data worker, serve).
 */
export class PatchIdCache {
  private readonly ids = new Map<string, string>();
  constructor(private readonly limit = 1_000_000) {}

  async of(dir: string, shas: readonly string[]): Promise<Map<string, string>> {
    const missing: string[] = [];
    await inTurns(shas, (s) => void (this.ids.has(s) || missing.push(s)));
    const found = await patchIdsOf(dir, missing);
    if (this.ids.size + missing.length > this.limit) this.ids.clear();
    const ids = new Map<string, string>();
    await inTurns(missing, (s) => this.ids.set(s, found.get(s) ?? '')); // '' : a commit that changes nothing
    await inTurns(shas, (s) => ids.set(s, this.ids.get(s) ?? ''));
    return ids;
  }
}

interface MainCommit {
  /** Author date, epoch ms. */
  at: number;
  /** Commit date, epoch seconds (what `--since` compares). */
  ct: number;
}

/** What a range of main holds: its commits, the reverts their messages name, the commit each patch id belongs to. */
interface MainRange {
  commits: Map<string, MainCommit>;
  /** Reverted commit → the revert that names it. */
  reverts: Map<string, { by: string; at: number }>;
  /** Patch id → a commit with that patch (the oldest). */
  byPatchId: Map<string, string>;
}

/** `range` is a `--since=…` bound plus main's head, or `old..new`. Three git calls whatever the size. */
async function readMainRange(dir: string, range: readonly string[], cache: PatchIdCache): Promise<MainRange> {
  const commits = new Map<string, MainCommit>();
  const single: string[] = [];
  await inTurns((await gitOk(dir, ['log', '--no-color', '--format=%H %at %ct %P', ...range])).split('\n'), (line) => {
    const [sha, at, ct, ...parents] = line.trim().split(' ');
    if (!sha || !SHA.test(sha)) return;
    commits.set(sha, { at: Number(at) * 1000, ct: Number(ct) });
    if (parents.length <= 1) single.push(sha);
  });
  const reverts = new Map<string, { by: string; at: number }>();
  const messages = await gitOk(dir, ['log', '--no-color', '--fixed-strings', '--grep=This reverts commit ', '--format=%H%x00%at%x00%B%x1e', ...range]);
  for (const record of messages.split('\x1e')) {
    const [by, at, body = ''] = record.trim().split('\x00');
    if (!by || !at) continue;
    for (const m of body.matchAll(/This reverts commit ([0-9a-f]{40})/g)) if (!reverts.has(m[1]!)) reverts.set(m[1]!, { by, at: Number(at) * 1000 });
  }
  const byPatchId = new Map<string, string>();
  await inTurns([...(await cache.of(dir, single))], ([sha, id]) => void (id && byPatchId.set(id, sha))); // log order is newest first: the oldest stays
  return { commits, reverts, byPatchId };
}

/** Runs `jobs` with at most `n` at a time. */
async function pooled<T>(jobs: readonly (() => Promise<T>)[], n: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

/**
 * Lines of each file at `head` that git blame gives to each commit. A file main has not changed
 * since the commit needs no blame: every line it added stands (one `cat-file` call compares them
 * all). Otherwise one blame per file whatever the number of commits that touched it, walking only
 * the history since the oldest of them (older lines go to the boundary, not counted); two at a time.
 */
async function blameCounts(dir: string, head: string, wants: readonly { commit: string; ct: number; path: string; /** Lines it added, or -1: not known. */ added: number }[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const objects = wants.length
    ? (await gitOk(dir, ['cat-file', '--batch-check=%(objectname)'], { input: `${wants.flatMap((w) => [`${w.commit}:${w.path}`, `${head}:${w.path}`]).join('\n')}\n` })).split('\n')
    : [];
  const byPath = new Map<string, { commits: Set<string>; since: number }>();
  wants.forEach((w, i) => {
    const [then, now] = [objects[2 * i], objects[2 * i + 1]];
    if (w.added >= 0 && then && SHA.test(then) && then === now) {
      counts.set(`${w.commit}\0${w.path}`, w.added);
      return;
    }
    const p = byPath.get(w.path) ?? { commits: new Set<string>(), since: w.ct };
    p.commits.add(w.commit);
    p.since = Math.min(p.since, w.ct);
    byPath.set(w.path, p);
  });
  const jobs = [...byPath].map(([path, p]) => async () => {
    const r = await git(dir, ['blame', '--porcelain', `--since=${p.since - 1}`, head, '--', path]);
    if (r.code !== 0) return; // The file is gone from main.
    for (const line of r.stdout.split('\n')) {
      const sha = line.slice(0, 40);
      if (p.commits.has(sha) && /^[0-9a-f]{40} \d+ \d+/.test(line)) counts.set(`${sha}\0${path}`, (counts.get(`${sha}\0${path}`) ?? 0) + 1);
    }
  });
  await pooled(jobs, Math.max(1, Math.min(2, cpus().length)));
  return counts;
}

function sumBlame(counts: Map<string, number>, commit: string, paths: Iterable<string>): number {
  let n = 0;
  for (const path of paths) n += counts.get(`${commit}\0${path}`) ?? 0;
  return n;
}

interface Found {
  given: string;
  sha: string;
  author: string;
  date: number;
  ct: number;
  subject: string;
  diff: Diff;
}

/** The commits given (full or short ids), resolved, with their metadata and patches: three git calls whatever their number. */
async function readCommits(dir: string, given: readonly string[]): Promise<{ found: Found[]; unknown: string[] }> {
  const plausible = given.filter((g) => /^[0-9a-f]{4,40}$/i.test(g));
  const unknown = given.filter((g) => !plausible.includes(g));
  const resolved = new Map<string, string>();
  if (plausible.length) {
    const out = await gitOk(dir, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: `${plausible.map((g) => `${g}^{commit}`).join('\n')}\n` });
    out.split('\n').slice(0, plausible.length).forEach((line, i) => {
      const [sha, type] = line.split(' ');
      if (sha && SHA.test(sha) && type === 'commit') resolved.set(plausible[i]!, sha);
      else unknown.push(plausible[i]!);
    });
  }
  const shas = [...new Set(resolved.values())];
  if (shas.length === 0) return { found: [], unknown };
  const meta = new Map<string, { author: string; at: number; ct: number; subject: string }>();
  const log = await gitOk(dir, ['log', '--no-walk=unsorted', '--stdin', '--no-color', '--format=%H%x00%an%x00%at%x00%ct%x00%s%x1e'], { input: `${shas.join('\n')}\n` });
  for (const record of log.split('\x1e')) {
    const [sha, author = '', at = '0', ct = '0', subject = ''] = record.trim().split('\x00');
    if (sha) meta.set(sha, { author, at: Number(at) * 1000, ct: Number(ct), subject });
  }
  const patches = new Map<string, string>();
  const diffs = await gitOk(dir, ['diff-tree', '--stdin', '-p', '-r', '--root', '-M', '--no-color'], { input: `${shas.join('\n')}\n` });
  let current: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (current) patches.set(current, lines.join('\n'));
  };
  for (const line of diffs.split('\n')) {
    // A line that is a bare commit id starts the next commit's patch (diff lines start with a marker).
    if (SHA.test(line)) {
      flush();
      current = line;
      lines = [];
    } else lines.push(line);
  }
  flush();
  const found = [...resolved].map(([g, sha]) => {
    const m = meta.get(sha) ?? { author: '', at: 0, ct: 0, subject: '' };
    return { given: g, sha, author: m.author, date: m.at, ct: m.ct, subject: m.subject, diff: parseDiff(patches.get(sha) ?? '') };
  });
  return { found, unknown };
}

export interface JudgeOptions {
  mainRef?: string | null;
  now?: number;
  /** Patch ids already read (kept by the caller between refreshes). */
  patchIds?: PatchIdCache;
}

export interface Judged {
  mainRef: string;
  mainHead: string;
  verdicts: Map<string, GitVerdict>;
}

const unknownCommit = (given: string, base: Pick<GitVerdict, 'mainRef' | 'mainHead' | 'judgedAt'>): GitVerdict => ({
  ...base,
  sha: given,
  subject: '',
  author: '',
  date: 0,
  state: 'unknown-commit',
  landedAs: null,
  reverted: null,
  addedLines: 0,
  survivingLines: null,
  files: [],
});

/**
 * Judges each commit (full or short ids); the result is keyed by the id as given. Main's history is
 * read once for all of them, since the oldest (a day of slack for clocks); every git call is a child
 * process and their number does not grow with the repository. Null when `dir` is not a git repository.
 */
export async function judgeCommits(dir: string, shas: readonly string[], o: JudgeOptions = {}): Promise<Judged | null> {
  const main = await resolveMainRef(dir, o.mainRef ?? null);
  if (!main) return null;
  const now = o.now ?? Date.now();
  const verdicts = new Map<string, GitVerdict>();
  const base = { mainRef: main.ref, mainHead: main.head, judgedAt: now };
  const { found, unknown } = await readCommits(dir, shas);
  for (const g of unknown) verdicts.set(g, unknownCommit(g, base));
  if (found.length === 0) return { mainRef: main.ref, mainHead: main.head, verdicts };

  const since = Math.floor((Math.min(...found.map((f) => Math.min(f.date, f.ct * 1000))) - DAY) / 1000);
  const onMain = await readMainRange(dir, [`--since=${since}`, main.head], o.patchIds ?? new PatchIdCache());
  const reachable = new Set<string>();
  for (const f of found) {
    // Main since the oldest lists nearly every reachable one; a commit merged long after it was made is asked for.
    if (onMain.commits.has(f.sha) || (await git(dir, ['merge-base', '--is-ancestor', f.sha, main.head])).code === 0) reachable.add(f.sha);
  }
  const unreachable = found.filter((f) => !reachable.has(f.sha)).map((f) => f.sha);
  const own = await patchIdsOf(dir, unreachable);
  const inverse = await patchIdsOf(dir, found.map((f) => f.sha), true);

  const partial: { f: Found; state: GitVerdict['state']; landedAs: string | null; reverted: GitVerdict['reverted'] }[] = [];
  for (const f of found) {
    let state: GitVerdict['state'] = 'kept';
    let landedAs: string | null = null;
    if (!reachable.has(f.sha)) {
      const id = own.get(f.sha);
      const twin = id ? onMain.byPatchId.get(id) : undefined;
      if (twin) {
        state = 'rewritten';
        landedAs = twin;
      } else {
        const tell = telling(f.diff.added);
        const total = [...tell.values()].reduce((n, l) => n + l.length, 0);
        state = total > 0 && (await standing(dir, main.head, tell)) / total >= 0.5 ? 'squashed' : 'not-merged';
      }
    }
    partial.push({ f, state, landedAs, reverted: revertOf(onMain, f.sha, landedAs, inverse.get(f.sha), now) });
  }
  const wants = partial
    .filter((p) => p.state === 'kept' || p.state === 'rewritten')
    .flatMap((p) => {
      const commit = p.landedAs ?? p.f.sha;
      const ct = onMain.commits.get(commit)?.ct ?? p.f.ct;
      return [...p.f.diff.added].map(([path, lines]) => ({ commit, ct, path, added: lines.length }));
    });
  const blamed = await blameCounts(dir, main.head, wants);
  for (const { f, state, landedAs, reverted } of partial) {
    const addedLines = [...f.diff.added.values()].reduce((n, l) => n + l.length, 0);
    let survivingLines: number | null = null;
    if (state === 'kept' || state === 'rewritten') survivingLines = sumBlame(blamed, landedAs ?? f.sha, f.diff.added.keys());
    else if (state === 'squashed') survivingLines = await standing(dir, main.head, f.diff.added);
    verdicts.set(f.given, { ...base, sha: f.sha, subject: f.subject, author: f.author, date: f.date, state, landedAs, reverted, addedLines, survivingLines, files: f.diff.files });
  }
  return { mainRef: main.ref, mainHead: main.head, verdicts };
}

/** Reverted: a commit on main whose message names it (or the commit it landed as), or whose patch is its inverse. */
function revertOf(range: MainRange, sha: string, landedAs: string | null, inverseId: string | undefined, now: number): GitVerdict['reverted'] {
  for (const target of [sha, landedAs]) {
    const r = target ? range.reverts.get(target) : undefined;
    if (r) return { ...r, how: 'message' };
  }
  const by = inverseId ? range.byPatchId.get(inverseId) : undefined;
  return by ? { by, at: range.commits.get(by)?.at ?? now, how: 'inverse-patch' } : null;
}

/**
 * Verdicts judged at `from`, brought to main's new head `to` when main only moved forward: what
 * stood stays (a kept commit stays reachable), a revert is looked for among the new commits only,
 * and surviving lines are counted again only for files the new commits touched. Commits that were
 * not on main are judged again (a merge may have brought them). Null when `to` does not descend
 * from `from` (a force push): judge everything again.
 */
export async function moveVerdicts(dir: string, previous: ReadonlyMap<string, GitVerdict>, from: string, to: string, o: JudgeOptions = {}): Promise<{ moved: Map<string, GitVerdict>; again: string[] } | null> {
  if (!SHA.test(from) || (await git(dir, ['merge-base', '--is-ancestor', from, to])).code !== 0) return null;
  const now = o.now ?? Date.now();
  const range = await readMainRange(dir, [`${from}..${to}`], o.patchIds ?? new PatchIdCache());
  const changed = new Set((await gitOk(dir, ['diff', '--name-only', '--no-renames', '-z', from, to])).split('\0').filter(Boolean));
  const landed = [...previous].filter(([, v]) => v.state === 'kept' || v.state === 'rewritten');
  const again = [...previous].filter(([, v]) => v.state !== 'kept' && v.state !== 'rewritten').map(([g]) => g);
  const open = landed.filter(([, v]) => !v.reverted).map(([, v]) => v.sha);
  const inverse = range.byPatchId.size ? await patchIdsOf(dir, open, true) : new Map<string, string>();
  const moved = new Map<string, GitVerdict>();
  const recount: { given: string; v: GitVerdict; paths: string[] }[] = [];
  for (const [given, v] of landed) {
    const reverted = v.reverted ?? revertOf(range, v.sha, v.landedAs, inverse.get(v.sha), now);
    const next = { ...v, reverted, mainHead: to, judgedAt: now };
    const paths = v.files.filter((p) => changed.has(p));
    if (paths.length) recount.push({ given, v: next, paths });
    moved.set(given, next);
  }
  if (recount.length) {
    // Only the added files' lines count; the files a commit touched include the ones it removed.
    const cts = await commitTimes(dir, recount.map((r) => r.v.landedAs ?? r.v.sha));
    // The added count per file is not kept (-1): each file is blamed.
    const wants = recount.flatMap((r) => r.v.files.map((path) => ({ commit: r.v.landedAs ?? r.v.sha, ct: cts.get(r.v.landedAs ?? r.v.sha) ?? 0, path, added: -1 })));
    const blamed = await blameCounts(dir, to, wants);
    for (const r of recount) moved.set(r.given, { ...r.v, survivingLines: sumBlame(blamed, r.v.landedAs ?? r.v.sha, r.v.files) });
  }
  return { moved, again };
}

async function commitTimes(dir: string, shas: readonly string[]): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  const out = await gitOk(dir, ['log', '--no-walk=unsorted', '--stdin', '--format=%H %ct'], { input: `${[...new Set(shas)].join('\n')}\n` });
  for (const line of out.split('\n')) {
    const [sha, ct] = line.split(' ');
    if (sha && ct) times.set(sha, Number(ct));
  }
  return times;
}
