// What an import says when it is done: defined once, for the core, the worker's answer,
// the extension's messages and the command line.
import { z } from 'zod';

/** A line that was refused (or conflicted), and why. */
export const importProblemSchema = z.object({ file: z.string(), line: z.number().int(), reason: z.string() });
export type ImportProblem = z.infer<typeof importProblemSchema>;

export const importReportSchema = z.object({
  added: z.number().int(),
  duplicates: z.number().int(),
  conflicts: z.number().int(),
  rejected: z.number().int(),
  /** The first problems (rejected lines and conflicts), capped at `maxProblems`. */
  problems: z.array(importProblemSchema),
  /** How many problems were not listed because of the cap. */
  problemsOmitted: z.number().int(),
  cancelled: z.boolean(),
});
export type ImportReport = z.infer<typeof importReportSchema>;
