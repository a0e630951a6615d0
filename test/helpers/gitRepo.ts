// A real git repository built in a test, with every case the git judge tells apart.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'KIMI', GIT_AUTHOR_EMAIL: 'kimi@example.test', GIT_COMMITTER_NAME: 'KIMI', GIT_COMMITTER_EMAIL: 'kimi@example.test', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null' };

/** A real repository built in the test: every case the judge tells apart. */
export function buildRepo(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' }).trim();
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

