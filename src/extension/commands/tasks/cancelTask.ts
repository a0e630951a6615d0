import type { Container } from '../../container';
import { taskIdOf } from './taskArg';

export function cancelTask(container: Container, arg: unknown): boolean {
  const id = taskIdOf(arg);
  return id ? container.tasks.cancel(id) : false;
}
