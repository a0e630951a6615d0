// Damage is detected and said, never read as truth: a cut or flipped
// snapshot, a damaged journal entry, temp files of a killed save, and what the
// command line says about each.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { BACKUP_FILE, JOURNAL_FILE, LearningStore, SNAPSHOT_FILE } from '../../src/core/storage/learningStore';
import { byTag } from '../../src/core/queries/breakdowns';
import { fingerprint, prefetchSnapshot, SUMS_FILE } from '../../src/core/storage/snapshotCheck';
import { exampleById } from '../../src/core/queries/examples';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';
import { daysAgo } from '../helpers/clock';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

function examples(from: number, to: number, tagsPer = 18) {
  return Array.from({ length: to - from }, (_, i) => {
    const n = from + i;
    const p = normalizeRecord(
      { id: `e${n}`, timestamp: daysAgo(n % 20), success: n % 3 !== 0, tags: [`tag${n % tagsPer}`], task_description: `task ${n}`, code_context: `code ${n}` },
      { assumeTimeZone: 'utc', now: Date.now() },
    );
    if (!p.ok) throw new Error(p.reason);
    return { example: p.example };
  });
}

describe('damage to the stored data', () => {
  const tmp = useTempDir();
  const dir = () => join(tmp.path, 'data');

  /** A store saved twice: the snapshot holds 300 examples, its backup the first 200. */
  async function savedTwice(): Promise<void> {
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir() });
    store.insert(examples(0, 200));
    await store.save();
    store.insert(examples(200, 300));
    await store.save();
    store.close();
  }

  it('a snapshot cut short by 0.1% is detected, moved aside, and the good backup loaded, with what that means said', async () => {
    await savedTwice();
    const path = join(dir(), SNAPSHOT_FILE);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.999)));
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir() });
    try {
      assert.equal(store.count(), 200, 'the backup holds the first 200');
      assert.equal(byTag(store).length, 18);
      assert.match(store.reason!, /is damaged: it is [\d,]+ bytes, not the [\d,]+ that were saved.*moved to .*learning\.sqlite\.damaged-.*The backup .* is good and was loaded instead.*Followed logs are read again/);
      assert.ok(store.recoveredFrom && existsSync(store.recoveredFrom));
      assert.equal(store.isDirty, true, 'the next save writes a good snapshot again');
      await store.save();
      assert.ok(existsSync(join(dir(), BACKUP_FILE)), 'the backup is kept');
    } finally {
      store.close();
    }
    const again = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir() });
    assert.equal(again.reason, null);
    assert.equal(again.count(), 200);
    again.close();
  });

  it('every one of 30 random byte flips in a snapshot is detected; none is read as the data', async function () {
    this.timeout(60_000);
    await savedTwice();
    const path = join(dir(), SNAPSHOT_FILE);
    const good = readFileSync(path);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 30; i++) {
      const bad = Buffer.from(good);
      const at = Math.floor(rand() * bad.length);
      bad[at] = bad[at]! ^ (1 + Math.floor(rand() * 255));
      writeFileSync(path, bad);
      const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir(), readOnly: true });
      try {
        assert.match(store.reason ?? '', /is damaged/, `flip ${i} at byte ${at} was not noticed`);
        assert.equal(store.count(), 200, 'the backup is what is shown');
      } finally {
        store.close();
      }
    }
  });

  it('a snapshot read ahead of the open (its CRC taken chunk by chunk) is checked as one read at the open', async () => {
    await savedTwice();
    const path = join(dir(), SNAPSHOT_FILE);
    const ahead = await prefetchSnapshot(path, 4096);
    assert.ok(ahead && ahead.data.length > 3 * 4096, 'read in several chunks');
    assert.deepEqual(ahead.print, fingerprint(readFileSync(path)), 'the CRC of the chunks is the CRC of the file');
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir(), readOnly: true, snapshot: ahead });
    try {
      assert.equal(store.reason, 'opened read-only on request');
      assert.equal(store.count(), 300);
    } finally {
      store.close();
    }
    assert.equal(await prefetchSnapshot(join(dir(), 'no-such-file')), null);
  });

  it('a snapshot another save replaced after it was read ahead is read again at the open: the newer data is shown', async () => {
    await savedTwice();
    const stale = await prefetchSnapshot(join(dir(), SNAPSHOT_FILE));
    const writer = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir() });
    writer.insert(examples(300, 350));
    await writer.save();
    writer.close();
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir(), readOnly: true, snapshot: stale });
    try {
      assert.equal(store.count(), 350, 'not the 300 of the bytes read ahead');
    } finally {
      store.close();
    }
  });

  it('a flipped byte in a snapshot read ahead is detected as in one read: the backup is shown', async () => {
    await savedTwice();
    const path = join(dir(), SNAPSHOT_FILE);
    const bad = readFileSync(path);
    bad[Math.floor(bad.length / 2)] ^= 0x10;
    writeFileSync(path, bad);
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir(), readOnly: true, snapshot: await prefetchSnapshot(path, 4096) });
    try {
      assert.match(store.reason ?? '', /is damaged: its checksum does not match/);
      assert.equal(store.count(), 200);
    } finally {
      store.close();
    }
  });

  it('a snapshot the list does not vouch for (an older version wrote it) is checked by quick_check, and a cut one is caught', async () => {
    await savedTwice();
    rmSync(join(dir(), SUMS_FILE));
    const whole = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir(), readOnly: true });
    assert.equal(whole.reason, 'opened read-only on request');
    assert.ok(whole.loaded.quickCheckMs > 0, 'checked by quick_check');
    assert.equal(whole.count(), 300);
    whole.close();
    const path = join(dir(), SNAPSHOT_FILE);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const cut = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir(), readOnly: true });
    try {
      assert.match(cut.reason ?? '', /is damaged: (SQLite's integrity check failed|it is not a database)/);
      assert.equal(cut.count(), 200, 'the backup, checked the same way, is shown');
    } finally {
      cut.close();
    }
  });

  it('a damaged journal entry is reported and set aside, never deleted; the rest are replayed', async () => {
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir() });
    store.insert(examples(0, 3));
    await store.save();
    store.setFeedback('e0', 'first note');
    store.setFeedback('e1', 'second note');
    store.setFeedback('e2', 'third note');
    store.close();
    const journal = join(dir(), JOURNAL_FILE);
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('second note', 'sekond note');
    writeFileSync(journal, lines.join('\n'));
    const reopened = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir() });
    try {
      assert.match(reopened.reason!, /1 entry of the journal .* is damaged \(its checksum does not match \(bytes in it changed\)\) and was not replayed.*kept in .*learning\.journal\.damaged.*The rest were replayed/);
      assert.equal(exampleById(reopened, 'e0')!.humanFeedback, 'first note');
      assert.equal(exampleById(reopened, 'e1')!.humanFeedback, null);
      assert.equal(exampleById(reopened, 'e2')!.humanFeedback, 'third note');
      await reopened.save();
      assert.match(readFileSync(`${journal}.damaged`, 'utf8'), /# line 2: its checksum does not match[\s\S]*sekond note/);
    } finally {
      reopened.close();
    }
  });

  it('temp files a killed save left are removed on open, ours only', async () => {
    await savedTwice();
    const mine = ['.learning.sqlite.999999.1764600000000.tmp', 'learning.journal.999998.tmp', '.learning.sqlite.sum.999997.1.tmp'];
    for (const name of [...mine, 'notes.tmp', '.other.sqlite.1.2.tmp']) writeFileSync(join(dir(), name), 'x'.repeat(1000));
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir: dir() });
    store.close();
    const left = readdirSync(dir());
    for (const name of mine) assert.ok(!left.includes(name), `${name} was left`);
    assert.ok(left.includes('notes.tmp') && left.includes('.other.sqlite.1.2.tmp'), 'files that are not ours stay');
  });

  describe('on the command line', () => {
    before(() => {
      if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
    });
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

    it('stats on an unreadable snapshot without a backup fails and says why, instead of showing 0 examples', () => {
      const db = join(tmp.path, 'cli-db');
      const log = join(tmp.path, 'l.jsonl');
      writeFileSync(log, `${JSON.stringify({ id: 'a', timestamp: daysAgo(1), success: true })}\n`);
      assert.equal(run(['import', log, '--db', db]).status, 0);
      writeFileSync(join(db, SNAPSHOT_FILE), 'garbage');
      const stats = run(['stats', '--db', db, '--json']);
      assert.equal(stats.status, 2);
      assert.equal(stats.stdout, '');
      assert.match(stats.stderr, /cannot read .*is damaged: .*There is no backup\. Nothing stored can be shown/);
      const exported = run(['export', '--db', db, '--format', 'csv', '--out', join(tmp.path, 'x.csv')]);
      assert.equal(exported.status, 2);
    });

    it('stats and import recover from a good backup and say so', () => {
      const db = join(tmp.path, 'cli-db2');
      const log = join(tmp.path, 'l2.jsonl');
      writeFileSync(log, `${JSON.stringify({ id: 'a', timestamp: daysAgo(1), success: true })}\n`);
      assert.equal(run(['import', log, '--db', db]).status, 0);
      writeFileSync(log, `${JSON.stringify({ id: 'b', timestamp: daysAgo(1), success: false })}\n`);
      assert.equal(run(['import', log, '--db', db]).status, 0);
      const snapshot = readFileSync(join(db, SNAPSHOT_FILE));
      snapshot[snapshot.length - 100] ^= 0xff;
      writeFileSync(join(db, SNAPSHOT_FILE), snapshot);
      const stats = run(['stats', '--db', db, '--json']);
      assert.equal(stats.status, 0);
      assert.equal((JSON.parse(stats.stdout) as { total: number }).total, 1, 'the backup holds the first import');
      assert.match(stats.stderr, /is damaged.*left as it is \(this window only reads\).*The backup .* is good and was loaded instead/);
      const imported = run(['import', log, '--db', db]);
      assert.equal(imported.status, 0);
      assert.match(imported.stderr, /is damaged.*It was moved to .*The backup .* is good/);
      assert.equal(imported.stdout, 'added 1, already present 0, conflicts 0, rejected 0\n');
      assert.match(run(['stats', '--db', db, '--json']).stdout, /^{"total":2,/);
    });
  });
});
