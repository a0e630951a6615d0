import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvField } from '../../src/core/export/csv';
import { exportExamples } from '../../src/core/export/exportExamples';
import { iterateExamples } from '../../src/core/queries/examples';
import { NO_FILTERS } from '../../src/shared/filters';
import { kimi, storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

describe('CSV fields', () => {
  const cases: [unknown, string][] = [
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    ['日本語 ✓ émoji 🎉', '日本語 ✓ émoji 🎉'],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['+1+2', "'+1+2"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', '"\'\rCR"'],
    [-5, '-5'],
    [null, ''],
    [true, 'true'],
    [{ a: 1 }, '"{""a"":1}"'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(csvField(input), expected));
  }
});

describe('export', () => {
  const tmp = useTempDir();
  const records = [
    kimi({ id: 'x1', success: true, tags: ['auth', 'api'], model_used: 'M', tokens_consumed: 10, metrics: { execution_time: 1.5, tests_passed: 3, note: 'n' }, code_context: 'a\nb,"c"', human_feedback: '=1+1', workflow_id: { deep: [1, { two: 2 }] } }),
    kimi({ id: 'x2', timestamp: '2026-11-19T08:00:00.123Z', success: false, session_id: 's', task_description: 'Ünïcödé, "quoted"\nline', tags: [], kimi_version: '1.0' }),
  ];

  it('writes CSV with a header, one row per example and a BOM when asked', async () => {
    const store = await storeWith(tmp.path, records);
    const file = join(tmp.path, 'out.csv');
    await exportExamples(store, file, { format: 'csv', filters: NO_FILTERS, csvBom: true });
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('\uFEFFid,timestamp,success,'));
    assert.ok(text.includes(",'=1+1,"), 'the feedback formula is neutralised');
    assert.ok(text.includes('"a\nb,""c"""'), 'code with newline, comma and quotes is quoted');
    store.close();
  });

  it('leaves no file under the chosen name when cancelled', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => kimi({ id: `m${i}` }));
    const store = await storeWith(tmp.path, many);
    const controller = new AbortController();
    const file = join(tmp.path, 'cancelled.csv');
    const result = await exportExamples(store, file, { format: 'csv', filters: NO_FILTERS, signal: controller.signal, onProgress: () => controller.abort() });
    assert.equal(result.cancelled, true);
    assert.deepEqual(readdirSync(tmp.path).filter((f) => f.includes('cancelled')), []);
    assert.equal([...iterateExamples(store, {})].length, 2500, 'the data is untouched');
    store.close();
  });
});
