import type { NormalizedExample } from '../../model/example';
import { normalizeRecord } from '../parseKimiLine';
import type { AgentTurn } from './agentTurn';

export interface ToExampleOptions {
  /** The clock, epoch ms: a turn dated more than a day after it is marked as in the future. */
  now: number;
  /** The home folder: paths under it are written relative (`~/…`) in what is stored. */
  home?: string | null;
}

/** Tools named in tags at most, the most used first. */
const MAX_TOOL_TAGS = 12;
/** A tool's name in a tag is cut at this many characters (the name comes from the log). */
const MAX_TOOL_NAME = 100;

function homeRelative(path: string, home: string | null | undefined): string {
  if (!home || home === '/') return path;
  const h = home.endsWith('/') || home.endsWith('\\') ? home.slice(0, -1) : home;
  return path === h ? '~' : path.startsWith(`${h}/`) || path.startsWith(`${h}\\`) ? `~${path.slice(h.length)}` : path;
}

/**
 * A turn as a learning example. What is kept: the prompt (already truncated by
 * the adapter), where the agent worked (folder, branch, commit at the start),
 * the files it wrote and the commands it ran as the log names them, the counts
 * (tokens, calls, errors, interruptions, rejections), the outcome and its
 * evidence. Never a tool's output or a file's contents.
 */
export function turnToExample(turn: AgentTurn, options: ToExampleOptions): { ok: true; example: NormalizedExample } | { ok: false; reason: string } {
  const home = options.home ?? null;
  const rel = (p: string) => homeRelative(p, home);
  const context: string[] = [];
  if (turn.cwd) context.push(`cwd: ${rel(turn.cwd)}`);
  if (turn.branch) context.push(`branch: ${turn.branch}`);
  if (turn.commit) context.push(`commit at start: ${turn.commit}`);
  if (turn.files.length) context.push(`files written: ${turn.files.map(rel).join(', ')}`);
  for (const command of turn.commands) context.push(`$ ${command.replace(/\n/g, ' ')}`);
  const usage = turn.usage;
  const tokens = usage ? usage.input + usage.output + usage.cacheRead + usage.cacheCreation : null;
  const metrics: Record<string, unknown> = {};
  if (turn.durationMs !== null) metrics.execution_time = Math.round(turn.durationMs) / 1000;
  if (usage) {
    metrics.input_tokens = usage.input;
    metrics.output_tokens = usage.output;
    metrics.cache_read_tokens = usage.cacheRead;
    metrics.cache_creation_tokens = usage.cacheCreation;
  }
  metrics.llm_calls = turn.llmCalls;
  metrics.tool_calls = turn.toolCalls;
  metrics.tool_errors = turn.toolErrors;
  metrics.interruptions = turn.interruptions;
  metrics.rejections = turn.rejections;
  if (turn.steers) metrics.steers = turn.steers;
  if (turn.apiErrors) metrics.api_errors = turn.apiErrors;
  if (turn.testsPassed !== null) {
    metrics.tests_passed = turn.testsPassed;
    metrics.test_runs = turn.tests.length;
  }
  const tags = [`agent:${turn.agent}`, `outcome:${turn.outcome}`];
  const tools = Object.entries(turn.tools).sort((a, b) => b[1].calls - a[1].calls || a[0].localeCompare(b[0]));
  for (const [name] of tools.slice(0, MAX_TOOL_TAGS)) tags.push(`tool:${name.slice(0, MAX_TOOL_NAME)}`);
  if (turn.interruptions > 0) tags.push('interrupted');
  if (turn.rejections > 0) tags.push('rejected');
  if (turn.planMode) tags.push('plan-mode');
  if (turn.tests.length > 0) tags.push('tests-ran');
  const extra: Record<string, unknown> = { agent: turn.agent, outcome: turn.outcome, outcome_evidence: turn.evidence.slice(0, 50) };
  if (turn.successBasis) extra.success_basis = turn.successBasis;
  if (turn.tsInferred) extra.time_inferred = true;
  if (turn.promptTruncated) extra.prompt_truncated = true;
  // The turn goes through the validator every KIMI line does: the same limits, the same refusals
  // (text that cannot be stored, numbers out of range), the same normal form and fingerprint.
  const record = {
    id: turn.id,
    timestamp: turn.ts,
    session_id: turn.sessionId,
    task_description: turn.prompt || null,
    code_context: context.length ? context.join('\n') : null,
    success: turn.success,
    metrics,
    tags: [...new Set(tags)],
    model_used: turn.model,
    tokens_consumed: tokens,
    human_feedback: turn.feedback,
    ...extra,
  };
  const parsed = normalizeRecord(record, { assumeTimeZone: 'utc', now: options.now });
  return parsed.ok ? { ok: true, example: parsed.example } : { ok: false, reason: parsed.reason };
}
