import * as vscode from 'vscode';
import { NO_TOKENS } from '../../shared/figures';
import type { Container } from '../container';
import type { DashboardState, HostToWebview, PanelRequestMethod } from '../../shared/dashboardProtocol';
import { answerPanelRequest, InvalidRequest, panelRoutes, type PanelRoutes } from './panelHandlers';
import { hostToWebviewSchema, webviewToHostSchema } from '../../shared/dashboardProtocol';
import { openExampleCode, openExampleSource } from '../examples/openExampleCode';
import { dashboardHtml } from './dashboardHtml';
import { capForPanel } from '../../shared/panelLists';
import { unavailableHealth } from '../../shared/example';

export const DASHBOARD_VIEW_TYPE = 'learningViewer.dashboard';
/** Bursts of changes (a followed file growing line by line) become one refresh. */
const REFRESH_DEBOUNCE_MS = 150;

/** The single Learning Viewer panel: created or revealed, restored after reload. */
export class DashboardPanel implements vscode.Disposable {
  static current: DashboardPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private version = 0;
  private timer: NodeJS.Timeout | undefined;
  /** An example to show once the panel is ready. */
  private pendingExample: string | undefined;
  /** Milliseconds from creation to the webview's ready, and to the first figures sent (logged; read by tests). */
  readonly timings: { createdAt: number; readyMs?: number; firstStateMs?: number } = { createdAt: performance.now() };
  private readonly routes: PanelRoutes;

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
    this.routes = panelRoutes({ data: container.data, filters: () => container.filters.filters, taskEvents: (id) => container.tasks.events(id), user: () => container.user });
    panel.iconPath = vscode.Uri.joinPath(container.context.extensionUri, 'media', 'icon.png');
    panel.webview.options = webviewOptions(container);
    panel.webview.html = dashboardHtml(panel.webview, container.context.extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      container.onDidChangeData(() => this.scheduleRefresh()),
      container.filters.onDidChange(() => this.scheduleRefresh(0)),
      container.savedViews.onDidChange(() => this.scheduleRefresh(0)),
      container.tasks.onDidChange(() => this.scheduleTasks()),
      container.tasks.onDidAppendEvents((e) => {
        if (this.ready) void this.post({ type: 'taskEvents', taskId: e.taskId, events: e.events.slice(-5000) }).catch((err: Error) => this.container.log.warn(`dashboard: a task's log events were not sent: ${err.message}`));
      }),
    );
  }

  private tasksTimer: NodeJS.Timeout | undefined;

  /** Task progress can tick many times a second: the panel hears of it at most every 100 ms. */
  private scheduleTasks(): void {
    this.tasksTimer ??= setTimeout(() => {
      this.tasksTimer = undefined;
      void this.pushTasks();
    }, 100);
  }

  private async pushTasks(): Promise<void> {
    if (!this.ready) return;
    const tasks = this.container.tasks.queue.list().sort((a, b) => a.createdAt - b.createdAt).slice(-1000);
    await this.post({ type: 'didChangeTasks', tasks, external: this.container.tasks.externalStatus() }).catch((e: Error) =>
      this.container.log.error(`dashboard: could not send the tasks: ${e.message}`),
    );
  }

  /** Shows a task's log on the Learning tab. */
  async showTask(id: string): Promise<void> {
    this.panel.reveal();
    if (this.ready) await this.post({ type: 'showTask', id });
    else this.pendingTask = id;
  }

  private pendingTask: string | undefined;

  /** Shows an example's details (from the tree), opening the panel if needed. */
  /** Reveals the panel on its Overview (an alert's Open in Dashboard). */
  async showOverview(): Promise<void> {
    this.panel.reveal();
    if (this.ready) await this.post({ type: 'showOverview' });
    else this.pendingOverview = true;
  }

  private pendingOverview = false;

  async showExample(id: string): Promise<void> {
    this.panel.reveal();
    if (this.ready) await this.post({ type: 'showExample', id });
    else this.pendingExample = id;
  }

  /** The number of the last setFilters from the panel applied, echoed in every state. */
  private appliedFilterSeq = 0;

  private async post(message: HostToWebview): Promise<void> {
    // Validate what we send too: the panel must never receive a shape it does not know.
    await this.panel.webview.postMessage(hostToWebviewSchema.parse(message));
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
        // A new page (the panel reloaded): its numbers start again.
        this.appliedFilterSeq = 0;
        this.timings.readyMs ??= performance.now() - this.timings.createdAt;
        await this.pushState();
        await this.pushTasks();
        if (this.pendingExample) await this.post({ type: 'showExample', id: this.pendingExample });
        if (this.pendingTask) await this.post({ type: 'showTask', id: this.pendingTask });
        if (this.pendingOverview) await this.post({ type: 'showOverview' });
        this.pendingOverview = false;
        this.pendingExample = undefined;
        this.pendingTask = undefined;
        return;
      case 'refresh':
        await this.pushState();
        return;
      case 'applyView':
        await vscode.commands.executeCommand('learningViewer.applySavedView', msg.name);
        return;
      case 'setFilters':
        // Read with the filters by the next state built: the panel's edit waits for this number.
        this.appliedFilterSeq = msg.seq;
        await this.container.filters.set(msg.filters);
        return;
      case 'runCommand':
        await vscode.commands.executeCommand(msg.command);
        return;
      case 'startTask':
        await vscode.commands.executeCommand('learningViewer.startLearningTask', { technology: msg.technology, depth: msg.depth, priority: msg.priority, learner: msg.learner });
        return;
      case 'cancelTask':
        this.container.tasks.cancel(msg.id);
        return;
      case 'retryTask':
        this.container.tasks.retry(msg.id);
        return;
      case 'openCommit':
        await vscode.commands.executeCommand('learningViewer.openCommit', msg.id);
        return;
      case 'openCode':
        await openExampleCode(this.container, msg.id, vscode.ViewColumn.Beside);
        return;
      case 'openSource':
        await openExampleSource(this.container, msg.id);
        return;
      case 'request':
        await this.answer(msg.id, msg.method, msg.params);
        return;
    }
  }

  /** Answers a request through the typed route table; bad parameters are refused with the reason. */
  private async answer(id: number, method: PanelRequestMethod, raw: unknown): Promise<void> {
    try {
      await this.post({ type: 'response', id, ok: true, result: await answerPanelRequest(this.routes, method, raw) });
    } catch (e) {
      if (e instanceof InvalidRequest) this.container.log.warn(`dashboard: ${e.message}`);
      await this.post({ type: 'response', id, ok: false, error: (e as Error).message });
    }
  }

  private scheduleRefresh(delay = REFRESH_DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pushState(), delay);
  }

  /** The last state whose figures were all read, kept for a team database that goes out of reach. */
  private lastGood: DashboardState | undefined;

  async buildState(version: number): Promise<DashboardState> {
    const filters = this.container.filters.filters;
    const filtersSeq = this.appliedFilterSeq;
    const saved = await this.container.savedViews.read();
    const base = { version, filters, filtersSeq, trusted: vscode.workspace.isTrusted, savedViews: saved.views.map((v) => v.name), savedViewsProblem: saved.problem };
    try {
      const now = await this.container.data.request('health', {});
      // A team database out of reach: the last figures of it, under a banner saying since when (stale).
      const last = this.lastGood;
      if (now.connection && now.connection.state !== 'connected' && last && last.health.place.name === now.place.name) return { ...last, ...base, health: now };
      const [health, summary, breakdowns, alerts, git] = await Promise.all([
        now,
        this.container.data.request('summary', { filters }),
        this.container.data.request('breakdowns', { filters }),
        this.container.data.request('alerts', { limit: 20 }),
        this.container.data.request('gitRates', { filters }),
      ]);
      const state = { ...base, health, summary, ...capForPanel(breakdowns), alerts, git: git.overall.examples > 0 ? git : null, error: null };
      this.lastGood = state;
      return state;
    } catch (e) {
      const health = await this.container.data.request('health', {}).catch(() => unavailableHealth('The data worker is not answering.'));
      const empty = { total: 0, successes: 0, unknown: 0, rate: null, interval: null };
      return {
        ...base,
        health,
        summary: { rate: empty, avgExecutionTime: null, tokens: NO_TOKENS, previous: null, activity: null },
        ...capForPanel({ byTag: [], byModel: [], daily: [] }),
        alerts: { active: [], history: [], muted: [], lastCheck: null },
        git: null,
        error: `The figures could not be computed: ${(e as Error).message}`,
      };
    }
  }

  private async pushState(): Promise<void> {
    if (!this.ready) return;
    const version = ++this.version;
    const state = await this.buildState(version);
    // A newer refresh started while this one ran: it will send its own.
    if (version !== this.version) return;
    try {
      await this.post({ type: 'didChangeState', state });
      if (this.timings.firstStateMs === undefined) {
        this.timings.firstStateMs = performance.now() - this.timings.createdAt;
        this.container.log.info(`panel: webview ready after ${this.timings.readyMs?.toFixed(0)} ms, first figures sent after ${this.timings.firstStateMs.toFixed(0)} ms`);
      }
    } catch (e) {
      this.container.log.error(`dashboard: could not send the state: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    clearTimeout(this.timer);
    clearTimeout(this.tasksTimer);
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
