import type { Container } from '../../container';
import { DashboardPanel } from '../../dashboard/dashboardPanel';
import { exampleId } from './commandArgs';

/** Shows one example's details in the panel. */
export async function showExample(container: Container, ...args: unknown[]): Promise<void> {
  const id = exampleId(args[0]);
  if (!id) return;
  await DashboardPanel.createOrShow(container).showExample(id);
}
