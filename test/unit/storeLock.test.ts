import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireLock, processStart, releaseLock, stillHeld } from '../../src/core/storage/storeLock';
import { LearningStore, LOCK_FILE } from '../../src/core/storage/learningStore';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';
import { daysAgo } from '../helpers/clock';

const racer = join(__dirname, '..', 'helpers', 'lockRacer.ts');

/** The pid of a process that has exited: what a crash leaves in a lock. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

function plantStaleLock(path: string, holder: Record<string, unknown>): void {
  writeFileSync(path, JSON.stringify({ host: hostname(), since: new Date().toISOString(), token: 'stale', ...holder }));
}

/** Starts `n` racers for the lock at `path`; resolves with how many took it, then lets them go. */
async function race(path: string, n: number): Promise<number> {
  const startAt = Date.now() + 1200 + n * 150;
  const children: ChildProcess[] = [];
  const results: Promise<boolean>[] = [];
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', racer, path, String(startAt)], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    results.push(
      new Promise((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve((JSON.parse(out) as { acquired: boolean }).acquired);
        });
        child.on('exit', (code) => reject(new Error(`a racer exited (${code}) before answering`)));
      }),
    );
  }
  const acquired = (await Promise.all(results)).filter(Boolean).length;
  for (const child of children) child.stdin!.end();
  await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : Promise.resolve())));
  return acquired;
}

describe('the store lock', () => {
  const tmp = useTempDir();

  it('is taken whole, by one holder, and a live holder keeps it', () => {
    const path = join(tmp.path, 'a.lock');
    const first = acquireLock(path);
    assert.equal(first.acquired, true);
    const held = JSON.parse(readFileSync(path, 'utf8')) as { pid: number; start: string | null; token: string };
    assert.equal(held.pid, process.pid);
    assert.equal(held.start, processStart(process.pid));
    // The same process asking again is a second window: it does not get it.
    assert.equal(acquireLock(path).acquired, false);
    assert.ok(stillHeld(path, first.token!));
    releaseLock(path, first.token);
    assert.equal(existsSync(path), false);
  });

  it('takes over a lock whose process died, and one whose pid was reused by another process', () => {
    const path = join(tmp.path, 'b.lock');
    plantStaleLock(path, { pid: deadPid() });
    assert.equal(acquireLock(path).acquired, true);
    // Our own pid, but another start time: the holder was an earlier process with this pid.
    plantStaleLock(path, { pid: process.pid, start: '1' });
    const taken = acquireLock(path);
    assert.equal(taken.acquired, true);
    assert.ok(stillHeld(path, taken.token!));
    // A half-written lock (from a version that wrote it in two steps) is stale too.
    writeFileSync(path, '{"pid":');
    assert.equal(acquireLock(path).acquired, true);
    assert.deepEqual(readdirSync(tmp.path).filter((f) => f.includes('.tmp') || f.endsWith('.break')), []);
  });

  for (const [writers, rounds] of [
    [2, 6],
    [8, 3],
  ] as const) {
    it(`${writers} writers racing after a stale lock: exactly one takes it, in each of ${rounds} rounds`, async function () {
      this.timeout(120_000);
      for (let round = 0; round < rounds; round++) {
        const path = join(tmp.path, `race-${writers}-${round}.lock`);
        plantStaleLock(path, { pid: deadPid() });
        assert.equal(await race(path, writers), 1, `round ${round}`);
      }
    });
  }

  it('a store that lost its lock stops writing and says so, instead of writing over the new holder', async () => {
    const dataDir = join(tmp.path, 'db');
    const store = LearningStore.open({ SQL: await testSqlJs(), dataDir });
    const p = normalizeRecord({ id: 'x', timestamp: daysAgo(1), success: true, code_context: 'mine' }, { assumeTimeZone: 'utc', now: Date.now() });
    assert.ok(p.ok);
    store.insert([{ example: p.example }]);
    // Another process replaced the lock (as a takeover of a lock it thought stale would).
    plantStaleLock(join(dataDir, LOCK_FILE), { pid: process.pid, token: 'someone-else' });
    const q = normalizeRecord({ id: 'y', timestamp: daysAgo(1), success: true, code_context: 'too late' }, { assumeTimeZone: 'utc', now: Date.now() });
    assert.ok(q.ok);
    assert.throws(() => store.insert([{ example: q.example }]), /another process took over this learning data's lock/);
    assert.equal(store.readOnly, true);
    assert.equal((await store.save()).saved, false);
    assert.equal(existsSync(join(dataDir, 'learning.sqlite')), false);
    store.close();
    // Closing does not remove the other holder's lock.
    assert.match(readFileSync(join(dataDir, LOCK_FILE), 'utf8'), /someone-else/);
  });
});
