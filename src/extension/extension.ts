import type * as vscode from 'vscode';
import { Container } from './container';
import { DashboardPanel } from './dashboard/dashboardPanel';

let container: Container | undefined;

/** Exposed for the integration tests: the running services. */
export interface LearningViewerApi {
  container: Container;
  activatedInMs: number;
  /** The open panel, if any. */
  readonly dashboard: DashboardPanel | undefined;
}

export function activate(context: vscode.ExtensionContext): LearningViewerApi {
  const started = performance.now();
  container = new Container(context);
  context.subscriptions.push(container);
  const activatedInMs = performance.now() - started;
  container.log.info(`activated in ${activatedInMs.toFixed(1)} ms`);
  return {
    container,
    activatedInMs,
    get dashboard() {
      return DashboardPanel.current;
    },
  };
}

export async function deactivate(): Promise<void> {
  // End running learning tasks (no process outlives the extension), then let the
  // worker write its last snapshot and release the lock.
  await container?.shutdown();
  container = undefined;
}
