// Runs git without a shell: arguments as an array, the repository as -C, no
// prompt, C locale, a time limit. simple-git would add little here: the judge
// needs a patch piped into `git patch-id` and exit codes as answers
// (`merge-base --is-ancestor`), which a spawn gives directly.
import { spawn } from 'node:child_process';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function git(cwd: string, args: readonly string[], o: { input?: string; timeoutMs?: number } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', cwd, '-c', 'core.quotepath=off', ...args], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed (or not on PATH)' : e.message));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}

/** Like git(), but a non-zero exit is an error that says what git said. */
export async function gitOk(cwd: string, args: readonly string[], o: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await git(cwd, args, o);
  if (r.code !== 0) throw new Error(`git ${args[0]} failed in ${cwd}: ${r.stderr.trim().split('\n')[0] ?? `exit ${r.code}`}`);
  return r.stdout;
}

/**
 * `git a… | git b…`, the first fed `input`: the stream between them is never held here
 * (a patch of every commit on main since a date can be tens of megabytes). Resolves with b's output.
 */
export function gitPipe(cwd: string, a: readonly string[], b: readonly string[], input: string, timeoutMs = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };
    const first = spawn('git', ['-C', cwd, '-c', 'core.quotepath=off', ...a], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const second = spawn('git', ['-C', cwd, ...b], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    first.stderr.on('data', (d: Buffer) => err.push(d));
    second.stderr.on('data', (d: Buffer) => err.push(d));
    second.stdout.on('data', (d: Buffer) => out.push(d));
    first.stdout.pipe(second.stdin);
    second.stdin.on('error', () => undefined);
    first.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      first.kill('SIGKILL');
      second.kill('SIGKILL');
    }, timeoutMs);
    const codes: (number | null)[] = [null, null];
    const closed = () => {
      if (codes[0] === null || codes[1] === null) return;
      clearTimeout(timer);
      if (codes[0] !== 0 || codes[1] !== 0) reject(new Error(`git ${a[0]} | git ${b[0]} failed in ${cwd}: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0] || `exit ${codes[0]}/${codes[1]}`}`));
      else resolve(Buffer.concat(out).toString('utf8'));
    };
    const failed = (e: Error) => {
      clearTimeout(timer);
      first.kill('SIGKILL');
      second.kill('SIGKILL');
      reject(new Error((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed (or not on PATH)' : e.message));
    };
    first.once('error', failed);
    second.once('error', failed);
    first.once('close', (code) => {
      codes[0] = code ?? -1;
      closed();
    });
    second.once('close', (code) => {
      codes[1] = code ?? -1;
      closed();
    });
    first.stdin.end(input);
  });
}
