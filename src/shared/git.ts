// What git says of a commit an example is linked to: one schema for the core,
// the worker, the details view and the API.
import { z } from 'zod';
import { rateSchema } from './example';
import { DAY_MS as DAY } from './series';

export const gitVerdictSchema = z.object({
  /** The full commit id. */
  sha: z.string(),
  subject: z.string(),
  author: z.string(),
  /** Author date, epoch ms. */
  date: z.number(),
  /**
   * `kept`: reachable from the main branch; `rewritten`: not reachable, but a commit on main has
   * the same patch (a rebase, a cherry-pick, a one-commit squash); `squashed`: most of its added
   * lines stand on main although no commit there has its patch (a squash of several);
   * `not-merged`: none of these; `unknown-commit`: the repository does not have it.
   */
  state: z.enum(['kept', 'rewritten', 'squashed', 'not-merged', 'unknown-commit']),
  /** The commit on main that carries it, when rewritten. */
  landedAs: z.string().nullable(),
  /** A later commit on main that undid it: one whose message names it ("This reverts commit …") or whose patch is its inverse. */
  reverted: z.object({ by: z.string(), at: z.number(), how: z.enum(['message', 'inverse-patch']) }).nullable(),
  /** Lines it added (binary files aside). */
  addedLines: z.number().int().nonnegative(),
  /** Of those, how many stand on main today: by git blame where git can follow it, by text after a squash; null when not on main. */
  survivingLines: z.number().int().nonnegative().nullable(),
  files: z.array(z.string()).max(10_000),
  mainRef: z.string(),
  mainHead: z.string(),
  judgedAt: z.number(),
});
export type GitVerdict = z.infer<typeof gitVerdictSchema>;


/** Days a commit may stay off main before git judges it a failure (younger: not judged yet). */
export const PENDING_DAYS = 7;

/** Git's verdict as a success: landed on main and not reverted; reverted or long off main is a failure; otherwise unknown (null). */
export function gitSuccess(v: GitVerdict, now: number): boolean | null {
  if (v.state === 'unknown-commit') return null;
  if (v.reverted) return false;
  if (v.state === 'not-merged') return now - v.date > PENDING_DAYS * DAY ? false : null;
  return true;
}

function days(ms: number): string {
  const d = Math.round(ms / DAY);
  if (ms < 3_600_000) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (ms < DAY) return `${Math.round(ms / 3_600_000)} h`;
  return `${d} day${d === 1 ? '' : 's'}`;
}

/** "git: reverted after 2 days", "git: kept on main, 12 of 15 added lines survive", … */
export function describeVerdict(v: GitVerdict, now: number): string {
  if (v.state === 'unknown-commit') return 'git: the repository does not have this commit';
  if (v.reverted) return `git: reverted after ${days(v.reverted.at - v.date)}`;
  const lines = v.survivingLines === null ? '' : `, ${v.survivingLines} of ${v.addedLines} added lines survive`;
  switch (v.state) {
    case 'kept':
      return `git: kept on ${v.mainRef}${lines}`;
    case 'rewritten':
      return `git: on ${v.mainRef} as ${v.landedAs?.slice(0, 7) ?? '?'} (rebased or cherry-picked)${lines}`;
    case 'squashed':
      return `git: squashed into ${v.mainRef}${lines}`;
    case 'not-merged':
      return now - v.date > PENDING_DAYS * DAY ? `git: not on ${v.mainRef} after ${days(now - v.date)}` : `git: not on ${v.mainRef} yet`;
  }
}

export const gitRefreshSchema = z.object({
  /** Null when the folder is not a git repository (then nothing else is said). */
  mainRef: z.string().nullable(),
  linked: z.number().int(),
  judged: z.number().int(),
  /** Distinct commits examples are linked to. */
  commits: z.number().int(),
  problem: z.string().nullable(),
});
export type GitRefresh = z.infer<typeof gitRefreshSchema>;

export const exampleCommitSchema = z.object({
  sha: z.string(),
  repository: z.string().nullable(),
  branch: z.string().nullable(),
  /** `example`: the example names it; `trailer`: the commit names the example. */
  via: z.enum(['example', 'trailer']),
  verdict: gitVerdictSchema.nullable(),
});
export type ExampleCommit = z.infer<typeof exampleCommitSchema>;

export const fileRateSchema = z.object({
  key: z.string(),
  /** Examples linked to a commit. */
  examples: z.number().int(),
  /** KIMI's own verdict over those examples. */
  kimi: rateSchema,
  /** Git's verdict over those whose commit git has judged (kept and not reverted = success). */
  git: rateSchema,
  /** Examples whose commit git cannot judge yet (off main for less than a week, or unknown to the repository). */
  pending: z.number().int(),
});
export const gitRatesSchema = z.object({
  overall: fileRateSchema,
  byTag: z.array(fileRateSchema),
  byModel: z.array(fileRateSchema),
});
export type GitRates = z.infer<typeof gitRatesSchema>;

