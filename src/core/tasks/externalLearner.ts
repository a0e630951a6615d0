// Runs an external learner: a program from the settings, without a shell, in
// its own process group so that cancelling ends the whole tree. Its output is
// bounded: a learner that floods stdout costs a counter, not the host.
import { spawn, spawnSync } from 'node:child_process';
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

    const stop = () => {
      if (exited || child.pid === undefined) return;
      killTree(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killTree(child.pid!, 'SIGKILL'), graceMs);
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
      options.signal.removeEventListener('abort', stop);
      reject(new Error(`could not start the learner ${JSON.stringify(program)}: ${e.message}`));
    });
    child.on('exit', () => {
      exited = true;
      // Whatever the learner left behind in its group goes with it: no orphans.
      if (child.pid !== undefined) killTree(child.pid, 'SIGKILL');
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', stop);
      lines.end();
      if (cutLines > 0) {
        options.onLog('log', `Output was cut: ${cutLines.toLocaleString('en-US')} lines (${(cutBytes / 1048576).toFixed(1)} MB) not shown. The last ${tail.length} lines:`);
        for (const line of tail) options.onLog('log', line);
      }
      resolve({ exitCode, signal, result, stderrTail: stderr.trim(), cutLines, cutBytes });
    });
  });
}
