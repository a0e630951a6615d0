// Lines an attacker (or a broken writer) puts in a log. Each one is that
// line's problem: it never stops the import, never costs a good line, and
// nothing that reaches storage is silently changed.
import { NO_TOKENS } from '../../src/shared/figures';
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFile } from '../../src/core/ingest/importFile';
import { MAX_TAGS_PER_EXAMPLE, parseKimiLine, type ParseOptions } from '../../src/core/ingest/parseKimiLine';
import { exportExamples } from '../../src/core/export/exportExamples';
import { exampleById } from '../../src/core/queries/examples';
import { byTag, daily } from '../../src/core/queries/breakdowns';
import { summary } from '../../src/core/queries/summary';
import { NO_FILTERS } from '../../src/shared/filters';
import { LearningStore } from '../../src/core/storage/learningStore';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';
import { daysAgo } from '../helpers/clock';
import { kimi, storeWith } from '../helpers/storeWith';
import { coOccurrence, PAIR_TAGS_PER_EXAMPLE } from '../../src/core/queries/analyticsData';
import { capForPanel } from '../../src/shared/panelLists';
import { dashboardStateSchema, PANEL_DAYS, PANEL_GROUPS } from '../../src/shared/dashboardProtocol';

const utc: ParseOptions = { assumeTimeZone: 'utc', now: Date.now() };
const good = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ id, timestamp: daysAgo(2), success: true, tags: ['auth'], ...extra });

function reason(line: string): string {
  const r = parseKimiLine(line, utc);
  if (r.ok) assert.fail(`expected ${line.slice(0, 80)} to be rejected`);
  return r.reason;
}

function deep(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}

