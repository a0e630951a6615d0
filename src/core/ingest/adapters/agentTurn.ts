/**
 * What an agent's own session log says about one user turn, before it becomes
 * an example. The rules are those of `AGENT-LOGS.md`: a turn that ended is not
 * a task that succeeded, so `success` is true, false or null (unknown), and
 * the evidence behind any verdict is kept beside it.
 */

export const AGENTS = ['kimi-cli', 'kimi-code', 'claude-code', 'codex'] as const;
export type AgentName = (typeof AGENTS)[number];

export const OUTCOMES = ['completed', 'failed', 'cancelled', 'interrupted', 'blocked', 'incomplete', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Token counts of the LLM calls of a turn, each call counted once. */
export interface TurnUsage {
  /** Input not read from a cache. */
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

export interface TestRun {
  command: string;
  exitCode: number;
}

export interface AgentTurn {
  /** `<agent>:<session>:<turn>`: a re-import of the same session adds nothing. */
  id: string;
  agent: AgentName;
  sessionId: string;
  /** 0-based index of the user turn in its session. */
  turn: number;
  /** Start of the turn, epoch milliseconds. */
  ts: number;
  /** True when the log gave the turn no time of its own and `ts` is the nearest earlier (or the session's) time. */
  tsInferred: boolean;
  durationMs: number | null;
  /** The user's prompt, truncated to the adapter's limit. */
  prompt: string;
  promptTruncated: boolean;
  /** The model, only where the log names it. */
  model: string | null;
  usage: TurnUsage | null;
  llmCalls: number;
  toolCalls: number;
  toolErrors: number;
  /** Calls and errors per tool name. */
  tools: Record<string, { calls: number; errors: number }>;
  /** Shell commands run (truncated), in order. */
  commands: string[];
  /** Files the agent wrote or edited, as the log names them. */
  files: string[];
  /** Test-like commands whose exit code the log gives. */
  tests: TestRun[];
  /** Whether the last test-like command exited 0; null when no test ran with a known exit code. */
  testsPassed: boolean | null;
  interruptions: number;
  rejections: number;
  /** Text the user gave as feedback when rejecting a tool call (never the next prompt). */
  feedback: string | null;
  /** Extra user input sent while the turn ran (steering). */
  steers: number;
  apiErrors: number;
  outcome: Outcome;
  /** Why the outcome is what it is, e.g. `turn.ended.reason=failed`, `Shell exit 1 (pytest)`. */
  evidence: string[];
  success: boolean | null;
  /** The basis of a true/false `success`, e.g. `explicit failure` or `rule: last test exited 0`. */
  successBasis: string | null;
  cwd: string | null;
  branch: string | null;
  commit: string | null;
  planMode: boolean;
  /** The turn has no end in the log: it may still be running. */
  open: boolean;
}

export interface AdapterOptions {
  /** Prompts longer than this many characters are cut (default 2000). */
  maxPromptChars?: number;
  /**
   * Opt-in rule for `success = true`: the turn completed and the last
   * test-like command in it exited 0 (recorded as the basis). Off by default:
   * then `success` is only ever false (explicit failure) or unknown.
   */
  successFromTests?: boolean;
}

/** What an adapter met that it could not use: counted, never fatal. */
export interface AdapterReport {
  /** Lines that are not JSON objects (a truncated last line is counted apart). */
  badLines: number;
  truncatedLastLine: boolean;
  /** Record types the adapter does not know, with how many of each. */
  unknownTypes: Record<string, number>;
  /** Prompts that are not tasks: slash commands, reminders, compaction summaries, sub-agent prompts. */
  skippedPrompts: number;
  /** Records that belong to no turn (before the first prompt). */
  orphanRecords: number;
  /** Turns whose time was inferred. */
  undatedTurns: number;
  /** Turns left out because nothing in or before them has a time. */
  droppedUndated: number;
  /** Files named by the layout that were missing or unreadable. */
  missingFiles: string[];
  /** The session's format version as the log states it. */
  formatVersion: string | null;
}

export interface AdapterResult {
  sessionId: string;
  cwd: string | null;
  turns: AgentTurn[];
  report: AdapterReport;
}

export function emptyReport(): AdapterReport {
  return { badLines: 0, truncatedLastLine: false, unknownTypes: {}, skippedPrompts: 0, orphanRecords: 0, undatedTurns: 0, droppedUndated: 0, missingFiles: [], formatVersion: null };
}

export function countUnknown(report: AdapterReport, type: string): void {
  const key = type.slice(0, 80) || '(none)';
  report.unknownTypes[key] = (report.unknownTypes[key] ?? 0) + 1;
}

export type JsonObject = Record<string, unknown>;

/**
 * The JSON objects of a JSONL text, in order, with their line numbers. A line
 * that is not a JSON object is counted; an unparsable last line with no
 * newline after it is a write cut short, reported as such.
 */
export function jsonObjects(text: string, report: AdapterReport): { line: number; value: JsonObject }[] {
  const out: { line: number; value: JsonObject }[] = [];
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (isObject(value)) {
      out.push({ line: i + 1, value });
    } else if (i === lines.length - 1 && !endsWithNewline && value === undefined) {
      report.truncatedLastLine = true;
    } else {
      report.badLines++;
    }
  }
  return out;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A string value that is a value, not a placeholder such as `[trimmed]`. */
export function realString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && !/^\[[^\]]*\]$/.test(value) ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Epoch ms from an ISO string, or null when it is not a real time. */
export function isoTime(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** The text of a content value: a string, or the text parts of an array. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') parts.push(part);
    else if (isObject(part) && typeof part.text === 'string' && (part.type === undefined || part.type === 'text' || part.type === 'input_text')) parts.push(part.text);
  }
  return parts.join('\n');
}

