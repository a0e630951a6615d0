import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { LearningStore } from '../../src/core/storage/learningStore';
import { generateKimiRecords, mulberry32, writeKimiLog } from '../../src/core/sample/generateExamples';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';

const child = join(__dirname, '..', 'helpers', 'crashChild.ts');
const FIRST_LINES = 2000;
/** KIMI keeps appending: each round adds this many lines before the child starts. */
const APPENDED_PER_ROUND = 200;
const KILLS = 50;
const LINES = FIRST_LINES + KILLS * APPENDED_PER_ROUND;

interface Kill {
  /** Kill this long after start-up (covers opening and the first batch). */
  afterMs?: number;
  /** Or: kill `jitterMs` after this many acknowledged batches (lands inside the import whatever the machine's speed). */
  afterAcks?: number;
  jitterMs?: number;
}

/** Runs the child, killing it with SIGKILL as `kill` says (if given). Resolves with the last acknowledged count. */
function runChild(dataDir: string, log: string, kill?: Kill): Promise<{ acked: number; done: boolean; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dataDir, log], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let acks = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined = kill?.afterMs === undefined ? undefined : setTimeout(() => p.kill('SIGKILL'), kill.afterMs);
    let stderr = '';
    let buffer = '';
    p.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ack ')) {
          acked = Number(line.slice(4));
          acks++;
          if (kill?.afterAcks !== undefined && acks === kill.afterAcks) timer = setTimeout(() => p.kill('SIGKILL'), kill.jitterMs ?? 0);
        }
        if (line === 'done') done = true;
      }
    });
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ acked, done, code, stderr });
    });
  });
}

describe('crash safety', function () {
  this.timeout(300_000);
  const tmp = useTempDir();

  it(`survives ${KILLS} SIGKILLs while importing and saving: always loads, loses nothing acknowledged, ends with no duplicates`, async () => {
    const log = join(tmp.path, 'learning_logs.jsonl');
    await writeKimiLog(log, FIRST_LINES, { seed: 7 });
    const more = generateKimiRecords(KILLS * APPENDED_PER_ROUND, { seed: 8 });
    const dataDir = join(tmp.path, 'db');
    const SQL = await testSqlJs();
    const rand = mulberry32(2026);
    let killedMidImport = 0;
    let everAcked = 0;
    for (let i = 0; i < KILLS; i++) {
      appendFileSync(log, Array.from({ length: APPENDED_PER_ROUND }, () => `${JSON.stringify(more.next().value)}\n`).join(''));
      // Every fifth kill is timed from start-up (opening the store, the first batch); the others land after a
      // random number of acknowledged batches plus a random few milliseconds: inside an insert or a save.
      const kill: Kill = i % 5 === 0 ? { afterMs: 100 + Math.floor(rand() * 400) } : { afterAcks: 1 + Math.floor(rand() * 3), jitterMs: Math.floor(rand() * 15) };
      const result = await runChild(dataDir, log, kill);
      assert.ok(result.code !== 3, `the child failed on its own: ${result.stderr}`);
      if (!result.done) killedMidImport++;
      everAcked = Math.max(everAcked, result.acked);
      const store = LearningStore.open({ SQL, dataDir });
      try {
        assert.equal(store.recoveredFrom, null, `run ${i}: the snapshot did not load (${store.reason})`);
        assert.ok(store.count() >= everAcked, `run ${i}: ${store.count()} stored, but ${everAcked} were acknowledged`);
        assert.ok(store.count() <= LINES);
      } finally {
        store.close();
      }
    }
    assert.ok(killedMidImport >= 35, `only ${killedMidImport} kills landed during the import`);
    const final = await runChild(dataDir, log);
    assert.ok(final.done, final.stderr);
    const store = LearningStore.open({ SQL, dataDir });
    assert.equal(store.count(), LINES, 'every line stored once');
    assert.equal(store.rows<[number]>('SELECT count(DISTINCT id) FROM examples')[0]![0], LINES);
    store.close();
    console.log(`      ${killedMidImport} kills during the import; ${everAcked} examples acknowledged before the last kill`);
  });
});
