// The API's limits and the zod schemas of its request bodies, shared by the
// routes (which parse with them) and the OpenAPI document (which shows them).
import { z } from 'zod';
import { depthSchema } from '../shared/analytics';
import { prioritySchema, technologySchema } from '../shared/tasks';

export const MAX_EXAMPLE_BYTES = 1024 * 1024;
export const MAX_BATCH_BYTES = 8 * 1024 * 1024;
export const MAX_BATCH_ITEMS = 1000;

export const learnSchema = z
  .object({
    technology: technologySchema,
    depth: depthSchema.default('standard'),
    priority: prioritySchema.default('normal'),
    /** Which learner runs it; by default the external one where the server has one, else the built-in one. */
    learner: z.enum(['builtin', 'external']).optional(),
  })
  .strict();

export const feedbackSchema = z.object({ human_feedback: z.string().max(100_000).nullable() }).strict();
export const searchSchema = z
  .object({
    text: z.string().min(1).max(1000).optional(),
    regex: z.string().min(1).max(1000).optional(),
    filters: z
      .object({
        success: z.boolean().nullable().optional(),
        tags: z.array(z.string().min(1).max(200)).max(50).optional(),
        model: z.string().max(500).nullable().optional(),
        session: z.string().max(500).nullable().optional(),
        since: z.number().int().nullable().optional(),
        until: z.number().int().nullable().optional(),
      })
      .strict()
      .default({}),
    limit: z.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(100).optional(),
  })
  .strict()
  .refine((b) => b.text !== undefined || b.regex !== undefined, { message: 'give text or regex' });
