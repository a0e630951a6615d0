// Alerts: the rules a user sets, the alerts they raise and how they are
// delivered. One schema for the settings, `serve --alerts FILE`, the data
// worker, the panel and `GET /api/alerts`.
import { z } from 'zod';
import { filtersSchema } from './filters';

const ruleId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.-]+$/, { error: 'a rule id is letters, digits, "_", "-" and "." only' });

/** What every rule has: whether it is on, how long after firing it stays quiet, how many checks in a row it must hold. */
const common = {
  id: ruleId,
  enabled: z.boolean().default(true),
  /** After firing, the same rule and subject fire again no sooner than this. */
  cooldownHours: z.number().min(0).max(24 * 30).default(6),
  /** Checks in a row the condition must hold before the alert fires (a blip never does). */
  consecutive: z.number().int().min(1).max(20).default(2),
};

/** Whole local days: the window is the last `windowDays` days (today included), the baseline the `baselineDays` before it. */
const period = {
  scope: z.enum(['overall', 'tag', 'model']).default('overall'),
  /** One tag or model; null with scope tag or model: every one that has enough examples. */
  subject: z.string().min(1).max(200).nullable().default(null),
  windowDays: z.number().int().min(1).max(365).default(7),
  baselineDays: z.number().int().min(1).max(3650).default(28),
  /** Examples needed in the window and in the baseline before the rule says anything (default: learningViewer.alerts.minExamples, 20). */
  minExamples: z.number().int().min(1).max(1_000_000).optional(),
};

export const alertRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    ...common,
    ...period,
    kind: z.literal('successDrop'),
    /**
     * `wilson`: the window's interval lies wholly below the baseline's (at 1 − level);
     * `test`: a two-proportion test (Fisher's exact test for small counts) below `level`, the window lower.
     */
    method: z.enum(['wilson', 'test']).default('wilson'),
    level: z.number().gt(0).lt(0.5).default(0.05),
  }),
  z.object({
    ...common,
    ...period,
    kind: z.literal('tokensPerSuccessUp'),
    /** Fires when the mean tokens per successful example is this many percent above the baseline's. */
    percent: z.number().gt(0).max(10_000).default(50),
  }),
  z.object({ ...common, kind: z.literal('noExamples'), hours: z.number().gt(0).max(24 * 365).default(24) }),
  z.object({ ...common, kind: z.literal('taskFailed'), consecutive: z.number().int().min(1).max(1).default(1) }),
]);
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;
export type AlertRuleKind = AlertRule['kind'];

/** The rules used when the user sets none. */
export const DEFAULT_ALERT_RULES: AlertRuleInput[] = [
  { id: 'success-drop', kind: 'successDrop', scope: 'overall' },
  { id: 'success-drop-tag', kind: 'successDrop', scope: 'tag' },
  { id: 'success-drop-model', kind: 'successDrop', scope: 'model' },
  { id: 'tokens-per-success-up', kind: 'tokensPerSuccessUp', scope: 'overall', percent: 50 },
  { id: 'no-examples', kind: 'noExamples', hours: 24 },
  { id: 'task-failed', kind: 'taskFailed' },
];

/** The figures behind an alert, for the message, the webhook and the panel. */
export const alertMeasureSchema = z.object({
  /** Examples (or successful examples with a token count) in the window and in the baseline. */
  windowCount: z.number().int().nullable(),
  baselineCount: z.number().int().nullable(),
  /** Success rate (0–1), tokens per success, or hours since the last example. */
  windowValue: z.number().nullable(),
  baselineValue: z.number().nullable(),
  windowInterval: z.tuple([z.number(), z.number()]).nullable(),
  baselineInterval: z.tuple([z.number(), z.number()]).nullable(),
  pValue: z.number().nullable(),
  test: z.string().nullable(),
});
export type AlertMeasure = z.infer<typeof alertMeasureSchema>;

export const alertRecordSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  kind: z.enum(['successDrop', 'tokensPerSuccessUp', 'noExamples', 'taskFailed']),
  /** The tag, the model or the task; null for the whole data. */
  subject: z.string().nullable(),
  /** One line: what happened, how much, on how many examples. */
  title: z.string(),
  /** The figures in words: both periods, intervals, the p-value. */
  detail: z.string(),
  firedAt: z.number(),
  /** Null while it holds; a task failure is an event, resolved when it is raised. */
  resolvedAt: z.number().nullable(),
  measure: alertMeasureSchema,
  /** The panel's filters that show what the alert is about (the window, the tag or model). */
  filters: filtersSchema,
});
export type AlertRecord = z.infer<typeof alertRecordSchema>;

/** Where alerts go besides the editor. Secrets (the webhook key, the SMTP password) are never in settings or files. */
export const webhookConfigSchema = z.object({
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), { error: 'the webhook must be an http or https URL' }),
  /** `json`: the alert as JSON; `slack`: a Slack-compatible body (`{"text": …}`). */
  format: z.enum(['json', 'slack']).default('json'),
});
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export const emailConfigSchema = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(587),
  /** `tls`: TLS from the start (port 465); `starttls`: upgrade required; `none`: plain text (a local relay only). */
  security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  from: z.string().min(3).max(320),
  to: z.array(z.string().min(3).max(320)).min(1).max(50),
  user: z.string().max(320).nullable().default(null),
});
export type EmailConfig = z.infer<typeof emailConfigSchema>;

/** The alert settings as `serve --alerts FILE` reads them (the same fields as the editor's settings). */
export const alertsFileSchema = z
  .object({
    rules: z.array(alertRuleSchema).max(100).optional(),
    checkMinutes: z.number().min(1).max(24 * 60).default(15),
    minExamples: z.number().int().min(1).max(1_000_000).default(20),
    webhook: webhookConfigSchema.nullable().default(null),
    email: emailConfigSchema.nullable().default(null),
  })
  .strict();
export type AlertsFile = z.infer<typeof alertsFileSchema>;

/** What the worker or `serve` needs to check and deliver: the settings with their secrets, which stay in memory. */
export const alertsConfigSchema = z.object({
  enabled: z.boolean(),
  rules: z.array(alertRuleSchema).max(100),
  checkMinutes: z.number().min(1).max(24 * 60),
  minExamples: z.number().int().min(1),
  webhook: webhookConfigSchema.extend({ secret: z.string().nullable() }).nullable(),
  email: emailConfigSchema.extend({ password: z.string().nullable() }).nullable(),
});
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

/** The alert history and what is muted, for the panel, `GET /api/alerts` and the CLI. */
export const alertsOverviewSchema = z.object({
  active: z.array(alertRecordSchema),
  history: z.array(alertRecordSchema),
  muted: z.array(z.string()),
  lastCheck: z.number().nullable(),
});
export type AlertsOverview = z.infer<typeof alertsOverviewSchema>;
