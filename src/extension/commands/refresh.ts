import type { Container } from '../container';

/** Re-reads the followed logs and redraws every view. */
export async function refresh(container: Container): Promise<void> {
  await container.follower.rescan();
  container.notifyChanged();
}
