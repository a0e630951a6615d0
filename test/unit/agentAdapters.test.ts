import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentTurn } from '../../src/core/ingest/adapters/agentTurn';
import { isTestCommand, exitCodeFromText } from '../../src/core/ingest/adapters/agentTurn';
import { readKimiCliSession } from '../../src/core/ingest/adapters/kimiCli';
import { readKimiCodeSession } from '../../src/core/ingest/adapters/kimiCode';
import { readClaudeCodeSession } from '../../src/core/ingest/adapters/claudeCode';
import { readCodexSession } from '../../src/core/ingest/adapters/codex';

// Real session files of the four agents (MIT; sources and licence in test/fixtures/agent-logs/README.md).
// Every expected value below was read off those files by hand.
const FIXTURES = join(__dirname, '..', 'fixtures', 'agent-logs');
const read = (...parts: string[]): string => readFileSync(join(FIXTURES, ...parts), 'utf8');
const maybe = (...parts: string[]): string | undefined => (existsSync(join(FIXTURES, ...parts)) ? read(...parts) : undefined);

function kimiCli(dir: string, fallbackTime: number | null = null) {
  return readKimiCliSession({ sessionId: dir, files: { wire: maybe('kimi-cli', dir, 'wire.jsonl'), context: maybe('kimi-cli', dir, 'context.jsonl'), state: maybe('kimi-cli', dir, 'state.json') }, fallbackTime });
}

function pick<K extends keyof AgentTurn>(turn: AgentTurn, keys: K[]): Pick<AgentTurn, K> {
  const out = {} as Pick<AgentTurn, K>;
  for (const key of keys) out[key] = turn[key];
  return out;
}

