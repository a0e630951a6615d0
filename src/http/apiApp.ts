// The HTTP API: an edge adapter over the core, like the command line. KIMI
// posts its examples (201 = durable) and reads the statistics it decides on.
// Hono, because it routes with typed contexts, answers in tests through
// `app.request()` without a socket, and bundles small.
import { tokensPerSuccess, totalTokens } from '../shared/figures';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { normalizeRecord } from '../core/ingest/parseKimiLine';
import { type NormalizedExample } from '../core/model/example';
import type { AssumeTimeZone } from '../core/ingest/timestamp';
import { parseTimestamp } from '../core/ingest/timestamp';
import { regexProblem } from '../shared/filters';
import { kimiRecordOfNew, toKimiRecord } from '../core/export/kimiRecord';
import { exportPieces, exportPiecesOf } from '../core/export/exportExamples';
import { streamSSE } from 'hono/streaming';
import type { Task } from '../shared/tasks';
import type { ApiTasks, LiveEvent } from './apiTasks';
import type { LearningStore } from '../core/storage/learningStore';
import { filtersSchema, lastDaysSince, type Filters } from '../shared/filters';
import type { GroupCommit, Outcome } from './groupCommit';
import { embeddedApiData, type ApiData } from './apiData';
import type { FigureSource } from '../core/engine/contract';
import { DatabaseError } from '../core/engine/postgres/pgEngine';
import { fieldOf, problem, sendProblem, type Problem } from './problem';
import { hostAllowed, originAllowed } from './requestGuards';
import type { Role, TokenChecker, TokenRecord } from './tokens';
import { RateLimiter } from './rateLimiter';
import { ApiMetrics } from './apiMetrics';
import type { LogRing } from './logRing';
import { API_ROUTES, openApiDocument } from './openapi';
import type { AlertMonitor } from '../core/alerts/alertMonitor';
import { feedbackSchema, learnSchema, MAX_BATCH_BYTES, MAX_BATCH_ITEMS, MAX_EXAMPLE_BYTES, searchSchema } from './apiSchemas';
import { DAY_MS } from '../shared/series';
import { rateOfRow } from '../core/analytics/successRate';

export { MAX_BATCH_BYTES, MAX_BATCH_ITEMS, MAX_EXAMPLE_BYTES } from './apiSchemas';


export interface ApiDeps {
  /** What the API reads and writes; without it, the embedded store and its group commit below. */
  data?: ApiData;
  store?: LearningStore;
  commit?: GroupCommit;
  assumeTimeZone: AssumeTimeZone;
  version: string;
  startedAt: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** After a write that is not an ingest (a feedback edit): schedule a snapshot, tell the views. */
  onChange?: () => void;
  /** The learning tasks, where this server runs them. */
  tasks?: ApiTasks;
  /** How often a live event stream sends a heartbeat. */
  heartbeatMs?: number;
  /** The server's log, for `GET /api/logs/tail`; refused requests are written to it. */
  logs?: LogRing;
  /** Why learning tasks are not served here, when `tasks` is absent. */
  tasksUnavailable?: string;
  /** Whether `learner: "external"` may be asked for (serve --learner). */
  externalLearner?: boolean;
  /** The alerts this server checks (serve --alerts, or the editor's settings), for `GET /api/alerts`. */
  alerts?: AlertMonitor;
}



export interface ApiOptions {
  /** Host names (with port) the server answers to: the loopback names of its own port, and any given. */
  allowedHosts: readonly string[];
  /** Origins a browser may call from; none by default, and never a wildcard. */
  allowedOrigins: readonly string[];
  /** The tokens to check, or null when authentication is off (allowed on a loopback address only). */
  tokens: TokenChecker | null;
  /** Requests a second per token (or per client without authentication); beyond, 429 with Retry-After. */
  rateLimit?: number;
}

type Env = { Variables: { token: TokenRecord | null } };

class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

function tooLarge(limit: number) {
  return (c: Context<Env>) => sendProblem(c, problem(413, 'body-too-large', `the request body is over ${limit / 1024 / 1024} MiB`));
}

async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(problem(415, 'not-json', `send the body as application/json, not ${type ? `"${type}"` : 'without a Content-Type'}`));
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ApiError(problem(400, 'invalid-json', `the body is not valid JSON (${(e as Error).message})`));
  }
}

