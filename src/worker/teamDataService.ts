// The data worker on a team's PostgreSQL database: the same requests as on this
// workspace's store (src/worker/dataService.ts), answered through the engine.
// A listener hears every editor's, importer's and server's changes (LISTEN/NOTIFY)
// and tells the host; while the server is unreachable, health says since when and
// the engine's requests fail with a message naming the place, never the password.
import { importFiles } from '../core/ingest/importFiles';
import { exportExamples } from '../core/export/exportExamples';
import { learnAndStore, storeLearnerRecords } from '../core/tasks/storeLearning';
import { PgEngine } from '../core/engine/postgres/pgEngine';
import { PgChangeFeed, type FeedState } from '../core/engine/postgres/pgChanges';
import { pgCreateToken } from '../core/engine/postgres/pgTokens';
import { AlertMonitor, engineAlertSource } from '../core/alerts/alertMonitor';
import { retentionCutoff } from '../core/storage/retention';
import { successRate } from '../core/analytics/successRate';
import { LearningStore } from '../core/storage/learningStore';
import { loadSqlJs } from '../core/storage/loadSqlJs';
import { EmbeddedEngine } from '../core/engine/embeddedEngine';
import { copyEngine } from '../core/engine/copyEngine';
import { ApiServer } from '../http/apiServer';
import { unavailableHealth, type Health } from '../shared/example';
import type { WorkerToHost } from '../shared/workerProtocol';
import type { workerInitSchema } from '../shared/workerProtocol';
import type { z } from 'zod';
import { alertHandlers, answer, ApiSlot, checkedFilters as checked, type Handlers } from './requestLoop';
import type { DataService } from './dataService';
import { homedir } from 'node:os';
import { findSessions } from '../core/ingest/adapters/sessionFiles';
import { importSessions } from '../core/ingest/importSessions';

type Init = z.output<typeof workerInitSchema>;

export interface TeamDataServiceDeps {
  init: Init & { database: NonNullable<Init['database']> };
  post(message: WorkerToHost): void;
  parseWorker?: string;
  /** The slow poll's period (tests shorten it). */
  pollMs?: number;
}

/** What a team database does not keep (yet): said in words where a request asks for it. */
const ONLY_HERE = {
  backups: "The team database is backed up where it runs (pg_dump, the server's own backups): Learning Viewer backs up only a workspace's own database.",
  delete: "Deleting examples from the team database is not done from an editor: ask its administrator, or use retention (learningViewer.retention.days).",
  git: "Git's verdicts are kept in a workspace's own database: on the team database the panel shows KIMI's own verdicts.",
};

/** A git rate over no examples. */
function noGitRate(key: string) {
  return { key, examples: 0, kimi: successRate(0, 0), git: successRate(0, 0), pending: 0 };
}

