// The agent sessions (Kimi CLI, Kimi Code, Claude Code, Codex) as the extension and the data
// worker speak of them: a session found on disk, and what importing some of them did.
import { z } from 'zod';

export const agentNameSchema = z.enum(['kimi-cli', 'kimi-code', 'claude-code', 'codex']);

/** The agents as people name them. */
export const AGENT_LABELS: Record<z.infer<typeof agentNameSchema>, string> = { 'kimi-cli': 'Kimi CLI', 'kimi-code': 'Kimi Code', 'claude-code': 'Claude Code', codex: 'Codex' };

export const sessionRefSchema = z.object({
  agent: agentNameSchema,
  path: z.string().min(1).max(4096),
  sessionId: z.string().max(500),
  cwd: z.string().max(4096).nullable(),
  mtime: z.number(),
  bytes: z.number().nonnegative(),
});

const outcomeCounts = z.object({
  completed: z.number(),
  failed: z.number(),
  cancelled: z.number(),
  interrupted: z.number(),
  blocked: z.number(),
  incomplete: z.number(),
  unknown: z.number(),
});
const agentCounts = z.object({ sessions: z.number(), turns: z.number(), added: z.number() });

export const sessionImportReportSchema = z.object({
  sessions: z.number(),
  turns: z.number(),
  added: z.number(),
  duplicates: z.number(),
  conflicts: z.number(),
  notStored: z.number(),
  waiting: z.number(),
  byAgent: z.object({ 'kimi-cli': agentCounts, 'kimi-code': agentCounts, 'claude-code': agentCounts, codex: agentCounts }),
  outcomes: outcomeCounts,
  problems: z.array(z.object({ path: z.string(), reason: z.string() })),
  cancelled: z.boolean(),
});
export type SessionImportReportMessage = z.infer<typeof sessionImportReportSchema>;

/** Whether a session's work folder is `folder` or inside it (paths as the agent wrote them). */
export function inFolder(cwd: string | null, folder: string): boolean {
  if (!cwd) return false;
  const strip = (p: string) => p.replace(/[\\/]+$/, '');
  const a = strip(cwd);
  const b = strip(folder);
  return a === b || a.startsWith(`${b}/`) || a.startsWith(`${b}\\`);
}
