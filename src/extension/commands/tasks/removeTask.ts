import type { Container } from '../../container';
import { taskIdOf } from './taskArg';

export async function removeTask(container: Container, arg: unknown): Promise<void> {
  const id = taskIdOf(arg);
  if (id) await container.tasks.forget(id);
}
