import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeCommits, trailerLinks } from '../../src/core/git/gitJudge';
import { commitOf } from '../../src/core/git/commitRef';
import { describeVerdict, gitSuccess } from '../../src/shared/git';
import { useTempDir } from '../helpers/tempDir';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 'KIMI', GIT_AUTHOR_EMAIL: 'kimi@example.test', GIT_COMMITTER_NAME: 'KIMI', GIT_COMMITTER_EMAIL: 'kimi@example.test', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null' };

/** A real repository built in the test: every case the judge tells apart. */
export function buildRepo(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: ENV, encoding: 'utf8' }).trim();
  const write = (file: string, lines: string[]) => writeFileSync(join(dir, file), `${lines.join('\n')}\n`);
  const commit = (message: string) => {
    g('add', '-A');
    g('commit', '-q', '-m', message);
    return g('rev-parse', 'HEAD');
  };
  g('init', '-q', '-b', 'main');
  write('auth.ts', ['export function login() {', '  return true;', '}']);
  const base = commit('base');
  // Kept, with a trailer naming its example; one of its three lines is changed later.
  write('auth.ts', ['export function login() {', '  return true;', '}', 'export function logout(session) {', '  session.clear();', '  return "bye";', '}']);
  const kept = commit('Add logout\n\nLearning-Example-Id: ex-trailer');
  write('auth.ts', ['export function login() {', '  return true;', '}', 'export function logout(session) {', '  session.clear();', '  return "goodbye";', '}']);
  commit('Say goodbye');
  // Reverted by git revert (the message names it).
  write('api.ts', ['export const retries = 3;', 'export const timeoutMs = 5000;']);
  const reverted = commit('Add api settings');
  g('revert', '--no-edit', reverted);
  // Undone by hand: the inverse patch, a message that does not name it.
  write('cache.ts', ['export const ttlSeconds = 600;']);
  const undone = commit('Cache for ten minutes');
  g('rm', '-q', 'cache.ts');
  commit('Remove the cache again');
  // Rebased: written on a branch, main moves on, the branch is rebased and fast-forwarded.
  g('checkout', '-q', '-b', 'feature-rebase', base);
  write('rebase.ts', ['export const rebased = "yes, rebased";']);
  const rebased = commit('Rebased work');
  g('checkout', '-q', 'main');
  g('rebase', '-q', 'main', 'feature-rebase');
  g('checkout', '-q', 'main');
  g('merge', '-q', '--ff-only', 'feature-rebase');
  // Squash-merged: two commits on a branch become one on main.
  g('checkout', '-q', '-b', 'feature-squash');
  write('squash.ts', ['export const first = "the first part";']);
  const squashed = commit('First part');
  write('squash.ts', ['export const first = "the first part";', 'export const second = "the second part";']);
  commit('Second part');
  g('checkout', '-q', 'main');
  g('merge', '-q', '--squash', 'feature-squash');
  g('commit', '-q', '-m', 'Squashed feature');
  // Never merged.
  g('checkout', '-q', '-b', 'feature-open');
  write('open.ts', ['export const open = "still on a branch";']);
  const open = commit('Open work');
  g('checkout', '-q', 'main');
  return { base, kept, reverted, undone, rebased, squashed, open };
}

describe('git: what the repository says of linked commits', () => {
  const tmp = useTempDir();

  it('finds the commit an example names, as a git object or plain fields, and ignores what is not a commit id', () => {
    assert.deepEqual(commitOf({ git: { commit: 'ABCDEF1', repository: 'acme/app', branch: 'kimi/auth' } }), { sha: 'abcdef1', repository: 'acme/app', branch: 'kimi/auth' });
    assert.deepEqual(commitOf({ commit_sha: '0123456789abcdef0123456789abcdef01234567' }), { sha: '0123456789abcdef0123456789abcdef01234567', repository: null, branch: null });
    assert.deepEqual(commitOf({ commit: 'deadbee', branch: 'main' }), { sha: 'deadbee', repository: null, branch: 'main' });
    assert.equal(commitOf({ commit: 'not a sha; rm -rf /' }), null);
    assert.equal(commitOf({ git: { commit: '--upload-pack=evil' } }), null);
    assert.equal(commitOf({ commit: 'abc' }), null);
  });

  it('kept, reverted (by message and by inverse patch), rebased, squash-merged, not merged and unknown, with surviving lines', async function () {
    this.timeout(60_000);
    const dir = join(tmp.path, 'repo');
    const c = buildRepo(dir);
    const now = Date.now();
    const judged = await judgeCommits(dir, [c.kept!, c.reverted!, c.undone!, c.rebased!.slice(0, 10), c.squashed!, c.open!, 'deadbeef12'], { now });
    assert.ok(judged);
    assert.equal(judged.mainRef, 'main');
    const v = (sha: string) => judged.verdicts.get(sha)!;

    assert.equal(v(c.kept!).state, 'kept');
    assert.equal(v(c.kept!).reverted, null);
    assert.deepEqual([v(c.kept!).addedLines, v(c.kept!).survivingLines], [4, 3], 'one of its four added lines was rewritten later');
    assert.equal(describeVerdict(v(c.kept!), now), 'git: kept on main, 3 of 4 added lines survive');
    assert.equal(gitSuccess(v(c.kept!), now), true);

    assert.equal(v(c.reverted!).reverted?.how, 'message');
    assert.equal(v(c.reverted!).survivingLines, 0);
    assert.match(describeVerdict(v(c.reverted!), now), /^git: reverted after 1 min$/);
    assert.equal(gitSuccess(v(c.reverted!), now), false);

    assert.equal(v(c.undone!).reverted?.how, 'inverse-patch');

    const rebased = v(c.rebased!.slice(0, 10));
    assert.equal(rebased.state, 'rewritten');
    assert.equal(rebased.sha, c.rebased);
    assert.notEqual(rebased.landedAs, null);
    assert.notEqual(rebased.landedAs, c.rebased);
    assert.equal(rebased.survivingLines, 1);

    assert.equal(v(c.squashed!).state, 'squashed');
    assert.equal(v(c.squashed!).survivingLines, 1);
    assert.equal(gitSuccess(v(c.squashed!), now), true);

    assert.equal(v(c.open!).state, 'not-merged');
    assert.equal(gitSuccess(v(c.open!), now), null, 'young and off main: not judged yet');
    assert.equal(gitSuccess(v(c.open!), now + 8 * 86_400_000), false, 'a week later: a failure');
    assert.equal(describeVerdict(v(c.open!), now), 'git: not on main yet');

    assert.equal(v('deadbeef12').state, 'unknown-commit');
    assert.equal(gitSuccess(v('deadbeef12'), now), null);
    assert.deepEqual(v(c.kept!).files, ['auth.ts']);
  });

  it('reads Learning-Example-Id trailers on every branch; a folder that is not a repository says so', async () => {
    const dir = join(tmp.path, 'repo');
    const c = buildRepo(dir);
    assert.deepEqual(await trailerLinks(dir), [{ exampleId: 'ex-trailer', sha: c.kept }]);
    mkdirSync(join(tmp.path, 'plain'));
    assert.equal(await judgeCommits(join(tmp.path, 'plain'), ['abcdef1']), null);
  });
});
