import { strict as assert } from 'node:assert';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKimiLine } from '../../src/core/ingest/parseKimiLine';
import { CodeFile } from '../../src/core/storage/codeFile';
import { CODE_FILE, LearningStore, LOCK_FILE, SNAPSHOT_FILE } from '../../src/core/storage/learningStore';
import { exampleById, examplesPage } from '../../src/core/queries/examples';
import { MIGRATIONS } from '../../src/core/storage/schema';
import { filtersSchema } from '../../src/shared/filters';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';

function example(id: string, code: string | null) {
  const r = parseKimiLine(JSON.stringify({ id, timestamp: '2026-11-20T10:00:00Z', success: true, code_context: code }), { assumeTimeZone: 'utc', now: Date.UTC(2026, 10, 21) });
  if (!r.ok) throw new Error(r.reason);
  return { example: r.example };
}

describe('the code side file', () => {
  const tmp = useTempDir();
  const dir = () => join(tmp.path, 'data');

  it('reads back what was appended, forwards, backwards and at random, across windows', () => {
    const file = new CodeFile(join(tmp.path, 'c.code'), true);
    const texts = Array.from({ length: 3000 }, (_, i) => `// ${i} ✓ ${'x'.repeat(i % 5000)}`);
    const refs = texts.map((t) => file.append(t).slice(0, 2) as [number, number]);
    assert.equal(file.read(...refs[5]!), texts[5], 'unflushed text is readable');
    file.flush();
    for (const i of [0, 1, 2, 2999, 1500, 7, 2998]) assert.equal(file.read(...refs[i]!), texts[i]);
    // About 7.5 MB: a scan either way reads it in a few 4 MB windows, not once per code.
    let reads = file.reads;
    for (let i = 0; i < texts.length; i++) assert.equal(file.read(...refs[i]!), texts[i]);
    assert.ok(file.reads - reads <= 4, `forward scan: ${file.reads - reads} reads`);
    reads = file.reads;
    for (let i = texts.length - 1; i >= 0; i--) assert.equal(file.read(...refs[i]!), texts[i]);
    assert.ok(file.reads - reads <= 4, `backward scan: ${file.reads - reads} reads`);
    assert.equal(file.read(file.end + 10, 5), null, 'beyond the file: no text');
    file.close();
  });

  it('keeps the code out of the snapshot: the snapshot has none of it, the side file has it, and it survives a reload', async () => {
    const SQL = await testSqlJs();
    const a = LearningStore.open({ SQL, dataDir: dir() });
    a.insert([example('1', 'def distinctive_function_name(): return 42'), example('2', null)]);
    await a.save();
    a.close();
    assert.ok(!readFileSync(join(dir(), SNAPSHOT_FILE)).includes('distinctive_function_name'));
    assert.ok(readFileSync(join(dir(), CODE_FILE)).includes('distinctive_function_name'));
    const b = LearningStore.open({ SQL, dataDir: dir() });
    try {
      assert.equal(exampleById(b, '1')!.codeContext, 'def distinctive_function_name(): return 42');
      assert.equal(exampleById(b, '2')!.codeContext, null);
      const found = examplesPage(b, { filters: filtersSchema.parse({ search: 'DISTINCTIVE_function' }) });
      assert.deepEqual(found.rows.map((r) => r.id), ['1'], 'search is case-insensitive like before');
      const regex = examplesPage(b, { filters: filtersSchema.parse({ codeRegex: 'return \\d+$' }) });
      assert.deepEqual(regex.rows.map((r) => r.id), ['1']);
    } finally {
      b.close();
    }
  });

  it('bytes written before a crash that no snapshot refers to are harmless', async () => {
    const SQL = await testSqlJs();
    const a = LearningStore.open({ SQL, dataDir: dir() });
    a.insert([example('1', 'first code')]);
    await a.save();
    a.insert([example('2', 'lost in the crash')]);
    // A crash: the second insert reached the code file but no snapshot; the lock is left behind.
    (a as unknown as { lockHeld: boolean }).lockHeld = false;
    rmSync(join(dir(), LOCK_FILE));
    appendFileSync(join(dir(), CODE_FILE), 'half-written garbage');
    const b = LearningStore.open({ SQL, dataDir: dir() });
    try {
      assert.equal(exampleById(b, '2'), null);
      b.insert([example('3', 'after the crash')]);
      assert.equal(exampleById(b, '1')!.codeContext, 'first code');
      assert.equal(exampleById(b, '3')!.codeContext, 'after the crash');
    } finally {
      b.close();
    }
  });

  it('a missing side file costs the code, not the examples', async () => {
    const SQL = await testSqlJs();
    const a = LearningStore.open({ SQL, dataDir: dir() });
    a.insert([example('1', 'some code')]);
    await a.save();
    a.close();
    rmSync(join(dir(), CODE_FILE));
    const b = LearningStore.open({ SQL, dataDir: dir() });
    try {
      assert.equal(exampleById(b, '1')!.codeContext, null);
      assert.match(exampleById(b, '1')!.codeProblem!, /is shorter than this record.*the code is lost/);
      assert.equal(b.count(), 1);
    } finally {
      b.close();
    }
  });

  it('a flipped byte or a cut file is reported as a damaged or lost record, never shown as code', async () => {
    const SQL = await testSqlJs();
    const a = LearningStore.open({ SQL, dataDir: dir() });
    a.insert([example('1', 'const first = 1;'), example('2', 'const second = 2;'), example('3', 'const third = 3;')]);
    await a.save();
    a.close();
    const path = join(dir(), CODE_FILE);
    const bytes = readFileSync(path);
    // One byte of the second record changes ("second" becomes "sedond"), and the third is cut short.
    const at = bytes.indexOf('second');
    bytes[at + 2] = 'd'.charCodeAt(0);
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    const b = LearningStore.open({ SQL, dataDir: dir() });
    try {
      assert.equal(exampleById(b, '1')!.codeContext, 'const first = 1;');
      assert.equal(exampleById(b, '1')!.codeProblem, undefined);
      const damaged = exampleById(b, '2')!;
      assert.equal(damaged.codeContext, null);
      assert.match(damaged.codeProblem!, /is damaged \(its checksum does not match\)/);
      assert.match(exampleById(b, '3')!.codeProblem!, /shorter than this record/);
    } finally {
      b.close();
    }
  });

  it('upgrading from schema 4 moves the code out of the database, and a read-only window sees it', async () => {
    const SQL = await testSqlJs();
    const db = new SQL.Database();
    for (let v = 0; v < 4; v++) MIGRATIONS[v]!(db);
    db.exec('PRAGMA user_version = 4');
    db.run(`INSERT INTO examples (k, id, ts, day, success, ingested_at, content_hash) VALUES (1, 'old-1', ${Date.UTC(2026, 10, 20)}, 20412, 1, 0, 'h')`);
    db.run('INSERT INTO example_code (k, code) VALUES (1, ?)', ['print("kept through the upgrade")']);
    writeFileSync(join(tmp.path, 'v4.sqlite'), db.export());
    db.close();
    rmSync(dir(), { recursive: true, force: true });
    mkdirSync(dir(), { recursive: true });
    copyFileSync(join(tmp.path, 'v4.sqlite'), join(dir(), SNAPSHOT_FILE));
    const upgraded = LearningStore.open({ SQL, dataDir: dir() });
    try {
      assert.equal(exampleById(upgraded, 'old-1')!.codeContext, 'print("kept through the upgrade")');
      assert.equal(upgraded.rows("SELECT name FROM sqlite_master WHERE name = 'example_code'").length, 0);
      await upgraded.save();
      // A second window while this one holds the lock: read-only, and it finds the code in the side file.
      const readOnly = LearningStore.open({ SQL, dataDir: dir() });
      assert.equal(readOnly.state, 'read-only');
      assert.equal(exampleById(readOnly, 'old-1')!.codeContext, 'print("kept through the upgrade")');
      readOnly.close();
    } finally {
      upgraded.close();
    }
    assert.ok(!readFileSync(join(dir(), SNAPSHOT_FILE)).includes('kept through the upgrade'));
  });
});