const TEST_COMMAND = /(^|[\s;&|(/])(pytest|py\.test|jest|vitest|mocha|rspec|phpunit|ctest|tox|nox|unittest|go\s+test|cargo\s+test|cargo\s+nextest|npm\s+(run\s+)?test|yarn\s+(run\s+)?test|pnpm\s+(run\s+)?test|bun\s+test|make\s+(test|check)|gradle\w*\s+test|mvn\w*\s+test|dotnet\s+test|swift\s+test|mix\s+test|deno\s+test)\b/;

/** Whether a shell command runs tests (a fixed list of test runners; never judged from prose). */
export function isTestCommand(command: string): boolean {
  return TEST_COMMAND.test(command);
}

/** An exit code stated in a tool's output text, in the shapes the agents write. */
export function exitCodeFromText(text: string): number | null {
  const patterns = [
    /Command failed with exit code:\s*(-?\d+)/,
    /"exit_code"\s*:\s*(-?\d+)/,
    /\bExit code:?\s*(-?\d+)/i,
    /Process exited with code\s+(-?\d+)/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return Number(match[1]);
  }
  if (/Command executed successfully\./.test(text)) return 0;
  return null;
}

export const DEFAULT_MAX_PROMPT_CHARS = 2000;
const MAX_COMMAND_CHARS = 300;
const MAX_COMMANDS = 50;
const MAX_FILES = 200;

/** A turn being read: the adapters fill it, `finish` decides its outcome fields. */
export class TurnDraft {
  readonly turn: AgentTurn;
  private readonly callIds = new Map<string, { name: string; command: string | null }>();
  private readonly resultIds = new Set<string>();
  private lastTime: number | null = null;

  constructor(agent: AgentName, sessionId: string, index: number, prompt: string, ts: number | null, options: AdapterOptions) {
    const max = options.maxPromptChars ?? DEFAULT_MAX_PROMPT_CHARS;
    const truncated = prompt.length > max;
    this.turn = {
      id: `${agent}:${sessionId}:${index}`, agent, sessionId, turn: index, ts: ts ?? NaN, tsInferred: ts === null, durationMs: null,
      prompt: truncated ? prompt.slice(0, max) : prompt, promptTruncated: truncated, model: null, usage: null, llmCalls: 0,
      toolCalls: 0, toolErrors: 0, tools: {}, commands: [], files: [], tests: [], testsPassed: null, interruptions: 0, rejections: 0,
      feedback: null, steers: 0, apiErrors: 0, outcome: 'unknown', evidence: [], success: null, successBasis: null, cwd: null,
      branch: null, commit: null, planMode: false, open: false,
    };
    if (ts !== null) this.lastTime = ts;
  }

  /** Note a record's time (the latest one bounds the turn's duration when the log gives none). */
  seen(time: number | null): void {
    if (time === null) return;
    if (Number.isNaN(this.turn.ts)) this.turn.ts = time;
    if (this.lastTime === null || time > this.lastTime) this.lastTime = time;
  }

  addUsage(usage: Partial<TurnUsage>): void {
    const u = this.turn.usage ?? { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
    u.input += nonNegative(usage.input);
    u.output += nonNegative(usage.output);
    u.cacheRead += nonNegative(usage.cacheRead);
    u.cacheCreation += nonNegative(usage.cacheCreation);
    this.turn.usage = u;
    this.turn.llmCalls++;
  }

  setModel(model: string | null): void {
    if (model && !this.turn.model && model !== '<synthetic>' && !model.startsWith('[')) this.turn.model = model;
  }

  toolCall(id: string | null, name: string, command: string | null, files: string[] = []): void {
    this.turn.toolCalls++;
    const entry = (this.turn.tools[name] ??= { calls: 0, errors: 0 });
    entry.calls++;
    if (id) this.callIds.set(id, { name, command });
    if (command && this.turn.commands.length < MAX_COMMANDS) this.turn.commands.push(command.slice(0, MAX_COMMAND_CHARS));
    this.touched(files);
  }

  /** Files the log says the agent wrote or changed. */
  touched(files: string[]): void {
    for (const file of files) if (!this.turn.files.includes(file) && this.turn.files.length < MAX_FILES) this.turn.files.push(file);
  }

  /** A tool's result: `isError` as the log states it, `exitCode` when known. Returns the call's tool name. */
  toolResult(id: string | null, isError: boolean, exitCode: number | null): string | null {
    const call = id ? this.callIds.get(id) : undefined;
    if (id) this.resultIds.add(id);
    const name = call?.name ?? null;
    if (isError) {
      this.turn.toolErrors++;
      if (name) this.turn.tools[name].errors++;
    }
    if (call?.command && exitCode !== null && isTestCommand(call.command)) {
      this.turn.tests.push({ command: call.command.slice(0, MAX_COMMAND_CHARS), exitCode });
      this.turn.evidence.push(`${name} exit ${exitCode} (${call.command.slice(0, 60)})`);
    }
    return name;
  }

  /** A command's exit code reported apart from its tool result (Codex `exec_command_end`). */
  commandExit(command: string, exitCode: number): void {
    if (!isTestCommand(command)) return;
    this.turn.tests.push({ command: command.slice(0, MAX_COMMAND_CHARS), exitCode });
    this.turn.evidence.push(`exit ${exitCode} (${command.slice(0, 60)})`);
  }

  /** Calls with no result: the turn was cut off while they ran. */
  unansweredCalls(): string[] {
    return [...this.callIds.entries()].filter(([id]) => !this.resultIds.has(id)).map(([, call]) => call.name);
  }

  rejection(feedback: string | null): void {
    this.turn.rejections++;
    const text = feedback?.trim();
    if (text) this.turn.feedback = this.turn.feedback ? `${this.turn.feedback}\n${text}` : text;
  }

  /** Settle the outcome once, first explicit verdict first; later ones are kept as evidence. */
  end(outcome: Outcome, evidence: string): void {
    if (this.turn.outcome === 'unknown' || this.turn.outcome === 'incomplete') this.turn.outcome = outcome;
    this.turn.evidence.push(evidence);
  }

  get lastSeen(): number | null {
    return this.lastTime;
  }

  /** Decide what the log does not state outright and return the finished turn. */
  finish(options: AdapterOptions, ended: boolean): AgentTurn {
    const t = this.turn;
    const unanswered = this.unansweredCalls();
    if (unanswered.length > 0) t.evidence.push(`no result for ${unanswered.join(', ')}`);
    if (!ended && t.outcome === 'unknown') {
      t.outcome = 'incomplete';
      t.evidence.push('no end of turn in the log');
    }
    if (t.durationMs === null && this.lastTime !== null && !Number.isNaN(t.ts) && this.lastTime > t.ts) t.durationMs = Math.round(this.lastTime - t.ts);
    const last = t.tests.at(-1);
    t.testsPassed = last ? last.exitCode === 0 : null;
    if (t.outcome === 'failed') {
      t.success = false;
      t.successBasis = 'explicit failure';
    } else if (options.successFromTests && t.outcome === 'completed' && last) {
      t.success = last.exitCode === 0;
      t.successBasis = `rule: last test exited ${last.exitCode}`;
    }
    return t;
  }
}

function nonNegative(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Give undated turns the nearest earlier time in the session (or the
 * session's fallback time), and drop those that have none. Ordered turns keep
 * their index: ids stay stable.
 */
export function settleTimes(turns: AgentTurn[], report: AdapterReport, fallback: number | null): AgentTurn[] {
  const out: AgentTurn[] = [];
  let previous: number | null = null;
  for (const turn of turns) {
    if (!Number.isNaN(turn.ts) && !turn.tsInferred) {
      previous = turn.ts;
      out.push(turn);
      continue;
    }
    if (!Number.isNaN(turn.ts)) {
      // A time found inside the turn, though not on its prompt.
      previous = turn.ts;
      report.undatedTurns++;
      out.push(turn);
      continue;
    }
    const ts = previous ?? fallback;
    if (ts === null) {
      report.droppedUndated++;
      continue;
    }
    turn.ts = ts;
    turn.tsInferred = true;
    report.undatedTurns++;
    out.push(turn);
  }
  return out;
}

/** The turn that was running at `time` (a sub-agent's work belongs to it), or null. */
export function turnAt(drafts: TurnDraft[], time: number | null): TurnDraft | null {
  if (time === null) return null;
  let owner: TurnDraft | null = null;
  for (const draft of drafts) {
    const end = draft.turn.durationMs !== null ? draft.turn.ts + draft.turn.durationMs : draft.lastSeen;
    if (draft.turn.ts <= time && (draft.turn.open || (end !== null && time <= end))) owner = draft;
  }
  return owner;
}
