// npm run bench:git: a repository of 50,000 commits (written with git
// fast-import), 200 examples linked to commits spread over its history; the
// first refresh (trailers, then every verdict), a refresh with nothing new,
// and one after main moved (every verdict brought to the new head). Git runs in child
// processes: the event-loop delay of this thread during the refresh shows what
// the data worker feels (the extension host does not take part at all).
// Writes bench/results-git-<commits>.json/md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { refreshGit } from '../src/core/git/gitLinks';
import { normalizeRecord } from '../src/core/ingest/parseKimiLine';
import { LearningStore } from '../src/core/storage/learningStore';
import { loadSqlJs } from '../src/core/storage/loadSqlJs';

const root = join(__dirname, '..', '..');
/** BENCH_GIT_COMMITS picks another size (50,000 by default). */
const COMMITS = Number(process.env.BENCH_GIT_COMMITS ?? 50_000);
const LINKED = 200;
const ENV = { ...process.env, GIT_AUTHOR_NAME: 'KIMI', GIT_AUTHOR_EMAIL: 'kimi@example.test', GIT_COMMITTER_NAME: 'KIMI', GIT_COMMITTER_EMAIL: 'kimi@example.test' };

function buildRepo(dir: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env: ENV });
  const start = Math.floor(Date.now() / 1000) - 400 * 86_400;
  const lines: string[] = [];
  const contents = new Map<number, string[]>();
  for (let i = 1; i <= COMMITS; i++) {
    const file = i % 500;
    const body = contents.get(file) ?? [];
    body.push(`export const value${i} = ${i}; // change ${i}`);
    contents.set(file, body);
    const data = `${body.join('\n')}\n`;
    const message = `Change ${i}`;
    const when = start + Math.floor((i * 400 * 86_400) / COMMITS);
    lines.push(`commit refs/heads/main`, `mark :${i}`, `committer KIMI <kimi@example.test> ${when} +0000`, `data ${Buffer.byteLength(message)}`, message);
    if (i > 1) lines.push(`from :${i - 1}`);
    lines.push(`M 100644 inline src/file${file}.ts`, `data ${Buffer.byteLength(data)}`, data);
  }
  execFileSync('git', ['fast-import', '--quiet', '--export-marks=marks'], { cwd: dir, env: ENV, input: lines.join('\n'), maxBuffer: 1 << 30 });
  execFileSync('git', ['checkout', '-q', 'main'], { cwd: dir, env: ENV });
  const marks = new Map(
    readFileSync(join(dir, 'marks'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => {
        const [mark, sha] = l.split(' ');
        return [Number(mark!.slice(1)), sha!] as const;
      }),
  );
  rmSync(join(dir, 'marks'));
  return Array.from({ length: LINKED }, (_, i) => marks.get(Math.floor(((i + 1) * COMMITS) / (LINKED + 1)))!);
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; maxDelayMs: number; p99DelayMs: number; result: T }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t = performance.now();
  const result = await run();
  const ms = performance.now() - t;
  h.disable();
  return { ms, maxDelayMs: h.max / 1e6, p99DelayMs: h.percentile(99) / 1e6, result };
}

async function main(): Promise<void> {
  const dir = join(root, 'bench', 'data', `git-${COMMITS}`);
  const t = performance.now();
  const shas = buildRepo(dir);
  const buildMs = performance.now() - t;
  const dataDir = join(root, 'bench', 'data', `git-${COMMITS}-db`);
  rmSync(dataDir, { recursive: true, force: true });
  const store = LearningStore.open({ SQL: await loadSqlJs(join(root, 'dist', 'sql-wasm.wasm')), dataDir });
  const now = Date.now();
  store.insert(
    shas.map((sha, i) => {
      const p = normalizeRecord({ id: `git-${i}`, timestamp: new Date(now - i * 3_600_000).toISOString(), success: i % 3 !== 0, tags: ['bench'], commit_sha: sha }, { assumeTimeZone: 'utc', now });
      if (!p.ok) throw new Error(p.reason);
      return { example: p.example };
    }),
  );
  const first = await timed(() => refreshGit(store, dir));
  const again = await timed(() => refreshGit(store, dir));
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'main moves'], { cwd: dir, env: ENV });
  const moved = await timed(() => refreshGit(store, dir));
  store.close();
  const row = (x: Awaited<ReturnType<typeof timed>>) => ({ ms: Math.round(x.ms), maxDelayMs: +x.maxDelayMs.toFixed(1), p99DelayMs: +x.p99DelayMs.toFixed(1), result: x.result });
  const result = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, commits: COMMITS, linked: LINKED, buildMs: Math.round(buildMs), first: row(first), nothingNew: row(again), mainMoved: row(moved) };
  writeFileSync(join(root, 'bench', `results-git-${COMMITS}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# Git verdicts at ${COMMITS.toLocaleString('en-US')} commits`,
    '',
    `${result.date}, Node ${result.node}, ${result.cpus} cores. ${LINKED} examples linked to commits spread over the history (400 days).`,
    '',
    '| refresh | time | event-loop delay of the refreshing thread (max / p99) | commits judged |',
    '|---|---:|---:|---:|',
    `| first (trailers, every verdict) | ${(first.ms / 1000).toFixed(1)} s | ${row(first).maxDelayMs} / ${row(first).p99DelayMs} ms | ${first.result.judged} |`,
    `| nothing new | ${Math.round(again.ms)} ms | ${row(again).maxDelayMs} / ${row(again).p99DelayMs} ms | ${again.result.judged} |`,
    `| after main moved | ${(moved.ms / 1000).toFixed(1)} s | ${row(moved).maxDelayMs} / ${row(moved).p99DelayMs} ms | ${moved.result.judged} |`,
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', `results-git-${COMMITS}.md`), md);
  process.stdout.write(md);
}

void main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});
