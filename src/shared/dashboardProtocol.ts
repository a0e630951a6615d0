// The messages between the Learning Viewer panel (webview) and the extension
// host. Both sides import this file and validate every message they receive
// with these schemas; an invalid message is dropped and logged, never acted on.
import { z } from 'zod';
import { healthSchema, rateSchema } from './example';

/** The whole state the panel renders; every notification carries all of it. */
export const dashboardStateSchema = z.object({
  /** Health of the store: state, example count, last import. */
  health: healthSchema,
  /** Success rate over every stored example. */
  overall: rateSchema,
  /** The workspace is trusted (the external learner may run). */
  trusted: z.boolean(),
});
export type DashboardState = z.infer<typeof dashboardStateSchema>;

// ---- webview → host
export const readyMessage = z.object({
  /** The panel has loaded and wants the whole state. */
  type: z.literal('ready'),
});
export const runCommandMessage = z.object({
  /** Run one of the extension's own commands (from an empty-state button). */
  type: z.literal('runCommand'),
  command: z.enum(['learningViewer.importLogs', 'learningViewer.refresh', 'learningViewer.startLearningTask', 'learningViewer.exportData']),
});
export const webviewToHostSchema = z.discriminatedUnion('type', [readyMessage, runCommandMessage]);
export type WebviewToHost = z.infer<typeof webviewToHostSchema>;

// ---- host → webview
export const didChangeStateMessage = z.object({
  /** A new whole snapshot of the state. */
  type: z.literal('didChangeState'),
  state: dashboardStateSchema,
});
export const hostToWebviewSchema = z.discriminatedUnion('type', [didChangeStateMessage]);
export type HostToWebview = z.infer<typeof hostToWebviewSchema>;

/** What the panel keeps in `vscode.setState` to come back after a reload. */
export const panelPersistedStateSchema = z.object({
  tab: z.string().default('overview'),
});
export type PanelPersistedState = z.infer<typeof panelPersistedStateSchema>;
