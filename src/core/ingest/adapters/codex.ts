import {
  type AdapterOptions, type AdapterResult, type AgentTurn, type JsonObject, type Outcome, TurnDraft, contentText, countUnknown,
  emptyReport, exitCodeFromText, isoTime, jsonObjects, num, obj, realString, settleTimes, str,
} from './agentTurn';

export interface CodexSessionInput {
  /** From the file name (`rollout-<time>-<id>`), used when `session_meta` names none. */
  sessionId: string;
  /** The rollout's text (decompressed when it was a `.jsonl.zst`). */
  text: string;
  fallbackTime?: number | null;
}

const KNOWN_TOP = new Set(['session_meta', 'turn_context', 'response_item', 'event_msg', 'compacted', 'world_state', 'inter_agent_communication_metadata']);
const ABORTS: Record<string, Outcome> = { interrupted: 'interrupted', replaced: 'cancelled', review_ended: 'cancelled', budget_limited: 'blocked' };
const SHELL_TOOLS = new Set(['shell', 'exec_command', 'local_shell', 'container.exec', 'shell_command', 'unified_exec']);
/** Context Codex puts in the user's role that the user did not type. */
const INJECTED = /^\s*(<environment_context>|<user_instructions>|<permissions instructions>|# AGENTS\.md|<turn_aborted>|<user_shell_command>)/;

interface Open {
  draft: TurnDraft;
  turnId: string | null;
  terminal: boolean;
  error: string | null;
}

/** Codex CLI (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`): one example per `user_message`. */
export function readCodexSession(input: CodexSessionInput, options: AdapterOptions = {}): AdapterResult {
  const report = emptyReport();
  const records = jsonObjects(input.text, report);
  const hasUserEvents = records.some(({ value }) => value.type === 'event_msg' && obj(value.payload).type === 'user_message');
  let sessionId: string | null = null;
  let cwd: string | null = null;
  let branch: string | null = null;
  let commit: string | null = null;
  let forkTime: number | null = null;
  let model: string | null = null;
  let pendingTurnId: string | null = null;
  let lastTotal: string | null = null;
  let lastTotalUsage: JsonObject | null = null;
  let lastTime: number | null = null;
  const turns: Open[] = [];
  let current = null as Open | null;
  const calls = new Map<string, string | null>();
  const exitsRecorded = new Set<string>();

  const startTurn = (prompt: string, time: number | null, before: number | null): Open => {
    const draft = new TurnDraft('codex', 'pending', turns.length, prompt, time, options);
    if (time === null) draft.seen(before);
    draft.setModel(model);
    const open: Open = { draft, turnId: pendingTurnId, terminal: false, error: null };
    pendingTurnId = null;
    turns.push(open);
    return open;
  };

  for (const { value } of records) {
    const top = str(value.type) ?? '';
    const payload = obj(value.payload);
    const time = isoTime(value.timestamp);
    const before = lastTime;
    if (time !== null) lastTime = time;
    if (top === '' || top === 'function_call' || top === 'function_result') {
      // The earliest format: flat `{role, message, model}` and `{type: function_call}` records.
      const flatTime = isoTime(value.created_at);
      if (top === '' && value.role === 'user') {
        report.formatVersion ??= 'flat';
        model = realString(value.model) ?? model;
        current = startTurn(str(value.message) ?? contentText(value.content), flatTime, before);
      } else if (top === 'function_call' && current) {
        current.draft.seen(flatTime);
        current.draft.toolCall(null, realString(obj(value.function).name) ?? 'unknown', null);
      } else if (top === '' && value.role === 'assistant' && current) {
        current.draft.seen(flatTime);
      } else if (top !== 'function_result' && !current) report.orphanRecords++;
      if (flatTime !== null) lastTime = flatTime;
      continue;
    }
    if (!KNOWN_TOP.has(top)) {
      countUnknown(report, top);
      continue;
    }
    if (top === 'session_meta') {
      if (sessionId === null) {
        sessionId = realString(payload.id);
        cwd = realString(payload.cwd);
        const git = obj(payload.git);
        branch = realString(git.branch);
        commit = realString(git.commit_hash);
        report.formatVersion = realString(payload.cli_version);
        // A forked rollout first repeats its parent's history: turns dated before the fork are the parent's.
        if (realString(payload.forked_from_id)) forkTime = isoTime(payload.timestamp) ?? time;
      }
      continue;
    }
    if (top === 'turn_context') {
      model = realString(payload.model) ?? model;
      if (current && !current.terminal) current.draft.setModel(model);
      continue;
    }
    if (top !== 'event_msg' && top !== 'response_item') continue;
    const kind = str(payload.type) ?? '';
    if (top === 'event_msg' && kind === 'user_message') {
      if (forkTime !== null && time !== null && time < forkTime) {
        report.skippedPrompts++;
        continue;
      }
      current = startTurn(str(payload.message) ?? '', time, before);
      continue;
    }
    if (!hasUserEvents && top === 'response_item' && kind === 'message' && payload.role === 'user') {
      // Early rollouts have no events: the user's messages are the prompts.
      const text = contentText(payload.content);
      if (INJECTED.test(text)) report.skippedPrompts++;
      else current = startTurn(text, time, before);
      continue;
    }
    if (top === 'event_msg' && kind === 'task_started') {
      const id = realString(payload.turn_id);
      if (current && !current.terminal && current.turnId === null) current.turnId = id;
      else pendingTurnId = id;
      continue;
    }
    const open = current;
    if (!open) {
      if (kind !== 'token_count' || payload.info !== null) report.orphanRecords++;
      continue;
    }
    const d = open.draft;
    if (kind === 'task_complete' || kind === 'turn_aborted') {
      const id = realString(payload.turn_id);
      const target = (id !== null ? turns.find((t) => t.turnId === id) : undefined) ?? open;
      target.draft.seen(time);
      const duration = num(payload.duration_ms);
      if (duration !== null && duration > 0 && target.draft.turn.durationMs === null) target.draft.turn.durationMs = duration;
      if (kind === 'turn_aborted') {
        const reason = str(payload.reason) ?? '';
        target.draft.end(ABORTS[reason] ?? 'cancelled', `turn_aborted.reason=${reason || '(none)'}`);
        if (reason === 'interrupted') target.draft.turn.interruptions++;
      } else {
        const error = payload.error === null || payload.error === undefined ? null : (realString(obj(payload.error).message) ?? 'error');
        if (error) target.draft.end('failed', `task_complete.error: ${error.slice(0, 200)}`);
        else target.draft.end('completed', 'task_complete');
      }
      target.terminal = true;
      continue;
    }
    // Late records (a tool's output, the last token count) still belong to the turn; they do not lengthen it.
    if (!open.terminal) d.seen(time);
    switch (kind) {
      case 'error':
        open.error = realString(payload.message) ?? 'error';
        d.turn.apiErrors++;
        break;
      case 'token_count': {
        const info = payload.info;
        if (info === null || typeof info !== 'object') break;
        const i = obj(info);
        const total = obj(i.total_token_usage);
        const totalKey = JSON.stringify(total);
        // The same cumulative total again is the same call reported twice.
        if (Object.keys(total).length > 0 && totalKey === lastTotal) break;
        let last = i.last_token_usage === undefined ? null : obj(i.last_token_usage);
        if (last === null && Object.keys(total).length > 0) last = difference(total, lastTotalUsage);
        lastTotal = totalKey;
        lastTotalUsage = total;
        if (!last) break;
        const inputAll = num(last.input_tokens) ?? 0;
        const cached = num(last.cached_input_tokens) ?? 0;
        d.addUsage({ input: Math.max(0, inputAll - cached), cacheRead: cached, output: num(last.output_tokens) ?? 0 });
        break;
      }
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call': {
        const name = realString(payload.name) ?? (kind === 'local_shell_call' ? 'local_shell' : 'unknown');
        const args = parseArgs(kind === 'custom_tool_call' ? payload.input : (payload.arguments ?? payload.action));
        const command = SHELL_TOOLS.has(name) ? shellCommand(args) : null;
        const files = name === 'apply_patch' ? patchFiles(typeof payload.input === 'string' ? payload.input : str(args.input) ?? '') : [];
        const callId = realString(payload.call_id);
        if (callId) calls.set(callId, command);
        d.toolCall(callId, name, command, files);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const callId = realString(payload.call_id);
        const text = outputText(payload.output);
        const exit = exitCodeFromText(text.slice(0, 2000));
        if (callId && exit !== null) exitsRecorded.add(callId);
        d.toolResult(callId, exit !== null && exit !== 0, exit);
        break;
      }
      case 'exec_command_end': {
        const callId = realString(payload.call_id);
        const exit = num(payload.exit_code);
        const command = Array.isArray(payload.command) ? shellCommand({ command: payload.command }) : (callId ? calls.get(callId) ?? null : null);
        if (exit !== null && command && !(callId && exitsRecorded.has(callId))) {
          if (callId) exitsRecorded.add(callId);
          d.commandExit(command, exit);
        }
        break;
      }
      case 'patch_apply_end':
        d.touched(Object.keys(obj(payload.changes)));
        break;
      default:
        break;
    }
  }
  const id = sessionId ?? input.sessionId;
  const done: AgentTurn[] = [];
  for (const [index, open] of turns.entries()) {
    const d = open.draft;
    if (!open.terminal && open.error) d.end('failed', `error: ${open.error.slice(0, 200)}`);
    const last = index === turns.length - 1;
    // Old rollouts mark no end: a turn followed by another is over, with an unknown outcome.
    const turn = d.finish(options, open.terminal || open.error !== null || (!last && d.unansweredCalls().length === 0));
    turn.id = `codex:${id}:${turn.turn}`;
    turn.sessionId = id;
    turn.cwd = cwd;
    turn.branch = branch;
    turn.commit = commit;
    if (last && turn.outcome === 'incomplete') turn.open = true;
    done.push(turn);
  }
  return { sessionId: id, cwd, turns: settleTimes(done, report, input.fallbackTime ?? null), report };
}

