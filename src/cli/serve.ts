// `learning-viewer serve`: the HTTP API over a database folder, for a machine
// without an editor (a CI runner, a server). The same core and database
// format as the extension.
import { ApiServer, serverOptionsProblem, type ApiServerOptions } from '../http/apiServer';
import { DAY_MS } from '../shared/series';
import type { LearningStore } from '../core/storage/learningStore';
import { SaveScheduler } from '../worker/saveScheduler';
import { version } from '../../package.json';
import { AlertMonitor, engineAlertSource, storeAlertSource, type AlertSource } from '../core/alerts/alertMonitor';
import { FileAlertState } from '../core/storage/alertStateFile';
import type { AlertStateStore } from '../core/model/alertStateStore';
import type { AlertsConfig } from '../shared/alerts';
import type { PgEngine } from '../core/engine/postgres/pgEngine';
import { prune, retentionCutoff, type PruneReport } from '../core/storage/retention';
import { BACKUPS_FOLDER, createBackup } from '../core/storage/backups';
import { join } from 'node:path';
import { hostname } from 'node:os';

export interface ServeOptions {
  host: string;
  port: number;
  auth: boolean;
  allowedHosts: string[];
  allowedOrigins: string[];
  utc: boolean;
  rateLimit?: number;
  /** Learning tasks that run at once (default 2). */
  maxConcurrentTasks?: number;
  /** The external learner: program and arguments (`${technology}` and the like replaced), run in `learnerCwd`. */
  learner?: string[];
  learnerCwd?: string;
  /** The alert rules and where they go (--alerts FILE); none checked without it. */
  alerts?: AlertsConfig;
  /** Retention: raw examples older than this many days go, at start and then once a day (0 or absent: kept). */
  retentionDays?: number;
}

/**
 * Retention while serving: at start and then once a day, one prune at a time, said in the log. `prune` does
 * the engine's part (a backup first on the embedded one). Returns a function that stops it.
 */
