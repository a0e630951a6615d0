import type { Container } from '../../container';
import { openExampleCode } from '../../examples/openExampleCode';
import { exampleId } from './commandArgs';

export async function openCodeContext(container: Container, ...args: unknown[]): Promise<void> {
  const id = exampleId(args[0]);
  if (id) await openExampleCode(container, id);
}
