import {
  type AdapterOptions, type AdapterResult, type AgentTurn, type JsonObject, type Outcome, type TurnUsage, TurnDraft, contentText, countUnknown,
  emptyReport, exitCodeFromText, jsonObjects, num, obj, settleTimes, str, turnAt,
} from './agentTurn';

export interface KimiCodeSessionInput {
  sessionId: string;
  /** `agents/main/wire.jsonl`. */
  wire: string;
  /** `state.json` of the session (its `workDir`). */
  state?: string;
  /** `agents/agent-N/wire.jsonl`: sub-agents, whose LLM calls count in the main turn running when they ran. */
  subagents?: string[];
  cwd?: string | null;
  fallbackTime?: number | null;
}

const KNOWN = new Set([
  'metadata', 'config.update', 'tools.set_active_tools', 'turn.prompt', 'turn.steer', 'turn.cancel', 'turn.ended',
  'context.append_message', 'context.append_loop_event', 'context.undo', 'context.compact', 'llm.tools_snapshot', 'llm.request',
  'usage.record', 'permission.record_approval_result', 'permission.set_mode', 'profile.bind', 'plugin.session_start',
  'runtime.set_binding', 'token_counting.measured', 'token_counting.turn_recorded', 'plan.set_mode', 'background_task.update',
]);

const REASONS: Record<string, Outcome> = { completed: 'completed', cancelled: 'cancelled', failed: 'failed', blocked: 'blocked' };
const SHELL_TOOLS = new Set(['Bash', 'Shell']);
const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'WriteFile', 'StrReplaceFile']);

/** Kimi Code (`~/.kimi-code/sessions/wd_…/session_…/agents/main/wire.jsonl`): one example per user `turn.prompt`. */
export function readKimiCodeSession(input: KimiCodeSessionInput, options: AdapterOptions = {}): AdapterResult {
  const report = emptyReport();
  let state: JsonObject = {};
  if (input.state !== undefined) {
    try {
      state = obj(JSON.parse(input.state));
    } catch {
      report.badLines++;
    }
  }
  const cwd = input.cwd ?? str(state.workDir);
  const drafts: { draft: TurnDraft; turnId: string | null; ended: boolean; cancelled: boolean }[] = [];
  let current: (typeof drafts)[number] | null = null;
  let prompts = 0;
  let planMode = false;
  for (const { value } of jsonObjects(input.wire, report)) {
    const type = str(value.type) ?? '';
    const time = num(value.time);
    if (!KNOWN.has(type)) countUnknown(report, type);
    if (type === 'metadata') {
      report.formatVersion = str(value.protocol_version);
      continue;
    }
    if (type === 'turn.prompt') {
      const turnId = String(prompts++);
      if (obj(value.origin).kind !== 'user') {
        // A system-triggered prompt (a background task's result, a reminder) is part of the turn it arrives in.
        report.skippedPrompts++;
        continue;
      }
      const draft = new TurnDraft('kimi-code', input.sessionId, drafts.length, contentText(value.input), time, options);
      draft.turn.planMode = planMode;
      current = { draft, turnId, ended: false, cancelled: false };
      drafts.push(current);
      continue;
    }
    if (type === 'turn.ended') {
      const id = value.turnId === undefined || value.turnId === null ? null : String(value.turnId);
      const target: (typeof drafts)[number] | undefined = drafts.find((d) => d.turnId === id) ?? current ?? drafts.at(-1);
      if (!target) {
        report.orphanRecords++;
        continue;
      }
      const reason = str(value.reason) ?? '';
      target.ended = true;
      target.draft.end(REASONS[reason] ?? 'unknown', `turn.ended.reason=${reason || '(none)'}`);
      const error = str(obj(value.error).message) ?? str(value.error);
      if (error) target.draft.turn.evidence.push(`error: ${error.slice(0, 200)}`);
      const duration = num(value.durationMs);
      if (duration !== null) target.draft.turn.durationMs = duration;
      if (target === current) current = null;
      continue;
    }
    if (type === 'turn.cancel') {
      if (!current) continue;
      // The user asked to stop; the turn.ended that normally follows has the last word.
      current.cancelled = true;
      current.draft.seen(time);
      current.draft.turn.evidence.push('turn.cancel');
      current = null;
      continue;
    }
    if (type === 'plan.set_mode' || (type === 'permission.set_mode' && value.mode === 'plan')) planMode = value.enabled === true || value.mode === 'plan';
    if (!current) {
      if (type === 'context.append_loop_event' || type === 'usage.record' || type === 'llm.request') report.orphanRecords++;
      continue;
    }
    const d = current.draft;
    d.seen(time);
    switch (type) {
      case 'turn.steer':
        d.turn.steers++;
        break;
      case 'llm.request':
        d.setModel(str(value.model));
        break;
      case 'usage.record':
        addUsage(d, value);
        break;
      case 'permission.record_approval_result': {
        const result = obj(value.result);
        const decision = str(result.decision) ?? '';
        if (/^(reject|rejected|denied|deny)$/.test(decision)) d.rejection(str(result.feedback) ?? str(result.reason));
        break;
      }
      case 'context.append_loop_event': {
        const event = obj(value.event);
        if (event.turnId !== undefined && current.turnId !== String(event.turnId) && drafts.filter((x) => x.turnId === String(event.turnId)).length === 0) {
          current.turnId = String(event.turnId);
        }
        loopEvent(d, event);
        break;
      }
      default:
        break;
    }
  }
  const turns: AgentTurn[] = [];
  for (const [i, entry] of drafts.entries()) {
    if (!entry.ended && entry.cancelled) entry.draft.turn.outcome = 'cancelled';
    const turn = entry.draft.finish(options, entry.ended || entry.cancelled);
    turn.cwd = cwd;
    if (i === drafts.length - 1 && !entry.ended && !entry.cancelled) turn.open = true;
    turns.push(turn);
  }
  for (const text of input.subagents ?? []) addSubagentUsage(text, drafts.map((d) => d.draft), report);
  return { sessionId: input.sessionId, cwd, turns: settleTimes(turns, report, input.fallbackTime ?? null), report };
}

