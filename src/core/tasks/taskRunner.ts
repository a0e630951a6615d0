// How a queued task runs: the built-in learner in the data worker, or the
// external learner as a process, its examples stored through the worker (in
// the extension) or straight into the store (in `serve`).
import type { TaskOutcome, TaskRunContext, TaskRunner } from './taskQueue';
import { runExternalLearner } from './externalLearner';
import { knowledgeSummary } from './builtinLearner';
import type { Task } from '../../shared/tasks';
import type { WorkerParams, WorkerResult, WorkerToHost } from '../../shared/workerProtocol';

type RunnerMethod = 'learn' | 'addLearnerExamples' | 'cancel';
type ProgressMessage = Extract<WorkerToHost, { kind: 'taskProgress' }>;

/** What a task needs of the data side: the data worker's client in the extension, the store itself in `serve`. */
export interface RunnerData {
  request<M extends RunnerMethod>(method: M, params: WorkerParams<M>, timeoutMs?: number): Promise<WorkerResult<M>>;
  on(event: 'taskProgress', listener: (m: ProgressMessage) => void): unknown;
  off(event: 'taskProgress', listener: (m: ProgressMessage) => void): unknown;
}

export type LearnerConfig = { command: string[]; cwd: string; env?: Record<string, string> } | { refused: string };

export interface RunnerDeps {
  data: RunnerData;
  /** Read when an external task starts: the command, or why it may not run. */
  externalLearner(): LearnerConfig;
  graceMs?: number;
  logLinesPerSecond?: number;
}

/** Calls `fn` at most every `ms`, always with the latest value, and once more at the end. */
function throttled<T extends unknown[]>(ms: number, fn: (...args: T) => void): { call: (...args: T) => void; flush: () => void } {
  let last = 0;
  let pending: T | null = null;
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    if (!pending) return;
    const args = pending;
    pending = null;
    last = Date.now();
    fn(...args);
  };
  return {
    call: (...args: T) => {
      pending = args;
      if (timer) return;
      const wait = ms - (Date.now() - last);
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    flush: () => {
      clearTimeout(timer);
      run();
    },
  };
}

function lastLines(text: string, n = 5): string {
  return text.split('\n').slice(-n).join('\n');
}

async function builtin(deps: RunnerDeps, task: Task, ctx: TaskRunContext): Promise<TaskOutcome> {
  const onProgress = (m: { taskId: string; progress: number; message: string }) => {
    if (m.taskId === task.id) ctx.progress(m.progress, m.message);
  };
  const onAbort = () => void deps.data.request('cancel', { operationId: task.id }).catch(() => undefined);
  deps.data.on('taskProgress', onProgress);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const entry = await deps.data.request('learn', { taskId: task.id, technology: task.technology, depth: task.depth }, 0);
    return {
      proficiency: entry.proficiency.rate,
      summary: knowledgeSummary(entry),
      knowledgeId: entry.id,
      examplesAdded: 0,
    };
  } finally {
    deps.data.off('taskProgress', onProgress);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

async function external(deps: RunnerDeps, task: Task, ctx: TaskRunContext): Promise<TaskOutcome> {
  const config = deps.externalLearner();
  if ('refused' in config) throw new Error(config.refused);
  let batch: unknown[] = [];
  let added = 0;
  let storing: Promise<void> = Promise.resolve();
  const store = () => {
    if (batch.length === 0) return storing;
    const records = batch;
    batch = [];
    storing = storing.then(async () => {
      const r = await deps.data.request('addLearnerExamples', { taskId: task.id, records });
      added += r.added;
      if (r.added) ctx.log('example', `${r.added} ${r.added === 1 ? 'example' : 'examples'} stored${r.alreadyPresent ? `, ${r.alreadyPresent} already present` : ''}`);
      for (const reason of r.rejected.slice(0, 20)) ctx.log('log', `example rejected: ${reason}`);
      if (r.rejected.length > 20) ctx.log('log', `… and ${r.rejected.length - 20} more examples rejected`);
    });
    return storing;
  };
  const progress = throttled(100, (p: number, m: string) => ctx.progress(p, m));
  const timer = setInterval(() => void store().catch(() => undefined), 250);
  let result;
  try {
    result = await runExternalLearner({
      command: config.command,
      cwd: config.cwd,
      env: config.env,
      values: { technology: task.technology, depth: task.depth, priority: task.priority, taskId: task.id },
      signal: ctx.signal,
      graceMs: deps.graceMs,
      logLinesPerSecond: deps.logLinesPerSecond,
      onProgress: (p, m) => progress.call(p, m),
      onExample: (record) => {
        batch.push(record);
        if (batch.length >= 500) void store().catch(() => undefined);
      },
      onLog: (kind, text) => ctx.log('log', kind === 'invalid' ? `ignored: ${text}` : text),
    });
  } finally {
    clearInterval(timer);
    progress.flush();
    await store();
  }
  if (ctx.signal.aborted) throw new Error('cancelled');
  if (result.exitCode !== 0) {
    const how = result.signal ? `was ended by ${result.signal}` : `exited with code ${result.exitCode}`;
    throw new Error(`The learner ${how}${result.stderrTail ? `: ${lastLines(result.stderrTail)}` : ''}`);
  }
  const entry = await deps.data.request(
    'learn',
    { taskId: task.id, technology: task.technology, depth: task.depth, external: result.result ?? { proficiency: null, summary: '' } },
    0,
  );
  return {
    proficiency: result.result?.proficiency ?? entry.proficiency.rate,
    summary: result.result?.summary || `The learner finished; ${added} ${added === 1 ? 'example' : 'examples'} stored.`,
    knowledgeId: entry.id,
    examplesAdded: added,
  };
}

export function createTaskRunner(deps: RunnerDeps): TaskRunner {
  return (task, ctx) => (task.learner === 'builtin' ? builtin(deps, task, ctx) : external(deps, task, ctx));
}