/** The design's filters from a query string: tags repeatable or comma-separated, dates ISO 8601 or a day. */
export function queryFilters(c: Context, now: number): Filters {
  const q = (name: string) => c.req.query(name);
  const bad = (field: string, reason: string): never => {
    throw new ApiError(problem(400, 'invalid-filter', `${field}: ${reason}`, { errors: [{ field, reason }] }));
  };
  const time = (name: string, endOfDay: boolean): number | null => {
    const text = q(name);
    if (text === undefined || text === '') return null;
    const t = parseTimestamp(text, 'local');
    if (typeof t === 'string') return bad(name, t.replace(/^timestamp/, 'the date'));
    return endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? t + DAY_MS : t;
  };
  const successText = q('success');
  if (successText !== undefined && successText !== 'true' && successText !== 'false' && successText !== 'unknown') bad('success', 'must be true, false or unknown');
  const daysText = q('days');
  let since = time('start_date', false);
  let until = time('end_date', true);
  if (daysText !== undefined) {
    const days = Number(daysText);
    if (!Number.isInteger(days) || days < 1 || days > 36_500) bad('days', 'must be a whole number of days from 1 to 36500');
    // The last N days, today included: a bounded range, so the period before it is compared too.
    since = lastDaysSince(days, new Date(now));
    until ??= lastDaysSince(0, new Date(now));
  }
  const tags = c.req.queries('tags')?.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean) ?? [];
  const regex = q('regex');
  if (regex) {
    const wrong = regexProblem(regex);
    if (wrong) bad('regex', wrong);
  }
  const parsed = filtersSchema.safeParse({
    since,
    until,
    success: successText === undefined ? null : successText === 'unknown' ? 'unknown' : successText === 'true',
    tags,
    model: q('model') ?? null,
    session: q('session') ?? null,
    search: q('search') ?? null,
    codeRegex: regex ?? null,
    // A learning task's practice examples: left out unless asked for (with, only).
    taskExamples: q('task_examples') ?? 'without',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return bad(issue.path.join('.') || 'filters', issue.message);
  }
  return parsed.data;
}

function intParam(c: Context, name: string, fallback: number, min: number, max: number): number {
  const text = c.req.query(name);
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiError(problem(400, 'invalid-parameter', `${name} must be a whole number from ${min} to ${max}`, { errors: [{ field: name, reason: `must be a whole number from ${min} to ${max}` }] }));
  return n;
}

/**
 * The statistics in the shape KIMI's client reads: `stats["success_rate"]`, `stats["categories"][tag]["success"]`.
 * A rate is over the known outcomes; `unknown` says how many examples have none.
 */
const rateOf = (row: { successes: number; total: number; unknown: number }) => rateOfRow(row).rate;

/** Per tag: `{tag: {examples, success}}`, success a 0–1 rate. */
async function kimiCategories(store: FigureSource, filters: Filters) {
  return Object.fromEntries((await store.byTag(filters)).map((t) => [t.tag, { examples: t.total, success: rateOf(t), unknown: t.unknown }]));
}

/** Per day: `[{date, examples, success_rate}]`. */
async function kimiTrends(store: FigureSource, filters: Filters) {
  return (await store.daily(filters)).map((d) => ({ date: d.day, examples: d.total, success_rate: rateOf(d), unknown: d.unknown }));
}

export async function kimiStats(store: FigureSource, filters: Filters, now: number) {
  const s = await store.summary(filters, { now });
  const previous = s.previous?.rate;
  return {
    success_rate: s.rate.rate,
    success_rate_ci: s.rate.interval,
    total_examples: s.rate.total,
    successes: s.rate.successes,
    unknown_outcomes: s.rate.unknown,
    avg_execution_time: s.avgExecutionTime,
    total_tokens: totalTokens(s.tokens),
    change_vs_previous: previous && previous.rate !== null && s.rate.rate !== null ? s.rate.rate - previous.rate : null,
    categories: await kimiCategories(store, filters),
    models: Object.fromEntries(
      (await store.byModel(filters)).map((m) => [m.model, { examples: m.total, success: rateOf(m), unknown: m.unknown, tokens_per_success: tokensPerSuccess(m.tokens) }]),
    ),
    trends: await kimiTrends(store, filters),
  };
}

