import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { byModel, byTag, daily } from '../../src/core/queries/breakdowns';
import { examplesPage } from '../../src/core/queries/examples';
import { localDayStart, rollupPlan } from '../../src/core/queries/rollupPlan';
import { summary } from '../../src/core/queries/summary';
import { localDay } from '../../src/shared/series';
import { importFile } from '../../src/core/ingest/importFile';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { generateKimiRecords, mulberry32 } from '../../src/core/sample/generateExamples';
import { prune, retentionCutoff } from '../../src/core/storage/retention';
import type { LearningStore } from '../../src/core/storage/learningStore';
import { createApiApp } from '../../src/http/apiApp';
import { GroupCommit } from '../../src/http/groupCommit';
import { defaultAllowedHosts } from '../../src/http/requestGuards';
import { filtersSchema, type Filters } from '../../src/shared/filters';
import { storeWith } from '../helpers/storeWith';
import { useTempDir } from '../helpers/tempDir';

const NOW = Date.now();
const DAY = 86_400_000;

function parsed(r: Record<string, unknown>) {
  const p = normalizeRecord(r, { assumeTimeZone: 'local', now: NOW });
  if (!p.ok) throw new Error(p.reason);
  return { example: p.example };
}

/** Every figure the rollups answer for these filters (the other tags of one tag's examples come from the examples themselves). */
function figures(store: LearningStore, f: Filters) {
  return { summary: summary(store, f), byTag: f.tags.length ? null : byTag(store, f), byModel: byModel(store, f), daily: daily(store, f) };
}

