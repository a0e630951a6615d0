// npm run bench:api: the HTTP API against its targets, on this machine.
// - single POST /api/examples, 8 clients, closed loop: examples/s and latency;
//   and paced at 200 requests/s: latency;
// - POST /api/examples/batch against a file import of the same records, same run;
// - GET /api/stats and a CSV export at 1M examples (server RSS sampled);
// - the server inside the editor's data worker under the single-POST load,
//   with the host thread's event-loop delay.
// The load runs in a process of its own (bench/apiClient.ts). Medians of RUNS.
// Writes bench/results-api.json and bench/results-api.md.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DataClient } from '../src/extension/dataClient';
import { startServe, stopServe } from '../test/helpers/serveProcess';
import { importFile } from '../src/core/ingest/importFile';
import { writeKimiLog } from '../src/core/sample/generateExamples';
import { LearningStore, SNAPSHOT_FILE } from '../src/core/storage/learningStore';
import { loadSqlJs } from '../src/core/storage/loadSqlJs';

const root = join(__dirname, '..', '..');
const dataRoot = join(root, 'bench', 'data');
const cli = join(root, 'dist', 'cli.js');
const clientJs = join(__dirname, 'apiClient.js');
const wasmPath = join(root, 'dist', 'sql-wasm.wasm');
const RUNS = 3;
const END = Date.UTC(2026, 10, 21);
const BATCH_RECORDS = 50_000;
const SERVE_FLAGS = ['--no-auth', '--rate-limit', '1000000'];

