// The HTTP API on a socket: the app, its group commit, its tasks, the live
// WebSocket and the limits on slow clients. `learning-viewer serve` runs it
// in its own process; the extension runs it in the data worker, beside the
// store, so the editor's thread never handles a request.
import type { Server } from 'node:http';
import { serve as listen, type ServerType } from '@hono/node-server';
import { createApiApp } from './apiApp';
import { embeddedApiData, pgApiData, type ApiData } from './apiData';
import type { PgEngine } from '../core/engine/postgres/pgEngine';
import { GroupCommit } from './groupCommit';
import { defaultAllowedHosts, isLoopback } from './requestGuards';
import { TokenRegistry, type TokenChecker } from './tokens';
import { PgTokenRegistry } from '../core/engine/postgres/pgTokens';
import { ApiTasks } from './apiTasks';
import { attachLiveSocket } from './liveSocket';
import { LogRing, type LogLevel } from './logRing';
import type { LearningStore } from '../core/storage/learningStore';
import type { AssumeTimeZone } from '../core/ingest/timestamp';
import { createTaskRunner } from '../core/tasks/taskRunner';
import { storeRunnerData } from '../core/tasks/storeLearning';
import type { AlertMonitor } from '../core/alerts/alertMonitor';
import { EmbeddedEngine } from '../core/engine/embeddedEngine';
import type { LearnerSource, TaskStore } from '../core/engine/contract';

export interface ApiServerOptions {
  host: string;
  port: number;
  auth: boolean;
  /** More `Host` names (with port) to answer to, beyond the loopback names of the port. */
  allowedHosts: string[];
  allowedOrigins: string[];
  assumeTimeZone: AssumeTimeZone;
  rateLimit?: number;
  version: string;
  /** The alerts this server checks, for `GET /api/alerts`. */
  alerts?: AlertMonitor;
  /** The learning-task queue this server runs, or why it runs none (in VS Code they run in the Tasks view). */
  tasks:
    | {
        maxConcurrent: number;
        timeoutMs: number;
        learner?: { command: string[]; cwd: string };
        /** Who runs these tasks, on a database several servers share: each restores only its own. */
        owner?: string;
      }
    | { unavailable: string };
}

export interface ApiServerHooks {
  log(level: LogLevel, message: string): void;
  /** After a write: schedule a snapshot. */
  afterWrite(): void;
  /** Examples arrived (tell the views). */
  onExamples?(added: number): void;
}

/** Why these options may not start a server, or null. */
export function serverOptionsProblem(o: Pick<ApiServerOptions, 'auth' | 'host'>): string | null {
  if (!o.auth && !isLoopback(o.host)) {
    return `authentication may be off only on a loopback address (127.0.0.1, ::1, localhost), not ${o.host}: anyone who can reach it could write to the database`;
  }
  return null;
}

export class ApiServer {
  private constructor(
    /** The server's last log lines, as `GET /api/logs/tail` gives them. */
    readonly logs: LogRing,
    private readonly server: ServerType,
    private readonly sockets: { close(): void },
    private readonly tasks: ApiTasks | undefined,
    readonly url: string,
    readonly port: number,
  ) {}

  /** Refuses options that may not start a server; the server's log, kept for `GET /api/logs/tail` and passed on. */
  private static prepare(o: ApiServerOptions, hooks: ApiServerHooks): { logs: LogRing; log: (level: LogLevel, message: string) => void } {
    const wrong = serverOptionsProblem(o);
    if (wrong) throw new Error(wrong);
    const logs = new LogRing();
    return {
      logs,
      log: (level, message) => {
        logs.add(level, message);
        hooks.log(level, message);
      },
    };
  }

  /** The learning tasks this server runs on `data` (either engine), or none when it runs none. */
  private static async tasks(data: TaskStore & LearnerSource, o: ApiServerOptions, hooks: ApiServerHooks, log: (level: LogLevel, message: string) => void): Promise<ApiTasks | undefined> {
    if (!('maxConcurrent' in o.tasks)) return undefined;
    const learner = o.tasks.learner;
    const external = learner
      ? createTaskRunner({
          data: storeRunnerData(data, {
            assumeTimeZone: o.assumeTimeZone,
            afterWrite: (added) => {
              hooks.afterWrite();
              if (added > 0) hooks.onExamples?.(added);
            },
          }),
          externalLearner: () => learner,
        })
      : undefined;
    const tasks = await ApiTasks.open(data, {
      owner: o.tasks.owner,
      maxConcurrent: o.tasks.maxConcurrent,
      timeoutMs: o.tasks.timeoutMs,
      afterWrite: hooks.afterWrite,
      external,
      onError: (message) => log('error', message),
    });
    tasks.queue.onDidChangeState((t) => log(t.state === 'failed' ? 'warn' : 'info', `task ${t.id} (${t.technology}, ${t.learner}): ${t.state}${t.message ? ` (${t.message})` : ''}`));
    return tasks;
  }

