import type { Container } from '../container';
import { DashboardPanel } from '../dashboard/dashboardPanel';

export function openDashboard(container: Container): void {
  DashboardPanel.createOrShow(container);
}
