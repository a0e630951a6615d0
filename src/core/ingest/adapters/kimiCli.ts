import {
  type AdapterOptions, type AdapterResult, type AgentTurn, type JsonObject, TurnDraft, contentText, countUnknown, emptyReport,
  exitCodeFromText, jsonObjects, num, obj, settleTimes, str, turnAt,
} from './agentTurn';

/** The files of one Kimi CLI session folder, as text (missing ones left out). */
export interface KimiCliSessionFiles {
  /** `wire.jsonl`: the timed event log. */
  wire?: string;
  /** `context.jsonl` (or an old flat `<session>.jsonl`): the model history, read only when the wire log has no turns. */
  context?: string;
  /** `state.json`. */
  state?: string;
  /** `subagents/<id>/wire.jsonl` of newer versions: their LLM calls count in the main turn running when they ran. */
  subagents?: string[];
}

export interface KimiCliSessionInput {
  sessionId: string;
  files: KimiCliSessionFiles;
  /** The work folder, from `kimi.json` (the session folder only holds its hash). */
  cwd?: string | null;
  /** A time for a session whose log has none (the wire file's mtime), epoch ms. */
  fallbackTime?: number | null;
}

const KNOWN_WIRE = new Set([
  'TurnBegin', 'TurnEnd', 'SteerInput', 'StepBegin', 'StepInterrupted', 'StepRetry', 'StatusUpdate', 'ToolCall', 'ToolCallPart',
  'ToolResult', 'ApprovalRequest', 'ApprovalResponse', 'HookTriggered', 'HookResolved', 'SubagentEvent', 'ContentPart',
  'CompactionBegin', 'CompactionEnd', 'Notification', 'PlanDisplay', 'QuestionRequest', 'QuestionResponse', 'ToolCallRequest',
  'BtwBegin', 'BtwEnd', 'MCPLoadingBegin', 'MCPLoadingEnd',
]);

const SHELL_TOOLS = new Set(['Shell', 'Bash', 'bash', 'shell']);
const FILE_TOOLS = new Set(['WriteFile', 'StrReplaceFile', 'Edit', 'Write', 'MultiEdit', 'EditFile']);

/** Kimi CLI (`~/.kimi/sessions/<md5 of work dir>/<session>/`): one example per `TurnBegin` of `wire.jsonl`. */
export function readKimiCliSession(input: KimiCliSessionInput, options: AdapterOptions = {}): AdapterResult {
  const report = emptyReport();
  const state = parseState(input.files.state, report);
  const fallback = input.fallbackTime ?? (num(state.wire_mtime) !== null ? Math.round(num(state.wire_mtime)! * 1000) : null);
  const cwd = input.cwd ?? null;
  let turns: AgentTurn[] = [];
  if (input.files.wire !== undefined) turns = readWire(input, input.files.wire, report, options, state);
  // The oldest layout has only the model history: no wire log is missing there.
  else if (input.files.context === undefined) report.missingFiles.push('wire.jsonl');
  if (turns.length === 0 && input.files.context !== undefined) turns = readContext(input, input.files.context, report, options);
  for (const turn of turns) turn.cwd = cwd;
  return { sessionId: input.sessionId, cwd, turns: settleTimes(turns, report, fallback), report };
}

function parseState(text: string | undefined, report: AdapterResult['report']): JsonObject {
  if (text === undefined) return {};
  try {
    return obj(JSON.parse(text));
  } catch {
    report.badLines++;
    return {};
  }
}