describe('hostile lines: kept exactly or rejected with a reason', () => {
  it('a numeric timestamp past the range of dates is rejected, not stored as a NaN day', () => {
    assert.match(reason('{"timestamp":1e20,"success":true}'), /past the last date a timestamp can hold/);
    assert.match(reason('{"timestamp":8640000000000001,"success":true}'), /past the last date/);
  });

  it('a value nested 3,000 levels deep is rejected by depth, without a stack overflow', () => {
    assert.match(reason(`{"timestamp":"2026-01-01T00:00:00Z","success":true,"extra":${deep(3000)}}`), /nested more than 64 levels deep/);
    assert.match(reason(`{"timestamp":"2026-01-01T00:00:00Z","success":true,"metrics":{"x":${deep(3000)}}}`), /nested more than 64 levels/);
  });

  it('a number beyond the range of a double (1e309) is rejected, never stored as null', () => {
    assert.match(reason('{"timestamp":"2026-01-01T00:00:00Z","success":true,"metrics":{"execution_time":1e309}}'), /metrics\.execution_time is a number beyond the range/);
    assert.match(reason('{"timestamp":"2026-01-01T00:00:00Z","success":true,"metrics":{"execution_time":-1e309}}'), /beyond the range/);
    assert.match(reason('{"timestamp":"2026-01-01T00:00:00Z","success":true,"score":1e309}'), /score is a number beyond the range/);
    // Finite, but a daily sum of two could overflow.
    assert.match(reason('{"timestamp":"2026-01-01T00:00:00Z","success":true,"metrics":{"execution_time":1e308}}'), /between -1e15 and 1e15/);
  });

  it('years 0000-0099 are kept as written, with an offset and without', () => {
    for (const [text, tz] of [
      ['0042-03-01T08:00:00Z', 'utc'],
      ['0042-03-01T08:00:00', 'utc'],
      ['0042-03-01T08:00:00', 'local'],
    ] as const) {
      const r = parseKimiLine(JSON.stringify({ timestamp: text, success: true }), { assumeTimeZone: tz, now: Date.now() });
      assert.ok(r.ok, `${text} (${tz}) was rejected: ${r.ok ? '' : r.reason}`);
      const d = new Date(r.example.ts);
      assert.equal(tz === 'utc' ? d.getUTCFullYear() : d.getFullYear(), 42, text);
      assert.ok(Number.isFinite(r.example.day));
    }
  });

  it('__proto__ keys in metrics and extra fields are kept, and change the fingerprint', () => {
    const line = '{"id":"p","timestamp":"2026-01-01T00:00:00Z","success":true,"metrics":{"__proto__":{"polluted":1},"n":2},"__proto__":{"x":1}}';
    const r = parseKimiLine(line, utc);
    assert.ok(r.ok);
    assert.deepEqual(Object.keys(r.example.metrics), ['__proto__', 'n']);
    assert.deepEqual(Object.keys(r.example.extra), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const without = parseKimiLine('{"id":"p","timestamp":"2026-01-01T00:00:00Z","success":true,"metrics":{"n":2}}', utc);
    assert.ok(without.ok);
    assert.notEqual(r.example.contentHash, without.ok && without.example.contentHash);
  });

  it('a lone surrogate in any text, id or key is rejected with where it is', () => {
    assert.match(reason('{"timestamp":"2026-01-01T00:00:00Z","success":true,"task_description":"ab\\ud800c"}'), /task_description holds a lone UTF-16 surrogate \(at position 2\)/);
    assert.match(reason('{"id":"x\\udc00","timestamp":"2026-01-01T00:00:00Z","success":true}'), /^id holds a lone UTF-16 surrogate/);
    assert.match(reason('{"timestamp":"2026-01-01T00:00:00Z","success":true,"tags":["ok","\\ud83d"]}'), /tags\[1\] holds a lone/);
    // A whole pair is fine.
    assert.ok(parseKimiLine('{"timestamp":"2026-01-01T00:00:00Z","success":true,"task_description":"\\ud83d\\ude00"}', utc).ok);
  });

  it(`more than ${MAX_TAGS_PER_EXAMPLE} tags on one example is rejected with the count`, () => {
    const tags = Array.from({ length: 3000 }, (_, i) => `t${i}`);
    assert.match(reason(JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', success: true, tags })), /has 3000 tags; at most 100/);
  });

  it('the fingerprint is of the canonical record: tag order and feedback do not make a conflict', () => {
    const a = parseKimiLine(JSON.stringify({ id: 'x', timestamp: '2026-01-01T00:00:00Z', success: true, tags: ['b', 'a'], human_feedback: 'one' }), utc);
    const b = parseKimiLine(JSON.stringify({ id: 'x', timestamp: '2026-01-01T00:00:00Z', success: true, tags: ['a', 'b'], human_feedback: 'two' }), utc);
    assert.ok(a.ok && b.ok);
    assert.equal(a.example.contentHash, b.example.contentHash);
    assert.deepEqual(a.example.tags, ['b', 'a']);
  });
});

describe('hostile files: the import goes on', () => {
  const tmp = useTempDir();
  let store: LearningStore;
  beforeEach(async () => {
    store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
  });
  afterEach(() => store.close());

  it('one line of each kind among good lines: every good line stored, each bad one reported, sums finite', async () => {
    const file = join(tmp.path, 'hostile.jsonl');
    const lines = [
      good('g1', { metrics: { execution_time: 2 } }),
      '{"timestamp":1e20,"success":true}',
      good('g2'),
      `{"timestamp":"${daysAgo(2)}","success":true,"x":${deep(3000)}}`,
      good('g3', { metrics: { execution_time: 4 } }),
      `{"timestamp":"${daysAgo(2)}","success":true,"metrics":{"execution_time":1e309}}`,
      `{"timestamp":"${daysAgo(2)}","success":true,"metrics":{"execution_time":-1e309}}`,
      good('g4'),
    ];
    writeFileSync(file, lines.join('\n') + '\n');
    const report = await importFile(store, file, { ...utc, batchSize: 3 });
    assert.deepEqual([report.added, report.rejected], [4, 4]);
    assert.deepEqual(
      report.problems.map((p) => p.line),
      [2, 4, 6, 7],
    );
    const s = summary(store, NO_FILTERS);
    assert.equal(s.rate.total, 4);
    assert.equal(s.avgExecutionTime, 3);
    assert.ok(daily(store, NO_FILTERS).every((d) => Number.isFinite(d.total)));
  });

  it('a followed log with a bad line goes on past it: appends are read', async () => {
    const file = join(tmp.path, 'followed.jsonl');
    writeFileSync(file, `${good('a')}\n{"timestamp":8640000000000001,"success":true}\n${good('b')}\n`);
    const first = await importFile(store, file, { ...utc, follow: true });
    assert.deepEqual([first.added, first.rejected], [2, 1]);
    writeFileSync(file, `${good('a')}\n{"timestamp":8640000000000001,"success":true}\n${good('b')}\n${good('c')}\n`);
    const second = await importFile(store, file, { ...utc, follow: true });
    assert.deepEqual([second.added, second.rejected], [1, 0]);
    assert.equal(store.count(), 3);
  });

  it('property: random mutations of valid lines spliced into a large file never abort the import, and every good line is stored', async () => {
    // A small deterministic generator, so a failure can be replayed from its seed.
    let seed = 20261201;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const mutations: ((line: string) => string)[] = [
      (l) => l.slice(0, Math.floor(rand() * l.length)), // cut
      (l) => l.replace('"success":true', `"success":${pick(['"maybe"', 'null', '[]', '2', '{}'])}`),
      (l) => l.replace(/"timestamp":"[^"]*"/, `"timestamp":${pick(['1e20', '8640000000000001', '-1', '"0000-00-00"', '"2026-13-45T99:00:00Z"', 'true'])}`),
      (l) => l.replace('"tags":["auth"]', `"tags":${pick(['"a,,b"', '[1]', '{}', deep(500), JSON.stringify(Array.from({ length: 500 }, (_, i) => i.toString()))])}`),
      (l) => l.replace('}', `,"metrics":{"execution_time":${pick(['1e309', '-1e309', '"NaN"', '1e300', '{"__proto__":1}'])}}}`),
      (l) => l.replace('}', `,"x":${deep(1000 + Math.floor(rand() * 4000))}}`),
      (l) => l.replace('"id":"', `"id":"\\ud800`),
      (l) => l.split('').map((c) => (rand() < 0.05 ? String.fromCharCode(Math.floor(rand() * 128)) : c)).join(''),
      (l) => `${l}${l}`,
      () => '\u0000\u0001\u0002',
      () => '',
    ];
    const file = join(tmp.path, 'large.jsonl');
    const lines: string[] = [];
    const goodIds: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      const line = good(`id-${i}`);
      if (rand() < 0.1) lines.push(pick(mutations)(line));
      else {
        lines.push(line);
        goodIds.push(`id-${i}`);
      }
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const report = await importFile(store, file, { ...utc, batchSize: 1000 });
    assert.equal(report.cancelled, false);
    for (const id of goodIds) assert.ok(exampleById(store, id), `good line ${id} was not stored`);
    assert.equal(report.added + report.rejected + report.duplicates + report.conflicts >= goodIds.length, true);
    assert.ok(report.rejected > 0);
    const s = summary(store, NO_FILTERS);
    assert.ok(Number.isFinite(s.rate.total) && s.rate.total >= goodIds.length);
    assert.ok(byTag(store, NO_FILTERS).every((t) => Number.isFinite(t.total)));
  });

  it('a gzip of 256 MB of newlines is read quickly, and the line cap stops a file and says so', async () => {
    const bomb = join(tmp.path, 'newlines.jsonl.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(256 * 1024 * 1024, 0x0a)));
    const started = Date.now();
    const report = await importFile(store, bomb, { ...utc, maxLines: 1_000_000 });
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.equal(report.rejected, 1);
    assert.match(report.problems[0]!.reason, /reading stopped here: the file has more than 1,000,000 lines/);
    // The byte cap, on a plain file.
    const big = join(tmp.path, 'big.jsonl');
    writeFileSync(big, Array.from({ length: 2000 }, (_, i) => good(`b${i}`)).join('\n') + '\n');
    const capped = await importFile(store, big, { ...utc, maxBytes: 1024 });
    assert.match(capped.problems.at(-1)!.reason, /the file is over 1\.0 KB, the limit for one read/);
  });

  it('export then import into the same database adds nothing and conflicts nothing, tags in any order', async () => {
    const file = join(tmp.path, 'unsorted.jsonl');
    writeFileSync(file, [good('u1', { tags: ['zeta', 'alpha', 'mid'] }), good('u2', { tags: ['b', 'a'], human_feedback: 'kept' })].join('\n') + '\n');
    assert.equal((await importFile(store, file, utc)).added, 2);
    store.setFeedback('u2', 'edited in the viewer');
    for (const format of ['jsonl', 'json'] as const) {
      const out = join(tmp.path, `export.${format}`);
      await exportExamples(store, out, { format, filters: NO_FILTERS });
      const again = await importFile(store, out, utc);
      assert.deepEqual([again.added, again.duplicates, again.conflicts, again.rejected], [0, 2, 0, 0], format);
    }
    assert.equal(exampleById(store, 'u2')!.humanFeedback, 'edited in the viewer');
  });
});

describe('examples stored before the fingerprint was canonical', () => {
  const tmp = useTempDir();
  it('a re-import of the same line is a duplicate, not a conflict, and the stored fingerprint is brought up to date', async () => {
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
    try {
      const line = good('legacy', { tags: ['zeta', 'alpha'] });
      const parsed = parseKimiLine(line, utc);
      assert.ok(parsed.ok);
      // As an earlier version stored it: another fingerprint of the same content.
      store.insert([{ example: { ...parsed.example, contentHash: 'f'.repeat(40) } }]);
      const before = store.rows<[number]>("SELECT content_k FROM examples WHERE id = 'legacy'")[0]![0];
      assert.deepEqual(store.insert([{ example: parsed.example }]), { added: 0, duplicates: 1, conflicts: 0, conflictIndexes: [], expiredIndexes: [] });
      assert.notEqual(store.rows<[number]>("SELECT content_k FROM examples WHERE id = 'legacy'")[0]![0], before);
      const changed = parseKimiLine(good('legacy', { tags: ['zeta', 'alpha'], success: false }), utc);
      assert.ok(changed.ok);
      assert.equal(store.insert([{ example: changed.example }]).conflicts, 1);
    } finally {
      store.close();
    }
  });
});

describe('analytics over many tags on one example', () => {
  const tmp = useTempDir();
  it('tag pairs are bounded per example, and ordinary data gets exactly the pairs a full count gives', async () => {
    const wide = kimi({ id: 'wide', timestamp: daysAgo(1), tags: Array.from({ length: MAX_TAGS_PER_EXAMPLE }, (_, i) => `w${i}`) });
    const ordinary = Array.from({ length: 300 }, (_, i) => kimi({ id: `o${i}`, timestamp: daysAgo(i % 30), tags: ['a', 'b', 'c', 'd', 'e'].filter((_, j) => (i >> j) & 1) }));
    const store = await storeWith(tmp.path, [wide, ...ordinary]);
    try {
      const co = coOccurrence(store, NO_FILTERS);
      assert.equal(co.counts.get('w0'), 1, 'every tag is counted');
      assert.equal(co.counts.size, MAX_TAGS_PER_EXAMPLE + 5);
      const widePairs = [...co.pairs.keys()].filter((k) => k.startsWith('w'));
      assert.ok(widePairs.length <= (PAIR_TAGS_PER_EXAMPLE * (PAIR_TAGS_PER_EXAMPLE - 1)) / 2, `${widePairs.length} pairs from one example`);
      // The ordinary tags: every pair, counted exactly as a full self-join counts it.
      const full = store.rows<[string, string, number]>(
        `SELECT ta.name, tb.name, count(*) FROM example_tags a JOIN example_tags b ON b.k = a.k AND b.tag_id > a.tag_id
           JOIN tags ta ON ta.tag_id = a.tag_id JOIN tags tb ON tb.tag_id = b.tag_id WHERE ta.name NOT LIKE 'w%' GROUP BY 1, 2`,
      );
      assert.equal(full.length, 10);
      for (const [a, b, n] of full) assert.equal(co.pairs.get(a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`), n, `${a} & ${b}`);
    } finally {
      store.close();
    }
  });
});

describe('lists the panel cannot show whole', () => {
  it('more tags, models and days than a state may carry: the most used and the latest are sent, the rest counted, and the state is valid', () => {
    const byTag = Array.from({ length: 6000 }, (_, i) => ({ tag: `t${i}`, total: 6000 - i, successes: 1, unknown: 0 }));
    const byModel = Array.from({ length: 5500 }, (_, i) => ({ model: `m${i}`, total: i + 1, successes: 0, unknown: 0, tokens: NO_TOKENS, avgExecutionTime: null }));
    const daily = Array.from({ length: 8000 }, (_, i) => ({ day: new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10), total: 2, successes: 1, unknown: 0 }));
    const capped = capForPanel({ byTag, byModel, daily });
    assert.equal(capped.byTag.length, PANEL_GROUPS);
    assert.equal(capped.byTag[0]!.tag, 't0');
    assert.deepEqual(capped.omitted.tags, { groups: 5500, total: byTag.slice(500).reduce((s, t) => s + t.total, 0) });
    assert.equal(capped.byModel[0]!.model, 'm5499', 'most used first');
    assert.equal(capped.omitted.models.groups, 5000);
    assert.equal(capped.daily.length, PANEL_DAYS);
    assert.equal(capped.daily.at(-1)!.day, daily.at(-1)!.day, 'the latest days are kept');
    assert.deepEqual(capped.omitted.days, { groups: 3000, total: 6000, before: daily[3000]!.day });
    const state = dashboardStateSchema.safeParse({
      version: 1,
      health: { state: 'ok', reason: null, examples: 1, lastImport: null, followedFiles: 0, recoveredFrom: null, prunedBefore: null, prunedExamples: 0, place: { engine: 'embedded', name: 'This workspace' }, connection: null },
      filters: NO_FILTERS,
      summary: { rate: { total: 0, successes: 0, rate: null, interval: null }, avgExecutionTime: null, tokens: NO_TOKENS, previous: null },
      trusted: true,
      ...capped,
    });
    assert.ok(state.success, state.success ? '' : state.error.message);
  });
});
