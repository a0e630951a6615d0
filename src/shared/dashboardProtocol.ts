// The messages between the Learning Viewer panel (webview) and the extension
// host. Both sides import this file and validate every message they receive
// with these schemas; an invalid message is dropped and logged, never acted on.
import { alertsOverviewSchema } from './alerts';
import { exampleCommitSchema, gitRatesSchema } from './git';
import { z } from 'zod';
import { analyticsReportSchema, depthSchema, modelComparisonSchema, predictionSchema } from './analytics';
import { healthSchema, storedExampleSchema } from './example';
import { knowledgeEntrySchema, learnerKindSchema, loggedTaskEventSchema, prioritySchema, taskSchema } from './tasks';
import { filtersSchema, pageRequestSchema } from './filters';
import { summarySchema } from './workerProtocol';
import { dayRowSchema, modelRowSchema, tagRowSchema } from './rows';


/** The whole state the panel renders; every notification carries all of it. */
/** The most tags and models a state carries (the rest are counted, and found through the tag filter's search). */
export const PANEL_GROUPS = 500;
/** The most days a state carries: the latest. */
export const PANEL_DAYS = 5000;
const omittedSchema = z.object({ groups: z.number().int(), total: z.number() });

export const dashboardStateSchema = z.object({
  /** Grows with every snapshot: an older one arriving late is ignored. */
  version: z.number().int(),
  /** Health of the store: state, example count, last import, files followed. */
  health: healthSchema,
  /** The shared filters the figures below are computed under. */
  filters: filtersSchema,
  /** The number of the last setFilters from this panel the host applied (0: none yet): an edit waits for its own. */
  filtersSeq: z.number().int().nonnegative().default(0),
  /** Totals under the filters, with the previous period when the range is bounded. */
  summary: summarySchema,
  /** Examples and successes per tag, most used first: the first PANEL_GROUPS. */
  byTag: z.array(tagRowSchema).max(PANEL_GROUPS),
  /** Examples, successes, tokens and time per model: the first PANEL_GROUPS. */
  byModel: z.array(modelRowSchema).max(PANEL_GROUPS),
  /** Examples and successes per local day (YYYY-MM-DD), oldest first: the last PANEL_DAYS. */
  daily: z.array(dayRowSchema).max(PANEL_DAYS),
  /** What the lists above leave out, so a cap is said, never a blank panel: how many groups or days, and their examples. */
  omitted: z
    .object({ tags: omittedSchema, models: omittedSchema, days: omittedSchema.extend({ before: z.string().nullable() }) })
    .default({ tags: { groups: 0, total: 0 }, models: { groups: 0, total: 0 }, days: { groups: 0, total: 0, before: null } }),
  /** The workspace is trusted (the external learner may run). */
  trusted: z.boolean(),
  /** The names of the workspace's saved views (.vscode/learning-views.json). */
  savedViews: z.array(z.string()).max(1000).default([]),
  /** What is wrong with that file, when it cannot be read. */
  savedViewsProblem: z.string().nullable().default(null),
  /** KIMI's rate beside git's, over the filtered examples linked to commits; null when none is. */
  git: gitRatesSchema.nullable().default(null),
  /** Alerts firing now and the latest history (fired, resolved), newest first. */
  alerts: alertsOverviewSchema.default({ active: [], history: [], muted: [], lastCheck: null }),
  /** A request for the figures failed: what happened, shown in place with Retry. */
  error: z.string().nullable().default(null),
});
export type DashboardState = z.infer<typeof dashboardStateSchema>;

/** What the panel may ask and get an answer to, matched by id. */
export const panelRequests = {
  /** One page of the examples under the current filters (the host's: it owns them), without code. */
  examplesPage: { params: pageRequestSchema.omit({ filters: true }), result: z.object({ rows: z.array(storedExampleSchema), total: z.number().nullable() }) },
  /** One example with everything. */
  example: { params: z.object({ id: z.string() }), result: storedExampleSchema.nullable() },
  /** The commit an example is linked to and what git says of it, or null. */
  exampleCommit: { params: z.object({ id: z.string() }), result: exampleCommitSchema.nullable() },
  /** Distinct values with counts, for autocomplete. */
  distinct: {
    params: z.object({ field: z.enum(['tag', 'model', 'session']), prefix: z.string().max(200).default('') }),
    result: z.array(z.object({ value: z.string(), count: z.number() })),
  },
  /** Sets an example's feedback (journalled); false when no such example. */
  setFeedback: { params: z.object({ id: z.string(), feedback: z.string().max(100_000).nullable() }), result: z.boolean() },
  /** Everything the Analytics tab shows, under the current filters. */
  analytics: { params: z.object({}), result: analyticsReportSchema },
  /** The prediction for one technology (null: all examples), under the current filters. */
  prediction: { params: z.object({ tag: z.string().max(500).nullable() }), result: predictionSchema },
  /** A learning task's log, oldest first. */
  taskLog: { params: z.object({ taskId: z.string().max(100) }), result: z.array(loggedTaskEventSchema) },
  /** Knowledge entries, newest first, for one technology and/or matching a text. */
  knowledge: {
    params: z.object({ technology: z.string().max(200).nullable().default(null), search: z.string().max(200).nullable().default(null) }),
    result: z.array(knowledgeEntrySchema),
  },
  /** Two models compared under the current filters, optionally within one tag. */
  compareModels: { params: z.object({ a: z.string().max(500), b: z.string().max(500), tag: z.string().max(500).nullable() }), result: modelComparisonSchema },
} as const;
export type PanelRequestMethod = keyof typeof panelRequests;

