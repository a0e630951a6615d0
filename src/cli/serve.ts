// `learning-viewer serve`: the HTTP API over a database folder, for a machine
// without an editor (a CI runner, a server). The same core and database
// format as the extension.
import type { Server } from 'node:http';
import { serve as listen, type ServerType } from '@hono/node-server';
import { createApiApp } from '../http/apiApp';
import { GroupCommit } from '../http/groupCommit';
import { defaultAllowedHosts, isLoopback } from '../http/requestGuards';
import { TokenRegistry } from '../http/tokens';
import { ApiTasks } from '../http/apiTasks';
import { attachLiveSocket } from '../http/liveSocket';
import type { LearningStore } from '../core/storage/learningStore';
import { SaveScheduler } from '../worker/saveScheduler';
import { version } from '../../package.json';

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
}

/** Why these options may not start a server, or null. */
export function serveOptionsProblem(o: ServeOptions): string | null {
  if (!o.auth && !isLoopback(o.host)) {
    return `--no-auth is allowed only on a loopback address (127.0.0.1, ::1, localhost), not ${o.host}: anyone who can reach it could write to the database`;
  }
  return null;
}

/**
 * Serves until SIGINT or SIGTERM; then stops taking requests, saves a
 * snapshot (everything acknowledged is already in the journal) and resolves.
 */
export async function runServer(store: LearningStore, dataDir: string, o: ServeOptions, log: (line: string) => void): Promise<void> {
  const scheduler = new SaveScheduler(
    async () => {
      try {
        await store.save();
      } catch (e) {
        log(`saving the snapshot failed (${(e as Error).message}); everything acknowledged is in the journal, and saving is retried after the next change`);
      }
    },
    1500,
    10_000,
  );
  const commit = new GroupCommit(store, 'api', () => scheduler.touch());
  const tasks = new ApiTasks(store, { maxConcurrent: o.maxConcurrentTasks ?? 2, timeoutMs: 30 * 60_000, afterWrite: () => scheduler.touch() });
  // Filled in once the port is bound (it may be 0, any free port): until then every request is refused.
  const allowedHosts: string[] = [];
  const tokens = new TokenRegistry(dataDir);
  const app = createApiApp(
    { store, commit, assumeTimeZone: o.utc ? 'utc' : 'local', version, startedAt: Date.now(), onChange: () => scheduler.touch(), tasks },
    {
      allowedHosts,
      allowedOrigins: o.allowedOrigins.map((x) => x.toLowerCase()),
      tokens: o.auth ? tokens : null,
      rateLimit: o.rateLimit,
    },
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
  const sockets = attachLiveSocket(http, { tasks, allowedHosts, allowedOrigins: o.allowedOrigins.map((x) => x.toLowerCase()), tokens: o.auth ? tokens : null });
  log(`listening on http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port} (${o.auth ? 'tokens required' : 'no authentication, loopback only'}), database ${dataDir}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: stopping; accepted examples are stored, running tasks are marked interrupted`);
      // Tasks first: their live streams get their last event and close, then the server can.
      void tasks.dispose().then(() => {
        sockets.close();
        server.close(() => resolve());
        // Idle keep-alive connections would hold close() open; a client that will not let go is cut after 5 s.
        http.closeIdleConnections();
        setTimeout(() => http.closeAllConnections(), 5000).unref();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  scheduler.dispose();
  await scheduler.flush();
}