  static async start(store: LearningStore, dataDir: string, o: ApiServerOptions, hooks: ApiServerHooks): Promise<ApiServer> {
    const { logs, log } = ApiServer.prepare(o, hooks);
    const commit = new GroupCommit(store, 'api', (added) => {
      hooks.afterWrite();
      hooks.onExamples?.(added);
    });
    const tasks = await ApiServer.tasks(new EmbeddedEngine(store, dataDir), o, hooks, log);
    return ApiServer.listen(embeddedApiData(store, commit), { tokens: o.auth ? new TokenRegistry(dataDir) : null, place: dataDir, tasks, logs, log }, o, hooks);
  }

  /**
   * The API over a team's PostgreSQL: the examples, the statistics and feedback; several servers may serve one
   * database (they hold nothing that matters). The tokens are the database's (`learning-viewer token … --database`).
   */
  static async startPostgres(engine: PgEngine, o: ApiServerOptions, hooks: ApiServerHooks): Promise<ApiServer> {
    const { logs, log } = ApiServer.prepare(o, hooks);
    const data = pgApiData(engine, (added) => hooks.onExamples?.(added));
    const tokens = o.auth ? await PgTokenRegistry.open(engine.database, (message) => log('warn', message)) : null;
    const tasks = await ApiServer.tasks(engine, o, hooks, log);
    const server = await ApiServer.listen(data, { tokens, place: engine.place, tasks, logs, log }, o, hooks);
    server.onStop = () => tokens?.dispose();
    return server;
  }

  private static async listen(
    data: ApiData,
    at: { tokens: TokenChecker | null; place: string; tasks: ApiTasks | undefined; logs: LogRing; log: (level: LogLevel, message: string) => void },
    o: ApiServerOptions,
    hooks: ApiServerHooks,
  ): Promise<ApiServer> {
    const { tasks, logs, log } = at;
    // Filled in once the port is bound (it may be 0, any free port): until then every request is refused.
    const allowedHosts: string[] = [];
    const allowedOrigins = o.allowedOrigins.map((x) => x.toLowerCase());
    const tokens = at.tokens;
    const app = createApiApp(
      {
        data,
        assumeTimeZone: o.assumeTimeZone,
        version: o.version,
        startedAt: Date.now(),
        onChange: hooks.afterWrite,
        tasks,
        tasksUnavailable: 'unavailable' in o.tasks ? o.tasks.unavailable : undefined,
        externalLearner: 'maxConcurrent' in o.tasks && o.tasks.learner !== undefined,
        logs,
        alerts: o.alerts,
      },
      { allowedHosts, allowedOrigins, tokens, rateLimit: o.rateLimit },
    );
    const server: ServerType = await new Promise((resolve, reject) => {
      const s = listen({ fetch: app.fetch, hostname: o.host, port: o.port }, () => resolve(s));
      s.once('error', reject);
    });
    // Slow clients cannot hold a connection for ever.
    const http = server as Server;
    http.headersTimeout = 10_000;
    http.requestTimeout = 30_000;
    http.maxHeadersCount = 100;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : o.port;
    allowedHosts.push(...defaultAllowedHosts(o.host, port, o.allowedHosts));
    const sockets = tasks ? attachLiveSocket(http, { tasks, allowedHosts, allowedOrigins, tokens }) : { close: () => undefined };
    const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
    const api = new ApiServer(logs, server, sockets, tasks, url, port);
    log('info', `listening on ${url} (${tokens !== null ? 'tokens required' : 'no authentication, loopback only'}), database ${at.place}`);
    return api;
  }

  /** Stops taking requests: running tasks are marked interrupted, their live streams end, open connections close (a client that will not let go is cut after 5 s). */
  /** Run when the server stops (what it started beside it). */
  onStop: (() => void) | undefined;

  async stop(): Promise<void> {
    this.onStop?.();
    await this.tasks?.dispose();
    this.sockets.close();
    const http = this.server as Server;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Idle keep-alive connections would hold close() open.
      http.closeIdleConnections();
      setTimeout(() => http.closeAllConnections(), 5000).unref();
    });
  }
}