/** A refused example: the detail is the first problem (as an import reports it), `errors` names every field that is wrong. */
function invalid(reason: string, problems: readonly string[] = [reason]): Problem {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: see errors)` : '';
  return problem(400, 'invalid-example', `${reason}${more}`, { errors: problems.map((r) => ({ field: fieldOf(r), reason: r })) });
}

/** Why an example cannot be stored in a PostgreSQL database (its text cannot hold it). */
const UNSTORABLE = 'a text field holds a NUL character (\\u0000), which a PostgreSQL database cannot store';

export function createApiApp(deps: ApiDeps, options: ApiOptions): Hono<Env> {
  const app = new Hono<Env>();
  if (!deps.data && !(deps.store && deps.commit)) throw new Error('the API needs its data: an ApiData, or a store and its group commit');
  const data = deps.data ?? embeddedApiData(deps.store!, deps.commit!);
  const metrics = new ApiMetrics(data);
  const limiter = new RateLimiter(options.rateLimit ?? 5000);
  /** Only these roles may use the route (admin may use every route). Checked after the token is known. */
  const allow = (...roles: Role[]) =>
    async (c: Context<Env>, next: () => Promise<void>) => {
      const token = c.get('token');
      if (token && token.role !== 'admin' && !roles.includes(token.role)) {
        return sendProblem(c, problem(403, 'role-not-allowed', `${token.role === 'read' ? 'a' : 'an'} ${token.role} token may not ${c.req.method} ${c.req.routePath}; this needs ${[...roles, 'admin'].join(' or ')}`));
      }
      await next();
    };
  const now = deps.now ?? Date.now;
  const parse = (raw: unknown) => normalizeRecord(raw, { assumeTimeZone: deps.assumeTimeZone, now: now() });
  const expiredReason = async () =>
    `timestamp is before ${new Date((await data.retentionCutoff()) ?? 0).toISOString()}: older than the retention period keeps, so it is not stored (that day's figures count what was there)`;
  const stored = async (id: string) => {
    const e = await data.figures.exampleById(id);
    return e ? toKimiRecord(e) : null;
  };

  // Every answer is counted by its route template (never the raw path: ids would explode the label set).
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath === '*' || c.req.routePath === '/*' ? 'unmatched' : c.req.routePath;
    const status = c.res.status;
    metrics.requests.inc({ method: c.req.method, route, status: String(status) });
    metrics.duration.observe({ route }, (performance.now() - started) / 1000);
    // What was refused is what an integration needs to see; what succeeded is in the metrics.
    if (status >= 400 && deps.logs) deps.logs.add(status >= 500 ? 'error' : 'warn', `${c.req.method} ${c.req.path.slice(0, 200)} → ${status}`);
  });

  // DNS rebinding gets nothing: only our own Host names are answered. A browser page of another origin gets nothing either.
  app.use('*', async (c, next) => {
    if (!hostAllowed(c.req.header('host'), options.allowedHosts)) {
      return sendProblem(c, problem(421, 'host-not-allowed', `this server answers only to ${options.allowedHosts.join(', ')}`));
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && !originAllowed(origin, options.allowedOrigins)) {
      return sendProblem(c, problem(403, 'origin-not-allowed', `requests from the origin ${origin} are not allowed (ALLOWED_ORIGINS)`));
    }
    c.set('token', null);
    if (options.tokens) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const token = bearer ? options.tokens.check(bearer) : null;
      if (!token) {
        return sendProblem(c, problem(401, bearer ? 'token-invalid' : 'token-missing', bearer ? 'the token is not valid (unknown or revoked)' : 'send a token: Authorization: Bearer <token>'), {
          'WWW-Authenticate': 'Bearer realm="learning-viewer"',
        });
      }
      c.set('token', token);
    }
    const wait = limiter.take(c.get('token')?.id ?? 'anonymous', now());
    if (wait > 0) {
      return sendProblem(c, problem(429, 'rate-limited', `too many requests; try again in ${Math.ceil(wait / 1000)} s`), { 'Retry-After': String(Math.ceil(wait / 1000)) });
    }
    await next();
    if (origin !== undefined) c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
  });

  app.post('/api/examples', allow('ingest'), bodyLimit({ maxSize: MAX_EXAMPLE_BYTES, onError: tooLarge(MAX_EXAMPLE_BYTES) }), async (c) => {
    const body = await jsonBody(c);
    const result = parse(body);
    if (!result.ok) {
      metrics.ingested.inc({ outcome: 'rejected' });
      return sendProblem(c, invalid(result.reason, result.problems));
    }
    const [outcome] = await data.submit([result.example]);
    metrics.ingested.inc({ outcome: outcome! });
    if (outcome === 'unstorable') return sendProblem(c, invalid(UNSTORABLE));
    if (outcome === 'expired') {
      const reason = await expiredReason();
      return sendProblem(c, problem(400, 'older-than-retention', reason, { errors: [{ field: 'timestamp', reason }] }));
    }
    if (outcome === 'conflict') {
      return sendProblem(c, problem(409, 'id-conflict', `an example with id ${result.example.id} is already stored with other content; the stored one was kept`, { id: result.example.id }));
    }
    // A new example reads back as it was parsed; a retry answers with what is stored (feedback may have been added since).
    return c.json(outcome === 'created' ? kimiRecordOfNew(result.example) : await stored(result.example.id), 201, { Location: `/api/examples/${encodeURIComponent(result.example.id)}` });
  });

  app.post('/api/examples/batch', allow('ingest'), bodyLimit({ maxSize: MAX_BATCH_BYTES, onError: tooLarge(MAX_BATCH_BYTES) }), async (c) => {
    const body = await jsonBody(c);
    const items = Array.isArray(body) ? body : body !== null && typeof body === 'object' && Array.isArray((body as { examples?: unknown }).examples) ? (body as { examples: unknown[] }).examples : null;
    if (items === null) return sendProblem(c, problem(400, 'not-a-batch', 'send a JSON array of examples, or {"examples": [...]}'));
    if (items.length === 0) return sendProblem(c, problem(400, 'empty-batch', 'the batch holds no examples'));
    if (items.length > MAX_BATCH_ITEMS) return sendProblem(c, problem(413, 'batch-too-large', `a batch holds at most ${MAX_BATCH_ITEMS} examples, not ${items.length}`));
    const parsed = items.map((raw) => parse(raw));
    const valid = parsed.flatMap((p, index) => (p.ok ? [{ index, example: p.example }] : []));
    const outcomes = valid.length > 0 ? await data.submit(valid.map((v) => v.example)) : [];
    const expired = outcomes.includes('expired') ? await expiredReason() : '';
    for (const outcome of outcomes) metrics.ingested.inc({ outcome });
    if (parsed.length > valid.length) metrics.ingested.inc({ outcome: 'rejected' }, parsed.length - valid.length);
    const byIndex = new Map<number, { example: NormalizedExample; outcome: Outcome }>(valid.map((v, i) => [v.index, { example: v.example, outcome: outcomes[i]! }]));
    const results = parsed.map((p, index) => {
      if (!p.ok) return { index, id: null, status: 400, reason: p.reason, field: fieldOf(p.reason), errors: (p.problems ?? [p.reason]).map((r) => ({ field: fieldOf(r), reason: r })) };
      const { example, outcome } = byIndex.get(index)!;
      if (outcome === 'expired') return { index, id: example.id, status: 400, reason: expired, field: 'timestamp' };
      if (outcome === 'unstorable') return { index, id: example.id, status: 400, reason: UNSTORABLE, field: fieldOf(UNSTORABLE) };
      return outcome === 'conflict'
        ? { index, id: example.id, status: 409, reason: `already stored with other content; the stored one was kept` }
        : { index, id: example.id, status: 201, outcome };
    });
    const ok = results.filter((r) => r.status === 201).length;
    const body201 = { stored: ok, rejected: results.length - ok, results };
    if (ok === results.length) return c.json(body201, 201);
    if (ok === 0) return sendProblem(c, problem(400, 'batch-rejected', `none of the ${results.length} examples was stored`, { results }));
    return c.json(body201, 207);
  });

  app.get('/api/examples/:id', allow('read'), async (c) => {
    const id = c.req.param('id') ?? '';
    const record = await stored(id);
    if (!record) return sendProblem(c, problem(404, 'example-not-found', `no example with id ${id} is stored`));
    return c.json(record);
  });

  app.get('/api/examples', allow('read'), async (c) => {
    const filters = queryFilters(c, now());
    const skip = intParam(c, 'skip', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(c, 'limit', 100, 1, 1000);
    const page = await data.page(filters, skip, limit);
    return c.json({ total: page.total, skip, limit, examples: page.rows.map(toKimiRecord) });
  });

  app.patch('/api/examples/:id', allow(), bodyLimit({ maxSize: MAX_EXAMPLE_BYTES, onError: tooLarge(MAX_EXAMPLE_BYTES) }), async (c) => {
    const id = c.req.param('id') ?? '';
    const body = await jsonBody(c);
    const parsed = feedbackSchema.safeParse(body);
    if (!parsed.success) {
      const reason = 'send {"human_feedback": text or null} (at most 100,000 characters)';
      return sendProblem(c, problem(400, 'invalid-feedback', reason, { errors: [{ field: 'human_feedback', reason }] }));
    }
    if (!(await data.setFeedback(id, parsed.data.human_feedback))) return sendProblem(c, problem(404, 'example-not-found', `no example with id ${id} is stored`));
    deps.onChange?.();
    return c.json(await stored(id));
  });

  // Exports, streamed: each piece (about 1 MB) is made when the client is ready for it, so memory stays flat.
  for (const format of ['json', 'jsonl', 'csv'] as const) {
    app.get(`/api/export/${format}`, allow('read'), (c) => {
      const options = { format, filters: queryFilters(c, now()) };
      const tally = { written: 0, codeProblems: [] };
      // The embedded store's pieces directly; any other engine's through the contract.
      const pieces: Iterator<Uint8Array> | AsyncIterator<Uint8Array> = data.store ? exportPieces(data.store, options, tally) : exportPiecesOf(data.figures, options, tally);
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await pieces.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        async cancel() {
          await pieces.return?.(undefined);
        },
      });
      const type = { json: 'application/json', jsonl: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' }[format];
      return new Response(body, { status: 200, headers: { 'Content-Type': type, 'Content-Disposition': `attachment; filename="learning-examples.${format}"` } });
    });
  }

  /** Text or a regular expression over the code, with the filters; a cursor pages on. */
  app.post('/api/search', allow('read'), bodyLimit({ maxSize: 64 * 1024, onError: tooLarge(64 * 1024) }), async (c) => {
    const body = searchSchema.safeParse(await jsonBody(c));
    if (!body.success) {
      const issue = body.error.issues[0]!;
      const field = issue.path.join('.') || null;
      return sendProblem(c, problem(400, 'invalid-search', `${field ?? 'the body'}: ${issue.message}`, { errors: [{ field, reason: issue.message }] }));
    }
    const { text, regex, limit, cursor } = body.data;
    if (regex) {
      const wrong = regexProblem(regex);
      if (wrong) return sendProblem(c, problem(400, 'invalid-search', `regex: ${wrong}`, { errors: [{ field: 'regex', reason: wrong }] }));
    }
    const filters = filtersSchema.parse({ ...body.data.filters, search: text ?? null, codeRegex: regex ?? null });
    const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) return sendProblem(c, problem(400, 'invalid-cursor', 'the cursor is not one this server gave'));
    const page = await data.page(filters, offset, limit);
    const next = page.total !== null && offset + page.rows.length < page.total ? Buffer.from(String(offset + page.rows.length)).toString('base64url') : null;
    return c.json({ total: page.total, examples: page.rows.map(toKimiRecord), next_cursor: next });
  });

  app.get('/api/stats', allow('ingest', 'read'), async (c) => c.json(await kimiStats(data.figures, queryFilters(c, now()), now())));
  app.get('/api/stats/daily', allow('ingest', 'read'), async (c) => c.json(await kimiTrends(data.figures, queryFilters(c, now()))));
  app.get('/api/stats/categories', allow('ingest', 'read'), async (c) => c.json(await kimiCategories(data.figures, queryFilters(c, now()))));

  app.get('/api/health', async (c) => {
    const h = await data.health();
    return c.json(
      {
        status: h.state === 'ok' ? 'ok' : 'degraded',
        version: deps.version,
        uptime_seconds: Math.round((now() - deps.startedAt) / 1000),
        database: { engine: data.kind, state: h.state, reason: h.reason },
        examples: h.examples,
        commits: data.commits,
      },
      h.state === 'unreachable' ? 503 : 200,
    );
  });


  if (deps.tasks) {
    const tasks = deps.tasks;
    const view = (t: Task) => ({
      task_id: t.id,
      technology: t.technology,
      depth: t.depth,
      priority: t.priority,
      status: t.state,
      progress: t.progress,
      message: t.message,
      created_at: new Date(t.createdAt).toISOString(),
      started_at: t.startedAt === null ? null : new Date(t.startedAt).toISOString(),
      ended_at: t.endedAt === null ? null : new Date(t.endedAt).toISOString(),
      result: t.result,
    });
    const found = (c: Context<Env>) => {
      const id = c.req.param('id') ?? '';
      const task = tasks.queue.get(id);
      if (!task) throw new ApiError(problem(404, 'task-not-found', `no learning task with id ${id}`));
      return task;
    };
    app.post('/api/nasa/learn', allow(), bodyLimit({ maxSize: 64 * 1024, onError: tooLarge(64 * 1024) }), async (c) => {
      const body = learnSchema.safeParse(await jsonBody(c));
      if (!body.success) {
        const issue = body.error.issues[0]!;
        const field = issue.path.join('.') || null;
        return sendProblem(c, problem(400, 'invalid-task', `${field ?? 'the body'}: ${issue.message}`, { errors: [{ field, reason: issue.message }] }));
      }
      const { learner, ...request } = body.data;
      const chosen = learner ?? (deps.externalLearner ? 'external' : 'builtin');
      if (chosen === 'external' && !deps.externalLearner) {
        const reason = 'no external learner is configured on this server (start it with --learner "COMMAND ARGS…"); use "builtin"';
        return sendProblem(c, problem(400, 'invalid-task', `learner: ${reason}`, { errors: [{ field: 'learner', reason }] }));
      }
      const task = tasks.queue.enqueue({ ...request, learner: chosen });
      return c.json({ task_id: task.id, status: task.state }, 202, { Location: `/api/nasa/learn/${task.id}` });
    });
    app.get('/api/nasa/learn/:id', allow('read'), async (c) => {
      const task = found(c);
      return c.json({ ...view(task), messages: (await tasks.log(task.id, 200)).map((e) => ({ at: new Date(e.at).toISOString(), kind: e.kind, message: e.message })) });
    });
    app.get('/api/nasa/tasks', allow('read'), (c) => {
      const all = tasks.queue.list();
      return c.json({ tasks: all.map(view), queue_size: all.filter((t) => t.state === 'pending').length, running: all.filter((t) => t.state === 'running').length });
    });
    app.post('/api/nasa/learn/:id/cancel', allow(), (c) => {
      const task = found(c);
      if (!tasks.queue.cancel(task.id)) return sendProblem(c, problem(409, 'task-finished', `task ${task.id} is ${task.state}; only a pending or running task can be cancelled`));
      return c.json({ task_id: task.id, status: tasks.queue.get(task.id)!.state });
    });
    // Live events, Server-Sent Events: numbered, resumed after Last-Event-ID, a heartbeat, closed after the last one.
    app.get('/api/nasa/learn/:id/events', allow('read'), (c) => {
      const task = found(c);
      const after = Number(c.req.header('last-event-id') ?? c.req.query('last_event_id') ?? 0);
      if (!Number.isInteger(after) || after < 0) return sendProblem(c, problem(400, 'invalid-last-event-id', 'Last-Event-ID must be the number of an event this server sent'));
      return streamSSE(c, async (stream) => {
        const waiting: LiveEvent[] = [];
        let wake: (() => void) | null = null;
        let aborted = false;
        const stop = tasks.follow(task.id, after, (e) => {
          waiting.push(e);
          wake?.();
        });
        stream.onAbort(() => {
          aborted = true;
          wake?.();
        });
        const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n'), deps.heartbeatMs ?? 15_000);
        try {
          for (;;) {
            while (waiting.length > 0) {
              const e = waiting.shift()!;
              await stream.writeSSE({ id: String(e.seq), event: e.event, data: JSON.stringify(e.data) });
              if (e.event === 'completed' || e.event === 'error') return;
            }
            if (aborted || (tasks.ended(task.id) && waiting.length === 0 && after > 0)) return;
            await new Promise<void>((r) => (wake = r));
            wake = null;
          }
        } finally {
          clearInterval(heartbeat);
          stop();
        }
      });
    });
  } else {
    // The same routes, saying why: in VS Code, learning tasks run in the Tasks view.
    const unavailable = (c: Context<Env>) => sendProblem(c, problem(501, 'tasks-unavailable', deps.tasksUnavailable ?? 'learning tasks are not run by this server'));
    for (const r of API_ROUTES) if (r.path.startsWith('/api/nasa/learn') || r.path === '/api/nasa/tasks') app.on(r.method.toUpperCase(), r.path, allow(...(r.roles === 'any' ? [] : r.roles)), unavailable);
  }

  app.get('/api/logs/tail', allow('read'), (c) => {
    const lines = intParam(c, 'lines', 100, 1, 10_000);
    return c.json({ lines: deps.logs?.tail(lines) ?? [] });
  });

  // Analytics, as the panel computes them (one definition of every figure), under the same filters.
  const report = (c: Context<Env>) => data.figures.analytics(queryFilters(c, now()), { now: now() });
  app.get('/api/nasa/analytics/trends', allow('ingest', 'read'), async (c) => {
    const r = await report(c);
    return c.json({ overall: r.overall, trend: r.trend, proficiency: r.proficiency, heatmap: r.heatmap });
  });
  app.get('/api/nasa/analytics/recommendations', allow('ingest', 'read'), async (c) => c.json((await report(c)).recommendations));
  app.get('/api/nasa/analytics/insights', allow('ingest', 'read'), async (c) => c.json((await report(c)).insights));
  app.get('/api/nasa/analytics/predictions', allow('ingest', 'read'), async (c) => {
    const tag = c.req.query('tag') ?? null;
    return c.json(await data.figures.prediction(queryFilters(c, now()), tag && tag.trim() ? tag.trim() : null));
  });
  /** What KIMI can do next, each with its reason: a learning task to start (technology, depth) for every recommendation. */
  app.get('/api/insights', allow('ingest', 'read'), async (c) => {
    const r = await report(c);
    return c.json({
      success_rate: r.overall.rate,
      success_rate_ci: r.overall.interval,
      examples: r.overall.total,
      actions: r.recommendations.map((rec) => ({
        action: 'learn',
        kind: rec.kind,
        technology: rec.technology,
        depth: rec.depth,
        title: rec.title,
        reason: rec.reason,
        start: { method: 'POST', path: '/api/nasa/learn', body: { technology: rec.technology, depth: rec.depth } },
      })),
      insights: r.insights,
    });
  });

  app.get('/api/alerts', allow('read'), async (c) => {
    const limit = intParam(c, 'limit', 50, 1, 200);
    const checking = deps.alerts?.configured?.enabled === true;
    // As stored now: on a shared database another server may have checked since this one did.
    const overview = (await deps.alerts?.overviewNow(limit)) ?? { active: [], history: [], muted: [], lastCheck: null };
    return c.json({ checking, ...overview });
  });
  app.get('/api/metrics', allow('read'), async (c) => c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }));

  app.get('/api/openapi.json', (c) => c.json(openApiDocument(deps.version)));

  app.notFound((c) => sendProblem(c, problem(404, 'not-found', `no route ${c.req.method} ${c.req.path}`)));
  app.onError((e, c) => {
    if (e instanceof ApiError) return sendProblem(c, e.problem);
    // The database is away (restarting, unreachable): try again shortly; the message names it, never its password.
    if (e instanceof DatabaseError && e.transient) return sendProblem(c, problem(503, 'database-unavailable', e.message), { 'Retry-After': '5' });
    // Never a stack trace: what happened, in words.
    return sendProblem(c, problem(500, 'internal-error', `the request could not be served: ${e.message}`));
  });
  return app;
}