/** Connects to the team database (retrying a while), listens for changes, starts the alert monitor. */
export function createTeamDataService({ init, post, parseWorker, pollMs }: TeamDataServiceDeps): DataService {
  const { url, password, machine, owner } = init.database;
  const cancellable = new Map<string, AbortController>();
  const followed = new Set<string>();
  let lastImport: number | null = null;
  let lastCount = 0;
  let connection: FeedState = { state: 'connected' };
  const log = (level: 'info' | 'warn' | 'error', message: string) => post({ kind: 'log', level, message });

  const opening = PgEngine.open(url, {
    password,
    machine,
    application: 'learning-viewer-editor',
    attempts: 3,
    onRetry: (message) => log('warn', `team database: ${message}`),
  });
  let feed: PgChangeFeed | null = null;
  const changed = (examples = lastCount) => post({ kind: 'changed', examples });

  async function count(engine: PgEngine): Promise<number> {
    lastCount = await engine.count();
    return lastCount;
  }

  const alerts = opening.then((engine) =>
    AlertMonitor.open(engine.alertState(), () => engineAlertSource(engine), {
      log: (level, message) => log(level, `alerts: ${message}`),
      onAlert: (event, alert) => post({ kind: 'alert', event, alert }),
    }),
  );
  alerts.catch(() => undefined);

  async function health(engine: PgEngine): Promise<Health> {
    const base = {
      reason: null as string | null,
      lastImport: lastImport === null ? null : new Date(lastImport).toISOString(),
      followedFiles: followed.size,
      recoveredFrom: null,
      place: { engine: 'postgresql' as const, name: engine.place },
    };
    const link =
      connection.state === 'connected'
        ? { state: 'connected' as const, since: null, reason: null }
        : { state: connection.state, since: new Date(connection.since).toISOString(), reason: connection.reason };
    if (connection.state !== 'connected') {
      // The last figures stay on screen, marked as stale; nothing is asked of a server that is not there.
      return { ...base, state: 'ok', examples: lastCount, prunedBefore: null, prunedExamples: 0, connection: link };
    }
    const [examples, retention] = await Promise.all([count(engine), engine.retention()]);
    return {
      ...base,
      state: 'ok',
      examples,
      prunedBefore: retention ? new Date(retention.removedBefore).toISOString() : null,
      prunedExamples: retention?.removedExamples ?? 0,
      connection: link,
    };
  }

  const api = new ApiSlot();

  /** An operation a cancel can stop, by its id. */
  async function cancellableRun<T>(id: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    cancellable.set(id, controller);
    try {
      return await work(controller.signal);
    } finally {
      cancellable.delete(id);
    }
  }

  const handlers: Handlers<PgEngine> = {
    health: (engine) => health(engine),
    summary: (engine, p) => engine.summary(checked(p.filters)),
    examplesPage: (engine, p) => engine.page(checked(p.filters), p.offset, p.limit, { sort: p.sort, direction: p.direction, countTotal: p.countTotal }),
    example: (engine, p) => engine.exampleById(p.id),
    breakdowns: async (engine, p) => {
      const filters = checked(p.filters);
      const [byTag, byModel, daily] = await Promise.all([engine.byTag(filters), engine.byModel(filters), engine.daily(filters)]);
      return { byTag, byModel, daily };
    },
    distinct: (engine, p) => engine.distinct(p.field, p.prefix, p.limit),
    importFiles: (engine, params) =>
      cancellableRun(params.importId, async (signal) => {
        if (params.follow) for (const path of params.paths) followed.add(path);
        return importFiles(engine, params.paths, {
          assumeTimeZone: init.assumeTimeZone,
          now: Date.now(),
          maxLines: init.maxLinesPerFile,
          maxBytes: init.maxBytesPerFile,
          follow: params.follow,
          signal,
          parseWorker,
          onProgress: (p) => post({ kind: 'importProgress', importId: params.importId, ...p }),
          onGone: (path) => followed.delete(path),
          // The listener tells every editor, this one too.
          onAdded: () => (lastImport = Date.now()),
        });
      }),
    findSessions: (_engine, p) => findSessions(homedir(), process.env, p.agents),
    importSessions: (engine, params) =>
      cancellableRun(params.importId, async (signal) => {
        const report = await importSessions(engine, params.sessions, {
          now: Date.now(),
          home: homedir(),
          successFromTests: params.successFromTests,
          maxPromptChars: params.maxPromptChars,
          signal,
          onProgress: (p) => post({ kind: 'importProgress', importId: params.importId, file: p.session, linesRead: p.done, bytesRead: p.done, totalBytes: p.total, added: p.added }),
        });
        if (report.added > 0) lastImport = Date.now();
        return report;
      }),
    setFeedback: async (engine, { id, feedback, author }) => {
      if (connection.state !== 'connected') {
        throw new Error(`The feedback was not saved: the team database (${engine.place}) is unreachable since ${new Date(connection.since).toLocaleTimeString()}. Try again once it is back.`);
      }
      return { found: await engine.setFeedback(id, feedback, author ?? owner) };
    },
    cancel: (_engine, { operationId }) => {
      const controller = cancellable.get(operationId);
      controller?.abort();
      return { found: controller !== undefined };
    },
    groups: async (engine, p) => {
      const all = await engine.groups(p.field, checked(p.filters), p.offset, p.limit + 1);
      return { groups: all.slice(0, p.limit), more: all.length > p.limit };
    },
    exportExamples: (engine, p) =>
      cancellableRun(p.operationId, (signal) =>
        exportExamples(engine, p.path, {
          format: p.format,
          filters: checked(p.filters),
          csvBom: p.csvBom,
          signal,
          onProgress: (written) => post({ kind: 'exportProgress', operationId: p.operationId, written }),
        }),
      ),
    analytics: (engine, p) => engine.analytics(checked(p.filters)),
    prediction: (engine, p) => engine.prediction(checked(p.filters), p.tag),
    compareModels: (engine, p) => engine.compareModels(checked(p.filters), p.a, p.b, p.tag),
    saveTask: async (engine, p) => {
      await engine.saveTask(p.task, owner);
      return {};
    },
    forgetTask: async (engine, p) => {
      await engine.forgetTask(p.id);
      return {};
    },
    tasks: (engine) => engine.tasks(owner),
    teamTasks: (engine, p) => engine.othersTasks(owner, p.limit),
    appendTaskEvents: async (engine, p) => ({ first: await engine.appendTaskEvents(p.taskId, p.events) }),
    taskEvents: (engine, p) => engine.taskEvents(p.taskId, p.limit),
    knowledge: (engine, p) => engine.knowledge(p),
    learn: (engine, p) =>
      cancellableRun(p.taskId, (signal) =>
        learnAndStore(engine, { ...p, signal, onProgress: (progress, message) => post({ kind: 'taskProgress', taskId: p.taskId, progress, message }) }),
      ),
    addLearnerExamples: (engine, p) => storeLearnerRecords(engine, p.taskId, p.records, init.assumeTimeZone),
    // Every commit is durable on the server: nothing waits to be saved.
    save: () => ({ saved: false, bytes: 0, checkMs: 0, exportMs: 0, writeMs: 0 }),
    startApi: async (engine, p) => {
      if (api.server) throw new Error(`the API server already listens on ${api.server.url}`);
      const server = (api.server = await ApiServer.startPostgres(
        engine,
        api.options(p, init, await alerts),
        { log: (level, message) => log(level, `API: ${message}`), afterWrite: () => undefined, onExamples: () => (lastImport = Date.now()) },
      ));
      api.requireToken = p.requireToken;
      return { url: server.url, port: server.port };
    },
    stopApi: () => api.stop(),
    apiStatus: () => api.status(),
    createApiToken: async (engine, p) => {
      const { record, token } = await pgCreateToken(engine.database, p.role, p.name);
      return { token, id: record.id, name: record.name, role: record.role };
    },
    prune: async (engine, p) => {
      if (p.days === 0) return { before: 0, examples: 0, first: null, last: null, codeBytes: 0, removed: 0, dryRun: p.dryRun, slices: 0, longestSliceMs: 0 };
      return engine.prune(retentionCutoff(p.days, new Date(Date.now())), { dryRun: p.dryRun });
    },
    countForDelete: () => {
      throw new Error(ONLY_HERE.delete);
    },
    deleteExamples: () => {
      throw new Error(ONLY_HERE.delete);
    },
    backupNow: () => {
      throw new Error(ONLY_HERE.backups);
    },
    backups: () => [],
    restoreBackup: () => {
      throw new Error(ONLY_HERE.backups);
    },
    refreshGit: () => ({ mainRef: null, linked: 0, judged: 0, commits: 0, problem: ONLY_HERE.git }),
    exampleCommit: () => null,
    // No example is linked to a commit here: the panel leaves its git section out, as for a folder without git.
    gitRates: () => ({ overall: noGitRate('all'), byTag: [], byModel: [] }),
    fileRates: (_engine, p) => noGitRate(p.path),
    ...alertHandlers(alerts),
    copyData: (engine, p) =>
      cancellableRun(p.operationId, async (signal) => {
        // This workspace's store is closed while the team database is shown: opened for the copy, under its lock.
        const store = LearningStore.open({ SQL: await loadSqlJs(init.wasmPath), dataDir: init.dataDir });
        try {
          if (store.readOnly || store.state !== 'ok') throw new Error(`This workspace's data cannot be copied now: ${store.reason ?? store.state}`);
          const local = new EmbeddedEngine(store, init.dataDir);
          const [from, to] = p.direction === 'toTeam' ? ([local, engine] as const) : ([engine, local] as const);
          const report = await copyEngine(from, to, { signal, onProgress: (written) => post({ kind: 'exportProgress', operationId: p.operationId, written }) });
          log('info', `copy ${p.direction === 'toTeam' ? `of this workspace's data into ${engine.place}` : `of ${engine.place} into this workspace's data`}: added ${report.added}, already present ${report.duplicates}, conflicts ${report.conflicts}, offsets ${report.offsets}, tasks ${report.tasks}, knowledge ${report.knowledge}${report.cancelled ? ' (cancelled)' : ''}`);
          return report;
        } finally {
          store.close();
        }
      }),
    retryConnection: () => {
      feed?.retryNow();
      return {};
    },
    shutdown: async (engine) => {
      (await alerts).dispose();
      for (const controller of cancellable.values()) controller.abort();
      await handlers.stopApi(engine, {});
      await feed?.stop();
      await engine.close();
      return {};
    },
  };

  void opening.then(
    async (engine) => {
      feed = await PgChangeFeed.start(url, {
        password,
        pollMs,
        counter: () => engine.changeCounter(),
        onState: (state) => {
          const was = connection.state;
          connection = state;
          if (state.state !== 'connected') {
            if (was === 'connected') log('warn', `team database: ${state.reason}`);
            changed();
          } else if (was !== 'connected') log('info', `team database: connected again to ${engine.place}`);
        },
        onChange: (reason, what) => {
          if (reason === 'reconnected') {
            log('info', 'team database: re-reading every view after the reconnect');
            post({ kind: 'reconnected' });
          }
          if (reason === 'polled') log('info', 'team database: a change was found by the poll (a notification was lost)');
          if (what === 'tasks') post({ kind: 'tasksChanged' });
          else void count(engine).then((n) => changed(n), () => changed());
          if (what === null) post({ kind: 'tasksChanged' });
        },
      });
      post({ kind: 'opened', health: await health(engine) });
    },
    (e: Error) => post({ kind: 'opened', health: { ...unavailableHealth(`The team database could not be opened: ${e.message}`), place: { engine: 'postgresql', name: '' } } }),
  );

  return { dispatch: (message) => answer(message, () => opening, handlers, post) };
}
