import type { Container } from '../../container';
import { taskIdOf } from './taskArg';

export function retryTask(container: Container, arg: unknown): string | undefined {
  const id = taskIdOf(arg);
  return id ? container.tasks.retry(id)?.id : undefined;
}