interface LoadResult {
  ms: number;
  perSecond: number;
  stored: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function load(job: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [clientJs, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load client failed: ${err}`))));
  });
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** GET, reading the whole body; resolves with its time and size. */
function fetchAll(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ ms: performance.now() - t, bytes, status: res.statusCode ?? 0 }));
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  mkdirSync(dataRoot, { recursive: true });
  const records = join(dataRoot, `kimi-api-${BATCH_RECORDS}.jsonl`);
  if (!existsSync(records)) await writeKimiLog(records, BATCH_RECORDS, { seed: 2, end: END, days: 90 });
  const result: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model };

  // 1. serve: single posts, closed loop and paced, then batches.
  const db = join(dataRoot, 'api-serve');
  rmSync(db, { recursive: true, force: true });
  const server = await startServe(cli, db, SERVE_FLAGS);
  try {
    await load({ mode: 'single', url: server.url, records, count: 500, idPrefix: 'warm', concurrency: 8 });
    const singles: LoadResult[] = [];
    for (let run = 0; run < RUNS; run++) singles.push(await load({ mode: 'single', url: server.url, records, count: 4000, idPrefix: `single${run}`, concurrency: 8 }));
    result.single8Clients = {
      perSecond: median(singles.map((r) => r.perSecond)),
      p50Ms: median(singles.map((r) => r.p50)),
      p99Ms: median(singles.map((r) => r.p99)),
      runs: singles,
    };
    const paced = await load({ mode: 'paced', url: server.url, records, count: 2000, idPrefix: 'paced', rate: 200 });
    result.paced200PerSecond = { p50Ms: paced.p50, p99Ms: paced.p99, maxMs: paced.max, achievedPerSecond: paced.perSecond, statuses: paced.statuses };
    const batches: LoadResult[] = [];
    for (let run = 0; run < RUNS; run++) batches.push(await load({ mode: 'batch', url: server.url, records, count: BATCH_RECORDS, idPrefix: `batch${run}`, concurrency: 2, batchSize: 1000 }));
    result.batch = { perSecond: median(batches.map((r) => r.perSecond)), p50Ms: median(batches.map((r) => r.p50)), p99Ms: median(batches.map((r) => r.p99)), runs: batches };
    const health = await fetchAll(`${server.url}/api/health`);
    result.serveHealthStatus = health.status;
  } finally {
    await stopServe(server);
  }

  // 2. The same records imported from a file (the CLI's way: parsing in a worker thread), same run.
  const SQL = await loadSqlJs(wasmPath);
  const imports: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = join(dataRoot, `api-import-${run}`);
    rmSync(dir, { recursive: true, force: true });
    const store = LearningStore.open({ SQL, dataDir: dir });
    const t = performance.now();
    const report = await importFile(store, records, { assumeTimeZone: 'utc', now: END, parseWorker: join(root, 'dist', 'parseWorker.js') });
    imports.push(performance.now() - t);
    if (report.added !== BATCH_RECORDS) throw new Error(`import added ${report.added}`);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const importPerSecond = (BATCH_RECORDS / median(imports)) * 1000;
  result.fileImportSameRecords = { perSecond: importPerSecond, ms: median(imports) };
  result.batchAgainstImport = importPerSecond / (result.batch as { perSecond: number }).perSecond;

  // 3. At 1M examples: stats and a CSV export, the server's RSS sampled.
  const big = join(dataRoot, 'db-1000000');
  if (!existsSync(join(big, SNAPSHOT_FILE))) {
    const log = join(dataRoot, 'kimi-1000000.jsonl');
    if (!existsSync(log)) await writeKimiLog(log, 1_000_000, { seed: 1, end: END, days: 180 });
    execFileSync(process.execPath, [cli, 'import', log, '--db', big, '--utc'], { stdio: 'ignore' });
  }
  const bigServer = await startServe(cli, big, SERVE_FLAGS);
  try {
    const first = await fetchAll(`${bigServer.url}/api/stats`);
    const stats: number[] = [];
    const stats30: number[] = [];
    for (let i = 0; i < 5; i++) stats.push((await fetchAll(`${bigServer.url}/api/stats`)).ms);
    for (let i = 0; i < 5; i++) stats30.push((await fetchAll(`${bigServer.url}/api/stats?days=30`)).ms);
    result.stats1M = { firstMs: first.ms, medianMs: median(stats), days30MedianMs: median(stats30), status: first.status };
  } finally {
    await stopServe(bigServer);
  }
  // The export's memory at three sizes (the main benchmark's databases, where it has built them): flat means it does not grow with the output.
  const exports: Record<string, unknown>[] = [];
  for (const n of [10_000, 100_000, 1_000_000]) {
    const dir = join(dataRoot, `db-${n}`);
    if (!existsSync(join(dir, SNAPSHOT_FILE))) continue;
    const s = await startServe(cli, dir, SERVE_FLAGS);
    try {
      const pid = s.child.pid!;
      const before = rssOf(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 100);
      const csv = await fetchAll(`${s.url}/api/export/csv`);
      clearInterval(sampler);
      exports.push({ examples: n, ms: csv.ms, bytes: csv.bytes, rssBeforeBytes: before, rssPeakBytes: peak, rssGrowthBytes: peak - before });
    } finally {
      await stopServe(s);
    }
  }
  result.exportCsv = exports;
  result.exportCsv1M = exports.find((e) => e.examples === 1_000_000);

  // 4. In the editor: the server in the data worker; this thread is the host, and only measures.
  const editorDir = join(dataRoot, 'api-editor');
  rmSync(editorDir, { recursive: true, force: true });
  const client = new DataClient(join(root, 'dist', 'worker.js'), { dataDir: editorDir, wasmPath, assumeTimeZone: 'utc' });
  await client.opened;
  let changes = 0;
  client.on('changed', () => changes++);
  const { url } = await client.request('startApi', { port: 0, requireToken: false, rateLimit: 1_000_000 });
  await load({ mode: 'single', url, records, count: 500, idPrefix: 'warm', concurrency: 8 });
  const idle = monitorEventLoopDelay({ resolution: 10 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 3000));
  idle.disable();
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  const inEditor = await load({ mode: 'single', url, records, count: 4000, idPrefix: 'editor', concurrency: 8 });
  eld.disable();
  await client.request('stopApi', {});
  await client.dispose();
  rmSync(editorDir, { recursive: true, force: true });
  result.inEditor = {
    perSecond: inEditor.perSecond,
    p99Ms: inEditor.p99,
    hostEventLoopDelayMs: { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 },
    hostIdleEventLoopDelayMs: { p50: idle.percentile(50) / 1e6, p99: idle.percentile(99) / 1e6, max: idle.max / 1e6 },
    viewRefreshesHeard: changes,
  };
  rmSync(db, { recursive: true, force: true });

  writeFileSync(join(root, 'bench', 'results-api.json'), `${JSON.stringify(result, null, 2)}\n`);
  const r = result as Record<string, Record<string, number> & { hostEventLoopDelayMs?: Record<string, number> }>;
  const f = (x: number, d = 1) => x.toFixed(d);
  const md = [
    '# API benchmark results',
    '',
    `${String(result.date)}, Node ${process.version}, ${cpus().length} cores (${String(result.cpu)}). Medians of ${RUNS} runs; the load runs in its own process.`,
    '',
    '| measure | result | target |',
    '|---|---|---|',
    `| single POST, 8 clients | ${f(r.single8Clients!.perSecond!, 0)} examples/s, p50 ${f(r.single8Clients!.p50Ms!)} ms, p99 ${f(r.single8Clients!.p99Ms!)} ms | ≥ 2,000/s |`,
    `| single POST paced at 200/s | p50 ${f(r.paced200PerSecond!.p50Ms!)} ms, p99 ${f(r.paced200PerSecond!.p99Ms!)} ms | p99 ≤ 25 ms |`,
    `| batch POST (1,000 a batch, 2 clients) | ${f(r.batch!.perSecond!, 0)} examples/s | ≥ 20,000/s |`,
    `| file import of the same ${BATCH_RECORDS.toLocaleString('en-US')} records | ${f(r.fileImportSameRecords!.perSecond!, 0)} examples/s (import ÷ batch = ${f(result.batchAgainstImport as number, 2)}) | batch within 1.5× |`,
    `| GET /api/stats at 1M | ${f(r.stats1M!.medianMs!)} ms (first ${f(r.stats1M!.firstMs!)} ms; ?days=30 ${f(r.stats1M!.days30MedianMs!)} ms) | ≤ 100 ms |`,
    `| export CSV of 1M | ${f(r.exportCsv1M!.ms! / 1000)} s, ${f(r.exportCsv1M!.bytes! / 1e6, 0)} MB; server RSS +${f(r.exportCsv1M!.rssGrowthBytes! / 1e6, 0)} MB (from ${f(r.exportCsv1M!.rssBeforeBytes! / 1e6, 0)} MB) | flat |`,
    `| export CSV, server RSS growth by size | ${(result.exportCsv as { examples: number; bytes: number; rssGrowthBytes: number }[]).map((e) => `${e.examples.toLocaleString('en-US')}: +${f(e.rssGrowthBytes / 1e6, 0)} MB for ${f(e.bytes / 1e6, 0)} MB`).join('; ')} | flat |`,
    `| in the editor: single POST, 8 clients | ${f(r.inEditor!.perSecond!, 0)} examples/s; host event-loop delay p99 ${f(r.inEditor!.hostEventLoopDelayMs!.p99!)} ms, max ${f(r.inEditor!.hostEventLoopDelayMs!.max!)} ms (idle p99 ${f((r.inEditor as unknown as { hostIdleEventLoopDelayMs: { p99: number } }).hostIdleEventLoopDelayMs.p99)} ms) | host p99 ≤ 50 ms |`,
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'results-api.md'), md);
  process.stdout.write(`${md}\n`);
}

void main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
