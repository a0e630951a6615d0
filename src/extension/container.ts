import * as vscode from 'vscode';
import { ExampleCodeDocuments } from './examples/exampleCodeDocuments';
import { showInfo, showWarning, showError } from './notify';
import { join } from 'node:path';
import { DataClient } from './dataClient';
import { DashboardPanel, registerDashboardSerializer } from './dashboard/dashboardPanel';
import { ExamplesTree } from './examples/examplesTree';
import { HealthStatusBar } from './statusBar/healthStatusBar';
import { LogFollower } from './follow/logFollower';
import { AgentSessionFollower } from './follow/agentSessionFollower';
import { readSettings } from './settings';
import { registerCommands } from './commands/registerCommands';
import { FilterState } from './filters/filterState';
import { registerExampleDocuments } from './examples/exampleDocuments';
import { SavedViewsStore } from './views/savedViewsStore';
import { TaskService } from './tasks/taskService';
import { TasksTree } from './tasks/tasksTree';
import { ApiServerControl } from './api/apiServerControl';
import { AlertControl } from './alerts/alertControl';
import { GitControl } from './git/gitControl';
import { setDateLocale } from '../shared/dates';
import type { WorkerInit } from '../shared/workerProtocol';
import type { Health } from '../shared/example';
import { teamDatabaseChoice, userName } from './team/teamDatabase';
import { gitUserName } from './team/gitUser';

/** Which data an init opens, to know whether the settings now name other data (another URL, another password). */
function openedKey(init: WorkerInit): string | null {
  return init.database ? `${init.database.url}\n${init.database.password ?? ''}` : null;
}

/**
 * Creates the services once and disposes them in reverse order through one
 * `context.subscriptions` entry.
 */