const jsonl = (...records: unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('agent session adapters', () => {
  describe('Kimi CLI', () => {
    it('reads a turn whose tool call a hook blocked and that never ended', () => {
      const r = kimiCli('with-tool-calls');
      assert.equal(r.report.formatVersion, '1.8');
      assert.equal(r.turns.length, 1);
      assert.deepEqual(pick(r.turns[0], ['id', 'ts', 'prompt', 'model', 'usage', 'llmCalls', 'toolCalls', 'toolErrors', 'tools', 'commands', 'outcome', 'success', 'open']), {
        id: 'kimi-cli:with-tool-calls:0',
        ts: 1774949785232, // 1774949785.23238 s
        prompt: 'run echo hi',
        model: null, // Kimi CLI does not write the model of a main session
        usage: { input: 10, output: 2, cacheRead: 0, cacheCreation: 0 },
        llmCalls: 1,
        toolCalls: 1,
        toolErrors: 1,
        tools: { Shell: { calls: 1, errors: 1 } },
        commands: ['echo hi'],
        outcome: 'incomplete',
        success: null,
        open: true,
      });
      assert.deepEqual(r.turns[0].evidence, ['hook blocked Shell', 'no end of turn in the log']);
    });

    it('marks a turn with TurnEnd completed but leaves its success unknown, and the cut-off last one open', () => {
      const r = kimiCli('recent-protocol-1.10');
      assert.deepEqual(r.turns.map((t) => pick(t, ['turn', 'prompt', 'outcome', 'success', 'usage', 'open'])), [
        { turn: 0, prompt: 'hi', outcome: 'completed', success: null, usage: null, open: false }, // token_usage: null carries nothing
        { turn: 1, prompt: '探索这个项目', outcome: 'incomplete', success: null, usage: null, open: true },
      ]);
      assert.equal(r.turns[0].durationMs, 1099); // 1778563951.8288698 − 1778563950.7300851
    });

    it('sums one StatusUpdate per step, names the tools and the files written', () => {
      const large = kimiCli('large-100msgs');
      assert.equal(large.turns.length, 2);
      assert.deepEqual(pick(large.turns[0], ['usage', 'llmCalls', 'tools', 'outcome']), {
        usage: { input: 16137, output: 645, cacheRead: 26624, cacheCreation: 0 }, llmCalls: 3,
        tools: { Glob: { calls: 1, errors: 0 }, ReadFile: { calls: 2, errors: 0 } }, outcome: 'completed',
      });
      assert.equal(large.turns[1].toolCalls, 25);
      assert.equal(large.turns[1].tools.Shell.calls, 9);
      const archived = kimiCli('archived');
      assert.deepEqual(archived.turns[0].files, ['translated.py']);
      assert.deepEqual(archived.turns[0].usage, { input: 40, output: 7, cacheRead: 0, cacheCreation: 0 });
    });

    it('reads a session with only the metadata line from its context, dated by the state file', () => {
      const r = kimiCli('tiny-hello-world');
      assert.equal(r.turns.length, 1);
      assert.deepEqual(pick(r.turns[0], ['prompt', 'ts', 'tsInferred', 'usage', 'outcome']), { prompt: 'hi', ts: 1772616338930, tsInferred: true, usage: null, outcome: 'unknown' });
      assert.equal(r.report.undatedTurns, 1);
    });

    it('tolerates a broken state file and drops nothing it can date', () => {
      const undated = kimiCli('broken-state-json');
      assert.equal(undated.report.badLines, 1);
      assert.equal(undated.turns.length, 0);
      assert.equal(undated.report.droppedUndated, 1);
      const dated = kimiCli('broken-state-json', 1_700_000_000_000);
      assert.equal(dated.turns.length, 1);
      assert.equal(dated.turns[0].ts, 1_700_000_000_000);
    });

    it('counts a launched sub-agent as a tool call, not a task, and names the calls that got no result', () => {
      const r = kimiCli('with-subagent-collapsed');
      assert.equal(r.turns.length, 1);
      assert.deepEqual(r.turns[0].tools, { Agent: { calls: 2, errors: 0 } });
      assert.ok(r.turns[0].evidence.includes('no result for Agent, Agent'));
    });

    it('calls a turn failed only when a step was interrupted with no later step; reads rejections, tests and exit codes', () => {
      const t0 = 1_780_000_000;
      const wire = jsonl(
        { type: 'metadata', protocol_version: '1.10' },
        { timestamp: t0, message: { type: 'TurnBegin', payload: { user_input: 'fix the tests' } } },
        { timestamp: t0 + 1, message: { type: 'StepBegin', payload: { n: 1 } } },
        { timestamp: t0 + 2, message: { type: 'ToolCall', payload: { id: 'a', function: { name: 'Shell', arguments: '{"command": "uv run pytest -q"}' } } } },
        { timestamp: t0 + 3, message: { type: 'ToolResult', payload: { tool_call_id: 'a', return_value: { is_error: true, output: '1 failed', message: 'Command failed with exit code: 1.' } } } },
        { timestamp: t0 + 4, message: { type: 'ToolCall', payload: { id: 'b', function: { name: 'WriteFile', arguments: '{"path": "src/app.py"}' } } } },
        { timestamp: t0 + 5, message: { type: 'ApprovalResponse', payload: { response: 'reject', feedback: 'do not touch app.py' } } },
        { timestamp: t0 + 6, message: { type: 'ToolResult', payload: { tool_call_id: 'b', return_value: { is_error: true, output: '', message: 'rejected' } } } },
        { timestamp: t0 + 7, message: { type: 'StepInterrupted', payload: {} } },
        { timestamp: t0 + 8, message: { type: 'TurnEnd', payload: {} } },
        { timestamp: t0 + 10, message: { type: 'TurnBegin', payload: { user_input: 'again' } } },
        { timestamp: t0 + 11, message: { type: 'StepBegin', payload: { n: 1 } } },
        { timestamp: t0 + 12, message: { type: 'StepInterrupted', payload: {} } },
        { timestamp: t0 + 13, message: { type: 'StepBegin', payload: { n: 2 } } },
        { timestamp: t0 + 14, message: { type: 'ToolCall', payload: { id: 'c', function: { name: 'Shell', arguments: '{"command": "uv run pytest -q"}' } } } },
        { timestamp: t0 + 15, message: { type: 'ToolResult', payload: { tool_call_id: 'c', return_value: { is_error: false, output: '3 passed', message: 'Command executed successfully.' } } } },
        { timestamp: t0 + 16, message: { type: 'Unheard', payload: {} } },
        { timestamp: t0 + 17, message: { type: 'TurnEnd', payload: {} } },
        { timestamp: t0 + 20, message: { type: 'TurnBegin', payload: { user_input: 'cut off' } } },
        { timestamp: t0 + 21, message: { type: 'StepBegin', payload: { n: 1 } } },
      ) + '{"timestamp": 1780000022, "message": {"type": "Tool';
      const r = readKimiCliSession({ sessionId: 's', files: { wire } });
      const [failed, passed, cut] = r.turns;
      assert.deepEqual(pick(failed, ['outcome', 'success', 'successBasis', 'tests', 'testsPassed', 'rejections', 'feedback', 'files', 'toolErrors']), {
        outcome: 'failed', success: false, successBasis: 'explicit failure', tests: [{ command: 'uv run pytest -q', exitCode: 1 }], testsPassed: false,
        rejections: 1, feedback: 'do not touch app.py', files: ['src/app.py'], toolErrors: 2,
      });
      assert.ok(failed.evidence.some((e) => e.startsWith('StepInterrupted')));
      // The interruption was followed by another step: the turn went on and ended.
      assert.deepEqual(pick(passed, ['outcome', 'success', 'testsPassed', 'interruptions']), { outcome: 'completed', success: null, testsPassed: true, interruptions: 1 });
      assert.deepEqual(pick(cut, ['outcome', 'open']), { outcome: 'incomplete', open: true });
      assert.equal(r.report.truncatedLastLine, true);
      assert.equal(r.report.badLines, 0);
      assert.deepEqual(r.report.unknownTypes, { Unheard: 1 });
      // The opt-in rule: completed and the last test exited 0.
      const ruled = readKimiCliSession({ sessionId: 's', files: { wire } }, { successFromTests: true });
      assert.deepEqual(ruled.turns.map((t) => [t.success, t.successBasis]), [[false, 'explicit failure'], [true, 'rule: last test exited 0'], [null, null]]);
    });

    it("counts a sub-agent's calls from its own folder (newer versions) in the turn that ran it, once", () => {
      const t0 = 1_780_000_000;
      const usage = (input: number) => ({ token_usage: { input_other: input, output: 1, input_cache_read: 0, input_cache_creation: 0 } });
      const wire = jsonl(
        { timestamp: t0, message: { type: 'TurnBegin', payload: { user_input: 'delegate' } } },
        { timestamp: t0 + 1, message: { type: 'StatusUpdate', payload: usage(10) } },
        { timestamp: t0 + 60, message: { type: 'TurnEnd', payload: {} } },
      );
      const sub = jsonl(
        { timestamp: t0 + 5, message: { type: 'StatusUpdate', payload: usage(100) } },
        { timestamp: t0 + 6, message: { type: 'StatusUpdate', payload: usage(200) } },
        { timestamp: t0 + 500, message: { type: 'StatusUpdate', payload: usage(999) } },
      );
      const r = readKimiCliSession({ sessionId: 's', files: { wire, subagents: [sub] } });
      assert.deepEqual(r.turns[0]!.usage, { input: 310, output: 3, cacheRead: 0, cacheCreation: 0 });
      assert.equal(r.report.orphanRecords, 1, 'the call after the turn ended belongs to none');
      // An older log that embeds the sub-agent's events already counted them: its folder is not added again.
      const embedded = wire.replace('{"timestamp":1780000060', `{"timestamp":1780000005,"message":{"type":"SubagentEvent","payload":{"event":{"type":"StatusUpdate","payload":${JSON.stringify(usage(100))}}}}}\n{"timestamp":1780000060`);
      const again = readKimiCliSession({ sessionId: 's', files: { wire: embedded, subagents: [sub] } });
      assert.deepEqual(again.turns[0]!.usage, { input: 110, output: 2, cacheRead: 0, cacheCreation: 0 });
    });

    it('reads the oldest layout, a context file alone, without calling its wire log missing', () => {
      const r = readKimiCliSession({ sessionId: 'flat', files: { context: read('kimi-cli', 'tiny-hello-world', 'context.jsonl') }, fallbackTime: 1_700_000_000_000 });
      assert.deepEqual(r.turns.map((t) => t.prompt), ['hi']);
      assert.deepEqual(r.report.missingFiles, []);
      assert.deepEqual(readKimiCliSession({ sessionId: 'none', files: {} }).report.missingFiles, ['wire.jsonl']);
    });

    it('truncates long prompts to the limit', () => {
      const wire = jsonl({ timestamp: 1, message: { type: 'TurnBegin', payload: { user_input: 'x'.repeat(50) } } }, { timestamp: 2, message: { type: 'TurnEnd', payload: {} } });
      const r = readKimiCliSession({ sessionId: 's', files: { wire } }, { maxPromptChars: 10 });
      assert.equal(r.turns[0].prompt, 'x'.repeat(10));
      assert.equal(r.turns[0].promptTruncated, true);
    });
  });

  describe('Kimi Code', () => {
    const dir = 'kimi-code';
    it('takes the outcome from turn.ended, a cancel otherwise, and the model from the LLM requests', () => {
      const r = readKimiCodeSession({ sessionId: 'x', wire: read(dir, 'small.jsonl'), state: read(dir, 'state.json') });
      assert.equal(r.cwd, '/private/tmp/as-agent-lab/kimi/project');
      assert.deepEqual(r.turns.map((t) => pick(t, ['id', 'ts', 'prompt', 'model', 'outcome', 'durationMs', 'steers', 'success'])), [
        // turn.ended {turnId: 0, reason: completed, durationMs: 5681} has the last word over the cancel before it
        { id: 'kimi-code:x:0', ts: 1784950605093, prompt: 'hi', model: 'kimi-k2.7-code', outcome: 'completed', durationMs: 5681, steers: 1, success: null },
        // cancelled at 1784950713861, 34238 ms after its prompt, and never ended
        { id: 'kimi-code:x:1', ts: 1784950679623, prompt: 'hi', model: 'kimi-k2.7-code', outcome: 'cancelled', durationMs: 34238, steers: 0, success: null },
      ]);
      assert.deepEqual(r.turns[0].evidence, ['turn.cancel', 'turn.ended.reason=completed']);
      assert.equal(r.report.formatVersion, '1.4');
    });

    it('sums usage.record once per LLM call and skips a system-triggered prompt', () => {
      const r = readKimiCodeSession({ sessionId: 'sub', wire: read(dir, 'subagent_agent-0.jsonl') });
      assert.equal(r.turns.length, 0); // its only prompt has origin.kind = system_trigger
      assert.equal(r.report.skippedPrompts, 1);
      const asUser = read(dir, 'subagent_agent-0.jsonl').replace('"kind":"system_trigger"', '"kind":"user"');
      const turn = readKimiCodeSession({ sessionId: 'sub', wire: asUser }).turns[0];
      assert.deepEqual(pick(turn, ['usage', 'llmCalls', 'model', 'tools', 'commands']), {
        // 10982+1652+271 other input, 75+136+119 output, 1792+12544+14080 cache reads; step.end repeats these and is not added
        usage: { input: 12905, output: 330, cacheRead: 28416, cacheCreation: 0 }, llmCalls: 3, model: 'kimi-k2.7-code',
        tools: { Glob: { calls: 1, errors: 0 }, Bash: { calls: 1, errors: 0 } },
        commands: ["find /private/tmp/as-agent-lab/kimi/project -type f -name '*.swift' | wc -l"],
      });
    });

    it('calls a turn failed on turn.ended reason failed, with its error as evidence; blocked is its own outcome', () => {
      const wire = jsonl(
        { type: 'metadata', protocol_version: '1.4' },
        { type: 'turn.prompt', input: [{ type: 'text', text: 'deploy' }], origin: { kind: 'user' }, time: 1000 },
        { type: 'usage.record', model: 'kimi-k3', usage: { inputOther: 5, output: 1, inputCacheRead: 2, inputCacheCreation: 3 }, time: 1100 },
        { type: 'permission.record_approval_result', result: { decision: 'rejected', feedback: 'not on Friday' }, time: 1150 },
        { type: 'turn.ended', turnId: 0, reason: 'failed', error: { message: 'provider 500' }, durationMs: 400, time: 1400 },
        { type: 'turn.prompt', input: 'push', origin: { kind: 'user' }, time: 2000 },
        { type: 'turn.ended', turnId: 1, reason: 'blocked', time: 2100 },
      );
      const r = readKimiCodeSession({ sessionId: 'k', wire });
      assert.deepEqual(r.turns.map((t) => pick(t, ['outcome', 'success', 'model', 'usage', 'rejections', 'feedback'])), [
        { outcome: 'failed', success: false, model: 'kimi-k3', usage: { input: 5, output: 1, cacheRead: 2, cacheCreation: 3 }, rejections: 1, feedback: 'not on Friday' },
        { outcome: 'blocked', success: null, model: null, usage: null, rejections: 0, feedback: null },
      ]);
      assert.deepEqual(r.turns[0].evidence, ['turn.ended.reason=failed', 'error: provider 500']);
    });

    it('counts a sub-agent\'s calls in the main turn that ran it', () => {
      const main = jsonl(
        { type: 'turn.prompt', input: 'explore', origin: { kind: 'user' }, time: 1000 },
        { type: 'usage.record', model: 'm', usage: { inputOther: 1, output: 1 }, time: 1100 },
        { type: 'turn.ended', turnId: 0, reason: 'completed', durationMs: 5000, time: 6000 },
      );
      const sub = jsonl({ type: 'usage.record', model: 'm', usage: { inputOther: 10, output: 20 }, time: 3000 }, { type: 'usage.record', model: 'm', usage: { inputOther: 99 }, time: 9000 });
      const r = readKimiCodeSession({ sessionId: 'k', wire: main, subagents: [sub] });
      assert.deepEqual(r.turns[0].usage, { input: 11, output: 21, cacheRead: 0, cacheCreation: 0 });
      assert.equal(r.report.orphanRecords, 1); // the call at 9000 ran after the turn
    });
  });

  describe('Claude Code', () => {
    it('reads prompts of the main chain, dates undated ones from the record before, and keeps the branch', () => {
      const r = readClaudeCodeSession({ sessionId: 'small', text: read('claude-code', 'small.jsonl') });
      // The sidechain "Hello" and the compaction summary are not tasks; nor is a message from another task.
      assert.equal(r.report.skippedPrompts, 3);
      assert.equal(r.turns.length, 4);
      assert.equal(r.cwd, '/tmp');
      for (const t of r.turns) {
        assert.equal(t.ts, Date.parse('2025-12-16T00:00:20.000Z')); // the last dated record before them
        assert.equal(t.tsInferred, true);
        assert.equal(t.branch, 'main');
      }
      // The first: a reply by claude-opus-4-8 (the fallback named in its iterations), then two API errors and nothing after.
      assert.deepEqual(pick(r.turns[0], ['model', 'apiErrors', 'outcome', 'success', 'successBasis']), { model: 'claude-opus-4-8', apiErrors: 2, outcome: 'failed', success: false, successBasis: 'explicit failure' });
      // <synthetic> replies are local, not a model; a turn_duration record ends the third turn.
      assert.equal(r.turns[2].outcome, 'completed');
      assert.equal(r.turns[2].model, 'claude-sonnet-5');
      assert.deepEqual(pick(r.turns[3], ['outcome', 'open']), { outcome: 'incomplete', open: true });
    });

    it('reads the early format with tool records of their own', () => {
      const r = readClaudeCodeSession({ sessionId: 'drift', text: read('claude-code', 'schema_drift.jsonl') });
      assert.equal(r.turns.length, 1); // "List files" came from a task notification
      assert.deepEqual(pick(r.turns[0], ['prompt', 'ts', 'toolCalls', 'commands', 'outcome', 'durationMs', 'cwd']), {
        prompt: 'Open README', ts: Date.parse('2025-12-16T01:00:00.000Z'), toolCalls: 1, commands: ['cat README.md'], outcome: 'completed', durationMs: 1234, cwd: '/tmp/project',
      });
    });

    it('counts a reply written over several lines once, reads rejections with feedback, interruptions and Bash exit codes', () => {
      const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
      const base = { sessionId: 'c', cwd: '/w', gitBranch: 'feat', version: '2.0.0', isSidechain: false };
      const usage = { input_tokens: 10, output_tokens: 7, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 };
      const text = jsonl(
        { ...base, type: 'user', timestamp: at(0), message: { role: 'user', content: 'run the tests' } },
        { ...base, type: 'assistant', timestamp: at(1), requestId: 'r1', message: { id: 'm1', model: 'claude-x', content: [{ type: 'text', text: 'ok' }], usage } },
        { ...base, type: 'assistant', timestamp: at(1), requestId: 'r1', message: { id: 'm1', model: 'claude-x', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'npm test' } }], usage } },
        { ...base, type: 'user', timestamp: at(2), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: 'Error: Exit code 1\nFAIL' }] } },
        { ...base, type: 'assistant', timestamp: at(3), requestId: 'r2', message: { id: 'm2', model: 'claude-x', content: [{ type: 'tool_use', id: 't2', name: 'Edit', input: { file_path: '/w/a.ts' } }], usage: { ...usage, output_tokens: 3 } } },
        { ...base, type: 'user', timestamp: at(4), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't2', is_error: true, content: "The user doesn't want to proceed with this tool use. The tool use was rejected. To tell you how to proceed, the user said:\nkeep the old API" }] } },
        { ...base, type: 'user', timestamp: at(5), message: { role: 'user', content: [{ type: 'text', text: '[Request interrupted by user for tool use]' }] } },
        { ...base, type: 'user', timestamp: at(9), message: { role: 'user', content: '<command-name>/clear</command-name>' } },
        { ...base, type: 'user', timestamp: at(10), message: { role: 'user', content: 'now just run it' } },
        { ...base, type: 'assistant', timestamp: at(11), requestId: 'r3', message: { id: 'm3', model: 'claude-x', content: [{ type: 'tool_use', id: 't3', name: 'Bash', input: { command: 'npm test' } }], usage } },
        { ...base, type: 'user', timestamp: at(12), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't3', is_error: false, content: 'ok' }] } },
        { ...base, type: 'assistant', timestamp: at(13), requestId: 'r4', message: { id: 'm4', model: 'claude-x', content: [{ type: 'text', text: 'done' }], stop_reason: 'end_turn', usage } },
        { ...base, type: 'something-new', timestamp: at(14) },
      );
      const r = readClaudeCodeSession({ sessionId: 'c', text });
      assert.equal(r.turns.length, 2);
      assert.equal(r.report.skippedPrompts, 1); // the slash command
      assert.deepEqual(r.report.unknownTypes, { 'something-new': 1 });
      assert.deepEqual(pick(r.turns[0], ['usage', 'llmCalls', 'tests', 'testsPassed', 'rejections', 'feedback', 'interruptions', 'outcome', 'files', 'model', 'durationMs']), {
        // m1 is written twice with the same usage: counted once; m2 once.
        usage: { input: 20, output: 10, cacheRead: 200, cacheCreation: 40 }, llmCalls: 2,
        tests: [{ command: 'npm test', exitCode: 1 }], testsPassed: false, rejections: 1, feedback: 'keep the old API', interruptions: 1,
        outcome: 'interrupted', files: ['/w/a.ts'], model: 'claude-x', durationMs: 5000,
      });
      assert.deepEqual(pick(r.turns[1], ['outcome', 'tests', 'testsPassed', 'success', 'open']), { outcome: 'completed', tests: [{ command: 'npm test', exitCode: 0 }], testsPassed: true, success: null, open: false });
    });

    it('rolls a sub-agent transcript\'s tokens into the turn that ran it', () => {
      const main = jsonl(
        { type: 'user', timestamp: '2026-01-01T00:00:00Z', message: { content: 'go' } },
        { type: 'assistant', timestamp: '2026-01-01T00:01:00Z', message: { id: 'a', model: 'm', content: [{ type: 'text', text: 'x' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } } },
      );
      const sub = jsonl(
        { type: 'assistant', isSidechain: true, timestamp: '2026-01-01T00:00:30Z', message: { id: 's', model: 'm', usage: { input_tokens: 5, output_tokens: 5 } } },
        { type: 'assistant', isSidechain: true, timestamp: '2026-01-01T00:00:30Z', message: { id: 's', model: 'm', usage: { input_tokens: 5, output_tokens: 5 } } },
      );
      const r = readClaudeCodeSession({ sessionId: 'c', text: main, subagents: [sub] });
      assert.deepEqual(r.turns[0].usage, { input: 6, output: 6, cacheRead: 0, cacheCreation: 0 });
    });
  });

  describe('Codex', () => {
    it('reads a rollout: session id, git, model, last_token_usage, tools and the first verdict of the turn', () => {
      const r = readCodexSession({ sessionId: 'file-id', text: read('codex', 'small.jsonl') });
      assert.equal(r.sessionId, '019fc8be-3658-7ca3-9e29-000000000000');
      assert.equal(r.report.formatVersion, '0.146.0');
      assert.equal(r.turns.length, 3);
      assert.deepEqual(pick(r.turns[0], ['id', 'ts', 'prompt', 'model', 'usage', 'llmCalls', 'tools', 'commands', 'files', 'outcome', 'interruptions', 'durationMs', 'cwd', 'branch', 'success']), {
        id: 'codex:019fc8be-3658-7ca3-9e29-000000000000:0', ts: Date.parse('2026-08-03T10:48:56.000Z'), prompt: 'List the files', model: 'gpt-5.6-luna',
        // last_token_usage: 16341 input of which 3584 cached, 81 output
        usage: { input: 12757, output: 81, cacheRead: 3584, cacheCreation: 0 }, llmCalls: 1,
        tools: { shell: { calls: 2, errors: 0 } }, commands: ['ls', 'ls'], files: ['/tmp/repo/a.txt'],
        outcome: 'interrupted', interruptions: 1, durationMs: 10, cwd: '/tmp/repo', branch: 'main', success: null,
      });
      // A later task_complete for the same turn is kept as evidence, not as the verdict.
      assert.deepEqual(r.turns[0].evidence.slice(0, 2), ['turn_aborted.reason=interrupted', 'task_complete']);
      // The second prompt was followed by an error and no task_complete.
      assert.deepEqual(pick(r.turns[1], ['outcome', 'success', 'apiErrors', 'tsInferred']), { outcome: 'failed', success: false, apiErrors: 1, tsInferred: true });
    });

    it('reads the earliest flat format', () => {
      const r = readCodexSession({ sessionId: 'drift', text: read('codex', 'schema_drift.jsonl') });
      assert.deepEqual(r.turns.map((t) => pick(t, ['id', 'prompt', 'model', 'toolCalls', 'outcome'])), [
        { id: 'codex:drift:0', prompt: "Translate 'hello' to Spanish", model: 'gpt-4o-mini', toolCalls: 1, outcome: 'incomplete' },
      ]);
    });

    it('sums cumulative counts as differences, skips info: null and repeated totals, reads exit codes in their several shapes', () => {
      const at = (s: number): string => new Date(Date.UTC(2026, 5, 1, 0, 0, s)).toISOString();
      const line = (s: number, type: string, payload: object) => ({ timestamp: at(s), type, payload });
      const text = jsonl(
        line(0, 'session_meta', { id: 'sess', cwd: '/r', git: { commit_hash: 'abc123', branch: 'dev' } }),
        line(1, 'turn_context', { turn_id: 't1', model: 'gpt-9' }),
        line(2, 'event_msg', { type: 'task_started', turn_id: 't1' }),
        line(2, 'event_msg', { type: 'user_message', message: 'make tests pass' }),
        line(3, 'event_msg', { type: 'token_count', info: null }),
        line(4, 'event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: 100, cached_input_tokens: 40, output_tokens: 10 } } }),
        line(5, 'event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: 100, cached_input_tokens: 40, output_tokens: 10 } } }),
        line(6, 'event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: 250, cached_input_tokens: 90, output_tokens: 30 } } }),
        line(7, 'response_item', { type: 'function_call', name: 'shell', call_id: 'c1', arguments: '{"command":["bash","-lc","cargo test"]}' }),
        line(8, 'response_item', { type: 'function_call_output', call_id: 'c1', output: '{"output":"2 failed","metadata":{"exit_code":101}}' }),
        line(9, 'response_item', { type: 'function_call', name: 'shell', call_id: 'c2', arguments: '{"command":["cargo","test"]}' }),
        line(10, 'response_item', { type: 'function_call_output', call_id: 'c2', output: 'Exit code: 0\nWall time: 1s\nok' }),
        line(10, 'event_msg', { type: 'exec_command_end', call_id: 'c2', exit_code: 0, command: ['cargo', 'test'] }),
        line(11, 'response_item', { type: 'custom_tool_call', name: 'apply_patch', call_id: 'c3', input: '*** Begin Patch\n*** Update File: src/lib.rs\n@@\n*** End Patch' }),
        line(12, 'event_msg', { type: 'task_complete', turn_id: 't1', duration_ms: 12000 }),
        line(20, 'event_msg', { type: 'user_message', message: 'ship it' }),
        line(21, 'event_msg', { type: 'task_complete', turn_id: 't2', error: { message: 'stream disconnected' } }),
        line(22, 'mystery', {}),
      );
      const r = readCodexSession({ sessionId: 'f', text }, { successFromTests: true });
      assert.deepEqual(r.report.unknownTypes, { mystery: 1 });
      const [a, b] = r.turns;
      assert.deepEqual(pick(a, ['id', 'model', 'usage', 'llmCalls', 'commands', 'tests', 'testsPassed', 'files', 'toolErrors', 'outcome', 'durationMs', 'commit', 'branch', 'success', 'successBasis']), {
        id: 'codex:sess:0', model: 'gpt-9',
        usage: { input: 160, output: 30, cacheRead: 90, cacheCreation: 0 }, llmCalls: 2,
        commands: ['cargo test', 'cargo test'], tests: [{ command: 'cargo test', exitCode: 101 }, { command: 'cargo test', exitCode: 0 }], testsPassed: true,
        files: ['src/lib.rs'], toolErrors: 1, outcome: 'completed', durationMs: 12000, commit: 'abc123', branch: 'dev',
        success: true, successBasis: 'rule: last test exited 0',
      });
      assert.deepEqual(pick(b, ['outcome', 'success', 'evidence']), { outcome: 'failed', success: false, evidence: ['task_complete.error: stream disconnected'] });
    });

    it('leaves out the turns a forked rollout repeats from its parent', () => {
      const text = jsonl(
        { timestamp: '2026-06-02T00:00:00Z', type: 'session_meta', payload: { id: 'child', forked_from_id: 'parent', timestamp: '2026-06-02T00:00:00Z' } },
        { timestamp: '2026-06-01T00:00:00Z', type: 'event_msg', payload: { type: 'user_message', message: 'parent prompt' } },
        { timestamp: '2026-06-01T00:00:05Z', type: 'event_msg', payload: { type: 'task_complete' } },
        { timestamp: '2026-06-02T00:00:10Z', type: 'event_msg', payload: { type: 'user_message', message: 'child prompt' } },
      );
      const r = readCodexSession({ sessionId: 'f', text });
      assert.deepEqual(r.turns.map((t) => [t.id, t.prompt]), [['codex:child:0', 'child prompt']]);
      assert.equal(r.report.skippedPrompts, 1);
    });

    it('reads an early rollout with no events from the user messages, skipping injected context', () => {
      const text = jsonl(
        { timestamp: '2025-05-01T00:00:00Z', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>cwd</environment_context>' }] } },
        { timestamp: '2025-05-01T00:00:01Z', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first' }] } },
        { timestamp: '2025-05-01T00:00:09Z', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'second' }] } },
      );
      const r = readCodexSession({ sessionId: 'old', text });
      assert.deepEqual(r.turns.map((t) => [t.prompt, t.outcome]), [['first', 'unknown'], ['second', 'incomplete']]);
    });
  });

  describe('shared rules', () => {
    it('knows test runners by name, not by prose', () => {
      for (const c of ['pytest -q', 'uv run pytest', 'npm test', 'npm run test -- --watch=false', 'go test ./...', 'cargo test', 'cd web && yarn test', 'make check', 'npx vitest run']) assert.ok(isTestCommand(c), c);
      for (const c of ['ls', 'echo "tests pass"', 'git commit -m "fix tests"', 'cat test.py', 'npm install']) assert.ok(!isTestCommand(c), c);
    });

    it('reads exit codes in the shapes the agents write', () => {
      assert.equal(exitCodeFromText('Command failed with exit code: 2.'), 2);
      assert.equal(exitCodeFromText('Command executed successfully.'), 0);
      assert.equal(exitCodeFromText('{"metadata":{"exit_code":3}}'), 3);
      assert.equal(exitCodeFromText('Exit code: 0\nWall time'), 0);
      assert.equal(exitCodeFromText('Process exited with code 127'), 127);
      assert.equal(exitCodeFromText('Error: Exit code 1'), 1);
      assert.equal(exitCodeFromText('Command killed by timeout (60s)'), null);
      assert.equal(exitCodeFromText('all good'), null);
    });
  });
});