describe('searching the code side file', () => {
  const tmp = useTempDir();

  it('finds a text ignoring ASCII case, only inside one code, across chunk boundaries, and never across two codes', () => {
    const file = new CodeFile(join(tmp.path, 's.code'), true);
    const a = file.append('const Pagination = usePages();');
    const b = file.append('xxPAGI');
    const c = file.append('NATIONyy'); // "PAGINATION" spans b and c: no match in either
    const d = file.append('Ünïcode pagination ✓');
    // Push one code past the 8 MB chunk boundary so that a match straddles it.
    const filler = file.append('z'.repeat(8 * 1024 * 1024 - file.end - 3));
    const e = file.append('pagination at the edge');
    file.flush();
    const has = (ref: readonly number[], text: string) => file.codesContaining(text, [ref[0]!], [ref[1]!]).length === 1;
    assert.equal(has(a, 'pagination'), true);
    assert.equal(has(a, 'PAGINATION'), true);
    assert.equal(has(b, 'pagination'), false);
    assert.equal(has(c, 'pagination'), false);
    assert.equal(has(d, 'pagination'), true);
    assert.equal(has(d, 'ünïcode'), false, 'like SQLite LIKE, only ASCII letters fold');
    assert.equal(has(d, 'Ünïcode'), true);
    assert.equal(has(filler, 'pagination'), false);
    assert.equal(has(e, 'pagination'), true);
    assert.equal(has(e, 'a.b'), false, 'regular-expression characters are literal');
    const f = file.append('see a.b here');
    assert.equal(has(f, 'a.b'), true, 'unflushed code is searched too');
    // All at once, as a search does it: each matching code listed once, in order.
    const all = [a, b, c, d, filler, e, f];
    assert.deepEqual(
      file.codesContaining('PAGINATION', all.map((r) => r[0]), all.map((r) => r[1])),
      [0, 3, 5],
    );
    file.close();
  });

  it('lists a code once however often it holds the text, and finds every code that holds it', () => {
    const file = new CodeFile(join(tmp.path, 'common.code'), true);
    const texts = ['aXa x', 'bbb', 'xx', '', 'x', 'y'.repeat(9 * 1024 * 1024) + 'x'];
    const refs = texts.map((t) => file.append(t).slice(0, 2) as [number, number]);
    file.flush();
    const found = file.codesContaining('X', refs.map((r) => r[0]), refs.map((r) => r[1]));
    assert.deepEqual(found, texts.flatMap((t, i) => (t.toLowerCase().includes('x') ? [i] : [])));
    assert.deepEqual(file.codesContaining('x', [], []), []);
    file.close();
  });
});