function readWire(input: KimiCliSessionInput, text: string, report: AdapterResult['report'], options: AdapterOptions, state: JsonObject): AgentTurn[] {
  const turns: AgentTurn[] = [];
  const drafts: TurnDraft[] = [];
  let embeddedSubagentUsage = false;
  let draft: TurnDraft | null = null;
  let ended = false;
  let interruptedStep: number | null = null;
  report.formatVersion = '1.1';
  const close = (): void => {
    if (!draft) return;
    if (interruptedStep !== null) draft.end('failed', `StepInterrupted at step ${interruptedStep} with no later step`);
    else if (ended) draft.end('completed', 'TurnEnd');
    const turn = draft.finish(options, ended || interruptedStep !== null);
    turns.push(turn);
    drafts.push(draft);
    draft = null;
  };
  for (const { value } of jsonObjects(text, report)) {
    if (value.type === 'metadata') {
      report.formatVersion = str(value.protocol_version) ?? report.formatVersion;
      continue;
    }
    const message = obj(value.message);
    const type = str(message.type) ?? '';
    const payload = obj(message.payload);
    const time = num(value.timestamp) !== null ? Math.round(num(value.timestamp)! * 1000) : null;
    if (type === 'TurnBegin') {
      close();
      draft = new TurnDraft('kimi-cli', input.sessionId, turns.length, contentText(payload.user_input), time, options);
      draft.turn.planMode = state.plan_mode === true;
      ended = false;
      interruptedStep = null;
      continue;
    }
    if (!KNOWN_WIRE.has(type)) countUnknown(report, type);
    if (!draft) {
      report.orphanRecords++;
      continue;
    }
    const d: TurnDraft = draft;
    d.seen(time);
    switch (type) {
      case 'TurnEnd':
        ended = true;
        break;
      case 'SteerInput':
        d.turn.steers++;
        break;
      case 'StepBegin':
        interruptedStep = null;
        break;
      case 'StepInterrupted':
        interruptedStep = num(payload.n) ?? num(payload.step) ?? 0;
        d.turn.interruptions++;
        break;
      case 'StatusUpdate':
        addStatusUsage(d, payload);
        if (payload.plan_mode === true) d.turn.planMode = true;
        break;
      case 'SubagentEvent': {
        // A sub-agent's work is part of the turn that launched it: its tokens count, its prompt is not a task.
        const event = obj(payload.event);
        if (event.type === 'StatusUpdate') {
          embeddedSubagentUsage = true;
          addStatusUsage(d, obj(event.payload));
        }
        break;
      }
      case 'ToolCall': {
        const fn = obj(payload.function);
        const name = str(fn.name) ?? 'unknown';
        const args = parseArgs(fn.arguments);
        const command = SHELL_TOOLS.has(name) ? str(args.command) : null;
        const file = FILE_TOOLS.has(name) ? (str(args.path) ?? str(args.file_path)) : null;
        d.toolCall(str(payload.id), name, command, file ? [file] : []);
        break;
      }
      case 'ToolResult': {
        const ret = obj(payload.return_value);
        const message = str(ret.message) ?? '';
        const exit = exitCodeFromText(message);
        d.toolResult(str(payload.tool_call_id), ret.is_error === true, exit);
        break;
      }
      case 'ApprovalResponse':
        if (payload.response === 'reject') d.rejection(str(payload.feedback));
        break;
      case 'HookResolved':
        if (payload.action === 'block') d.turn.evidence.push(`hook blocked ${str(payload.target) ?? 'a tool'}`);
        break;
      default:
        break;
    }
  }
  close();
  const last = turns.at(-1);
  if (last && last.outcome === 'incomplete') last.open = true;
  // Newer versions write a sub-agent's events to its own folder instead of the main log: count its calls there, once.
  if (!embeddedSubagentUsage) for (const sub of input.files.subagents ?? []) addSubagentUsage(sub, drafts, report);
  return turns;
}

function addStatusUsage(d: TurnDraft, payload: JsonObject): void {
  const usage = payload.token_usage;
  if (usage === null || typeof usage !== 'object') return;
  const u = obj(usage);
  d.addUsage({ input: num(u.input_other) ?? 0, output: num(u.output) ?? 0, cacheRead: num(u.input_cache_read) ?? 0, cacheCreation: num(u.input_cache_creation) ?? 0 });
}

function parseArgs(value: unknown): JsonObject {
  if (typeof value !== 'string') return obj(value);
  try {
    return obj(JSON.parse(value));
  } catch {
    return {};
  }
}

/**
 * A session with no timed log (the oldest layout, or a wire file with only its
 * metadata line): the model history gives the prompts and tool calls, but no
 * times, no model and no outcome.
 */
function readContext(input: KimiCliSessionInput, text: string, report: AdapterResult['report'], options: AdapterOptions): AgentTurn[] {
  const turns: AgentTurn[] = [];
  let draft: TurnDraft | null = null;
  const close = (): void => {
    if (draft) turns.push(draft.finish(options, true));
    draft = null;
  };
  for (const { value } of jsonObjects(text, report)) {
    const role = str(value.role) ?? '';
    if (role === 'user') {
      const prompt = contentText(value.content);
      if (/^\s*<system(-reminder)?>/.test(prompt)) {
        report.skippedPrompts++;
        continue;
      }
      close();
      draft = new TurnDraft('kimi-cli', input.sessionId, turns.length, prompt, null, options);
      continue;
    }
    if (role.startsWith('_')) continue;
    if (role !== 'assistant' && role !== 'tool') {
      countUnknown(report, role);
      continue;
    }
    if (!draft) {
      report.orphanRecords++;
      continue;
    }
    const d: TurnDraft = draft;
    if (role === 'assistant' && Array.isArray(value.tool_calls)) {
      for (const call of value.tool_calls) {
        const c = obj(call);
        const fn = obj(c.function);
        const name = str(fn.name) ?? 'unknown';
        const args = parseArgs(fn.arguments);
        d.toolCall(str(c.id), name, SHELL_TOOLS.has(name) ? str(args.command) : null);
      }
    } else if (role === 'tool') {
      const content = contentText(value.content);
      d.toolResult(str(value.tool_call_id), /^<system>ERROR:/.test(content), exitCodeFromText(content.slice(0, 400)));
    }
  }
  close();
  return turns;
}

/** A sub-agent's StatusUpdate usage, each in the main turn that was running at its time. */
function addSubagentUsage(text: string, drafts: TurnDraft[], report: AdapterResult['report']): void {
  const sub = emptyReport();
  for (const { value } of jsonObjects(text, sub)) {
    const message = obj(value.message);
    if (message.type !== 'StatusUpdate') continue;
    const usage = obj(message.payload).token_usage;
    if (usage === null || typeof usage !== 'object') continue;
    const time = num(value.timestamp) !== null ? Math.round(num(value.timestamp)! * 1000) : null;
    const owner = turnAt(drafts, time);
    if (owner) addStatusUsage(owner, obj(message.payload));
    else report.orphanRecords++;
  }
  report.badLines += sub.badLines;
}
