import type { Container } from '../../container';
import { chooseWorkspaceDatabase } from '../../team/teamDatabase';
import { showInfo } from '../../notify';

/** Use This Workspace's Database: leaves the team database (for this person, in this workspace) and shows this workspace's own. */
export async function useWorkspaceDatabase(c: Container): Promise<void> {
  await chooseWorkspaceDatabase(c.context);
  const health = await c.switchData();
  if (health) void showInfo(`Learning Viewer: showing this workspace's database (${health.examples.toLocaleString()} examples). Connect to Team Database… goes back.`);
}
