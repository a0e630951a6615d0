import * as vscode from 'vscode';
import { z } from 'zod';
import { isAbsolute } from 'node:path';

/** Settings are untrusted input: parsed here, with the defaults of package.json when a value is wrong. */
const settingsSchema = z.object({
  logFiles: z.array(z.string().min(1)).catch(['**/learning_logs.jsonl']),
  followLogs: z.boolean().catch(true),
  assumeTimeZone: z.enum(['local', 'utc']).catch('local'),
  statusBarEnabled: z.boolean().catch(true),
  statusBarWindowDays: z.number().int().min(1).max(365).catch(7),
  warningBelow: z.number().min(0).max(1).catch(0.7),
  errorBelow: z.number().min(0).max(1).catch(0.5),
  csvBom: z.boolean().catch(false),
  maxLinesPerFile: z.number().int().min(1000).max(1_000_000_000).catch(20_000_000),
  maxMegabytesPerFile: z.number().int().min(1).max(1_048_576).catch(20_480),
  retentionDays: z.number().int().min(0).max(36_500).catch(0),
  backupEnabled: z.boolean().catch(true),
  /** An absolute folder, or empty for the default beside the data. */
  backupFolder: z
    .string()
    .max(4096)
    .catch('')
    .transform((f) => (isAbsolute(f.trim()) ? f.trim() : '')),
  backupKeepDaily: z.number().int().min(1).max(365).catch(7),
  backupKeepWeekly: z.number().int().min(0).max(520).catch(4),
});
export type Settings = z.infer<typeof settingsSchema>;

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('learningViewer');
  return settingsSchema.parse({
    logFiles: c.get('logFiles'),
    followLogs: c.get('followLogs'),
    assumeTimeZone: c.get('timestamps.assumeTimeZone'),
    statusBarEnabled: c.get('statusBar.enabled'),
    statusBarWindowDays: c.get('statusBar.windowDays'),
    warningBelow: c.get('statusBar.warningBelow'),
    errorBelow: c.get('statusBar.errorBelow'),
    csvBom: c.get('export.csvBom'),
    maxLinesPerFile: c.get('import.maxLinesPerFile'),
    maxMegabytesPerFile: c.get('import.maxMegabytesPerFile'),
    retentionDays: c.get('retention.days'),
    backupEnabled: c.get('backup.enabled'),
    backupFolder: c.get('backup.folder'),
    backupKeepDaily: c.get('backup.keepDaily'),
    backupKeepWeekly: c.get('backup.keepWeekly'),
  });
}

const taskSettingsSchema = z.object({
  maxConcurrent: z.number().int().min(1).max(8).catch(2),
  timeoutMinutes: z.number().min(1).max(1440).catch(30),
  command: z.array(z.string().max(10_000)).max(200).catch([]),
});
export type TaskSettings = z.infer<typeof taskSettingsSchema>;

/** The learning-task settings, read when used (they may change at any time). */
export function readTaskSettings(): TaskSettings {
  const c = vscode.workspace.getConfiguration('learningViewer');
  return taskSettingsSchema.parse({
    maxConcurrent: c.get('tasks.maxConcurrent'),
    timeoutMinutes: c.get('tasks.timeoutMinutes'),
    command: c.get('learner.command'),
  });
}

const alertSettingsSchema = z.object({
  enabled: z.boolean().catch(true),
  rules: z.array(z.unknown()).max(100).catch([]),
  checkMinutes: z.number().min(1).max(1440).catch(15),
  minExamples: z.number().int().min(1).max(1_000_000).catch(20),
  webhookFormat: z.enum(['json', 'slack']).catch('json'),
  emailHost: z.string().max(255).catch(''),
  emailPort: z.number().int().min(1).max(65535).catch(587),
  emailSecurity: z.enum(['starttls', 'tls', 'none']).catch('starttls'),
  emailFrom: z.string().max(320).catch(''),
  emailTo: z.array(z.string().max(320)).max(50).catch([]),
  emailUser: z.string().max(320).catch(''),
});
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

/** The alert settings as written; the rules are checked one by one where they are used, each problem named. */
export function readAlertSettings(): AlertSettings {
  const c = vscode.workspace.getConfiguration('learningViewer.alerts');
  return alertSettingsSchema.parse({
    enabled: c.get('enabled'),
    rules: c.get('rules'),
    checkMinutes: c.get('checkMinutes'),
    minExamples: c.get('minExamples'),
    webhookFormat: c.get('webhook.format'),
    emailHost: c.get('email.host'),
    emailPort: c.get('email.port'),
    emailSecurity: c.get('email.security'),
    emailFrom: c.get('email.from'),
    emailTo: c.get('email.to'),
    emailUser: c.get('email.user'),
  });
}

const agentSessionSettingsSchema = z.object({
  follow: z.boolean().catch(false),
  successFromTests: z.boolean().catch(false),
  maxPromptChars: z.number().int().min(100).max(100_000).catch(2000),
});
export type AgentSessionSettings = z.infer<typeof agentSessionSettingsSchema>;

/** The agent-session settings (import and follow), read when used. */
export function readAgentSessionSettings(): AgentSessionSettings {
  const c = vscode.workspace.getConfiguration('learningViewer');
  return agentSessionSettingsSchema.parse({
    follow: c.get('agentSessions.follow'),
    successFromTests: c.get('agentSessions.successFromTests'),
    maxPromptChars: c.get('agentSessions.maxPromptChars'),
  });
}