function parseArgs(value: unknown): JsonObject {
  if (typeof value !== 'string') return obj(value);
  try {
    return obj(JSON.parse(value));
  } catch {
    return { input: value };
  }
}

/** The command line of a shell call: `["bash", "-lc", "npm test"]` reads as `npm test`. */
function shellCommand(args: JsonObject): string | null {
  const command = args.command ?? args.cmd;
  if (typeof command === 'string') return command;
  if (!Array.isArray(command)) return null;
  const words = command.filter((w): w is string => typeof w === 'string');
  if (words.length >= 3 && /(^|\/)(ba|z)?sh$/.test(words[0]) && /^-l?c$/.test(words[1])) return words.slice(2).join(' ');
  return words.join(' ') || null;
}

function patchFiles(patch: string): string[] {
  const files: string[] = [];
  for (const match of patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)) files.push(match[1].trim());
  return files;
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return contentText(output);
  const o = obj(output);
  if (typeof o.text === 'string') return o.text;
  if (typeof o.content === 'string') return o.content;
  return JSON.stringify(output ?? '');
}

function difference(total: JsonObject, previous: JsonObject | null): JsonObject {
  const out: JsonObject = {};
  for (const key of ['input_tokens', 'cached_input_tokens', 'output_tokens']) out[key] = Math.max(0, (num(total[key]) ?? 0) - (num(previous?.[key]) ?? 0));
  return out;
}
