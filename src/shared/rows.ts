// The rows every breakdown is made of, defined once: the worker's answers, the panel's state,
// the analytics report and the tree all speak of these.
import { z } from 'zod';
import { tokenTallySchema } from './figures';

/**
 * Examples, how many succeeded and how many have no known outcome: what a rate
 * is computed from (successes over total − unknown: `rateOfRow`).
 */
export const countFields = { total: z.number(), successes: z.number(), unknown: z.number().default(0) };
export const countRowSchema = z.object(countFields);
export type CountRow = z.infer<typeof countRowSchema>;

export const tagRowSchema = z.object({ tag: z.string(), ...countFields });
export type TagRow = z.infer<typeof tagRowSchema>;

/** A model's examples, successes, tokens and mean time (null when no example has one). */
export const modelRowSchema = z.object({ model: z.string(), ...countFields, tokens: tokenTallySchema, avgExecutionTime: z.number().nullable() });
export type ModelRow = z.infer<typeof modelRowSchema>;

/** A local day, YYYY-MM-DD. */
export const dayRowSchema = z.object({ day: z.string(), ...countFields });
export type DayRow = z.infer<typeof dayRowSchema>;

/** A group of the Examples tree: its key (a tag, a model, a day…). */
export const groupRowSchema = z.object({ key: z.string(), ...countFields });
export type GroupRow = z.infer<typeof groupRowSchema>;
