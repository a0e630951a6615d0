import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeCommits, trailerLinks } from '../../src/core/git/gitJudge';
import { commitOf } from '../../src/core/model/commitRef';
import { describeVerdict, gitSuccess, type GitVerdict } from '../../src/shared/git';
import { useTempDir } from '../helpers/tempDir';
import { buildRepo, GIT_ENV } from '../helpers/gitRepo';
import { execFileSync } from 'node:child_process';
import { exampleCommit, fileRates, gitRates, refreshGit } from '../../src/core/git/gitLinks';
import { LearningStore } from '../../src/core/storage/learningStore';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { type NormalizedExample } from '../../src/core/model/example';
import { summary } from '../../src/core/queries/summary';
import { NO_FILTERS } from '../../src/shared/filters';
import { testSqlJs } from '../helpers/sqlJs';

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

describe('git: the examples linked to commits, in the store', () => {
  const tmp = useTempDir();

  type Ex = (id: string, extra: Record<string, unknown>, tag: string) => { example: NormalizedExample };
  /** A repository built in the test and a store beside it; `ex` makes an example an hour old. */
  async function withRepoAndStore(run: (dir: string, c: Record<string, string>, store: LearningStore, ex: Ex, now: number) => Promise<void>): Promise<void> {
    const dir = join(tmp.path, 'repo');
    const c = buildRepo(dir);
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
    const now = Date.now();
    const ex: Ex = (id, extra, tag) => {
      const p = normalizeRecord({ id, timestamp: new Date(now - 3_600_000).toISOString(), success: true, tags: [tag], model_used: 'M', ...extra }, { assumeTimeZone: 'utc', now });
      if (!p.ok) throw new Error(p.reason);
      return { example: p.example };
    };
    try {
      await run(dir, c, store, ex, now);
    } finally {
      store.close();
    }
  }

  it('links by the example and by trailer, judges incrementally, and gives KIMI\'s rate and git\'s per tag, per file and per example', async function () {
    this.timeout(60_000);
    await withRepoAndStore(async (dir, c, store, ex, now) => {
      store.insert([
        ex('ex-trailer', {}, 'auth'),
        ex('ex-reverted', { git: { commit: c.reverted, branch: 'kimi/api' } }, 'api'),
        ex('ex-squashed', { commit_sha: c.squashed }, 'api'),
        ex('ex-open', { commit: c.open!.slice(0, 8), branch: 'feature-open' }, 'api'),
        ex('ex-none', {}, 'api'),
      ]);
      const first = await refreshGit(store, dir, { now });
      assert.deepEqual(first, { mainRef: 'main', linked: 1, judged: 4, commits: 4, problem: null });
      const again = await refreshGit(store, dir, { now });
      assert.equal(again.judged, 0, 'nothing judged twice while main stands still');

      const rates = gitRates(store, NO_FILTERS, now);
      assert.equal(rates.overall.examples, 4);
      assert.equal(rates.overall.kimi.successes, 4, 'KIMI called every one a success');
      // Git: kept (trailer) and squashed succeed, reverted fails, open is not judged yet.
      assert.deepEqual([rates.overall.git.total, rates.overall.git.successes, rates.overall.pending], [3, 2, 1]);
      const api = rates.byTag.find((r) => r.key === 'api')!;
      assert.deepEqual([api.examples, api.git.total, api.git.successes], [3, 2, 1]);
      assert.deepEqual(fileRates(store, 'auth.ts', now).examples, 1);

      const linked = exampleCommit(store, 'ex-trailer')!;
      assert.equal(linked.via, 'trailer');
      assert.equal(linked.verdict?.state, 'kept');
      assert.equal(exampleCommit(store, 'ex-none'), null);
      assert.equal(exampleCommit(store, 'ex-open')!.branch, 'feature-open');

      // Filters: with a commit, by branch, by file.
      assert.equal(summary(store, { ...NO_FILTERS, hasCommit: true }).rate.total, 4);
      assert.equal(summary(store, { ...NO_FILTERS, hasCommit: false }).rate.total, 1);
      assert.equal(summary(store, { ...NO_FILTERS, branch: 'kimi/api' }).rate.total, 1);
      assert.equal(summary(store, { ...NO_FILTERS, file: 'squash.ts' }).rate.total, 1);

      // Main moves: every verdict is judged again.
      execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'later'], { cwd: dir, env: GIT_ENV });
      assert.equal((await refreshGit(store, dir, { now })).judged, 4);
      assert.match((await refreshGit(store, tmp.path, { now })).problem ?? '', /is not a git repository/);
    });
  });

  it('brings verdicts to a new head of main incrementally, with the same verdicts as judging again; a force push judges again', async function () {
    this.timeout(60_000);
    await withRepoAndStore(async (dir, c, store, ex, now) => {
      const ids: Record<string, string> = { kept: c.kept!, rebased: c.rebased!, squashed: c.squashed!, open: c.open!, undone: c.undone! };
      store.insert(Object.entries(ids).map(([id, sha]) => ex(id, { commit_sha: sha }, 't')));
      await refreshGit(store, dir, { now });
      const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' }).trim();
      const landed = exampleCommit(store, 'rebased')!.verdict!.landedAs!;
      // Main moves on: one of kept's lines rewritten, the rebased commit reverted, an unrelated file added.
      writeFileSync(join(dir, 'auth.ts'), ['export function login() {', '  return true;', '}', 'export function logout(session) {', '  session.reset();', '  return "goodbye";', '}', ''].join('\n'));
      g('commit', '-q', '-am', 'Reset the session');
      g('revert', '--no-edit', landed);
      writeFileSync(join(dir, 'other.ts'), 'export const other = 1;\n');
      g('add', 'other.ts');
      g('commit', '-q', '-m', 'Other');
      const strip = (v: GitVerdict | null | undefined) => v && { ...v, judgedAt: 0 };
      const same = async (what: string) => {
        const fresh = await judgeCommits(dir, Object.values(ids), { now });
        for (const [id, sha] of Object.entries(ids)) assert.deepEqual(strip(exampleCommit(store, id)!.verdict), strip(fresh!.verdicts.get(sha)), `${what}: ${id}`);
      };
      assert.equal((await refreshGit(store, dir, { now })).judged, 5);
      assert.equal(exampleCommit(store, 'kept')!.verdict!.survivingLines, 2, 'the rewritten line no longer counts');
      assert.equal(exampleCommit(store, 'rebased')!.verdict!.reverted?.how, 'message');
      await same('moved forward');
      // A force push: main loses its last two commits; everything is judged again.
      g('reset', '-q', '--hard', 'HEAD~2');
      assert.equal((await refreshGit(store, dir, { now })).judged, 5);
      assert.equal(exampleCommit(store, 'rebased')!.verdict!.reverted, null, 'the revert is gone with the force push');
      await same('after a force push');
    });
  });
});
