import { z } from 'zod';

/** A learning example as stored and shown: KIMI's fields, normalised. */
export const storedExampleSchema = z.object({
  /** KIMI's id, or one derived from the content when the line had none. */
  id: z.string(),
  /** ISO 8601 in UTC. */
  timestamp: z.string(),
  sessionId: z.string().nullable(),
  taskDescription: z.string().nullable(),
  codeContext: z.string().nullable(),
  /** Why the code cannot be shown, when its record in the code file is missing or damaged. */
  codeProblem: z.string().optional(),
  /** True, false, or null when the outcome is unknown (an agent session's turn: see `outcome` in extra). */
  success: z.boolean().nullable(),
  /** Numbers such as tests_passed and execution_time (seconds); other values kept as they came. */
  metrics: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  model: z.string().nullable(),
  tokens: z.number().int().nullable(),
  humanFeedback: z.string().nullable(),
  /** Who last edited the feedback and when (ISO), where the database keeps it (a team database). */
  feedbackBy: z.string().optional(),
  feedbackAt: z.string().optional(),
  /** Every field KIMI wrote that is not one of the above, kept as it came. */
  extra: z.record(z.string(), z.unknown()),
  /** Where the line came from, when it came from a file. */
  source: z.object({ file: z.string(), line: z.number().int() }).nullable(),
  /** The timestamp lies more than a day in the future of the moment it was imported. */
  futureTimestamp: z.boolean(),
});
export type StoredExample = z.infer<typeof storedExampleSchema>;

/**
 * A success rate with its Wilson 95% interval, over the examples whose outcome
 * is known: an agent session's turn may say nothing of success, and such an
 * example counts in `total` and `unknown`, never in the rate or its interval.
 */
export const rateSchema = z.object({
  /** Every example, known outcome or not. */
  total: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  /** Examples whose outcome is unknown (total − unknown is the rate's sample). */
  unknown: z.number().int().nonnegative().default(0),
  /** successes / known outcomes, or null when no outcome is known. */
  rate: z.number().min(0).max(1).nullable(),
  /** [low, high] of the Wilson 95% interval over the known outcomes, or null without one. */
  interval: z.tuple([z.number(), z.number()]).nullable(),
});
export type Rate = z.infer<typeof rateSchema>;

export const databaseStateSchema = z.enum(['ok', 'read-only', 'recovering', 'unavailable']);
export type DatabaseState = z.infer<typeof databaseStateSchema>;

/** What the host knows about the store, shown in the panel's health line and the status bar. */
export const healthSchema = z.object({
  state: databaseStateSchema,
  /** Why the store is not ok, in words for a person. */
  reason: z.string().nullable(),
  examples: z.number().int().nonnegative(),
  /** ISO time of the last import or followed line, null if never. */
  lastImport: z.string().nullable(),
  followedFiles: z.number().int().nonnegative(),
  /** Where an unreadable snapshot was moved at start-up, if one was. */
  recoveredFrom: z.string().nullable().default(null),
  /** Retention removed the raw examples dated before this (ISO), if it ever did; their per-day figures stay. */
  prunedBefore: z.string().nullable().default(null),
  /** How many raw examples retention has removed. */
  prunedExamples: z.number().int().nonnegative().default(0),
  /** Which data this is: this workspace's store, or a team's database (host/database, never a password). */
  place: z.object({ engine: z.enum(['embedded', 'postgresql']), name: z.string() }).default({ engine: 'embedded', name: 'This workspace' }),
  /** A team database's connection: null for this workspace's store. `since` (ISO) when not connected. */
  connection: z
    .object({ state: z.enum(['connected', 'reconnecting', 'unreachable']), since: z.string().nullable(), reason: z.string().nullable() })
    .nullable()
    .default(null),
});
export type Health = z.infer<typeof healthSchema>;

/** The health of a store that cannot be read, with the reason in words for a person. */
export function unavailableHealth(reason: string): Health {
  return { state: 'unavailable', reason, examples: 0, lastImport: null, followedFiles: 0, recoveredFrom: null, prunedBefore: null, prunedExamples: 0, place: { engine: 'embedded', name: 'This workspace' }, connection: null };
}

/** The log Load Sample Data writes (in the extension's global storage): its examples carry it as their source, so they are known as sample data. */
export const SAMPLE_FILE_NAME = 'sample_learning_logs.jsonl';

/** Whether an example's source is the sample data's log. */
export function isSampleSource(file: string): boolean {
  return file.endsWith(`/${SAMPLE_FILE_NAME}`) || file.endsWith(`\\${SAMPLE_FILE_NAME}`);
}
