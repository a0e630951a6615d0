import { activitySchema, tokenTallySchema } from './figures';
// The typed request/response protocol between the extension host and the data
// worker. Each method names its params and result schema; both sides validate.
import { z } from 'zod';
import { analyticsReportSchema, modelComparisonSchema, predictionSchema } from './analytics';
import { healthSchema, rateSchema, storedExampleSchema } from './example';
import { filtersSchema, pageRequestSchema } from './filters';
import { knowledgeEntrySchema, loggedTaskEventSchema, taskEventSchema, taskSchema } from './tasks';
import { depthSchema } from './analytics';
import { alertRecordSchema, alertsConfigSchema, alertsOverviewSchema } from './alerts';
import { exampleCommitSchema, fileRateSchema, gitRatesSchema, gitRefreshSchema } from './git';
import { dayRowSchema, groupRowSchema, modelRowSchema, tagRowSchema } from './rows';
import { importProblemSchema, importReportSchema } from './importReport';
import { agentNameSchema, sessionImportReportSchema, sessionRefSchema } from './agentSessions';

/** How the Examples tree groups examples. */
export const groupFieldSchema = z.enum(['day', 'tag', 'model', 'session', 'outcome', 'branch']);


const totalsSchema = z.object({
  /** Count, successes, rate and its Wilson interval. */
  rate: rateSchema,
  /** Mean of metrics.execution_time in seconds, null when none carried it. */
  avgExecutionTime: z.number().nullable(),
  /** The token figures' inputs (src/shared/figures.ts). */
  tokens: tokenTallySchema,
});
export const summarySchema = totalsSchema.extend({
  /** The same figures for the period of the same length just before [since, until), when the range has a start. */
  previous: totalsSchema.extend({ since: z.number(), until: z.number() }).nullable(),
  /** What agent sessions' turns say (tool errors, interruptions, tests), when some outcomes are unknown; null otherwise. */
  activity: activitySchema.nullable().default(null),
});
export type Summary = z.infer<typeof summarySchema>;

const backupInfoSchema = z.object({
  path: z.string(),
  createdAt: z.string(),
  kind: z.enum(['daily', 'manual', 'before-restore', 'before-prune']),
  examples: z.number().int(),
  snapshot: z.object({ bytes: z.number().int(), crc: z.number().int() }),
  codeBytes: z.number().int(),
  totalBytes: z.number().int(),
});
export type BackupInfoMessage = z.infer<typeof backupInfoSchema>;