function loopEvent(d: TurnDraft, event: JsonObject): void {
  switch (event.type) {
    case 'tool.call': {
      const name = str(event.name) ?? 'unknown';
      const args = obj(event.args);
      const file = FILE_TOOLS.has(name) ? (str(args.file_path) ?? str(args.path)) : null;
      d.toolCall(str(event.toolCallId) ?? str(event.uuid), name, SHELL_TOOLS.has(name) ? str(args.command) : null, file ? [file] : []);
      break;
    }
    case 'tool.result': {
      const result = obj(event.result);
      const output = typeof result.output === 'string' ? result.output : '';
      // Exit codes only where stated: the result's own field or status line, or an error's first line; never a program's output.
      const exit = num(result.exitCode) ?? exitCodeFromText(str(result.message) ?? (result.isError === true ? output.slice(0, 200) : ''));
      d.toolResult(str(event.toolCallId) ?? str(event.parentUuid), result.isError === true, exit);
      break;
    }
    default:
      break;
  }
}

function addUsage(d: TurnDraft, value: JsonObject): void {
  const u = obj(value.usage);
  d.addUsage(usageOf(u));
  d.setModel(str(value.model));
}

/** A sub-agent's LLM calls count in the main turn that was running at their time. */
function addSubagentUsage(text: string, drafts: TurnDraft[], report: AdapterResult['report']): void {
  const sub = emptyReport();
  for (const { value } of jsonObjects(text, sub)) {
    if (value.type !== 'usage.record') continue;
    const time = num(value.time);
    const owner = turnAt(drafts, time);
    if (!owner) {
      report.orphanRecords++;
      continue;
    }
    const u = obj(value.usage);
    owner.addUsage(usageOf(u));
  }
  report.badLines += sub.badLines;
}

/** A `usage.record`'s counts. */
function usageOf(u: JsonObject): TurnUsage {
  return { input: num(u.inputOther) ?? 0, output: num(u.output) ?? 0, cacheRead: num(u.inputCacheRead) ?? 0, cacheCreation: num(u.inputCacheCreation) ?? 0 };
}
