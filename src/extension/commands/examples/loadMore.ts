import type { Container } from '../../container';
import { type Node } from '../../examples/examplePages';

export async function loadMore(container: Container, ...args: unknown[]): Promise<void> {
  const node = args[0] as Node | undefined;
  if (node?.kind === 'more') await container.tree.loadMore(node);
}
