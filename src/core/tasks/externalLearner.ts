// Runs an external learner: a program from the settings, without a shell, in
// its own process group so that cancelling ends the whole tree. Its output is
// bounded: a learner that floods stdout costs a counter, not the host.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { LearnerMessage } from '../../shared/tasks';
import { LineSplitter, parseLearnerLine } from './learnerProtocol';

export interface ExternalLearnerOptions {
  /** Program and arguments; `${technology}`, `${depth}`, `${priority}`, `${taskId}` are replaced inside each argument. */
  command: readonly string[];
  cwd: string;
  values: { technology: string; depth: string; priority: string; taskId: string };
  env?: Record<string, string>;
  signal: AbortSignal;
  /** Time between TERM and KILL when stopping. */
  graceMs?: number;
  onProgress(progress: number, message: string): void;
  onExample(record: Record<string, unknown>): void;
  onLog(kind: 'log' | 'invalid', text: string): void;
  /** Live log lines per second at most; the rest are counted and the last ones shown at the end. */
  logLinesPerSecond?: number;
}

export interface ExternalLearnerResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  result: { proficiency: number | null; summary: string } | null;
  stderrTail: string;
  /** Log lines (and their bytes) not shown live. */
  cutLines: number;
  cutBytes: number;
}

const STDERR_TAIL = 4096;
const TAIL_LINES = 50;

export function substitute(command: readonly string[], values: ExternalLearnerOptions['values']): string[] {
  return command.map((arg) => arg.replace(/\$\{(technology|depth|priority|taskId)\}/g, (_, key: keyof typeof values) => values[key]));
}

/** Sends a signal to a process group (POSIX) or a process tree (Windows); a group already gone is fine. */
export function killTree(pid: number, signal: NodeJS.Signals): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** Every process on this machine with its parent (Linux, from /proc; empty elsewhere). */
function processTable(): Map<number, number> {
  const parents = new Map<number, number>();
  if (process.platform !== 'linux') return parents;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone since the listing.
    }
  }
  return parents;
}

/** The descendants of `root` now, however they regrouped (setsid, a new process group). */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of processTable()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      found.push(c);
      queue.push(c);
    }
  }
  return found;
}

/**
 * Processes that carry this task's id in their environment (Linux): what a
 * learner started keeps it even after it was reparented to init, so an
 * escaped grandchild is still found after the learner itself has exited.
 */
export function processesOfTask(taskId: string): number[] {
  if (process.platform !== 'linux') return [];
  const marker = Buffer.from(`LEARNING_VIEWER_TASK_ID=${taskId}\0`);
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`).includes(marker)) found.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

function killEach(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** How long after the learner exits its output may still drain before the pipes are closed. */
const DRAIN_MS = 250;
/** How often the learner's descendants are listed while it runs. */
const DESCENDANT_SCAN_MS = 500;

export function runExternalLearner(options: ExternalLearnerOptions): Promise<ExternalLearnerResult> {
  const [program, ...args] = substitute(options.command, options.values);
  if (!program) return Promise.reject(new Error('the learner command is empty'));
  const graceMs = options.graceMs ?? 3000;
  const perSecond = options.logLinesPerSecond ?? 200;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: {
        ...process.env,
        ...options.env,
        LEARNING_VIEWER_TASK_ID: options.values.taskId,
        LEARNING_VIEWER_TECHNOLOGY: options.values.technology,
        LEARNING_VIEWER_DEPTH: options.values.depth,
        LEARNING_VIEWER_PRIORITY: options.values.priority,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      shell: false,
      windowsHide: true,
    });
    let result: ExternalLearnerResult['result'] = null;
    let stderr = '';
    let cutLines = 0;
    let cutBytes = 0;
    let windowStart = Date.now();
    let windowLines = 0;
    const tail: string[] = [];
    let killTimer: NodeJS.Timeout | undefined;
    let exited = false;
    let finished = false;
    /** Every descendant seen while the learner ran: one that escaped its group (setsid) is still ended. */
    const seen = new Set<number>();
    const scan = () => {
      if (child.pid !== undefined) for (const pid of descendantsOf(child.pid)) seen.add(pid);
    };
    const scanner = process.platform === 'linux' ? setInterval(scan, DESCENDANT_SCAN_MS) : undefined;
    scanner?.unref();
    const endEscaped = () => {
      killEach(seen);
      killEach(processesOfTask(options.values.taskId));
    };

    const stop = () => {
      if (exited || child.pid === undefined) return;
      scan();
      killTree(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => {
        killTree(child.pid!, 'SIGKILL');
        endEscaped();
      }, graceMs);
    };
    if (options.signal.aborted) stop();
    options.signal.addEventListener('abort', stop, { once: true });

    const log = (kind: 'log' | 'invalid', text: string) => {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        windowLines = 0;
      }
      if (kind === 'invalid' || windowLines < perSecond) {
        windowLines++;
        options.onLog(kind, text);
        return;
      }
      cutLines++;
      cutBytes += Buffer.byteLength(text) + 1;
      tail.push(text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    const handle = (message: LearnerMessage) => {
      switch (message.event) {
        case 'progress':
          options.onProgress(message.progress, message.message);
          break;
        case 'example':
          options.onExample(message.record);
          break;
        case 'result':
          result = { proficiency: message.proficiency, summary: message.summary };
          break;
        case 'log':
          log('log', message.text);
          break;
        case 'invalid':
          log('invalid', `${message.reason}: ${message.text}`);
          break;
      }
    };
    const lines = new LineSplitter(
      (line) => handle(parseLearnerLine(line)),
      (bytes) => log('invalid', `a line of ${(bytes / 1048576).toFixed(1)} MB was longer than the 1 MB limit and was skipped`),
    );
    child.stdout.on('data', (chunk: Buffer) => lines.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.on('error', (e) => {
      clearInterval(scanner);
      options.signal.removeEventListener('abort', stop);
      reject(new Error(`could not start the learner ${JSON.stringify(program)}: ${e.message}`));
    });
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(killTimer);
      clearInterval(scanner);
      options.signal.removeEventListener('abort', stop);
      lines.end();
      if (cutLines > 0) {
        options.onLog('log', `Output was cut: ${cutLines.toLocaleString('en-US')} lines (${(cutBytes / 1048576).toFixed(1)} MB) not shown. The last ${tail.length} lines:`);
        for (const line of tail) options.onLog('log', line);
      }
      resolve({ exitCode, signal, result, stderrTail: stderr.trim(), cutLines, cutBytes });
    };
    child.on('exit', (exitCode, signal) => {
      exited = true;
      // Whatever the learner left behind goes with it: its group, and what escaped the group (setsid).
      if (child.pid !== undefined) killTree(child.pid, 'SIGKILL');
      endEscaped();
      // The task ends when the learner exits, not when the last holder of its pipes lets go:
      // what is already written drains for a moment, then the pipes are closed.
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(exitCode, signal);
      }, DRAIN_MS);
      child.once('close', () => {
        clearTimeout(drain);
        finish(exitCode, signal);
      });
    });
  });
}
