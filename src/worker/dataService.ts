// What the data worker does, built with what it needs (its settings, the way to
// tell the host, the parse worker's bundle), so that it runs and is tested
// in-process without a worker thread or a bundle. The worker file only passes
// messages to it. Its state (the store, the save scheduler, the API server,
// the operations a cancel can stop) lives in this closure, one per service.
import { countSelected, deleteMatching } from '../core/queries/deleteMatching';
import { join } from 'node:path';
import { importFiles } from '../core/ingest/importFiles';
import { summary } from '../core/queries/summary';
import { groupRows } from '../core/queries/treeGroups';
import { byModel, byTag, daily, distinctValues } from '../core/queries/breakdowns';
import { exportExamples } from '../core/export/exportExamples';
import { exampleById, examplesPage } from '../core/queries/examples';
import { exampleCommit, fileRates, gitRates, refreshGit } from '../core/git/gitLinks';
import { PatchIdCache } from '../core/git/gitJudge';
import { compareModels, predictionFor, storeAnalyticsReport } from '../core/queries/analyticsReport';
import { learnAndStore, storeLearnerRecords } from '../core/tasks/storeLearning';
import { CODE_FILE, LearningStore, readSnapshotAhead } from '../core/storage/learningStore';
import { CodeScanner } from './codeScanner';
import { EmbeddedEngine } from '../core/engine/embeddedEngine';
import { loadSqlJs } from '../core/storage/loadSqlJs';
import { unavailableHealth, type Health } from '../shared/example';
import type { WorkerParsedParams, WorkerToHost } from '../shared/workerProtocol';
import type { workerInitSchema } from '../shared/workerProtocol';
import { alertHandlers, answer, ApiSlot, checkedFilters, type Handlers } from './requestLoop';
import { createTeamDataService } from './teamDataService';
import type { z } from 'zod';
import { SaveScheduler } from './saveScheduler';
import { prune, retentionCutoff, type PruneReport } from '../core/storage/retention';
import { ApiServer } from '../http/apiServer';
import { createToken } from '../http/tokens';
import { AlertMonitor, storeAlertSource } from '../core/alerts/alertMonitor';
import { BACKUPS_FOLDER, createBackup, dailyBackupDue, installBackup, listBackups, rotateBackups, verifyBackup, type BackupInfo, type BackupKind } from '../core/storage/backups';
import { homedir } from 'node:os';
import { findSessions } from '../core/ingest/adapters/sessionFiles';
import { importSessions } from '../core/ingest/importSessions';


export interface DataServiceDeps {
  /** The settings the host sent (parsed: defaults filled in). */
  init: z.output<typeof workerInitSchema>;
  /** Tells the host: responses, progress, changes, log lines. */
  post(message: WorkerToHost): void;
  /** The parse worker's bundle (absent when run from sources: then parsing stays in this thread). */
  parseWorker?: string;
  /** The code search thread's bundle (absent: a text search runs on this thread alone). */
  scanWorker?: string;
}

export interface DataService {
  /** Answers one message from the host: validated, served, its response posted. */
  dispatch(message: unknown): Promise<void>;
}

/**
 * Opens the store of `init.dataDir` and starts the timers (snapshot, daily backup and retention, alerts);
 * with `init.database`, serves a team's PostgreSQL database instead (src/worker/teamDataService.ts).
 */