describe('retention', () => {
  const tmp = useTempDir();
  let store: LearningStore;
  beforeEach(async () => {
    // 120 days of generated examples ending now, in two batches; one with feedback and one a learner reported, both old.
    const records = [...generateKimiRecords(1500, { seed: 5, end: NOW, days: 120 })];
    store = await storeWith(tmp.path, []);
    store.insert(records.slice(0, 700).map(parsed));
    store.insert(records.slice(700).map(parsed));
    store.insert([parsed({ id: 'old-with-feedback', timestamp: new Date(NOW - 100 * DAY).toISOString(), success: true, tags: ['auth'], human_feedback: 'I wrote this' })]);
    store.addLearnerExamples('task-1', [parsed({ id: 'old-from-a-task', timestamp: new Date(NOW - 100 * DAY).toISOString(), success: false, tags: ['auth'] }).example]);
  });
  afterEach(() => store.close());

  it('the figures the rollups answer are the same to the last digit after pruning, for 150 random filters', async () => {
    const rand = mulberry32(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const today = localDay(NOW);
    const cases: Filters[] = [];
    for (let i = 0; i < 150; i++) {
      const from = rand() < 0.7 ? today - Math.floor(rand() * 125) : null;
      const to = from !== null && rand() < 0.6 ? from + 1 + Math.floor(rand() * 40) : null;
      const f = filtersSchema.parse({
        since: from === null ? null : localDayStart(from),
        until: to === null ? null : localDayStart(to),
        success: pick([null, null, true, false]),
        model: pick([null, null, 'Mistral 7B', 'DeepSeek Coder 33B']),
        tags: pick([[], [], ['auth'], ['security']]),
      });
      assert.ok(rollupPlan(f));
      cases.push(f);
    }
    const before = cases.map((f) => figures(store, f));
    const total = store.count();
    const report = await prune(store, retentionCutoff(30, new Date(NOW)), { sliceSize: 100 });
    assert.ok(report.removed > 900, `removed ${report.removed}`);
    assert.equal(store.count(), total - report.removed);
    assert.ok(report.slices > 9, 'removed a slice at a time');
    cases.forEach((f, i) => assert.deepEqual(figures(store, f), before[i], JSON.stringify(f)));
  });

  it('a dry run says what would go and removes nothing; the raw rows go, feedback and task examples stay, and the cutoff is recorded', async () => {
    const cutoff = retentionCutoff(30, new Date(NOW));
    const total = store.count();
    const oldBefore = examplesPage(store, { limit: 1, filters: filtersSchema.parse({ until: cutoff, taskExamples: 'with' }) }).total!;
    const dry = await prune(store, cutoff, { dryRun: true });
    assert.equal(store.count(), total);
    assert.ok(dry.examples > 0 && dry.first! < dry.last! && dry.last! < cutoff);
    const done = await prune(store, cutoff);
    assert.equal(done.removed, dry.examples);
    assert.equal(store.count(), total - dry.examples);
    // A task's examples are listed only when a filter asks for them.
    const old = examplesPage(store, { limit: 1000, filters: filtersSchema.parse({ until: cutoff, taskExamples: 'with' }) });
    const ids = old.rows.map((r) => r.id);
    assert.ok(ids.includes('old-from-a-task') && ids.includes('old-with-feedback'));
    // What stays from before the cutoff: feedback someone wrote, or a task's examples; nothing else.
    assert.ok(old.rows.every((r) => r.humanFeedback !== null || r.id === 'old-from-a-task'), JSON.stringify(old.rows.map((r) => [r.id, r.humanFeedback])));
    assert.equal(old.total, oldBefore - dry.examples);
    assert.equal(store.prunedBefore(), cutoff);
    assert.equal(store.prunedExamples(), dry.examples);
  });

  it('an example dated before the cutoff is not stored again: an import says so per line, the API answers 400', async () => {
    const cutoff = retentionCutoff(30, new Date(NOW));
    await prune(store, cutoff);
    const log = join(tmp.path, 'again.jsonl');
    writeFileSync(log, [JSON.stringify({ id: 'back-from-the-past', timestamp: new Date(cutoff - 5 * DAY).toISOString(), success: true }), JSON.stringify({ id: 'recent', timestamp: new Date(NOW - DAY).toISOString(), success: true })].join('\n') + '\n');
    const report = await importFile(store, log, { assumeTimeZone: 'local', now: NOW });
    assert.equal(report.added, 1);
    assert.equal(report.rejected, 1);
    assert.match(report.problems[0]!.reason, /older than the retention period keeps/);
    const app = createApiApp(
      { store, commit: new GroupCommit(store, 'api', () => undefined), assumeTimeZone: 'local', version: '0', startedAt: 0 },
      { allowedHosts: defaultAllowedHosts('127.0.0.1', 8000), allowedOrigins: [], tokens: null },
    );
    const answer = await app.request('/api/examples', {
      method: 'POST',
      headers: { host: '127.0.0.1:8000', 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'posted-from-the-past', timestamp: new Date(cutoff - DAY).toISOString(), success: true }),
    });
    assert.equal(answer.status, 400);
    assert.equal(((await answer.json()) as { code: string }).code, 'older-than-retention');
    assert.equal(examplesPage(store, { limit: 1, filters: filtersSchema.parse({ search: 'posted-from-the-past' }) }).total, 0);
  });

  it('on the command line: prune --dry-run says what would go; prune backs up first, and stats says what retention removed', () => {
    const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    const db = join(tmp.path, 'cli-db');
    const log = join(tmp.path, 'cli.jsonl');
    writeFileSync(log, [70, 50, 3, 1].map((d, i) => JSON.stringify({ id: `p${i}`, timestamp: new Date(NOW - d * DAY).toISOString(), success: i % 2 === 0 })).join('\n') + '\n');
    assert.equal(run('import', log, '--db', db).status, 0);
    const dry = run('prune', '--older-than', '30d', '--db', db, '--dry-run');
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^would remove 2 examples/);
    const done = JSON.parse(run('prune', '--older-than', '30d', '--db', db, '--json').stdout) as { removed: number; backup: string };
    assert.equal(done.removed, 2);
    assert.match(done.backup, /before-prune$/);
    const stats = JSON.parse(run('stats', '--db', db, '--json').stdout) as { total: number; retention: { removedExamples: number } };
    assert.equal(stats.total, 4, 'the rollups still count the removed examples');
    assert.equal(stats.retention.removedExamples, 2);
    assert.equal(run('examples', '--db', db).stdout.trim().split('\n').length, 2);
    assert.equal(run('prune', '--older-than', 'soon', '--db', db).status, 2);
  });
});