export function scheduleRetention(days: number | undefined, prune: (cutoff: number) => Promise<PruneReport>, log: (line: string) => void): () => void {
  if (!days || days <= 0) return () => undefined;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    const cutoff = retentionCutoff(days, new Date(Date.now()));
    try {
      const report = await prune(cutoff);
      log(
        report.removed > 0
          ? `retention removed ${report.removed} examples dated before ${new Date(cutoff).toISOString()} in ${report.slices} slices (longest ${report.longestSliceMs.toFixed(0)} ms); their per-day figures stay`
          : `retention: nothing dated before ${new Date(cutoff).toISOString()} to remove`,
      );
    } catch (e) {
      log(`retention could not remove old examples: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Why these options may not start a server, or null. */
export function serveOptionsProblem(o: ServeOptions): string | null {
  return serverOptionsProblem(o)?.replace(/^authentication may be off/, '--no-auth is allowed') ?? null;
}

/**
 * Serves until SIGINT or SIGTERM; then stops taking requests, saves a
 * snapshot (everything acknowledged is already in the journal) and resolves.
 */
export async function runServer(store: LearningStore, dataDir: string, o: ServeOptions, log: (line: string) => void): Promise<void> {
  store.quickCheckAlwaysBelowBytes = 0;
  const scheduler = new SaveScheduler(
    async () => {
      try {
        await store.save();
      } catch (e) {
        log(`saving the snapshot failed (${(e as Error).message}); everything acknowledged is in the journal, and saving is retried after the next change`);
      }
    },
    // Everything acknowledged is in the journal already; a snapshot only shortens the replay after a crash.
    // It stops the event loop while it is taken (sql.js exports in this thread), so under load it waits longer than in the editor.
    2000,
    30_000,
  );
  const alerts = await startAlerts(new FileAlertState(dataDir), storeAlertSource(store), o, log);
  const server = await ApiServer.start(
    store,
    dataDir,
    {
      ...serverOptions(o),
      alerts,
      tasks: {
        maxConcurrent: o.maxConcurrentTasks ?? 2,
        timeoutMs: 30 * 60_000,
        learner: o.learner && o.learner.length > 0 ? { command: o.learner, cwd: o.learnerCwd ?? process.cwd() } : undefined,
      },
    },
    { log: (_level, message) => log(message), afterWrite: () => scheduler.touch() },
  );
  const stopRetention = scheduleRetention(
    o.retentionDays,
    async (cutoff) => {
      if (store.hasPrunable(cutoff)) await createBackup({ dataDir, save: () => store.saveNow(), count: () => store.count() }, join(dataDir, BACKUPS_FOLDER), 'before-prune');
      const report = await prune(store, cutoff);
      if (report.removed > 0) scheduler.touch();
      return report;
    },
    log,
  );
  await untilStopped(server, log);
  stopRetention();
  alerts.dispose();
  scheduler.dispose();
  await scheduler.flush();
}

/** The server's options from the command line's, but for its tasks and alerts. */
function serverOptions(o: ServeOptions): Omit<ApiServerOptions, 'tasks' | 'alerts'> {
  return {
    host: o.host,
    port: o.port,
    auth: o.auth,
    allowedHosts: o.allowedHosts,
    allowedOrigins: o.allowedOrigins,
    assumeTimeZone: o.utc ? 'utc' : 'local',
    rateLimit: o.rateLimit,
    version,
  };
}

/** Serves until SIGINT or SIGTERM, then stops taking requests. */
async function untilStopped(server: ApiServer, log: (line: string) => void): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: stopping; accepted examples are stored, running tasks are marked interrupted`);
      void server.stop().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/**
 * The API over a team's PostgreSQL until SIGINT or SIGTERM. Every acknowledged example is committed; nothing
 * is held here, so several servers may serve one database. Learning tasks and alerts need the embedded database.
 */
export async function runPgServer(engine: PgEngine, o: ServeOptions, log: (line: string) => void): Promise<void> {
  // The alert state is the database's: every server on it shows the same alerts, and one at a time checks them.
  const alerts = await startAlerts(engine.alertState(), engineAlertSource(engine), o, log);
  const server = await ApiServer.startPostgres(
    engine,
    {
      ...serverOptions(o),
      alerts,
      tasks: {
        maxConcurrent: o.maxConcurrentTasks ?? 2,
        timeoutMs: 30 * 60_000,
        learner: o.learner && o.learner.length > 0 ? { command: o.learner, cwd: o.learnerCwd ?? process.cwd() } : undefined,
        // Several servers may share the database: each restores the tasks it ran, named by its host and port
        // (a server on any free port, --port 0, by its process: its tasks are not taken up by the next one).
        owner: `serve ${hostname()}:${o.port === 0 ? `pid ${process.pid}` : o.port}`,
      },
    },
    { log: (_level, message) => log(message), afterWrite: () => undefined },
  );
  const stopRetention = scheduleRetention(o.retentionDays, (cutoff) => engine.prune(cutoff), log);
  await untilStopped(server, log);
  stopRetention();
  alerts.dispose();
}

/** The server's alert monitor on the state `where` keeps; with --alerts, checking its rules (said in the log). */
async function startAlerts(where: AlertStateStore, source: AlertSource, o: ServeOptions, log: (line: string) => void): Promise<AlertMonitor> {
  const alerts = await AlertMonitor.open(where, () => source, { log: (_level, message) => log(`alerts: ${message}`) });
  const c = o.alerts;
  if (c) {
    alerts.configure(c);
    log(`alerts: ${c.rules.filter((r) => r.enabled).length} rules checked every ${c.checkMinutes} minutes${c.webhook ? ', to the webhook' : ''}${c.email ? `, mailed to ${c.email.to.length} address(es)` : ''}`);
  }
  return alerts;
}
