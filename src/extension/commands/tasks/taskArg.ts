import type { TaskNode } from '../../tasks/tasksTree';

/** A task id from a command argument: a Tasks view node or the id itself. */
export function taskIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const node = arg as TaskNode | undefined;
  return node?.kind === 'task' ? node.task.id : undefined;
}
