// Learning tasks and the knowledge they produce: one schema for the queue, the
// store, the worker, the Tasks view and the panel.
import { z } from 'zod';
import { depthSchema } from './analytics';
import { rateSchema } from './example';

export const prioritySchema = z.enum(['low', 'normal', 'high']);
export type Priority = z.infer<typeof prioritySchema>;
export const learnerKindSchema = z.enum(['builtin', 'external']);
export type LearnerKind = z.infer<typeof learnerKindSchema>;

/** `interrupted`: it was running when the window closed; it can be retried. */
export const taskStateSchema = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type TaskState = z.infer<typeof taskStateSchema>;
export const FINISHED: ReadonlySet<TaskState> = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

const storedTechnologySchema = z.string().trim().min(1).max(200);

/**
 * A new task's technology. It reaches an external learner as an argument, so
 * one that starts with `-` would be read as an option (`--help`, `--output=…`):
 * refused with the reason.
 */
export const technologySchema = storedTechnologySchema.refine((t) => !t.startsWith('-'), {
  error: 'a technology name cannot start with "-": a learner would read it as an option',
});

export const taskRequestSchema = z.object({
  technology: technologySchema,
  depth: depthSchema,
  priority: prioritySchema,
  learner: learnerKindSchema,
});
export type TaskRequest = z.infer<typeof taskRequestSchema>;

export const taskSchema = taskRequestSchema.extend({
  /** As stored: tasks from before the rule on a leading "-" stay readable. */
  technology: storedTechnologySchema,
  id: z.string(),
  /** Arrival order: first come, first served within a priority. */
  seq: z.number().int(),
  state: taskStateSchema,
  progress: z.number().min(0).max(100),
  message: z.string().max(2000),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** How many times it has been started. */
  attempts: z.number().int().nonnegative(),
  result: z
    .object({
      proficiency: z.number().min(0).max(1).nullable(),
      summary: z.string().max(10_000),
      knowledgeId: z.string().nullable(),
      examplesAdded: z.number().int().nonnegative(),
    })
    .nullable(),
});
export type Task = z.infer<typeof taskSchema>;

export const taskEventSchema = z.object({
  at: z.number(),
  kind: z.enum(['queued', 'started', 'progress', 'log', 'example', 'completed', 'failed', 'cancelled', 'interrupted']),
  message: z.string().max(10_000),
  progress: z.number().nullable().default(null),
});
export type TaskEvent = z.infer<typeof taskEventSchema>;
/** An event with its place in its task's log (1, 2, 3…): the panel loads the log, then follows it, and keeps each event once. */
export const loggedTaskEventSchema = taskEventSchema.extend({ seq: z.number().int().positive() });
export type LoggedTaskEvent = z.infer<typeof loggedTaskEventSchema>;

export const knowledgeEntrySchema = z.object({
  id: z.string(),
  taskId: z.string().nullable(),
  technology: z.string(),
  depth: depthSchema,
  createdAt: z.number(),
  /** The period studied: epoch ms, since null for everything. */
  since: z.number().nullable(),
  until: z.number(),
  examplesAnalysed: z.number().int(),
  proficiency: rateSchema,
  trend: z.object({ slopePerWeek: z.number().nullable(), pValue: z.number().nullable(), statement: z.string() }),
  /** Tags that come with it in failures most: failures, examples, and that pair's failure rate. */
  failsWith: z.array(z.object({ tag: z.string(), failures: z.number(), total: z.number(), failureRate: z.number() })).max(20),
  related: z.array(z.object({ tag: z.string(), lift: z.number(), together: z.number(), /** Absent in entries written before it was tested. */ pValue: z.number().optional() })).max(20),
  metrics: z.object({ avgExecutionTime: z.number().nullable(), avgTokens: z.number().nullable(), tokensPerSuccess: z.number().nullable() }),
  byModel: z.array(z.object({ model: z.string(), rate: rateSchema })).max(50),
  nextSteps: z.array(z.object({ step: z.string(), reason: z.string() })).max(20),
  /** An external learner's own summary, when it gave one. */
  summary: z.string().max(10_000).nullable(),
});
export type KnowledgeEntry = z.infer<typeof knowledgeEntrySchema>;

/** One line of an external learner's stdout, parsed. */
export type LearnerMessage =
  | { event: 'progress'; progress: number; message: string }
  | { event: 'example'; record: Record<string, unknown> }
  | { event: 'result'; proficiency: number | null; summary: string }
  | { event: 'log'; text: string }
  | { event: 'invalid'; reason: string; text: string };
