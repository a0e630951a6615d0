import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { createBackup, dailyBackupDue, installBackup, keptByRotation, listBackups, rotateBackups, verifyBackup, type BackupInfo } from '../../src/core/storage/backups';
import { LearningStore } from '../../src/core/storage/learningStore';
import { DataClient } from '../../src/extension/dataClient';
import { daysAgo } from '../helpers/clock';
import { testSqlJs } from '../helpers/sqlJs';
import { kimi, storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

const DAY = 86_400_000;
const root = join(__dirname, '..', '..');

function add(store: LearningStore, records: Record<string, unknown>[]): void {
  store.insert(records.map((r) => ({ example: (normalizeRecord(r, { assumeTimeZone: 'utc', now: Date.now() }) as { ok: true; example: never }).example })));
}

const source = (store: LearningStore, dir: string) => ({ dataDir: dir, save: () => store.saveNow(), count: () => store.count() });

describe('backups', () => {
  const tmp = useTempDir();
  const db = () => join(tmp.path, 'db');
  const folder = () => join(tmp.path, 'db', 'backups');

  it('a backup and a restore: the earlier examples, code and feedback come back; what came after is gone', async () => {
    const store = await storeWith(tmp.path, [kimi({ id: 'a', code_context: 'print(1)' }), kimi({ id: 'b' }), kimi({ id: 'c' })]);
    store.setFeedback('a', 'kept');
    const made = await createBackup(source(store, db()), folder(), 'manual', new Date());
    assert.equal(made.examples, 3);
    assert.ok(made.codeBytes > 0);
    add(store, [kimi({ id: 'd' }), kimi({ id: 'e', code_context: 'later code' })]);
    store.setFeedback('a', 'changed after the backup');
    await store.save();
    store.close();
    assert.equal(verifyBackup(await testSqlJs(), made), null);
    await installBackup(made, db());
    const back = LearningStore.open({ SQL: await testSqlJs(), dataDir: db() });
    try {
      assert.equal(back.count(), 3);
      assert.deepEqual(back.rows('SELECT id, human_feedback FROM examples ORDER BY id'), [
        ['a', 'kept'],
        ['b', null],
        ['c', null],
      ]);
      assert.equal(back.loaded.note, null, 'the restored snapshot is one the list vouches for');
      const code = back.rows<[number, number]>('SELECT off, len FROM code_refs')[0]!;
      assert.equal(back.codeRecord(code[0], code[1], null).text, 'print(1)');
    } finally {
      back.close();
    }
  });

  it('a flipped byte in a backup is found before it is trusted; a failed backup leaves the earlier ones as they were', async () => {
    const store = await storeWith(tmp.path, [kimi({ id: 'a' })]);
    const good = await createBackup(source(store, db()), folder(), 'manual', new Date(Date.now() - 1000));
    const bad = await createBackup(source(store, db()), folder(), 'manual', new Date());
    const file = join(bad.path, 'learning.sqlite');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(file, bytes);
    assert.match(verifyBackup(await testSqlJs(), bad)!, /checksum does not match/);
    // A source without a snapshot to copy: the copy fails midway.
    await assert.rejects(createBackup({ dataDir: join(tmp.path, 'nowhere'), save: async () => undefined, count: () => 0 }, folder(), 'manual'), /could not be written.*earlier backups are untouched/);
    const listed = await listBackups(folder());
    assert.deepEqual(listed.map((b) => b.path).sort(), [good.path, bad.path].sort(), 'no half-written backup is listed');
    assert.equal(verifyBackup(await testSqlJs(), good), null);
    store.close();
  });

  it('the rotation keeps the newest of each of the last 7 days and 4 weeks, and the last 5 others, over 40 simulated days', () => {
    // Two backups a day at 03:00 and 15:00 UTC for 40 days ending Sunday 2026-11-29, and 7 made by hand.
    const end = Date.UTC(2026, 10, 29, 15);
    const info = (at: number, kind: BackupInfo['kind']): BackupInfo => ({
      path: `${new Date(at).toISOString()}-${kind}`,
      createdAt: new Date(at).toISOString(),
      kind,
      examples: 1,
      snapshot: { bytes: 1, crc: 1 },
      codeBytes: 0,
      totalBytes: 1,
    });
    const all: BackupInfo[] = [];
    for (let d = 0; d < 40; d++) for (const h of [12, 0]) all.push(info(end - d * DAY - h * 3_600_000, 'daily'));
    for (let m = 0; m < 7; m++) all.push(info(end - m * 5 * DAY - 3_600_000, 'manual'));
    const kept = [...keptByRotation(all, { keepDaily: 7, keepWeekly: 4, keepOther: 5 })].sort();
    const days = Array.from({ length: 7 }, (_, d) => new Date(end - d * DAY).toISOString());
    // The newest of the three weeks before: the Sundays 2026-11-22, -15 and -08 at 15:00.
    const weeks = [7, 14, 21].map((d) => new Date(end - d * DAY).toISOString());
    const others = Array.from({ length: 5 }, (_, m) => new Date(end - m * 5 * DAY - 3_600_000).toISOString());
    assert.deepEqual(kept, [...days.map((d) => `${d}-daily`), ...weeks.map((d) => `${d}-daily`), ...others.map((d) => `${d}-manual`)].sort());
  });

  it('rotateBackups deletes what the rotation drops and nothing else; a daily backup is due after 24 hours', async () => {
    const store = await storeWith(tmp.path, [kimi({ id: 'a' })]);
    const start = Date.now() - 10 * DAY;
    for (let d = 0; d < 4; d++) await createBackup(source(store, db()), folder(), 'daily', new Date(start + d * DAY));
    writeFileSync(join(folder(), 'notes.txt'), 'not a backup');
    const gone = await rotateBackups(folder(), { keepDaily: 2, keepWeekly: 0, keepOther: 5 });
    assert.equal(gone.length, 2);
    const left = await listBackups(folder());
    assert.deepEqual(left.map((b) => b.createdAt), [new Date(start + 3 * DAY).toISOString(), new Date(start + 2 * DAY).toISOString()]);
    assert.ok(existsSync(join(folder(), 'notes.txt')), 'what is not a backup is left alone');
    assert.equal(dailyBackupDue(left, new Date(start + 3 * DAY + 23 * 3_600_000)), false);
    assert.equal(dailyBackupDue(left, new Date(start + 4 * DAY + 1)), true);
    store.close();
  });

  it('through the data worker: Back Up Now, more examples, then Restore brings the earlier count back and backs up the state it replaced', async () => {
    const client = new DataClient(join(root, 'dist', 'worker.js'), { dataDir: db(), wasmPath: join(root, 'dist', 'sql-wasm.wasm'), assumeTimeZone: 'utc' });
    try {
      await client.opened;
      const log = join(tmp.path, 'log.jsonl');
      writeFileSync(log, [1, 2, 3].map((i) => JSON.stringify({ id: `w${i}`, timestamp: daysAgo(i), success: true })).join('\n') + '\n');
      await client.request('importFiles', { paths: [log], importId: 'one' }, 0);
      const made = await client.request('backupNow', {}, 0);
      assert.equal(made.examples, 3);
      writeFileSync(log, [4, 5].map((i) => JSON.stringify({ id: `w${i}`, timestamp: daysAgo(i), success: false })).join('\n') + '\n');
      await client.request('importFiles', { paths: [log], importId: 'two' }, 0);
      assert.equal((await client.request('summary', {})).rate.total, 5);
      const restored = await client.request('restoreBackup', { path: made.path }, 0);
      assert.equal(restored.examples, 3);
      assert.equal((await client.request('summary', {})).rate.total, 3);
      const list = await client.request('backups', {});
      assert.deepEqual(list.map((b) => [b.kind, b.examples]), [
        ['before-restore', 5],
        ['manual', 3],
      ]);
    } finally {
      await client.dispose();
    }
  });

  it('on the command line: backup, backups, restore by name; a damaged backup is refused with the reason and exit 2', async () => {
    const cli = join(root, 'dist', 'cli.js');
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    const log = join(tmp.path, 'cli.jsonl');
    writeFileSync(log, [1, 2].map((i) => JSON.stringify({ id: `c${i}`, timestamp: daysAgo(i), success: true })).join('\n') + '\n');
    assert.equal(run('import', log, '--db', db()).status, 0);
    const made = run('backup', '--db', db(), '--json');
    assert.equal(made.status, 0, made.stderr);
    const backup = JSON.parse(made.stdout) as BackupInfo;
    writeFileSync(log, JSON.stringify({ id: 'c3', timestamp: daysAgo(0), success: false }) + '\n');
    assert.equal(run('import', log, '--db', db()).status, 0);
    const listed = JSON.parse(run('backups', '--db', db(), '--json').stdout) as BackupInfo[];
    assert.deepEqual(listed.map((b) => b.examples), [2]);
    const name = backup.path.split('/').at(-1)!;
    const restored = run('restore', name, '--db', db());
    assert.equal(restored.status, 0, restored.stderr);
    assert.match(restored.stdout, /restored the backup of .*: 2 examples/);
    assert.match(run('stats', '--db', db()).stdout, /^examples 2, /);
    const file = join(backup.path, 'learning.sqlite');
    const bytes = readFileSync(file);
    bytes[100] ^= 0xff;
    writeFileSync(file, bytes);
    const refused = run('restore', name, '--db', db());
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /cannot be used: its snapshot/);
  });
});
