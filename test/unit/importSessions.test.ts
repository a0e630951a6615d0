import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findSessions, readSession } from '../../src/core/ingest/adapters/sessionFiles';
import { importSessions } from '../../src/core/ingest/importSessions';
import { turnToExample } from '../../src/core/ingest/adapters/toExample';
import { summary } from '../../src/core/queries/summary';
import { byTag } from '../../src/core/queries/breakdowns';
import { exampleById } from '../../src/core/queries/examples';
import { filtersSchema, NO_FILTERS } from '../../src/shared/filters';
import { makeAgentHome, PROJECT, touch } from '../helpers/agentHome';
import { storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

describe('agent sessions: finding and importing them', () => {
  const tmp = useTempDir();

  it('finds the sessions of all four agents where each keeps them, with the work folder the layout names', async () => {
    const home = join(tmp.path, 'home');
    makeAgentHome(home);
    const found = await findSessions(home, {});
    assert.deepEqual(found.map((s) => s.agent).sort(), ['claude-code', 'codex', 'codex', 'kimi-cli', 'kimi-cli', 'kimi-code']);
    assert.deepEqual(found.filter((s) => s.agent === 'kimi-cli').map((s) => s.cwd), [PROJECT, PROJECT], 'the hash in the path resolved by kimi.json');
    assert.equal(found.find((s) => s.agent === 'kimi-code')?.cwd, '/private/tmp/as-agent-lab/kimi/project');
    assert.equal(found.find((s) => s.agent === 'claude-code')?.cwd, '/tmp/project');
    // A compressed rollout's work folder is read from its first records, without decompressing it whole.
    assert.equal(found.find((s) => s.agent === 'codex' && s.sessionId === '019fc8be-3658-7ca3-9e29-000000000000')?.cwd, '/tmp/repo');
    // The environment each agent honours moves its folder.
    const moved = await findSessions(join(tmp.path, 'elsewhere'), { CODEX_HOME: join(home, '.codex'), KIMI_SHARE_DIR: join(home, '.kimi') });
    assert.deepEqual(moved.map((s) => s.agent).sort(), ['codex', 'codex', 'kimi-cli', 'kimi-cli']);
    assert.deepEqual(await findSessions(join(tmp.path, 'nobody'), {}), []);
  });

  it('reads a .jsonl.zst rollout as its .jsonl', async () => {
    const home = join(tmp.path, 'home');
    makeAgentHome(home);
    const zst = (await findSessions(home, {}, ['codex'])).find((s) => s.path.endsWith('.zst'))!;
    const r = await readSession(zst);
    assert.equal(r.turns.length, 3);
    assert.equal(r.turns[0]!.prompt, 'List the files');
  });

  it('imports every turn once: again adds nothing; known-only rates, unknown counted apart; a running last turn waits', async () => {
    const home = join(tmp.path, 'home');
    const now = Date.now();
    const turns = makeAgentHome(home, now);
    const store = await storeWith(tmp.path, []);
    try {
      const sessions = await findSessions(home, {});
      const first = await importSessions(store, sessions, { now, home });
      const total = Object.values(turns).reduce((a, b) => a + b, 0);
      assert.equal(first.added, total);
      assert.deepEqual(Object.fromEntries(Object.entries(first.byAgent).map(([a, v]) => [a, v.turns])), turns);
      assert.deepEqual(first.outcomes, { completed: 3, failed: 1, cancelled: 1, interrupted: 1, blocked: 0, incomplete: 4, unknown: 0 });
      assert.equal(first.waiting, 0);
      const again = await importSessions(store, sessions, { now, home });
      assert.deepEqual([again.added, again.duplicates], [0, total]);

      // The one explicit failure (Codex: an error and no task_complete) is the only known outcome.
      const s = summary(store, NO_FILTERS);
      assert.deepEqual([s.rate.total, s.rate.successes, s.rate.unknown, s.rate.rate], [total, 0, total - 1, 0]);
      assert.equal(summary(store, filtersSchema.parse({ success: 'unknown' })).rate.total, total - 1);
      // What is known where success is not: the turns' own counts, summed by the query.
      const read = await Promise.all(sessions.map((x) => readSession(x)));
      const all = read.flatMap((r) => r.turns);
      const { byAgent, byModel, ...activityTotals } = s.activity!;
      // Per agent as per turn counts; per model only where the log names one.
      assert.deepEqual(Object.fromEntries(byAgent.map((r) => [r.key, r.turns])), turns);
      assert.equal(byAgent.find((r) => r.key === 'codex')!.interruptions, 1);
      assert.deepEqual(byModel.map((m) => m.key).sort(), [...new Set(all.flatMap((t) => (t.model ? [t.model] : [])))].sort());
      assert.deepEqual(activityTotals, {
        turns: total,
        toolCalls: all.reduce((n, t) => n + t.toolCalls, 0),
        toolErrors: all.reduce((n, t) => n + t.toolErrors, 0),
        interruptions: all.reduce((n, t) => n + t.interruptions, 0),
        rejections: all.reduce((n, t) => n + t.rejections, 0),
        testTurns: 0,
        testsPassed: 0,
      });
      assert.ok(s.activity!.toolCalls > 5 && s.activity!.toolErrors > 0 && s.activity!.interruptions > 0);
      const tags = new Map(byTag(store, NO_FILTERS).map((t) => [t.tag, t]));
      assert.equal(tags.get('agent:codex')?.total, 4);
      assert.equal(tags.get('outcome:incomplete')?.total, 4);
      assert.equal(tags.get('tool:Shell')?.total, 1);

      // Stored as the adapter read it: tokens once, the prompt, the outcome and its evidence; no tool output.
      const e = exampleById(store, 'kimi-cli:with-tool-calls:0')!;
      assert.deepEqual([e.success, e.tokens, e.taskDescription, e.model], [null, 12, 'run echo hi', null]);
      assert.deepEqual(e.extra.outcome_evidence, ['hook blocked Shell', 'no end of turn in the log']);
      assert.equal(e.codeContext, `cwd: ${PROJECT}\n$ echo hi`);
      assert.equal(e.metrics.tool_errors, 1);

      // A session still being written: its last turn without an end waits for a later import.
      const live = sessions.find((x) => x.sessionId === 'recent-protocol-1.10')!;
      touch(join(live.path, 'wire.jsonl'), now);
      const fresh = await storeWith(join(tmp.path, 'fresh'), []);
      try {
        const r = await importSessions(fresh, [{ ...live, mtime: now }], { now, home });
        assert.deepEqual([r.added, r.waiting], [1, 1]);
      } finally {
        fresh.close();
      }
    } finally {
      store.close();
    }
  });

  it('writes paths under the home folder as ~/…', async () => {
    const home = join(tmp.path, 'home');
    makeAgentHome(home);
    const ref = (await findSessions(home, {}, ['kimi-cli']))[0]!;
    const turn = (await readSession(ref)).turns[0]!;
    const e = turnToExample({ ...turn, cwd: `${home}/code/app`, files: [`${home}/code/app/a.py`, '/etc/hosts'] }, { now: Date.now(), home });
    assert.ok(e.ok);
    assert.match(e.example.codeContext!, /^cwd: ~\/code\/app\nfiles written: ~\/code\/app\/a\.py, \/etc\/hosts/);
  });

  it('checks a turn as it checks a KIMI line: what cannot be stored is refused, named, and the rest stored', async () => {
    const home = join(tmp.path, 'home');
    makeAgentHome(home);
    const ref = (await findSessions(home, {}, ['kimi-cli'])).find((x) => x.sessionId === 'recent-protocol-1.10')!;
    const [good, bad] = (await readSession(ref)).turns;
    // A lone UTF-16 surrogate cannot be stored as UTF-8 and read back the same.
    const refused = turnToExample({ ...bad!, prompt: 'broken \ud800 text' }, { now: Date.now(), home });
    assert.ok(!refused.ok);
    assert.match(refused.reason, /task_description/);
    const longTool = turnToExample({ ...good!, tools: { ['x'.repeat(5000)]: { calls: 1, errors: 0 } } }, { now: Date.now(), home });
    assert.ok(longTool.ok);
    assert.ok(longTool.example.tags.every((t) => t.length <= 105));
  });

  it('on the command line: import-sessions from a home folder, then stats with the unknown outcomes said', () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    const home = join(tmp.path, 'home');
    const turns = makeAgentHome(home);
    const total = Object.values(turns).reduce((a, b) => a + b, 0);
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: tmp.path, encoding: 'utf8', env: { ...process.env, HOME: home } });
    const r = run(['import-sessions', '--db', 'db', '--home', home]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^sessions 6, turns ${total}, added ${total}, already present 0, conflicts 0, still running 0\\n`));
    assert.match(r.stdout, /codex: 2 sessions, 4 turns, 4 added/);
    const again = JSON.parse(run(['import-sessions', '--db', 'db', '--home', home, '--agent', 'codex', '--json']).stdout);
    assert.deepEqual([again.sessions, again.added, again.duplicates], [2, 0, 4]);
    const stats = run(['stats', '--db', 'db']);
    assert.match(stats.stdout, new RegExp(`^examples ${total}, succeeded 0, success rate 0\\.0% of 1 known, ${total - 1} unknown`));
    const bad = run(['import-sessions', '--db', 'db', '--agent', 'cursor']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--agent takes kimi-cli, kimi-code, claude-code, codex, not cursor/);
  });
});