export const workerMethods = {
  /** The store's state and size. */
  health: { params: z.object({}), result: healthSchema },
  /** Totals over every stored example. */
  summary: { params: z.object({ filters: filtersSchema.optional() }), result: summarySchema },
  /** One page of the filtered, sorted examples (without their code context) and the filtered total. */
  examplesPage: { params: pageRequestSchema, result: z.object({ rows: z.array(storedExampleSchema), total: z.number().int().nullable() }) },
  /** One example with everything, or null. */
  example: { params: z.object({ id: z.string() }), result: storedExampleSchema.nullable() },
  /** Examples and successes per tag, per model and per day under the filters. */
  breakdowns: {
    params: z.object({ filters: filtersSchema.optional() }),
    result: z.object({
      byTag: z.array(tagRowSchema),
      byModel: z.array(modelRowSchema),
      daily: z.array(dayRowSchema),
    }),
  },
  /** Distinct tags, models or sessions with counts, for autocomplete. */
  distinct: {
    params: z.object({ field: z.enum(['tag', 'model', 'session']), prefix: z.string().max(200).default(''), limit: z.number().int().min(1).max(500).default(50) }),
    result: z.array(z.object({ value: z.string(), count: z.number() })),
  },
  /** Imports files; `follow` resumes from saved offsets and leaves a partial last line. */
  importFiles: {
    params: z.object({ paths: z.array(z.string()).min(1), follow: z.boolean().default(false), importId: z.string() }),
    result: importReportSchema,
  },
  /** The agent sessions (Kimi CLI, Kimi Code, Claude Code, Codex) in their usual folders, newest first. */
  findSessions: { params: z.object({ agents: z.array(agentNameSchema).optional() }), result: z.array(sessionRefSchema) },
  /** Imports agent sessions, one example per turn; progress as importProgress (bytes: sessions done of all). */
  importSessions: {
    params: z.object({
      sessions: z.array(sessionRefSchema).max(200_000),
      importId: z.string(),
      successFromTests: z.boolean().default(false),
      maxPromptChars: z.number().int().min(100).max(100_000).default(2000),
    }),
    result: sessionImportReportSchema,
  },
  /** Asks a running import or export to stop after its current batch. */
  cancel: { params: z.object({ operationId: z.string() }), result: z.object({ found: z.boolean() }) },
  /** Groups of the filtered examples for the tree: key, examples, successes; a page of at most `limit`. */
  groups: {
    params: z.object({
      field: groupFieldSchema,
      filters: filtersSchema.optional(),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    result: z.object({ groups: z.array(groupRowSchema), more: z.boolean() }),
  },
  /** Streams the filtered examples to a file (temp file renamed at the end). */
  exportExamples: {
    params: z.object({
      path: z.string().min(1),
      format: z.enum(['csv', 'json', 'jsonl']),
      filters: filtersSchema.optional(),
      csvBom: z.boolean().default(false),
      operationId: z.string(),
    }),
    /** `codeProblems`: examples written without their code because its record is missing or damaged. */
    result: z.object({ written: z.number().int(), cancelled: z.boolean(), codeProblems: z.array(z.string()).default([]) }),
  },
  /** Sets or clears an example's human feedback, journalled before it is applied; `found` false when no such id. */
  setFeedback: { params: z.object({ id: z.string(), feedback: z.string().max(100_000).nullable(), author: z.string().max(200).optional() }), result: z.object({ found: z.boolean() }) },
  /** Everything the Analytics tab shows under the filters. */
  analytics: { params: z.object({ filters: filtersSchema.optional() }), result: analyticsReportSchema },
  /** The prediction for one technology, or for all examples when tag is null. */
  prediction: { params: z.object({ filters: filtersSchema.optional(), tag: z.string().max(500).nullable() }), result: predictionSchema },
  /** Model A against model B, optionally within one tag. */
  compareModels: {
    params: z.object({ filters: filtersSchema.optional(), a: z.string().max(500), b: z.string().max(500), tag: z.string().max(500).nullable() }),
    result: modelComparisonSchema,
  },
  /** Stores a learning task as it now stands (journalled). */
  saveTask: { params: z.object({ task: taskSchema }), result: z.object({}) },
  /** Forgets a finished task and its log (journalled). */
  forgetTask: { params: z.object({ id: z.string() }), result: z.object({}) },
  /** Every stored task, and how many stored rows could not be read. */
  tasks: { params: z.object({}), result: z.object({ tasks: z.array(taskSchema), unreadable: z.number().int() }) },
  /** On a team database: the tasks others started (other editors, `serve` processes), newest first, with who runs each; none here otherwise. */
  teamTasks: { params: z.object({ limit: z.number().int().min(1).max(1000).default(200) }), result: z.array(z.object({ task: taskSchema, owner: z.string() })) },
  /** Appends to a task's log: the place of the first event appended, or null when this window cannot write. */
  appendTaskEvents: { params: z.object({ taskId: z.string(), events: z.array(taskEventSchema).max(5000) }), result: z.object({ first: z.number().int().nullable() }) },
  /** The last events of a task's log, oldest first, with their places. */
  taskEvents: { params: z.object({ taskId: z.string(), limit: z.number().int().min(1).max(5000).default(500) }), result: z.array(loggedTaskEventSchema) },
  /** Knowledge entries, newest first. */
  knowledge: {
    params: z.object({ technology: z.string().max(200).nullable().default(null), search: z.string().max(200).nullable().default(null), limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.array(knowledgeEntrySchema),
  },
  /** The built-in learner: studies a technology and stores the knowledge entry (progress as taskProgress events; cancel with the task id). */
  learn: {
    params: z.object({
      taskId: z.string(),
      technology: z.string().min(1).max(200),
      depth: depthSchema,
      external: z.object({ proficiency: z.number().min(0).max(1).nullable(), summary: z.string().max(10_000) }).nullable().default(null),
    }),
    result: knowledgeEntrySchema,
  },
  /** Validates and stores examples a learner reported, linked to its task. */
  addLearnerExamples: {
    params: z.object({ taskId: z.string(), records: z.array(z.unknown()).max(10_000) }),
    result: z.object({ added: z.number().int(), alreadyPresent: z.number().int(), rejected: z.array(z.string()) }),
  },
  /** Writes the snapshot now if anything changed. */
  save: {
    params: z.object({}),
    /** Whether anything was written; the size of the last snapshot written and how long its integrity check, export and write took. */
    result: z.object({ saved: z.boolean(), bytes: z.number(), checkMs: z.number().default(0), exportMs: z.number(), writeMs: z.number() }),
  },
  /** Starts the HTTP API in the worker, beside the store (loopback only); `url` is where it listens. */
  startApi: {
    params: z.object({
      port: z.number().int().min(0).max(65535),
      requireToken: z.boolean(),
      allowedOrigins: z.array(z.string().max(500)).max(50).default([]),
      rateLimit: z.number().int().positive().optional(),
    }),
    result: z.object({ url: z.string(), port: z.number().int() }),
  },
  /** Stops the HTTP API; `stopped` false when it was not running. */
  stopApi: { params: z.object({}), result: z.object({ stopped: z.boolean() }) },
  /** Where the HTTP API listens, or null. */
  apiStatus: { params: z.object({}), result: z.object({ url: z.string().nullable(), requireToken: z.boolean() }) },
  /** Makes an API token: the token itself is in this answer only; its hash is kept beside the data. */
  createApiToken: {
    params: z.object({ role: z.enum(['ingest', 'read', 'admin']), name: z.string().min(1).max(100) }),
    result: z.object({ token: z.string(), id: z.string(), name: z.string(), role: z.string() }),
  },
  /** How many examples Delete Examples… would delete (the filters, and only one file's when `sourcePath` is given). */
  countForDelete: { params: z.object({ filters: filtersSchema, sourcePath: z.string().max(4096).nullable().default(null) }), result: z.object({ examples: z.number().int() }) },
  /** Deletes those examples, journalled a slice at a time, their per-day figures with them. */
  deleteExamples: { params: z.object({ filters: filtersSchema, sourcePath: z.string().max(4096).nullable().default(null) }), result: z.object({ deleted: z.number().int() }) },
  /**
   * Removes the raw examples older than `days` days (their per-day rollups stay); with `dryRun`, only says what would go.
   * A real prune is preceded by a backup, and `days` becomes the daily retention (0: keep everything from now on).
   */
  prune: {
    params: z.object({ days: z.number().int().min(0).max(36_500), dryRun: z.boolean().default(false) }),
    result: z.object({
      before: z.number(),
      examples: z.number().int(),
      first: z.number().nullable(),
      last: z.number().nullable(),
      codeBytes: z.number(),
      removed: z.number().int(),
      dryRun: z.boolean(),
      slices: z.number().int(),
      longestSliceMs: z.number(),
    }),
  },
  /** Backs up the database and its code file now (into the backup folder), then rotates. */
  backupNow: { params: z.object({}), result: backupInfoSchema },
  /** The backups, newest first. */
  backups: { params: z.object({}), result: z.array(backupInfoSchema) },
  /** Restores a verified backup (the current state is backed up first); every view should reload. */
  restoreBackup: { params: z.object({ path: z.string().min(1) }), result: z.object({ examples: z.number().int() }) },
  /** The alert rules and where alerts go (secrets included, kept in memory only); checks start on a timer when enabled. */
  configureAlerts: { params: z.object({ config: alertsConfigSchema, firstCheckMs: z.number().int().nonnegative().default(30_000) }), result: z.object({}) },
  /** Checks the alert rules now and delivers what fires; `failures` says which deliveries failed. */
  checkAlerts: {
    params: z.object({}),
    result: z.object({ fired: z.array(alertRecordSchema), resolved: z.array(alertRecordSchema), failures: z.array(z.string()), checked: z.number().int() }),
  },
  /** Alerts firing now, the history, muted rules. */
  alerts: { params: z.object({ limit: z.number().int().min(1).max(200).default(50) }), result: alertsOverviewSchema },
  /** Snoozes an alert's rule and subject for `hours`; `found` false for an unknown alert. */
  snoozeAlert: { params: z.object({ id: z.string().max(100), hours: z.number().gt(0).max(24 * 30).default(24) }), result: z.object({ found: z.boolean() }) },
  /** Mutes or unmutes a rule. */
  muteAlertRule: { params: z.object({ ruleId: z.string().max(100), muted: z.boolean() }), result: z.object({}) },
  /** Links examples to commits by their trailers and judges what is new or stale in the repository at `dir` (git runs in child processes). */
  refreshGit: { params: z.object({ dir: z.string().min(1), mainRef: z.string().max(500).nullable().default(null) }), result: gitRefreshSchema },
  /** The commit an example is linked to and what git says of it. */
  exampleCommit: { params: z.object({ id: z.string() }), result: exampleCommitSchema.nullable() },
  /** KIMI's rate and git's over the filtered examples linked to commits: overall, per tag, per model. */
  gitRates: { params: z.object({ filters: filtersSchema.optional() }), result: gitRatesSchema },
  /** KIMI's rate and git's over the examples whose commits touched a file (relative to the repository's root). */
  fileRates: { params: z.object({ path: z.string().min(1).max(2000) }), result: fileRateSchema },
  /** Saves, closes the database and releases the lock; the worker can then be ended. */
  shutdown: { params: z.object({}), result: z.object({}) },
  /**
   * On a team database: this workspace's own data into it (`toTeam`), or it into this workspace's data
   * (`fromTeam`, a copy to take offline). Ids already there are counted as present: re-running adds nothing.
   * Progress comes as exportProgress of `operationId`; a cancel stops between batches.
   */
  copyData: {
    params: z.object({ operationId: z.string(), direction: z.enum(['toTeam', 'fromTeam']) }),
    result: z.object({
      added: z.number().int(),
      duplicates: z.number().int(),
      conflicts: z.number().int(),
      problems: z.array(importProblemSchema),
      offsets: z.number().int(),
      tasks: z.number().int(),
      knowledge: z.number().int(),
      cancelled: z.boolean(),
    }),
  },
  /** A team database that is unreachable: try to reach it again now (the Retry in the status bar); nothing on this workspace's store. */
  retryConnection: { params: z.object({}), result: z.object({}) },
} as const;

export type WorkerMethod = keyof typeof workerMethods;
export type GroupField = z.infer<typeof groupFieldSchema>;
export type WorkerParams<M extends WorkerMethod> = z.input<(typeof workerMethods)[M]['params']>;
export type WorkerParsedParams<M extends WorkerMethod> = z.infer<(typeof workerMethods)[M]['params']>;
export type WorkerResult<M extends WorkerMethod> = z.infer<(typeof workerMethods)[M]['result']>;

export const workerRequestSchema = z.object({
  id: z.number().int(),
  method: z.enum(Object.keys(workerMethods) as [WorkerMethod, ...WorkerMethod[]]),
  params: z.unknown(),
});
export type WorkerRequest = z.infer<typeof workerRequestSchema>;

export const workerInitSchema = z.object({
  /** Folder for the snapshot, backup and lock. */
  dataDir: z.string(),
  /** Path of sql-wasm.wasm shipped beside the bundles. */
  wasmPath: z.string(),
  assumeTimeZone: z.enum(['local', 'utc']).default('local'),
  /** Lines one read of a file may take before it stops and says so (import.maxLinesPerFile). */
  maxLinesPerFile: z.number().int().positive().default(20_000_000),
  /** Bytes (decompressed, for .gz) one read of a file may take (import.maxMegabytesPerFile × 1 MiB). */
  maxBytesPerFile: z.number().int().positive().default(20 * 1024 * 1024 * 1024),
  /** Idle time after the last write before a snapshot is saved. */
  saveIdleMs: z.number().int().positive().default(1500),
  /** The longest a change waits for a snapshot while writes keep coming. */
  saveMaxMs: z.number().int().positive().default(10000),
  /** Days of raw examples kept (learningViewer.retention.days); 0 keeps everything. */
  retentionDays: z.number().int().min(0).max(36_500).default(0),
  /** Automatic daily backups (learningViewer.backup.enabled). */
  autoBackup: z.boolean().default(false),
  /** Where backups go; `backups/` beside the data by default. */
  backupFolder: z.string().optional(),
  backupRotation: z.object({ keepDaily: z.number().int().min(1).max(365), keepWeekly: z.number().int().min(0).max(520), keepOther: z.number().int().min(1).max(100) }).default({ keepDaily: 7, keepWeekly: 4, keepOther: 5 }),
  /** How long after opening the first daily-backup check waits (the first minutes belong to the user). */
  backupDelayMs: z.number().int().nonnegative().default(60_000),
  /** The extension's version, for the API's health answer. */
  version: z.string().default('0.0.0'),
  /**
   * A team's PostgreSQL database instead of the folder's store: its URL (no password in it), the password
   * from the editor's SecretStorage (held in memory only), the machine (part of a followed file's identity)
   * and who this editor is (the owner of the tasks it runs).
   */
  database: z
    .object({ url: z.string().min(1), password: z.string().optional(), machine: z.string().min(1).optional(), owner: z.string().min(1).default('editor') })
    .optional(),
});
export type WorkerInit = z.input<typeof workerInitSchema>;

export const workerToHostSchema = z.discriminatedUnion('kind', [
  /** The answer to request `id`: `result` when ok, else `error` in words. */
  z.object({ kind: z.literal('response'), id: z.number().int(), ok: z.boolean(), result: z.unknown().optional(), error: z.string().optional() }),
  /** The store was opened (or failed to); sent once at start. */
  z.object({ kind: z.literal('opened'), health: healthSchema }),
  /** Examples were added or changed. */
  z.object({ kind: z.literal('changed'), examples: z.number().int() }),
  /** Learning tasks were started, changed or forgotten (on a team database: by anyone). */
  z.object({ kind: z.literal('tasksChanged') }),
  /** A team database is reachable again after it was not: what was appended meanwhile is read now. */
  z.object({ kind: z.literal('reconnected') }),
  z.object({
    kind: z.literal('importProgress'),
    importId: z.string(),
    file: z.string(),
    linesRead: z.number(),
    bytesRead: z.number(),
    totalBytes: z.number(),
    added: z.number(),
  }),
  z.object({ kind: z.literal('exportProgress'), operationId: z.string(), written: z.number() }),
  z.object({ kind: z.literal('saveFailed'), message: z.string() }),
  z.object({ kind: z.literal('taskProgress'), taskId: z.string(), progress: z.number(), message: z.string() }),
  z.object({ kind: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  /** An alert fired or resolved. */
  z.object({ kind: z.literal('alert'), event: z.enum(['fired', 'resolved']), alert: alertRecordSchema }),
]);
export type WorkerToHost = z.infer<typeof workerToHostSchema>;
