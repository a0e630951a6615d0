import * as vscode from 'vscode';
import type { Container } from '../container';
import { readSettings } from '../settings';
import { statusView } from './statusView';
import type { Summary } from '../../shared/workerProtocol';
import { filtersSchema, lastDaysSince } from '../../shared/filters';

/** The status-bar glance: recent success rate and its direction, coloured by the thresholds in the settings. */
export class HealthStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: Promise<void> | undefined;
  private again = false;
  /** The last figures read, and of which data, shown (stale) while a team database is out of reach. */
  private lastSummary: { place: string; summary: Summary } | undefined;

  constructor(private readonly container: Container) {
    this.item = vscode.window.createStatusBarItem('learningViewer.health', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Learning Viewer';
    this.item.command = 'learningViewer.openDashboard';
    this.item.text = '$(sync~spin) Learning Viewer';
    this.disposables.push(
      this.item,
      container.onDidChangeData(() => void this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('learningViewer.statusBar')) void this.update();
      }),
    );
    void this.update();
  }

  /** Recomputes; calls during an update coalesce into one more. */
  update(): Promise<void> {
    if (this.pending) {
      this.again = true;
      return this.pending;
    }
    this.pending = (async () => {
      do {
        this.again = false;
        await this.render();
      } while (this.again);
    })().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async render(): Promise<void> {
    const settings = readSettings();
    if (!settings.statusBarEnabled) {
      this.item.hide();
      return;
    }
    try {
      // Whole local days (today included, up to tomorrow's midnight): the rollups answer this at any size.
      const filters = filtersSchema.parse({ since: lastDaysSince(settings.statusBarWindowDays), until: lastDaysSince(0) });
      const health = await this.container.data.request('health', {});
      // A team database out of reach: the last figures, marked stale, rather than an error.
      const reachable = !health.connection || health.connection.state === 'connected';
      const last = this.lastSummary?.place === health.place.name ? this.lastSummary.summary : undefined;
      const summary = reachable || !last ? await this.container.data.request('summary', { filters }) : last;
      this.lastSummary = { place: health.place.name, summary };
      const view = statusView(summary, health, settings, this.container.importing, this.container.api.status);
      this.item.text = view.text;
      this.item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
      const tooltip = new vscode.MarkdownString(view.tooltip, true);
      // The one command its Retry link may run.
      tooltip.isTrusted = { enabledCommands: ['learningViewer.retryTeamDatabase'] };
      this.item.tooltip = tooltip;
      this.item.accessibilityInformation = { label: `Learning Viewer: ${view.text.replace(/\$\([^)]*\)\s*/g, '')}`, role: 'button' };
      this.item.show();
    } catch (e) {
      this.item.text = '$(warning) Learning Viewer';
      this.item.tooltip = `The learning data could not be read: ${(e as Error).message}`;
      this.item.backgroundColor = undefined;
      this.item.show();
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
