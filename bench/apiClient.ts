// The API benchmark's load, in a process of its own (so that the process it
// measures, a server or the editor's host, does none of the client's work).
// Reads one JSON job from argv[2], prints one JSON result on stdout.
//   single:  `concurrency` clients each POST /api/examples, one after another (closed loop)
//   paced:   POST /api/examples at `rate` a second whatever the answers (open loop)
//   batch:   `concurrency` clients POST /api/examples/batch of `batchSize`
import { request, Agent } from 'node:http';
import { readFileSync } from 'node:fs';

interface Job {
  mode: 'single' | 'paced' | 'batch';
  url: string;
  /** A JSON Lines file of KIMI records; the ids are made unique with `idPrefix`. */
  records: string;
  count: number;
  idPrefix: string;
  concurrency?: number;
  rate?: number;
  batchSize?: number;
  token?: string;
}

const job = JSON.parse(process.argv[2]!) as Job;
const base = new URL(job.url);
const agent = new Agent({ keepAlive: true, maxSockets: Math.max(job.concurrency ?? 8, 64) });
const lines = readFileSync(job.records, 'utf8').split('\n').filter(Boolean);
const record = (i: number) => {
  const r = JSON.parse(lines[i % lines.length]!) as Record<string, unknown>;
  r.id = `${job.idPrefix}-${i}`;
  return r;
};

function post(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(job.token ? { authorization: `Bearer ${job.token}` } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function main(): Promise<void> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const count = (status: number) => (statuses[status] = (statuses[status] ?? 0) + 1);
  // Bodies are made before the clock starts: the client's JSON work is not the server's time.
  const started = performance.now();
  let stored = 0;
  if (job.mode === 'single' || job.mode === 'paced') {
    const bodies = Array.from({ length: job.count }, (_, i) => JSON.stringify(record(i)));
    const one = async (i: number) => {
      const t = performance.now();
      const status = await post('/api/examples', bodies[i]!);
      latencies.push(performance.now() - t);
      count(status);
      if (status === 201) stored++;
    };
    const t0 = performance.now();
    if (job.mode === 'single') {
      let next = 0;
      await Promise.all(
        Array.from({ length: job.concurrency ?? 8 }, async () => {
          while (next < job.count) await one(next++);
        }),
      );
    } else {
      const interval = 1000 / (job.rate ?? 200);
      const all: Promise<void>[] = [];
      for (let i = 0; i < job.count; i++) {
        const due = t0 + i * interval;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        all.push(one(i));
      }
      await Promise.all(all);
    }
    const ms = performance.now() - t0;
    latencies.sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({ ms, perSecond: (stored / ms) * 1000, stored, statuses, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN }));
    return;
  }
  const size = job.batchSize ?? 1000;
  const bodies: string[] = [];
  for (let i = 0; i < job.count; i += size) bodies.push(JSON.stringify(Array.from({ length: Math.min(size, job.count - i) }, (_, j) => record(i + j))));
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: job.concurrency ?? 2 }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const t = performance.now();
        const status = await post('/api/examples/batch', bodies[i]!);
        latencies.push(performance.now() - t);
        count(status);
        if (status === 201) stored += Math.min(size, job.count - i * size);
      }
    }),
  );
  const ms = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ ms, perSecond: (stored / ms) * 1000, stored, statuses, p50: percentile(latencies, 50), p99: percentile(latencies, 99), preparedMs: t0 - started }));
}

void main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  },
);
