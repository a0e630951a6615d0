// Which commit an example names: a `git` object ({commit, repository, branch})
// or the plain fields `commit_sha` / `commit`, all kept as extra fields as KIMI
// wrote them. A commit can also name its example with a trailer
// (`Learning-Example-Id: <id>`); gitJudge.ts reads those.

export interface CommitRef {
  /** 7 to 40 hex digits, lower case. */
  sha: string;
  repository: string | null;
  branch: string | null;
}

const SHA = /^[0-9a-f]{7,40}$/i;

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : null);

/** The commit an example's extra fields name, or null (a value that is not a commit id is ignored, never guessed at). */
export function commitOf(extra: Readonly<Record<string, unknown>>): CommitRef | null {
  const git = extra.git;
  if (git !== null && typeof git === 'object' && !Array.isArray(git)) {
    const g = git as Record<string, unknown>;
    const sha = text(g.commit ?? g.commit_sha ?? g.sha, 40);
    if (sha && SHA.test(sha)) return { sha: sha.toLowerCase(), repository: text(g.repository, 1000), branch: text(g.branch, 500) };
  }
  const sha = text(extra.commit_sha ?? extra.commit, 40);
  if (sha && SHA.test(sha)) return { sha: sha.toLowerCase(), repository: text(extra.repository, 1000), branch: text(extra.branch, 500) };
  return null;
}

/** The trailer that links a commit to its example. */
export const EXAMPLE_TRAILER = 'Learning-Example-Id';
