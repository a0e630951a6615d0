import * as vscode from 'vscode';
import type { Container } from '../container';
import type { DashboardState, HostToWebview } from '../../shared/dashboardProtocol';
import { hostToWebviewSchema, webviewToHostSchema } from '../../shared/dashboardProtocol';
import { dashboardHtml } from './dashboardHtml';

export const DASHBOARD_VIEW_TYPE = 'learningViewer.dashboard';

/** The single Learning Viewer panel: created or revealed, restored after reload. */
export class DashboardPanel implements vscode.Disposable {
  static current: DashboardPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;

  static createOrShow(container: Container): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Learning Viewer', vscode.ViewColumn.Active, webviewOptions(container));
    return new DashboardPanel(panel, container);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly container: Container,
  ) {
    DashboardPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(container.context.extensionUri, 'media', 'icon.png');
    panel.webview.options = webviewOptions(container);
    panel.webview.html = dashboardHtml(panel.webview, container.context.extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      container.onDidChangeData(() => void this.pushState()),
    );
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = webviewToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.container.log.warn(`dashboard: dropped an invalid message from the panel: ${parsed.error.issues[0]?.message ?? ''}`);
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        await this.pushState();
        return;
      case 'runCommand':
        await vscode.commands.executeCommand(msg.command);
        return;
    }
  }

  async buildState(): Promise<DashboardState> {
    const [health, summary] = await Promise.all([this.container.data.request('health', {}), this.container.data.request('summary', {})]);
    return { health, overall: summary.rate, trusted: vscode.workspace.isTrusted };
  }

  private async pushState(): Promise<void> {
    if (!this.ready) return;
    try {
      const state = await this.buildState();
      const message: HostToWebview = { type: 'didChangeState', state };
      // Validate what we send too: the panel must never receive a shape it does not know.
      await this.panel.webview.postMessage(hostToWebviewSchema.parse(message));
    } catch (e) {
      this.container.log.error(`dashboard: could not send the state: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function webviewOptions(container: Container): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  const root = container.context.extensionUri;
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
  };
}

export function registerDashboardSerializer(container: Container): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
      DashboardPanel.current?.dispose();
      new DashboardPanel(panel, container);
    },
  });
}