export class Container implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly data: DataClient;
  readonly dataDir: string;
  readonly tree: ExamplesTree;
  readonly statusBar: HealthStatusBar;
  readonly follower: LogFollower;
  readonly agentFollower: AgentSessionFollower;
  readonly filters: FilterState;
  readonly savedViews: SavedViewsStore;
  readonly tasks: TaskService;
  readonly tasksTree: TasksTree;
  readonly api: ApiServerControl;
  readonly alerts: AlertControl;
  readonly git: GitControl;
  readonly codeDocuments: ExampleCodeDocuments;
  /** Imports under way (the command and the follower), for the status bar's spinner. */
  private importsRunning = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the stored examples or the store's state changed. */
  readonly onDidChangeData = this.changeEmitter.event;

  constructor(readonly context: vscode.ExtensionContext) {
    // Dates in the tree, the status bar and messages in VS Code's display language, as in the panel.
    setDateLocale(vscode.env.language);
    this.log = vscode.window.createOutputChannel('Learning Viewer', { log: true });
    const storage = context.storageUri ?? context.globalStorageUri;
    this.dataDir = join(storage.fsPath, 'data');
    this.data = new DataClient(
      join(context.extensionPath, 'dist', 'worker.js'),
      this.workerInit().then((init) => {
        this.opened = openedKey(init);
        return init;
      }),
    );
    this.data.on('log', (level, message) => this.log[level](message));
    // Anyone on the team database started, changed or forgot a task: the Tasks view shows theirs too.
    this.data.on('tasksChanged', () => void this.tasks.refreshElsewhere());
    // The team database is back: the followed logs go on from their committed offsets.
    this.data.on('reconnected', () => void this.follower.rescan());
    this.data.on('changed', () => this.changeEmitter.fire());
    this.data.on('saveFailed', (message) => {
      this.log.error(message);
      void showError(`Learning Viewer: ${message}`);
    });
    void this.data.opened.then((health) => {
      this.log.info(`learning data at ${health.place.engine === 'postgresql' ? `the team database ${health.place.name}` : this.dataDir}: ${health.state}, ${health.examples} examples`);
      if (health.recoveredFrom) {
        // The old file is kept; offer to rebuild from the logs.
        void showError(`Learning Viewer: ${health.reason ?? ''}`, 'Import KIMI Logs…', 'Refresh Followed Logs').then((choice) => {
          if (choice === 'Import KIMI Logs…') void vscode.commands.executeCommand('learningViewer.importLogs');
          if (choice === 'Refresh Followed Logs') void vscode.commands.executeCommand('learningViewer.refresh');
        });
      } else if (health.reason) void showWarning(`Learning Viewer: ${health.reason}`);
      this.changeEmitter.fire();
    });

    // Another team database (or none), or a workspace now trusted with its own: the views switch to it.
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('learningViewer.database.url')) void this.switchData();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.switchData()),
    );
    // A new retention period applies at once (after a backup), with progress; then daily in the worker.
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('learningViewer.retention.days')) return;
        const days = readSettings().retentionDays;
        void vscode.window
          .withProgress({ location: vscode.ProgressLocation.Notification, title: 'Learning Viewer: applying the retention period…' }, () => this.data.request('prune', { days }, 0))
          .then(
            (r) => {
              if (r.removed > 0) void showInfo(vscode.l10n.t('Learning Viewer: removed {0} examples older than {1} days (a backup was made first); their per-day figures stay.', r.removed.toLocaleString(), days));
            },
            (err: Error) => void showError(vscode.l10n.t('Learning Viewer: retention could not remove old examples: {0}', err.message)),
          );
      }),
    );
    this.filters = new FilterState(context.workspaceState);
    this.savedViews = new SavedViewsStore();
    this.tree = new ExamplesTree(this);
    this.statusBar = new HealthStatusBar(this);
    this.follower = new LogFollower(this);
    this.agentFollower = new AgentSessionFollower(this);
    this.tasks = new TaskService(this);
    this.tasksTree = new TasksTree(this.tasks);
    this.api = new ApiServerControl(this);
    this.alerts = new AlertControl(this);
    this.git = new GitControl(this);
    this.codeDocuments = new ExampleCodeDocuments(this.data);
    this.disposables.push(
      this.codeDocuments,
      this.log,
      this.changeEmitter,
      this.filters,
      this.savedViews,
      this.tree,
      this.statusBar,
      this.follower,
      this.agentFollower,
      this.tasks,
      this.tasksTree,
      this.api,
      this.alerts,
      this.git,
      registerDashboardSerializer(this),
      registerExampleDocuments(this),
      ...registerCommands(this),
      { dispose: () => DashboardPanel.current?.dispose() },
    );
  }

  /** The data worker's settings: this workspace's store, or the team database the settings and the secret name. */
  private async workerInit(): Promise<WorkerInit> {
    const settings = readSettings();
    this.user = userName(await gitUserName(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath));
    const choice = await teamDatabaseChoice(this.context, this.user);
    this.database = choice.database?.url ?? null;
    void vscode.commands.executeCommand('setContext', 'learningViewer.teamDatabase', this.database !== null);
    if (choice.note) {
      this.log.warn(choice.note);
      void showWarning(`Learning Viewer: ${choice.note}`);
    }
    return {
      dataDir: this.dataDir,
      wasmPath: join(this.context.extensionPath, 'dist', 'sql-wasm.wasm'),
      assumeTimeZone: settings.assumeTimeZone,
      maxLinesPerFile: settings.maxLinesPerFile,
      maxBytesPerFile: settings.maxMegabytesPerFile * 1024 * 1024,
      version: String((this.context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0'),
      autoBackup: settings.backupEnabled,
      retentionDays: settings.retentionDays,
      backupFolder: settings.backupFolder || undefined,
      backupRotation: { keepDaily: settings.backupKeepDaily, keepWeekly: settings.backupKeepWeekly, keepOther: 5 },
      database: choice.database ?? undefined,
    };
  }

  /** Who this person is on a team database (learningViewer.user, git's user.name or the login name). */
  user = userName(null);
  /** The team database's URL (no password) the views show, null for this workspace's store. */
  database: string | null = null;
  private switching: Promise<Health | null> = Promise.resolve(null);

  /**
   * Opens the data the settings now name, when it is not what is open: learning tasks running here are
   * stopped (stored as interrupted where they ran), the worker reopens on the other data, then every
   * view re-reads, the followed logs are read into it, and the tasks, the API server and the alerts follow.
   */
  switchData(): Promise<Health | null> {
    this.switching = this.switching.then(async () => {
      const init = await this.workerInit();
      const next = openedKey(init);
      if (next === this.opened) return null;
      const apiWasRunning = this.api.status !== null;
      await this.tasks.shutdown().catch((e: Error) => this.log.error(`stopping learning tasks: ${e.message}`));
      const health = await this.data.switchTo(init);
      this.opened = next;
      this.log.info(`switched to ${init.database ? `the team database ${health.place.name}` : "this workspace's database"}: ${health.state}, ${health.examples} examples${health.reason ? ` (${health.reason})` : ''}`);
      await this.tasks.reload();
      this.changeEmitter.fire();
      void this.follower.start();
      if (apiWasRunning) void this.api.start('the switch of database').catch(() => undefined);
      this.alerts.configure();
      return health;
    });
    return this.switching;
  }
  /** What is open now: the team database and its password (in memory only, as the worker's), or null for this workspace's store. */
  private opened: string | null = null;

  /** True while an import (command or follower) runs. */
  get importing(): boolean {
    return this.importsRunning > 0;
  }

  /** Runs an import, marking it as under way for the views. */
  async trackImport<T>(run: () => Promise<T>): Promise<T> {
    this.importsRunning++;
    this.changeEmitter.fire();
    try {
      return await run();
    } finally {
      this.importsRunning--;
      this.changeEmitter.fire();
    }
  }

  /** Opens the panel's Learning tab on a task. */
  async showTaskInPanel(id: string): Promise<void> {
    await DashboardPanel.current?.showTask(id);
  }

  /** Stops running learning tasks (their processes end, they are stored as interrupted), then closes the data worker. */
  async shutdown(): Promise<void> {
    await this.tasks.shutdown().catch((e: Error) => this.log.error(`stopping learning tasks: ${e.message}`));
    await this.data.dispose();
  }

  /** Tells every view to redraw from the store. */
  notifyChanged(): void {
    this.changeEmitter.fire();
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
    void this.data.dispose();
  }
}
