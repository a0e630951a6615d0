import {
  type AdapterOptions, type AdapterResult, type AgentTurn, type JsonObject, type TurnUsage, TurnDraft, contentText, countUnknown,
  emptyReport, exitCodeFromText, isoTime, jsonObjects, num, obj, realString, settleTimes, str, turnAt,
} from './agentTurn';

export interface ClaudeCodeSessionInput {
  /** The file name without `.jsonl`. */
  sessionId: string;
  /** `~/.claude/projects/<cwd with / as ->/<sessionId>.jsonl`. */
  text: string;
  /** Sub-agent transcripts (`<sessionId>/subagents/agent-*.jsonl`): their tokens count in the turn that ran them. */
  subagents?: string[];
  fallbackTime?: number | null;
}

/** Record types that carry nothing a turn needs. */
const IGNORED = new Set([
  'summary', 'attachment', 'progress', 'queue-operation', 'file-history-snapshot', 'agent-name', 'custom-title', 'ai-title',
  'last-prompt', 'permission-mode', 'mode', 'frame-link', 'pr-link', 'started', 'result', 'relocated', 'worktree-state',
  'bridge-session', 'atis-latch', 'tag', 'pr-state',
]);
const SHELL_TOOLS = new Set(['Bash', 'bash']);
const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
const NOT_A_TASK = /^\s*(<(command-name|command-message|command-args|local-command-stdout|local-command-stderr|bash-input|bash-stdout|bash-stderr|user-memory-input|system-reminder)>|Caveat: )/;
const INTERRUPTED = /^\s*\[Request interrupted by user/;
const REJECTED = /The user doesn't want to proceed with this tool use/;

interface Open {
  draft: TurnDraft;
  ended: boolean;
  apiErrorLast: boolean;
  endTurn: boolean;
  interrupted: boolean;
}

/**
 * Claude Code: one example per real user prompt on the main chain. A reply is
 * written as several lines sharing `message.id`; its usage is counted once.
 */
export function readClaudeCodeSession(input: ClaudeCodeSessionInput, options: AdapterOptions = {}): AdapterResult {
  const report = emptyReport();
  const turns: Open[] = [];
  let current: Open | null = null;
  let cwd: string | null = null;
  let branch: string | null = null;
  /** Usage per reply, the last line's figures (a streamed reply repeats, and may grow, its usage). */
  const replies = new Map<string, { open: Open; usage: TurnUsage }>();
  let anonymous = 0;
  let lastTime: number | null = null;
  for (const { value } of jsonObjects(input.text, report)) {
    const type = str(value.type) ?? '';
    const time = isoTime(value.timestamp);
    const before = lastTime;
    if (time !== null) lastTime = time;
    if (type === 'tool_use' || type === 'tool_result') {
      // An early format wrote tool calls and results as records of their own.
      if (!current) report.orphanRecords++;
      else if (type === 'tool_use') {
        const name = realString(value.name) ?? 'unknown';
        current.draft.seen(time);
        current.draft.toolCall(null, name, SHELL_TOOLS.has(name) ? str(obj(value.input).command) : null);
      } else current.draft.seen(time);
      continue;
    }
    if (type !== 'user' && type !== 'assistant' && type !== 'system') {
      if (!IGNORED.has(type)) countUnknown(report, type);
      continue;
    }
    cwd ??= realString(value.cwd);
    branch ??= realString(value.gitBranch);
    report.formatVersion ??= realString(value.version);
    const sidechain = value.isSidechain === true;
    if (type === 'user') {
      const message = obj(value.message);
      const content = message.content;
      const parts = Array.isArray(content) ? content.map(obj) : [];
      const results = parts.filter((p) => p.type === 'tool_result');
      if (results.length > 0) {
        if (!sidechain && current) for (const part of results) toolResult(current, part, value);
        else if (!current) report.orphanRecords++;
        continue;
      }
      const text = contentText(content);
      if (INTERRUPTED.test(text)) {
        if (current && !sidechain) {
          current.interrupted = true;
          current.draft.turn.interruptions++;
          current.draft.seen(time);
        }
        continue;
      }
      const origin = obj(value.origin);
      const fromAgent = origin.kind === 'task-notification' || origin.senderTaskId !== undefined || origin.from !== undefined;
      if (sidechain || fromAgent || value.isMeta === true || value.isCompactSummary === true || value.isVisibleInTranscriptOnly === true || NOT_A_TASK.test(text)) {
        report.skippedPrompts++;
        continue;
      }
      const draft = new TurnDraft('claude-code', input.sessionId, turns.length, text, time, options);
      // An undated prompt takes the nearest earlier time in the session, marked as inferred.
      if (time === null) draft.seen(before);
      draft.turn.planMode = value.permissionMode === 'plan';
      current = { draft, ended: false, apiErrorLast: false, endTurn: false, interrupted: false };
      turns.push(current);
      continue;
    }
    if (!current) {
      report.orphanRecords++;
      continue;
    }
    const d = current.draft;
    if (type === 'system') {
      const subtype = str(value.subtype) ?? '';
      // Bookkeeping records (hook summaries, compaction) are written whenever; only the turn's own events bound it.
      if (subtype === 'api_error' || subtype === 'error' || subtype === 'turn_duration') d.seen(time);
      if (subtype === 'api_error' || subtype === 'error') {
        d.turn.apiErrors++;
        current.apiErrorLast = true;
      } else if (subtype === 'turn_duration') {
        current.ended = true;
        const ms = num(value.durationMs);
        if (ms !== null && ms > 0) d.turn.durationMs = ms;
      }
      continue;
    }
    // assistant
    d.seen(time);
    const message = obj(value.message);
    const model = str(message.model);
    if (model !== '<synthetic>') d.setModel(model);
    if (value.isApiErrorMessage === true) {
      d.turn.apiErrors++;
      current.apiErrorLast = true;
      continue;
    }
    const usage = obj(message.usage);
    if (model !== '<synthetic>' && Object.keys(usage).length > 0) {
      const id = realString(message.id);
      const key = id ? `${id}|${str(value.requestId) ?? ''}` : `#${anonymous++}`;
      replies.set(key, {
        open: replies.get(key)?.open ?? current,
        usage: usageOf(usage),
      });
    }
    if (sidechain) continue;
    const parts = Array.isArray(message.content) ? message.content.map(obj) : [];
    if (parts.length > 0 || typeof message.content === 'string') current.apiErrorLast = false;
    for (const part of parts) {
      if (part.type !== 'tool_use') continue;
      const name = realString(part.name) ?? 'unknown';
      const args = obj(part.input);
      const file = FILE_TOOLS.has(name) ? (realString(args.file_path) ?? realString(args.notebook_path)) : null;
      d.toolCall(realString(part.id), name, SHELL_TOOLS.has(name) ? str(args.command) : null, file ? [file] : []);
    }
    const stop = str(message.stop_reason);
    if (stop) current.endTurn = stop === 'end_turn';
  }
  for (const { open, usage } of replies.values()) open.draft.addUsage(usage);
  for (const text of input.subagents ?? []) addSubagentUsage(text, turns.map((t) => t.draft), report);
  const done: AgentTurn[] = [];
  for (const [i, open] of turns.entries()) {
    const d = open.draft;
    if (open.interrupted) d.end('interrupted', '[Request interrupted by user]');
    else if (open.apiErrorLast) d.end('failed', 'API error ended the turn');
    else if (open.ended) d.end('completed', 'turn_duration');
    else if (open.endTurn) d.end('completed', 'stop_reason=end_turn');
    const last = i === turns.length - 1;
    // Older versions write no end-of-turn record: a turn followed by another is over, its outcome unknown.
    const unanswered = d.unansweredCalls().length > 0;
    const turn = d.finish(options, !unanswered && (!last || d.turn.outcome !== 'unknown'));
    turn.cwd = cwd;
    turn.branch = branch;
    if (last && turn.outcome === 'incomplete') turn.open = true;
    done.push(turn);
  }
  return { sessionId: input.sessionId, cwd, turns: settleTimes(done, report, input.fallbackTime ?? null), report };
}

function toolResult(open: Open, part: JsonObject, record: JsonObject): void {
  const d = open.draft;
  const text = contentText(part.content) || (typeof part.content === 'string' ? part.content : '');
  const isError = part.is_error === true;
  if (REJECTED.test(text) || record.toolDenialKind === 'user-rejected') {
    const said = /the user said:\s*([\s\S]*)$/i.exec(text);
    d.rejection(said ? said[1] : null);
  }
  if (INTERRUPTED.test(text)) {
    open.interrupted = true;
    d.turn.interruptions++;
  }
  // Claude Code marks a Bash result as an error exactly when the command exits non-zero ("Error: Exit code N").
  const id = realString(part.tool_use_id);
  let exit = isError ? exitCodeFromText(text.slice(0, 300)) : null;
  if (!isError && id !== null) exit = 0;
  d.toolResult(id, isError, exit);
}

function addSubagentUsage(text: string, drafts: TurnDraft[], report: AdapterResult['report']): void {
  const sub = emptyReport();
  const seen = new Map<string, { time: number | null; usage: TurnUsage }>();
  let n = 0;
  for (const { value } of jsonObjects(text, sub)) {
    if (value.type !== 'assistant') continue;
    const message = obj(value.message);
    const usage = obj(message.usage);
    if (message.model === '<synthetic>' || Object.keys(usage).length === 0) continue;
    const key = realString(message.id) ?? `#${n++}`;
    seen.set(key, { time: seen.get(key)?.time ?? isoTime(value.timestamp), usage: usageOf(usage) });
  }
  for (const { time, usage } of seen.values()) {
    const owner = turnAt(drafts, time);
    if (owner) owner.addUsage(usage);
    else report.orphanRecords++;
  }
  report.badLines += sub.badLines;
}

/** A reply's `usage` counts. */
function usageOf(u: JsonObject): TurnUsage {
  return { input: num(u.input_tokens) ?? 0, output: num(u.output_tokens) ?? 0, cacheRead: num(u.cache_read_input_tokens) ?? 0, cacheCreation: num(u.cache_creation_input_tokens) ?? 0 };
}
