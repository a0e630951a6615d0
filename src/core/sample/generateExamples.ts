import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { DAY_MS } from '../../shared/series';

/** A deterministic PRNG (mulberry32): the same seed gives the same data everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TAGS = ['bug_fix', 'refactor', 'auth', 'api', 'database', 'testing', 'frontend', 'performance', 'security', 'docs', 'async', 'typescript', 'python', 'rust', 'ci', 'caching', 'parsing', 'logging'];
const MODELS = [
  { name: 'Mistral 7B', skill: 0.58 },
  { name: 'Llama 3 8B', skill: 0.64 },
  { name: 'Qwen2.5 Coder 14B', skill: 0.74 },
  { name: 'DeepSeek Coder 33B', skill: 0.8 },
];
const VERBS = ['Fix', 'Refactor', 'Add', 'Optimise', 'Document', 'Test', 'Harden', 'Migrate'];
const OBJECTS = ['the login handler', 'the JSON parser', 'token refresh', 'the cache layer', 'pagination in the API', 'the retry loop', 'input validation', 'the CSV export', 'the database pool', 'error messages'];
const CODE_LINES = [
  'def handle(request):',
  '    user = authenticate(request.headers.get("Authorization"))',
  '    if user is None:',
  '        raise PermissionError("not signed in")',
  '    rows = db.query("SELECT * FROM items WHERE owner = ?", [user.id])',
  '    return [serialize(r) for r in rows]',
  'async function fetchAll(ids) {',
  '  const results = await Promise.all(ids.map((id) => api.get(`/items/${id}`)));',
  '  return results.filter(Boolean);',
  '}',
  'for attempt in range(retries):',
  '    try:',
  '        return client.send(payload)',
  '    except TimeoutError:',
  '        time.sleep(backoff * 2 ** attempt)',
];

export interface GenerateOptions {
  seed?: number;
  /** The newest example's time (epoch ms). */
  end?: number;
  /** How many days back the examples spread. */
  days?: number;
  /** Leave out ids on this share of records (the importer derives them). */
  withoutIdShare?: number;
}

/** Picks index i with probability falling as 1/(i+1)^s: a few common values, a long tail. */
function zipf(rand: () => number, n: number, s = 1.1): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += 1 / Math.pow(i + 1, s);
  let r = rand() * total;
  for (let i = 0; i < n; i++) {
    r -= 1 / Math.pow(i + 1, s);
    if (r <= 0) return i;
  }
  return n - 1;
}

function uuid(rand: () => number): string {
  const hex = () => Math.floor(rand() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

/** KIMI learning records as KIMI writes them: skewed tags and models, sessions, long-tailed code. */
export function* generateKimiRecords(count: number, options: GenerateOptions = {}): Generator<Record<string, unknown>> {
  const rand = mulberry32(options.seed ?? 42);
  const end = options.end ?? Date.now();
  const days = options.days ?? 90;
  const span = days * DAY_MS;
  let session = uuid(rand);
  for (let i = 0; i < count; i++) {
    if (rand() < 0.1) session = uuid(rand);
    // Spread evenly in time, oldest first, with jitter; more activity in working hours.
    const ts = end - span + Math.floor(((i + rand()) / count) * span);
    const progress = (ts - (end - span)) / span;
    const model = MODELS[zipf(rand, MODELS.length, 0.6)]!;
    const tagCount = 1 + Math.floor(rand() * 3);
    const tags = new Set<string>();
    while (tags.size < tagCount) tags.add(TAGS[zipf(rand, TAGS.length)]!);
    const difficulty = tags.has('security') || tags.has('performance') ? 0.12 : 0;
    const p = Math.min(0.97, Math.max(0.05, model.skill - difficulty + 0.1 * progress));
    const success = rand() < p;
    const codeLines = Math.max(1, Math.floor(-Math.log(1 - rand()) * 12));
    const code = Array.from({ length: codeLines }, (_, j) => CODE_LINES[(i + j) % CODE_LINES.length]).join('\n');
    const record: Record<string, unknown> = {
      id: rand() < (options.withoutIdShare ?? 0) ? undefined : uuid(rand),
      timestamp: new Date(ts).toISOString(),
      session_id: session,
      task_description: `${VERBS[Math.floor(rand() * VERBS.length)]} ${OBJECTS[Math.floor(rand() * OBJECTS.length)]}`,
      code_context: code,
      success,
      metrics: {
        tests_passed: success ? 3 + Math.floor(rand() * 20) : Math.floor(rand() * 5),
        execution_time: Math.round((0.5 + -Math.log(1 - rand()) * 8) * 100) / 100,
      },
      tags: [...tags],
      model_used: model.name,
      tokens_consumed: 200 + Math.floor(-Math.log(1 - rand()) * 1500),
      human_feedback: rand() < 0.05 ? (success ? 'Looks good' : 'Missed an edge case') : null,
      kimi_version: '0.9.3',
    };
    if (record.id === undefined) delete record.id;
    yield record;
  }
}

/** Writes `count` generated records to a JSON Lines file. */
export async function writeKimiLog(path: string, count: number, options: GenerateOptions = {}): Promise<void> {
  const out = createWriteStream(path);
  for (const record of generateKimiRecords(count, options)) {
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