export function createDataService({ init, post, parseWorker, scanWorker }: DataServiceDeps): DataService {
  if (init.database) return createTeamDataService({ init: { ...init, database: init.database }, post, parseWorker });
  let lastImport: number | null = null;
  /** Every operation under way that a cancel can stop (imports, exports, deletes, learning tasks), by its id. */
  const cancellable = new Map<string, AbortController>();
  /** Patch ids of main's commits, read once for every later refresh of git's verdicts. */
  const patchIds = new PatchIdCache();
  const followed = new Set<string>();

  const sqlJs = loadSqlJs(init.wasmPath);
  /** The store every request is served from; replaced (after the old one is closed) by a restore. */
  let ready: Promise<LearningStore> = (async () => {
    // The snapshot is read and its CRC taken while sql.js compiles, each chunk's CRC while the next is read.
    // (A local: its bytes are not kept once the store is open.)
    const [SQL, snapshot] = await Promise.all([sqlJs, readSnapshotAhead(init.dataDir)]);
    const store = LearningStore.open({ SQL, dataDir: init.dataDir, snapshot });
    lastImport = store.lastIngest();
    return store;
  })();
  const backupFolder = init.backupFolder ?? join(init.dataDir, BACKUPS_FOLDER);
  let backupFailedSaid = false;

  /** Backs up the store, then lets the rotation drop what it no longer keeps. */
  async function backUp(store: LearningStore, kind: BackupKind): Promise<BackupInfo> {
    const made = await createBackup({ dataDir: init.dataDir, save: () => store.saveNow(), count: () => store.count() }, backupFolder, kind, new Date(Date.now()));
    const dropped = await rotateBackups(backupFolder, init.backupRotation);
    post({ kind: 'log', level: 'info', message: `backup (${kind}) of ${made.examples} examples written to ${made.path}${dropped.length ? `; ${dropped.length} older removed by the rotation` : ''}` });
    backupFailedSaid = false;
    return made;
  }

  let retentionDays = init.retentionDays;
  let pruning: Promise<PruneReport> | null = null;

  /** A prune, one at a time, preceded by a backup when it removes anything; the views hear of it. */
  function runPrune(store: LearningStore, cutoff: number): Promise<PruneReport> {
    pruning ??= (async () => {
      try {
        if (store.hasPrunable(cutoff) && init.autoBackup) await backUp(store, 'before-prune');
        const report = await prune(store, cutoff);
        if (report.removed > 0) {
          scheduler?.touch();
          // Many deleted, the search indexes are built again: now, in idle time.
          warmSearch(store);
          post({ kind: 'changed', examples: store.count() });
          post({ kind: 'log', level: 'info', message: `retention removed ${report.removed} examples dated before ${new Date(cutoff).toISOString()} in ${report.slices} slices (longest ${report.longestSliceMs.toFixed(0)} ms); their per-day figures stay` });
        }
        return report;
      } finally {
        pruning = null;
      }
    })();
    return pruning;
  }

  /** The daily retention, when a period is set. */
  async function dailyPrune(): Promise<void> {
    if (retentionDays <= 0) return;
    const store = await ready;
    if (store.readOnly || store.state !== 'ok') return;
    try {
      await runPrune(store, retentionCutoff(retentionDays, new Date(Date.now())));
    } catch (e) {
      post({ kind: 'log', level: 'error', message: `retention could not remove old examples: ${(e as Error).message}` });
    }
  }

  /** The automatic daily backup, when one is due; a failure is said once until one succeeds again. */
  async function dailyBackup(): Promise<void> {
    if (!init.autoBackup) return;
    const store = await ready;
    if (store.readOnly || store.state !== 'ok') return;
    try {
      if (dailyBackupDue(await listBackups(backupFolder), new Date(Date.now()))) await backUp(store, 'daily');
    } catch (e) {
      if (!backupFailedSaid) post({ kind: 'saveFailed', message: `The daily backup failed: ${(e as Error).message}` });
      backupFailedSaid = true;
    }
  }

  /** The alert rules, checked on a timer in this thread; a read-only store (another window writes) checks nothing. */
  const alerts = AlertMonitor.open(init.dataDir, () => ready.then(storeAlertSource), {
    log: (level, message) => post({ kind: 'log', level, message: `alerts: ${message}` }),
    onAlert: (event, alert) => post({ kind: 'alert', event, alert }),
  });

  let scheduler: SaveScheduler | undefined;
  const api = new ApiSlot();
  let apiStarted: WorkerParsedParams<'startApi'> | null = null;
  let changedTimer: NodeJS.Timeout | undefined;

  /** Examples arrive over HTTP hundreds a second: the views hear of it at most four times a second. */
  function changedSoon(store: LearningStore): void {
    if (changedTimer) return;
    changedTimer = setTimeout(() => {
      changedTimer = undefined;
      post({ kind: 'changed', examples: store.count() });
    }, 250);
  }

  let warming = false;
  /**
   * Builds the text-search indexes a slice per turn of the event loop (requests
   * are served between slices), so that the first search finds them ready
   * instead of reading every description then.
   */
  function warmSearch(store: LearningStore): void {
    if (warming) return;
    warming = true;
    const step = () => {
      let more = false;
      try {
        more = store.prepareSearch();
      } catch {
        // Nothing is lost: a search builds what it needs itself when asked, and reports its own errors.
      }
      if (more) setImmediate(step);
      else warming = false;
    };
    setImmediate(step);
  }
  void ready.then(warmSearch, () => undefined);
  let lastSave: { bytes: number; checkMs: number; exportMs: number; writeMs: number } | undefined;

  function health(store: LearningStore): Health {
    return {
      state: store.state,
      reason: store.reason,
      examples: store.count(),
      lastImport: lastImport === null ? null : new Date(lastImport).toISOString(),
      followedFiles: followed.size,
      recoveredFrom: store.recoveredFrom,
      prunedBefore: store.prunedBefore() === null ? null : new Date(store.prunedBefore()!).toISOString(),
      prunedExamples: store.prunedExamples(),
      place: { engine: 'embedded', name: 'This workspace' },
      connection: null,
    };
  }

  const checked = checkedFilters;

  const handlers: Handlers<LearningStore> = {
    health: (store) => health(store),
    summary: (store, p) => summary(store, checked(p.filters)),
    examplesPage: (store, p) => examplesPage(store, { ...p, filters: checked(p.filters) }),
    example: (store, p) => exampleById(store, p.id),
    breakdowns: (store, p) => {
      const filters = checked(p.filters);
      return { byTag: byTag(store, filters), byModel: byModel(store, filters), daily: daily(store, filters) };
    },
    distinct: (store, p) => distinctValues(store, p.field, p.prefix, p.limit),
    importFiles: async (store, params) => {
      const controller = new AbortController();
      cancellable.set(params.importId, controller);
      if (params.follow) for (const path of params.paths) followed.add(path);
      try {
        const report = await importFiles(store, params.paths, {
          assumeTimeZone: init.assumeTimeZone,
          now: Date.now(),
          maxLines: init.maxLinesPerFile,
          maxBytes: init.maxBytesPerFile,
          follow: params.follow,
          signal: controller.signal,
          parseWorker,
          onProgress: (p) => post({ kind: 'importProgress', importId: params.importId, ...p }),
          onGone: (path) => followed.delete(path), // A deleted followed file is dropped quietly.
          onAdded: () => {
            lastImport = Date.now();
            post({ kind: 'changed', examples: store.count() });
          },
        });
        // The unreadable files are among the problems: the extension reports them and goes on.
        return report;
      } finally {
        cancellable.delete(params.importId);
        if (store.isDirty) scheduler?.touch();
      }
    },
    findSessions: (_store, p) => findSessions(homedir(), process.env, p.agents),
    importSessions: async (store, params) => {
      const controller = new AbortController();
      cancellable.set(params.importId, controller);
      try {
        const report = await importSessions(store, params.sessions, {
          now: Date.now(),
          home: homedir(),
          successFromTests: params.successFromTests,
          maxPromptChars: params.maxPromptChars,
          signal: controller.signal,
          onProgress: (p) => post({ kind: 'importProgress', importId: params.importId, file: p.session, linesRead: p.done, bytesRead: p.done, totalBytes: p.total, added: p.added }),
        });
        if (report.added > 0) {
          lastImport = Date.now();
          warmSearch(store);
          post({ kind: 'changed', examples: store.count() });
        }
        return report;
      } finally {
        cancellable.delete(params.importId);
        if (store.isDirty) scheduler?.touch();
      }
    },
    setFeedback: (store, { id, feedback }) => {
      const found = store.setFeedback(id, feedback);
      warmSearch(store);
      if (found) {
        scheduler?.touch();
        post({ kind: 'changed', examples: store.count() });
      }
      return { found };
    },
    cancel: (_store, { operationId }) => {
      const controller = cancellable.get(operationId);
      controller?.abort();
      return { found: controller !== undefined };
    },
    groups: async (store, p) => {
      const filters = checked(p.filters);
      const all = await groupRows(store, p.field, filters, p.offset, p.limit + 1);
      return { groups: all.slice(0, p.limit), more: all.length > p.limit };
    },
    exportExamples: async (store, p) => {
      const controller = new AbortController();
      cancellable.set(p.operationId, controller);
      try {
        return await exportExamples(store, p.path, {
          format: p.format,
          filters: checked(p.filters),
          csvBom: p.csvBom,
          signal: controller.signal,
          onProgress: (written) => post({ kind: 'exportProgress', operationId: p.operationId, written }),
        });
      } finally {
        cancellable.delete(p.operationId);
      }
    },
    analytics: (store, p) => storeAnalyticsReport(store, checked(p.filters)),
    prediction: (store, p) => predictionFor(store, checked(p.filters), p.tag),
    compareModels: (store, p) => compareModels(store, checked(p.filters), p.a, p.b, p.tag),
    saveTask: (store, p) => {
      store.saveTask(p.task);
      scheduler?.touch();
      return {};
    },
    forgetTask: (store, p) => {
      store.forgetTask(p.id);
      scheduler?.touch();
      return {};
    },
    tasks: (store) => store.tasks(),
    // One person's database: no one else's tasks.
    teamTasks: () => [],
    appendTaskEvents: (store, p) => {
      if (store.readOnly) return { first: null };
      const first = store.appendTaskEvents(p.taskId, p.events);
      scheduler?.touch();
      return { first };
    },
    taskEvents: (store, p) => store.taskEvents(p.taskId, p.limit),
    knowledge: (store, p) => store.knowledge(p),
    learn: async (store, p) => {
      const controller = new AbortController();
      cancellable.set(p.taskId, controller);
      try {
        const entry = await learnAndStore(new EmbeddedEngine(store, init.dataDir), {
          ...p,
          signal: controller.signal,
          onProgress: (progress, message) => post({ kind: 'taskProgress', taskId: p.taskId, progress, message }),
        });
        scheduler?.touch();
        return entry;
      } finally {
        cancellable.delete(p.taskId);
      }
    },
    addLearnerExamples: async (store, p) => {
      const result = await storeLearnerRecords(new EmbeddedEngine(store, init.dataDir), p.taskId, p.records, init.assumeTimeZone);
      if (result.added > 0) {
        scheduler?.touch();
        post({ kind: 'changed', examples: store.count() });
      }
      return result;
    },
    save: async (store) => {
      const wasDirty = store.isDirty;
      await scheduler?.flush();
      return { saved: wasDirty, bytes: lastSave?.bytes ?? 0, checkMs: lastSave?.checkMs ?? 0, exportMs: lastSave?.exportMs ?? 0, writeMs: lastSave?.writeMs ?? 0 };
    },
    startApi: async (store, p) => {
      if (api.server) throw new Error(`the API server already listens on ${api.server.url}`);
      const server = (api.server = await ApiServer.start(
        store,
        init.dataDir,
        api.options(p, init, await alerts),
        {
          log: (level, message) => post({ kind: 'log', level, message: `API: ${message}` }),
          afterWrite: () => scheduler?.touch(),
          onExamples: () => {
            lastImport = Date.now();
            changedSoon(store);
          },
        },
      ));
      api.requireToken = p.requireToken;
      apiStarted = p;
      return { url: server.url, port: server.port };
    },
    stopApi: () => api.stop(),
    apiStatus: () => api.status(),
    createApiToken: async (_store, p) => {
      const { record, token } = await createToken(init.dataDir, p.role, p.name);
      return { token, id: record.id, name: record.name, role: record.role };
    },
    prune: async (store, p) => {
      if (p.days === 0) {
        if (!p.dryRun) retentionDays = 0;
        return { before: 0, examples: 0, first: null, last: null, codeBytes: 0, removed: 0, dryRun: p.dryRun, slices: 0, longestSliceMs: 0 };
      }
      const cutoff = retentionCutoff(p.days, new Date(Date.now()));
      if (p.dryRun) return prune(store, cutoff, { dryRun: true });
      retentionDays = p.days;
      const report = await runPrune(store, cutoff);
      return report;
    },
    countForDelete: (store, p) => ({ examples: countSelected(store, { filters: checked(p.filters), sourcePath: p.sourcePath }) }),
    deleteExamples: async (store, p) => {
      const result = await deleteMatching(store, { filters: checked(p.filters), sourcePath: p.sourcePath });
      if (result.deleted > 0) {
        scheduler?.touch();
        warmSearch(store);
        post({ kind: 'changed', examples: store.count() });
      }
      return result;
    },
    backupNow: async (store) => backUp(store, 'manual'),
    backups: async () => listBackups(backupFolder),
    restoreBackup: async (store, p) => {
      const chosen = (await listBackups(backupFolder)).find((b) => b.path === p.path);
      if (!chosen) throw new Error(`no backup at ${p.path}`);
      const SQL = await sqlJs;
      const problem = verifyBackup(SQL, chosen);
      if (problem) throw new Error(problem);
      // Requests that arrive meanwhile wait for the restored store.
      let reopened!: (s: LearningStore) => void;
      ready = new Promise((resolve) => (reopened = resolve));
      const apiWas = api.server ? apiStarted : null;
      try {
        await handlers.stopApi(store, {});
        for (const controller of cancellable.values()) controller.abort();
        await scheduler?.flush();
        const before = await backUp(store, 'before-restore');
        scheduler?.dispose();
        store.close();
        await installBackup(chosen, init.dataDir);
        post({ kind: 'log', level: 'info', message: `restored the backup of ${chosen.createdAt} (${chosen.examples} examples); the state before it is backed up in ${before.path}` });
      } finally {
        // Whatever happened, a store is opened from what is on disk now.
        const next = LearningStore.open({ SQL, dataDir: init.dataDir });
        lastImport = next.lastIngest();
        startScheduler(next);
        reopened(next);
        if (apiWas) await Promise.resolve(handlers.startApi(next, apiWas)).catch((e: Error) => post({ kind: 'log', level: 'error', message: `API: could not start again after the restore (${e.message})` }));
        post({ kind: 'changed', examples: next.count() });
      }
      return { examples: (await ready).count() };
    },
    refreshGit: async (store, p) => {
      const r = await refreshGit(store, p.dir, { mainRef: p.mainRef, patchIds });
      if (r.linked > 0 || r.judged > 0) {
        scheduler?.touch();
        post({ kind: 'changed', examples: store.count() });
      }
      return r;
    },
    exampleCommit: (store, p) => exampleCommit(store, p.id),
    gitRates: (store, p) => gitRates(store, checked(p.filters), Date.now()),
    fileRates: (store, p) => fileRates(store, p.path, Date.now()),
    ...alertHandlers(alerts),
    retryConnection: () => ({}),
    copyData: () => {
      throw new Error('Connect to a team database first (Learning Viewer: Connect to Team Database…): copying goes between this workspace\'s data and the team\'s.');
    },
    shutdown: async (store) => {
      (await alerts).dispose();
      clearInterval(backupTimer);
      await handlers.stopApi(store, {});
      for (const controller of cancellable.values()) controller.abort();
      await scheduler?.flush();
      scheduler?.dispose();
      store.close();
      return {};
    },
  };

  function startScheduler(store: LearningStore): void {
    scheduler = new SaveScheduler(
      async () => {
        try {
          const result = await store.save();
          if (result.saved) lastSave = result;
        } catch (e) {
          post({ kind: 'saveFailed', message: `Saving the learning data to ${init.dataDir} failed (${(e as Error).message}). The previous snapshot is intact; the data stays in memory and saving is retried after the next change.` });
        }
      },
      init.saveIdleMs,
      init.saveMaxMs,
    );
  }

  // The daily backup: checked soon after opening, then every hour.
  const backupTimer = setInterval(() => void dailyBackup().then(dailyPrune), 3_600_000);
  backupTimer.unref();

  void ready.then(
    (store) => {
      startScheduler(store);
      setTimeout(() => void dailyBackup().then(dailyPrune), init.backupDelayMs).unref();
      post({ kind: 'opened', health: health(store) });
    },
    (e: Error) => {
      post({
        kind: 'opened',
        health: unavailableHealth(`The learning database could not be opened: ${e.message}`),
      });
    },
  );

  // A request filtered by a text has it found first, half the code file on the code search thread.
  const scanner = scanWorker ? new CodeScanner(scanWorker, join(init.dataDir, CODE_FILE), (message) => post({ kind: 'log', level: 'warn', message })) : null;
  const searchFirst = (store: LearningStore, params: unknown): Promise<void> | undefined => {
    const text = (params as { filters?: { search?: unknown } } | null)?.filters?.search;
    return scanner && typeof text === 'string' && text.trim() !== '' ? store.searchAhead(text.trim(), scanner.scan) : undefined;
  };

  return {
    dispatch: (message) => answer(message, () => ready, handlers, post, searchFirst),
  };
}
