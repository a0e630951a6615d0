// What both data services (this workspace's store, a team's database) share:
// a request checked against its method's schema and answered, a user's filters
// checked before they reach SQL.
import type { Filters } from '../shared/filters';
import { NO_FILTERS, regexProblem } from '../shared/filters';
import type { WorkerMethod, WorkerParsedParams, WorkerResult, WorkerToHost } from '../shared/workerProtocol';
import { workerMethods, workerRequestSchema } from '../shared/workerProtocol';
import type { AlertMonitor } from '../core/alerts/alertMonitor';
import type { ApiServer, ApiServerOptions } from '../http/apiServer';

/** Each handler gets its params already parsed (once, by the message loop) with its method's schema. */
export type Handlers<S> = { [M in WorkerMethod]: (source: S, params: WorkerParsedParams<M>) => Promise<WorkerResult<M>> | WorkerResult<M> };

/** Filters from a request, with a user's regular expression checked before it reaches SQL. */
export function checkedFilters(filters: Filters | undefined): Filters {
  const f = filters ?? NO_FILTERS;
  const problem = f.codeRegex ? regexProblem(f.codeRegex) : null;
  if (problem) throw new Error(problem);
  return f;
}

/** Answers one message from the host: validated, served from what `ready` gives, its response posted. */
export async function answer<S>(
  message: unknown,
  ready: () => Promise<S>,
  handlers: Handlers<S>,
  post: (m: WorkerToHost) => void,
  /** Work done for a request before its handler, with its checked parameters (a text search's own). */
  prepare?: (source: S, params: unknown) => Promise<void> | undefined,
): Promise<void> {
  const request = workerRequestSchema.safeParse(message);
  if (!request.success) {
    post({ kind: 'log', level: 'error', message: `data worker: dropped an invalid request: ${request.error.issues[0]?.message ?? ''}` });
    return;
  }
  const { id, method, params } = request.data;
  try {
    const source = await ready();
    const parsed = workerMethods[method].params.parse(params);
    await prepare?.(source, parsed);
    const result = await (handlers[method] as (s: S, p: unknown) => unknown)(source, parsed);
    post({ kind: 'response', id, ok: true, result });
  } catch (e) {
    post({ kind: 'response', id, ok: false, error: (e as Error).message });
  }
}

type AlertMethods = 'configureAlerts' | 'checkAlerts' | 'alerts' | 'snoozeAlert' | 'muteAlertRule';

/** The alert monitor's requests, the same on either engine. */
export function alertHandlers<S>(alerts: Promise<AlertMonitor>): Pick<Handlers<S>, AlertMethods> {
  return {
    configureAlerts: async (_source, p) => {
      (await alerts).configure(p.config, p.firstCheckMs);
      return {};
    },
    checkAlerts: async () => {
      const r = await (await alerts).check();
      return { fired: r.fired, resolved: r.resolved, failures: r.failures, checked: r.observations.length };
    },
    alerts: async (_source, p) => (await alerts).overview(p.limit),
    snoozeAlert: async (_source, p) => ({ found: await (await alerts).snooze(p.id, p.hours * 3_600_000) }),
    muteAlertRule: async (_source, p) => {
      await (await alerts).mute(p.ruleId, p.muted);
      return {};
    },
  };
}

/** The API server this worker runs, if any: started by the engine's own way, stopped and described the same on either. */
export class ApiSlot {
  server: ApiServer | null = null;
  requireToken = true;

  async stop(): Promise<{ stopped: boolean }> {
    const running = this.server;
    this.server = null;
    await running?.stop();
    return { stopped: running !== null };
  }

  /** What a server an editor starts listens with: this machine only, learning tasks left to the Tasks view. */
  options(p: WorkerParsedParams<'startApi'>, init: { assumeTimeZone: 'local' | 'utc'; version: string }, alerts: AlertMonitor): ApiServerOptions {
    return {
      host: '127.0.0.1',
      port: p.port,
      auth: p.requireToken,
      allowedHosts: [],
      allowedOrigins: p.allowedOrigins,
      assumeTimeZone: init.assumeTimeZone,
      rateLimit: p.rateLimit,
      version: init.version,
      alerts,
      tasks: { unavailable: 'in VS Code, learning tasks run in the Tasks view (Learning Viewer: Start Learning Task); to start them over HTTP, run `learning-viewer serve`' },
    };
  }

  status(): { url: string | null; requireToken: boolean } {
    return { url: this.server?.url ?? null, requireToken: this.requireToken };
  }
}
