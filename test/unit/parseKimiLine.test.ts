import { strict as assert } from 'node:assert';
import { parseKimiLine, type ParseOptions } from '../../src/core/ingest/parseKimiLine';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const utc: ParseOptions = { assumeTimeZone: 'utc', now: NOW };

function ok(line: unknown, options = utc) {
  const r = parseKimiLine(typeof line === 'string' ? line : JSON.stringify(line), options);
  if (!r.ok) assert.fail(`expected the line to be accepted, got: ${r.reason}`);
  return r.example;
}
function rejected(line: unknown, options = utc): string {
  const r = parseKimiLine(typeof line === 'string' ? line : JSON.stringify(line), options);
  if (r.ok) assert.fail('expected the line to be rejected');
  return r.reason;
}

const base = { timestamp: '2026-11-20T10:00:00Z', success: true };

describe('KIMI line validation', () => {
  it('keeps every field and every unknown field', () => {
    const e = ok({
      id: 'a1b2',
      ...base,
      session_id: 's1',
      task_description: 'Fix login',
      code_context: 'def f(): pass',
      metrics: { tests_passed: 5, execution_time: 1.5, note: 'kept' },
      tags: ['auth', 'bug_fix'],
      model_used: 'Mistral 7B',
      tokens_consumed: 900,
      human_feedback: null,
      kimi_version: '0.9',
      workflow_id: { nested: [1, 2] },
    });
    assert.equal(e.id, 'a1b2');
    assert.equal(e.ts, Date.UTC(2026, 10, 20, 10));
    assert.deepEqual(e.tags, ['auth', 'bug_fix']);
    assert.equal(e.model, 'Mistral 7B');
    assert.equal(e.tokens, 900);
    assert.deepEqual(e.metrics, { tests_passed: 5, execution_time: 1.5, note: 'kept' });
    assert.deepEqual(e.extra, { kimi_version: '0.9', workflow_id: { nested: [1, 2] } });
  });

  it('requires timestamp and success, saying which is missing', () => {
    assert.match(rejected({ success: true }), /timestamp is missing/);
    assert.match(rejected({ timestamp: base.timestamp }), /success is missing/);
  });

  it('applies only the documented coercions', () => {
    assert.equal(ok({ ...base, success: 'TRUE' }).success, true);
    assert.equal(ok({ ...base, success: 'false' }).success, false);
    assert.equal(ok({ ...base, success: 1 }).success, true);
    assert.equal(ok({ ...base, success: '0' }).success, false);
    assert.match(rejected({ ...base, success: 'yes' }), /success must be true, false or null \(unknown\), not the text "yes"/);
    assert.match(rejected({ ...base, success: 2 }), /success must be true, false or null/);
    // null, written out, is an unknown outcome (an agent session's turn, an export of one); a missing success is still refused.
    assert.equal(ok({ ...base, success: null }).success, null);
    assert.match(rejected({ timestamp: base.timestamp }), /success is missing/);
    assert.deepEqual(ok({ ...base, tags: 'auth, api ,,auth' }).tags, ['auth', 'api']);
    assert.equal(ok({ ...base, tokens_consumed: '1200' }).tokens, 1200);
    assert.match(rejected({ ...base, tokens_consumed: 'many' }), /tokens_consumed must be a whole number/);
    assert.match(rejected({ ...base, tokens_consumed: -5 }), /tokens_consumed/);
    assert.equal(ok({ ...base, metrics: { execution_time: '2.5' } }).metrics.execution_time, 2.5);
    assert.match(rejected({ ...base, tags: [1, 2] }), /each tag must be text/);
    assert.match(rejected({ ...base, model_used: 7 }), /model_used must be text/);
    assert.match(rejected({ ...base, metrics: [1] }), /metrics must be an object/);
  });

  it('reads epoch seconds and milliseconds', () => {
    assert.equal(ok({ ...base, timestamp: 1_700_000_000 }).ts, 1_700_000_000_000);
    assert.equal(ok({ ...base, timestamp: 1_700_000_000_123 }).ts, 1_700_000_000_123);
  });

  it('reads a timestamp without an offset in the configured zone', () => {
    const naive = '2026-03-01T08:30:00.123456';
    assert.equal(ok({ ...base, timestamp: naive }, utc).ts, Date.UTC(2026, 2, 1, 8, 30, 0, 123));
    assert.equal(ok({ ...base, timestamp: naive }, { ...utc, assumeTimeZone: 'local' }).ts, new Date(2026, 2, 1, 8, 30, 0, 123).getTime());
    assert.equal(ok({ ...base, timestamp: '2026-03-01T08:30:00+02:00' }).ts, Date.UTC(2026, 2, 1, 6, 30));
  });

  it('rejects impossible dates with the value in the reason', () => {
    assert.match(rejected({ ...base, timestamp: '2026-02-30T10:00:00Z' }), /"2026-02-30T10:00:00Z" is not a real date/);
    assert.match(rejected({ ...base, timestamp: 'yesterday' }), /not an ISO 8601 date/);
  });

  it('flags timestamps far in the future but keeps them', () => {
    assert.equal(ok({ ...base, timestamp: '2030-01-01T00:00:00Z' }).futureTimestamp, true);
    assert.equal(ok(base).futureTimestamp, false);
  });

  it('derives the same id from the same content, whatever the key order', () => {
    const a = ok('{"timestamp":"2026-11-20T10:00:00Z","success":true,"tags":["x"]}');
    const b = ok('{"tags":["x"],"success":true,"timestamp":"2026-11-20T10:00:00Z"}');
    const c = ok('{"tags":["y"],"success":true,"timestamp":"2026-11-20T10:00:00Z"}');
    assert.equal(a.id, b.id);
    assert.notEqual(a.id, c.id);
    assert.match(a.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('says what is wrong with invalid JSON and non-objects', () => {
    assert.match(rejected('{"timestamp": '), /invalid JSON/);
    assert.match(rejected('[1,2]'), /must be a JSON object, not an array/);
    assert.match(rejected('42'), /must be a JSON object, not number 42/);
  });
});
