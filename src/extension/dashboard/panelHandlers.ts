// The panel's requests, answered: one typed route per method of `panelRequests`, its parameters
// read and its answer checked by the method's own schemas. No vscode import: the table is built
// from the narrow services it uses, and tested with fakes.
import type { z } from 'zod';
import { panelRequests, type PanelRequestMethod } from '../../shared/dashboardProtocol';
import type { Filters } from '../../shared/filters';
import type { LoggedTaskEvent } from '../../shared/tasks';
import type { DataClient } from '../dataClient';

export interface PanelServices {
  data: Pick<DataClient, 'request'>;
  /** The shared filters: the host owns them, and every request that filters uses them. */
  filters(): Filters;
  /** A task's log, stored and not yet stored. */
  taskEvents(taskId: string): Promise<LoggedTaskEvent[]>;
  /** Who edits (the team database keeps it with a feedback edit): the host's, never what the panel says. */
  user(): string;
}

/** Parameters the panel should not have sent: answered with the reason, and logged. */
export class InvalidRequest extends Error {}

/** Raw parameters in, a checked answer out. */
export type PanelRoute = (raw: unknown) => Promise<unknown>;
export type PanelRoutes = Record<PanelRequestMethod, PanelRoute>;

/** A route for one method: `answer` gets the parameters its schema gives and must return what its result schema takes. */
function route<P extends z.ZodType, R extends z.ZodType>(spec: { params: P; result: R }, answer: (params: z.output<P>) => Promise<z.input<R>>): PanelRoute {
  return async (raw) => {
    const params = spec.params.safeParse(raw);
    if (!params.success) throw new InvalidRequest(params.error.issues[0]?.message ?? 'invalid parameters');
    return spec.result.parse(await answer(params.data));
  };
}

export function panelRoutes(s: PanelServices): PanelRoutes {
  const r = panelRequests;
  return {
    examplesPage: route(r.examplesPage, (p) => s.data.request('examplesPage', { ...p, filters: s.filters() })),
    example: route(r.example, (p) => s.data.request('example', p)),
    exampleCommit: route(r.exampleCommit, (p) => s.data.request('exampleCommit', p)),
    distinct: route(r.distinct, (p) => s.data.request('distinct', p)),
    setFeedback: route(r.setFeedback, async (p) => (await s.data.request('setFeedback', { ...p, author: s.user() })).found),
    analytics: route(r.analytics, () => s.data.request('analytics', { filters: s.filters() })),
    prediction: route(r.prediction, (p) => s.data.request('prediction', { ...p, filters: s.filters() })),
    taskLog: route(r.taskLog, (p) => s.taskEvents(p.taskId)),
    knowledge: route(r.knowledge, (p) => s.data.request('knowledge', p)),
    compareModels: route(r.compareModels, (p) => s.data.request('compareModels', { ...p, filters: s.filters() })),
  };
}

/** Answers one request: the method's route, or an error naming the method and why. */
export async function answerPanelRequest(routes: PanelRoutes, method: PanelRequestMethod, raw: unknown): Promise<unknown> {
  try {
    return await routes[method](raw);
  } catch (e) {
    if (e instanceof InvalidRequest) throw new InvalidRequest(`invalid ${method} request: ${e.message}`);
    throw e;
  }
}
