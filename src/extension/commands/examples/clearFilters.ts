import type { Container } from '../../container';

export async function clearFilters(container: Container): Promise<void> {
  await container.filters.clear();
}
