import * as vscode from 'vscode';
import type { Container } from '../container';
import { readSettings } from '../settings';

/** The status-bar glance: success rate, coloured by the thresholds in the settings. */
export class HealthStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

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

  async update(): Promise<void> {
    const settings = readSettings();
    if (!settings.statusBarEnabled) {
      this.item.hide();
      return;
    }
    try {
      const [summary, health] = await Promise.all([this.container.data.request('summary', {}), this.container.data.request('health', {})]);
      const { rate } = summary;
      const tooltip = new vscode.MarkdownString('', true);
      tooltip.appendMarkdown('**Learning Viewer**\n\n');
      if (rate.total === 0 || rate.rate === null) {
        this.item.text = '$(circle-slash) no data';
        this.item.backgroundColor = undefined;
        tooltip.appendMarkdown('No learning examples stored yet. Click to open the dashboard.');
      } else {
        const pct = (rate.rate * 100).toFixed(1);
        this.item.text = `$(pass) ${pct}%`;
        this.item.backgroundColor =
          rate.rate < settings.errorBelow
            ? new vscode.ThemeColor('statusBarItem.errorBackground')
            : rate.rate < settings.warningBelow
              ? new vscode.ThemeColor('statusBarItem.warningBackground')
              : undefined;
        const [lo, hi] = rate.interval ?? [0, 0];
        tooltip.appendMarkdown(`${rate.successes.toLocaleString()} of ${rate.total.toLocaleString()} examples succeeded (${pct}%, 95% interval ${(lo * 100).toFixed(1)}–${(hi * 100).toFixed(1)}%).\n\n`);
      }
      tooltip.appendMarkdown(`Database: ${health.state}${health.lastImport ? ` · last import ${new Date(health.lastImport).toLocaleString()}` : ''}`);
      this.item.tooltip = tooltip;
      this.item.show();
    } catch (e) {
      this.item.text = '$(warning) Learning Viewer';
      this.item.tooltip = `The learning data could not be read: ${(e as Error).message}`;
      this.item.show();
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
