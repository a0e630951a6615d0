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

/** Runs the child; kills it with SIGKILL after `killAfterMs` (if given). Resolves with the last acknowledged count. */
function runChild(dataDir: string, log: string, killAfterMs?: number): Promise<{ acked: number; done: boolean; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dataDir, log], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let done = false;
    let stderr = '';
    let buffer = '';
    p.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ack ')) acked = Number(line.slice(4));
        if (line === 'done') done = true;
      }
    });
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => p.kill('SIGKILL'), killAfterMs);
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
      // From start-up (before anything is written) into the import and its saves.
      const result = await runChild(dataDir, log, 150 + Math.floor(rand() * 900));
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
    assert.ok(killedMidImport >= 30, `only ${killedMidImport} kills landed during the import`);
    const final = await runChild(dataDir, log);
    assert.ok(final.done, final.stderr);
    const store = LearningStore.open({ SQL, dataDir });
    assert.equal(store.count(), LINES, 'every line stored once');
    assert.equal(store.rows<[number]>('SELECT count(DISTINCT id) FROM examples')[0]![0], LINES);
    store.close();
    console.log(`      ${killedMidImport} kills during the import; ${everAcked} examples acknowledged before the last kill`);
  });
});
