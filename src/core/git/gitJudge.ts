// What the repository says, later, of the commits examples are linked to:
// still on the main branch (also after a rebase or a squash), reverted, and
// how many of the lines each added stand today. KIMI's own `success` is its
// opinion at the time; this is the repository's. Every git call runs in a
// child process, so the thread that asks keeps serving.
import type { GitVerdict } from '../../shared/git';
import { EXAMPLE_TRAILER } from './commitRef';
import { git, gitOk } from './gitCommand';

const DAY = 86_400_000;

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

async function patchIds(dir: string, patch: string): Promise<Map<string, string>> {
  const out = await gitOk(dir, ['patch-id', '--stable'], { input: patch });
  const ids = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [id, sha] = line.trim().split(' ');
    if (id && sha) ids.set(id, sha);
  }
  return ids;
}

/** Lines of `path` at `rev` that git blame gives to `sha`. */
async function blamed(dir: string, rev: string, path: string, sha: string): Promise<number> {
  // Only the history since the commit is walked: older lines go to the boundary, which is not counted.
  let r = await git(dir, ['blame', '--porcelain', `${sha}^..${rev}`, '--', path]);
  if (r.code !== 0) r = await git(dir, ['blame', '--porcelain', rev, '--', path]); // A root commit has no parent.
  if (r.code !== 0) return 0; // The file is gone from main.
  let n = 0;
  for (const line of r.stdout.split('\n')) if (line.startsWith(sha) && /^[0-9a-f]{40} \d+ \d+/.test(line)) n++;
  return n;
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

export interface JudgeOptions {
  mainRef?: string | null;
  now?: number;
}

/**
 * Judges each commit (full or short ids); the result is keyed by the id as given.
 * Returns null when `dir` is not a git repository.
 */
export async function judgeCommits(dir: string, shas: readonly string[], o: JudgeOptions = {}): Promise<{ mainRef: string; mainHead: string; verdicts: Map<string, GitVerdict> } | null> {
  const main = await resolveMainRef(dir, o.mainRef ?? null);
  if (!main) return null;
  const now = o.now ?? Date.now();
  const verdicts = new Map<string, GitVerdict>();
  const base = { mainRef: main.ref, mainHead: main.head, judgedAt: now };
  const found: { given: string; sha: string; author: string; date: number; subject: string; diff: Diff; reverse: string }[] = [];
  for (const given of shas) {
    const r = await git(dir, ['show', '-s', '--no-color', '--format=%H%x00%an%x00%at%x00%s', `${given}^{commit}`]);
    const [sha, author = '', at = '0', subject = ''] = r.code === 0 ? r.stdout.trim().split('\x00') : [];
    if (!sha) {
      verdicts.set(given, { ...base, sha: given, subject: '', author: '', date: 0, state: 'unknown-commit', landedAs: null, reverted: null, addedLines: 0, survivingLines: null, files: [] });
      continue;
    }
    const patch = await gitOk(dir, ['diff-tree', '-p', '-r', '--root', '-M', '--no-color', sha]);
    // -R swaps the sides after the prefixes are given: swapped prefixes give the a/ b/ of the revert's own patch.
    const reverse = await gitOk(dir, ['diff-tree', '-p', '-r', '--root', '-R', '--src-prefix=b/', '--dst-prefix=a/', '--no-color', sha]);
    found.push({ given, sha, author, date: Number(at) * 1000, subject, diff: parseDiff(patch), reverse });
  }
  if (found.length === 0) return { ...main, mainRef: main.ref, mainHead: main.head, verdicts };

  // The patches of main's commits since the oldest of these (a day of slack for clocks), once for all.
  const since = Math.min(...found.map((f) => f.date)) - DAY;
  const mainLog = await gitOk(dir, ['log', '-p', '--no-merges', '--no-color', `--since=${Math.floor(since / 1000)}`, main.head]);
  const onMain = new Map<string, string>(); // patch id → commit on main
  for (const [id, sha] of await patchIds(dir, mainLog)) onMain.set(id, sha);
  const dates = new Map<string, number>();
  for (const line of (await gitOk(dir, ['log', '--no-merges', '--format=%H %at', `--since=${Math.floor(since / 1000)}`, main.head])).split('\n')) {
    const [sha, at] = line.split(' ');
    if (sha && at) dates.set(sha, Number(at) * 1000);
  }

  for (const f of found) {
    const reachable = (await git(dir, ['merge-base', '--is-ancestor', f.sha, main.head])).code === 0;
    let state: GitVerdict['state'] = 'kept';
    let landedAs: string | null = null;
    if (!reachable) {
      const [own] = [...(await patchIds(dir, f.diff.patch)).keys()];
      const twin = own ? onMain.get(own) : undefined;
      if (twin) {
        state = 'rewritten';
        landedAs = twin;
      } else {
        const tell = telling(f.diff.added);
        const total = [...tell.values()].reduce((n, l) => n + l.length, 0);
        state = total > 0 && (await standing(dir, main.head, tell)) / total >= 0.5 ? 'squashed' : 'not-merged';
      }
    }
    // Reverted: a commit on main that names it (or the commit it landed as), or whose patch is its inverse.
    let reverted: GitVerdict['reverted'] = null;
    for (const target of [f.sha, landedAs].filter((x): x is string => x !== null)) {
      const r = await gitOk(dir, ['log', '--no-color', '--fixed-strings', `--grep=This reverts commit ${target}`, '--format=%H %at', main.head]);
      const [by, at] = r.trim().split('\n')[0]?.split(' ') ?? [];
      if (by && at) {
        reverted = { by, at: Number(at) * 1000, how: 'message' };
        break;
      }
    }
    if (!reverted) {
      const [inverse] = [...(await patchIds(dir, f.reverse)).keys()];
      const by = inverse ? onMain.get(inverse) : undefined;
      if (by) reverted = { by, at: dates.get(by) ?? now, how: 'inverse-patch' };
    }
    const addedLines = [...f.diff.added.values()].reduce((n, l) => n + l.length, 0);
    let survivingLines: number | null = null;
    if (state === 'kept' || state === 'rewritten') {
      survivingLines = 0;
      for (const path of f.diff.added.keys()) survivingLines += await blamed(dir, main.head, path, landedAs ?? f.sha);
    } else if (state === 'squashed') survivingLines = await standing(dir, main.head, f.diff.added);
    verdicts.set(f.given, { ...base, sha: f.sha, subject: f.subject, author: f.author, date: f.date, state, landedAs, reverted, addedLines, survivingLines, files: f.diff.files });
  }
  return { mainRef: main.ref, mainHead: main.head, verdicts };
}