// ---- webview → host
export const webviewToHostSchema = z.discriminatedUnion('type', [
  /** The panel has loaded and wants the whole state. */
  z.object({ type: z.literal('ready') }),
  /** Replace the shared filters (every view follows). */
  z.object({ type: z.literal('setFilters'), filters: filtersSchema, seq: z.number().int().nonnegative().default(0) }),
  /** Run one of the extension's own commands (buttons in empty and error states). */
  z.object({
    type: z.literal('runCommand'),
    command: z.enum([
      'learningViewer.importLogs',
      'learningViewer.importAgentSessions',
      'learningViewer.refresh',
      'learningViewer.startLearningTask',
      'learningViewer.exportData',
      'learningViewer.loadSampleData',
      'learningViewer.configureLogFollowing',
      'learningViewer.saveView',
      'learningViewer.retryTeamDatabase',
    ]),
  }),
  /** Start a learning task on a technology (a recommendation's button); the host asks for what is missing. */
  z.object({
    type: z.literal('startTask'),
    technology: z.string().trim().min(1).max(200),
    depth: depthSchema.optional(),
    priority: prioritySchema.optional(),
    learner: learnerKindSchema.optional(),
  }),
  z.object({ type: z.literal('cancelTask'), id: z.string().max(100) }),
  z.object({ type: z.literal('retryTask'), id: z.string().max(100) }),
  /** Open an example's code context in an untitled editor. */
  z.object({ type: z.literal('openCode'), id: z.string() }),
  z.object({ type: z.literal('openSource'), id: z.string() }),
  /** Open the commit an example is linked to (git show, read-only). */
  z.object({ type: z.literal('openCommit'), id: z.string() }),
  /** Apply a saved view by name. */
  z.object({ type: z.literal('applyView'), name: z.string() }),
  /** Ask for the state again (Retry after an error). */
  z.object({ type: z.literal('refresh') }),
  /** A request with a reply matched by `id`. */
  z.object({ type: z.literal('request'), id: z.number().int(), method: z.enum(Object.keys(panelRequests) as [PanelRequestMethod, ...PanelRequestMethod[]]), params: z.unknown() }),
]);
export type WebviewToHost = z.infer<typeof webviewToHostSchema>;

// ---- host → webview
export const hostToWebviewSchema = z.discriminatedUnion('type', [
  /** A new whole snapshot of the state. */
  z.object({ type: z.literal('didChangeState'), state: dashboardStateSchema }),
  /** The answer to request `id`. */
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.boolean(), result: z.unknown().optional(), error: z.string().optional() }),
  /** Show an example's details (from the tree). */
  z.object({ type: z.literal('showExample'), id: z.string() }),
  /** The learning tasks (all of them, newest last) and whether the external learner can run. */
  z.object({
    type: z.literal('didChangeTasks'),
    tasks: z.array(taskSchema).max(1000),
    external: z.object({ available: z.boolean(), reason: z.string().nullable() }),
  }),
  /** New events in a task's log, as they happen. */
  z.object({ type: z.literal('taskEvents'), taskId: z.string(), events: z.array(loggedTaskEventSchema).max(5000) }),
  /** Show a task's log on the Learning tab. */
  z.object({ type: z.literal('showTask'), id: z.string() }),
  /** Shows the Overview (where an alert is listed). */
  z.object({ type: z.literal('showOverview') }),
]);
export type HostToWebview = z.infer<typeof hostToWebviewSchema>;

/** What the panel keeps in `vscode.setState` to come back after a reload. */
export const panelPersistedStateSchema = z.object({
  tab: z.enum(['overview', 'examples', 'analytics', 'learning', 'knowledge']).catch('overview').default('overview'),
  selectedId: z.string().nullable().catch(null).default(null),
  selectedTaskId: z.string().nullable().catch(null).default(null),
  sort: z.enum(['timestamp', 'success', 'model', 'tokens', 'executionTime']).catch('timestamp').default('timestamp'),
  direction: z.enum(['asc', 'desc']).catch('desc').default('desc'),
  offset: z.number().int().nonnegative().catch(0).default(0),
});
export type PanelPersistedState = z.infer<typeof panelPersistedStateSchema>;
