import { z } from 'zod';
import { groupFieldSchema } from '../../../shared/workerProtocol';

// Command arguments come from menus, other extensions and tests: parsed, never trusted.
const exampleIdArg = z.union([z.string().min(1), z.object({ kind: z.literal('example'), example: z.object({ id: z.string() }) }).transform((n) => n.example.id)]);

export const groupArg = z.object({ kind: z.literal('group'), field: groupFieldSchema, key: z.string(), total: z.number(), successes: z.number(), unknown: z.number().optional() });

export function exampleId(arg: unknown): string | undefined {
  const parsed = exampleIdArg.safeParse(arg);
  return parsed.success ? parsed.data : undefined;
}
