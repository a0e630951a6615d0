import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '../helpers/tempDir';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the command line (dist/cli.js)', () => {
  const tmp = useTempDir();
  before(() => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });

  it('imports, reports rejected lines as file:line: reason and exits 1 when some were rejected', () => {
    const log = join(tmp.path, 'log.jsonl');
    writeFileSync(log, '{"id":"1","timestamp":"2026-11-20T10:00:00Z","success":true,"tags":["auth"],"model_used":"M"}\n{"id":"2","success":"maybe","timestamp":"2026-11-20T10:00:00Z"}\n');
    const r = run(['import', log, '--db', 'db'], tmp.path);
    assert.equal(r.code, 1);
    assert.equal(r.out, 'added 1, already present 0, conflicts 0, rejected 1\n');
    assert.equal(r.err, `${log}:2: success must be true, false or null (unknown), not the text "maybe"\n`);
    const again = run(['import', log, '--db', 'db', '--json'], tmp.path);
    const json = JSON.parse(again.out);
    assert.deepEqual({ ...json, problems: json.problems.length }, { added: 0, duplicates: 1, conflicts: 0, rejected: 1, problems: 1 });
  });

  it('prints stats in the documented shape, and filters them', () => {
    const log = join(tmp.path, 'log.jsonl');
    writeFileSync(
      log,
      [
        { id: '1', timestamp: '2026-11-20T10:00:00Z', success: true, tags: ['auth'], model_used: 'M', tokens_consumed: 5 },
        { id: '2', timestamp: '2026-11-21T10:00:00Z', success: false, tags: ['auth'], model_used: 'N', tokens_consumed: 7 },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    assert.equal(run(['import', log, '--db', 'db'], tmp.path).code, 0);
    const stats = JSON.parse(run(['stats', '--db', 'db', '--json'], tmp.path).out);
    assert.deepEqual(Object.keys(stats), [
      'total',
      'successes',
      'unknown',
      'successRate',
      'successRateCI',
      'avgExecutionTime',
      'totalTokens',
      'tokensPerExample',
      'tokensPerSuccess',
      'examplesWithTokens',
      'byTag',
      'byModel',
      'daily',
      'retention',
    ]);
    assert.equal(stats.total, 2);
    assert.deepEqual([stats.totalTokens, stats.tokensPerExample, stats.tokensPerSuccess, stats.examplesWithTokens], [12, 6, 12, 2]);
    assert.deepEqual(stats.byTag, [{ tag: 'auth', total: 2, successes: 1, unknown: 0 }]);
    const onlyN = JSON.parse(run(['stats', '--db', 'db', '--json', '--model', 'N'], tmp.path).out);
    assert.deepEqual([onlyN.total, onlyN.successes], [1, 0]);
    const examples = run(['examples', '--db', 'db', '--success', 'true'], tmp.path).out.trim().split('\n');
    assert.deepEqual(examples.map((l) => JSON.parse(l).id), ['1']);
  });

  it('says a token figure is unknown (null, "—") when no example carries a count, never 0', () => {
    writeFileSync(join(tmp.path, 'l.jsonl'), '{"id":"1","timestamp":"2026-11-20T10:00:00Z","success":true}\n');
    run(['import', 'l.jsonl', '--db', 'db'], tmp.path);
    const stats = JSON.parse(run(['stats', '--db', 'db', '--json'], tmp.path).out);
    assert.deepEqual([stats.totalTokens, stats.tokensPerExample, stats.tokensPerSuccess, stats.examplesWithTokens], [null, null, null, 0]);
    assert.match(run(['stats', '--db', 'db'], tmp.path).out, /^tokens —, — per example, — per success \(over 0 of 1 examples with a token count\)$/m);
  });

  it('exports CSV, and a database written by the CLI is readable again', () => {
    writeFileSync(join(tmp.path, 'l.jsonl'), '{"id":"1","timestamp":"2026-11-20T10:00:00Z","success":true}\n');
    run(['import', 'l.jsonl', '--db', 'db'], tmp.path);
    const r = run(['export', '--db', 'db', '--format', 'csv', '--out', 'out.csv'], tmp.path);
    assert.equal(r.code, 0);
    assert.match(readFileSync(join(tmp.path, 'out.csv'), 'utf8'), /^id,timestamp,success,[^\n]*\r\n1,2026-11-20T10:00:00.000Z,true,/);
  });

  it('exits 2 with the usage on bad usage or unreadable input', () => {
    assert.equal(run(['stats'], tmp.path).code, 2);
    assert.equal(run(['frobnicate', '--db', 'db'], tmp.path).code, 2);
    assert.equal(run(['stats', '--db', 'db', '--success', 'maybe'], tmp.path).code, 2);
    // Each command takes the options it declares: another is refused by name, never silently ignored.
    const foreign = run(['sample', '--out', 'x.jsonl', '--tag', 'auth'], tmp.path);
    assert.equal(foreign.code, 2);
    assert.match(foreign.err, /sample takes no --tag/);
    assert.match(foreign.err, /usage: learning-viewer sample/);
    // …and a word where none is taken (a file given to stats instead of import) is refused too.
    const stray = run(['stats', 'learning_logs.jsonl', '--db', 'db'], tmp.path);
    assert.equal(stray.code, 2);
    assert.match(stray.err, /stats takes no arguments \(learning_logs\.jsonl\)/);
    assert.match(stray.err, /usage: learning-viewer stats/);
    const missing = run(['import', 'nope.jsonl', '--db', 'db'], tmp.path);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read nope\.jsonl/);
    // One import loop with the extension: an unreadable file is named, and the others are still read.
    const good = join(tmp.path, 'good.jsonl');
    writeFileSync(good, `${JSON.stringify({ id: 'g1', timestamp: new Date().toISOString(), success: true })}\n`);
    const mixed = run(['import', 'nope.jsonl', good, '--db', 'mixed', '--json'], tmp.path);
    assert.equal(mixed.code, 2);
    assert.match(mixed.err, /cannot read nope\.jsonl/);
    const mixedReport = JSON.parse(mixed.out) as { added: number; problems: { file: string; line: number; reason: string }[] };
    assert.equal(mixedReport.added, 1);
    assert.match(mixedReport.problems[0]!.reason, /^could not read the file/);
    const help = run(['export', '--help'], tmp.path);
    assert.equal(help.code, 0);
    assert.match(help.out, /usage: learning-viewer export/);
  });
  it('analytics and learn: the same figures as the panel and the built-in learner, on the command line', () => {
    const log = join(tmp.path, 'ab.jsonl');
    const now = Date.now();
    // Model M succeeds 12 of 40 times, N 36 of 40, all tagged auth, over the last 4 days.
    const records = Array.from({ length: 80 }, (_, i) => ({
      id: `ab${i}`,
      timestamp: new Date(now - (i % 4) * 86_400_000 - 3_600_000).toISOString(),
      success: i < 40 ? i % 10 < 3 : i % 10 < 9,
      tags: ['auth'],
      model_used: i < 40 ? 'M' : 'N',
    }));
    writeFileSync(log, records.map((x) => JSON.stringify(x)).join('\n'));
    assert.equal(run(['import', log, '--db', 'ab'], tmp.path).code, 0);
    const a = run(['analytics', '--db', 'ab', '--compare', 'M,N', '--tag', 'auth', '--json'], tmp.path);
    assert.equal(a.code, 0, a.err);
    const report = JSON.parse(a.out);
    assert.equal(report.overall.total, 80);
    assert.equal(report.comparison.verdict, 'N is better by 60.0 points, p < 0.001 (two-proportion z test).');
    const text = run(['analytics', '--db', 'ab'], tmp.path);
    assert.match(text.out, /^trend: Too little history for a trend/m);
    assert.match(text.out, /^prediction: No prediction for the success rate/m);
    assert.equal(run(['analytics', '--db', 'ab', '--compare', 'M'], tmp.path).code, 2);
    const l = run(['learn', 'auth', '--db', 'ab', '--depth', 'quick', '--json'], tmp.path);
    assert.equal(l.code, 0, l.err);
    const entry = JSON.parse(l.out);
    assert.deepEqual([entry.examplesAnalysed, entry.proficiency.successes], [80, 48]);
    assert.match(run(['learn', 'auth', '--db', 'ab'], tmp.path).out, /^auth \(standard\): 80 examples, proficiency 60\.0% \(95% interval/);
    assert.match(run(['learn', 'rust', '--db', 'ab'], tmp.path).err, /No examples tagged “rust” in the last 30 days/);
    assert.equal(run(['learn', 'auth', '--db', 'ab', '--depth', 'forever'], tmp.path).code, 2);
  });
});
