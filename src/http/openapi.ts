// The API's OpenAPI 3.1 document, from one table of its routes and the zod
// schemas the routes parse their bodies with. A test checks that the table
// and the routes the app serves are the same, and that docs/openapi.json is
// this document (`npm run openapi` writes it).
import { z } from 'zod';
import { feedbackSchema, learnSchema, MAX_BATCH_ITEMS, searchSchema } from './apiSchemas';
import type { Role } from './tokens';

interface RouteDoc {
  method: 'get' | 'post' | 'patch';
  /** As Hono writes it (`:id`). */
  path: string;
  /** Who may call it (admin always may); 'any' for every role. */
  roles: Role[] | 'any';
  summary: string;
  body?: { schema: Record<string, unknown> };
  query?: string[];
  responses: Record<string, string>;
}

const FILTERS = ['success', 'tags', 'start_date', 'end_date', 'days', 'model', 'session', 'search', 'regex', 'task_examples'];

/** A KIMI learning example, as the file format documents it (validated by the same parser as a log line). */
const kimiRecord = {
  type: 'object',
  required: ['timestamp', 'success'],
  properties: {
    id: { type: 'string', description: 'Optional; without it an id is derived from the content.' },
    timestamp: { type: ['string', 'number'], description: 'ISO 8601 (without an offset: local time of the server), or epoch seconds or milliseconds.' },
    success: { type: ['boolean', 'null'], description: 'true or false; null when the outcome is unknown (the key must be there).' },
    session_id: { type: ['string', 'null'] },
    task_description: { type: ['string', 'null'] },
    code_context: { type: ['string', 'null'] },
    metrics: { type: ['object', 'null'], additionalProperties: true },
    tags: { type: ['array', 'string', 'null'], items: { type: 'string' }, maxItems: 100 },
    model_used: { type: ['string', 'null'] },
    tokens_consumed: { type: ['integer', 'null'], minimum: 0 },
    human_feedback: { type: ['string', 'null'] },
  },
  additionalProperties: true,
};

const json = (schema: z.ZodType) => {
  const out = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
};

export const API_ROUTES: RouteDoc[] = [
  { method: 'post', path: '/api/examples', roles: ['ingest'], summary: 'Store one example; 201 once it is durable.', body: { schema: kimiRecord }, responses: { 201: 'stored (or already stored with the same content)', 400: 'invalid, naming the field', 409: 'the id is stored with other content', 413: 'over 1 MiB', 415: 'not JSON' } },
  {
    method: 'post',
    path: '/api/examples/batch',
    roles: ['ingest'],
    summary: `Store up to ${MAX_BATCH_ITEMS} examples (8 MiB).`,
    body: { schema: { oneOf: [{ type: 'array', items: kimiRecord, maxItems: MAX_BATCH_ITEMS }, { type: 'object', properties: { examples: { type: 'array', items: kimiRecord, maxItems: MAX_BATCH_ITEMS } } }] } },
    responses: { 201: 'all stored', 207: 'a result per item', 400: 'none stored', 413: 'too many or too large' },
  },
  { method: 'get', path: '/api/examples', roles: ['read'], summary: 'The filtered examples, newest first, a page at a time.', query: [...FILTERS, 'skip', 'limit'], responses: { 200: '{total, skip, limit, examples}' } },
  { method: 'get', path: '/api/examples/:id', roles: ['read'], summary: 'One example.', responses: { 200: 'the record', 404: 'unknown id' } },
  { method: 'patch', path: '/api/examples/:id', roles: [], summary: 'Edit the human feedback (journalled).', body: { schema: json(feedbackSchema) }, responses: { 200: 'the record', 400: 'invalid body', 404: 'unknown id' } },
  { method: 'get', path: '/api/export/json', roles: ['read'], summary: 'The filtered examples as a JSON array, streamed.', query: FILTERS, responses: { 200: 'application/json' } },
  { method: 'get', path: '/api/export/jsonl', roles: ['read'], summary: 'The filtered examples as JSON Lines, streamed.', query: FILTERS, responses: { 200: 'application/x-ndjson' } },
  { method: 'get', path: '/api/export/csv', roles: ['read'], summary: 'The filtered examples as CSV (RFC 4180, formula guard), streamed.', query: FILTERS, responses: { 200: 'text/csv' } },
  { method: 'post', path: '/api/search', roles: ['read'], summary: 'Text or a regular expression over the code, with filters and a cursor.', body: { schema: json(searchSchema) }, responses: { 200: '{total, examples, next_cursor}', 400: 'invalid search' } },
  { method: 'get', path: '/api/stats', roles: ['ingest', 'read'], summary: "Statistics in KIMI's shape: success_rate, categories, models, trends.", query: FILTERS, responses: { 200: 'the statistics', 400: 'invalid filter' } },
  { method: 'get', path: '/api/stats/daily', roles: ['ingest', 'read'], summary: 'Examples and success rate per day.', query: FILTERS, responses: { 200: '[{date, examples, success_rate}]' } },
  { method: 'get', path: '/api/stats/categories', roles: ['ingest', 'read'], summary: 'Examples and success rate per tag.', query: FILTERS, responses: { 200: '{tag: {examples, success}}' } },
  { method: 'get', path: '/api/nasa/analytics/trends', roles: ['ingest', 'read'], summary: 'The overall rate, the daily and weekly trend, proficiency per technology, the activity heatmap.', query: FILTERS, responses: { 200: 'the trends' } },
  { method: 'get', path: '/api/nasa/analytics/recommendations', roles: ['ingest', 'read'], summary: 'Recommendations with their reasons.', query: FILTERS, responses: { 200: '[recommendation]' } },
  { method: 'get', path: '/api/nasa/analytics/insights', roles: ['ingest', 'read'], summary: 'Insights with their numbers.', query: FILTERS, responses: { 200: '[insight]' } },
  { method: 'get', path: '/api/nasa/analytics/predictions', roles: ['ingest', 'read'], summary: 'The rate 7 and 30 days ahead, with the backtest that decides whether it is shown.', query: [...FILTERS, 'tag'], responses: { 200: 'the prediction' } },
  { method: 'get', path: '/api/insights', roles: ['ingest', 'read'], summary: 'What KIMI can do next: learning tasks with their reasons.', query: FILTERS, responses: { 200: '{success_rate, actions, insights}' } },
  { method: 'post', path: '/api/nasa/learn', roles: [], summary: 'Start a learning task (the built-in learner, or the external one where the server has it).', body: { schema: json(learnSchema) }, responses: { 202: '{task_id, status}', 400: 'invalid task' } },
  { method: 'get', path: '/api/nasa/learn/:id', roles: ['read'], summary: "A task's status, progress, messages and result.", responses: { 200: 'the task', 404: 'unknown task' } },
  { method: 'get', path: '/api/nasa/tasks', roles: ['read'], summary: 'Every task and the queue size.', responses: { 200: '{tasks, queue_size, running}' } },
  { method: 'post', path: '/api/nasa/learn/:id/cancel', roles: [], summary: 'Cancel a pending or running task.', responses: { 200: '{task_id, status}', 404: 'unknown task', 409: 'already finished' } },
  { method: 'get', path: '/api/nasa/learn/:id/events', roles: ['read'], summary: 'Live events over Server-Sent Events, numbered; Last-Event-ID resumes; closed after the last.', responses: { 200: 'text/event-stream' } },
  { method: 'get', path: '/api/alerts', roles: ['read'], summary: 'Alerts: those firing now and the history (fired, resolved), newest first, with their figures; whether this server checks rules.', query: ['limit'], responses: { 200: '{checking, active, history, muted, lastCheck}', 400: 'invalid limit' } },
  { method: 'get', path: '/api/metrics', roles: ['read'], summary: 'Prometheus metrics.', responses: { 200: 'text/plain; version=0.0.4' } },
  { method: 'get', path: '/api/logs/tail', roles: ['read'], summary: "The server's last log lines (listening, saves, tasks, refused requests), oldest first.", query: ['lines'], responses: { 200: '{lines: [{at, level, message}]}' } },
  { method: 'get', path: '/api/health', roles: 'any', summary: 'Status, version, uptime, database state, examples.', responses: { 200: 'the health' } },
  { method: 'get', path: '/api/openapi.json', roles: 'any', summary: 'This document.', responses: { 200: 'OpenAPI 3.1' } },
];

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: ['string', 'null'] }, reason: { type: 'string' } } } },
  },
};

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of API_ROUTES) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...[...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(r.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
    ];
    const roles = r.roles === 'any' ? 'any role' : [...r.roles, 'admin'].join(', ');
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      description: `Roles: ${roles}.`,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body.schema } } } } : {}),
      responses: Object.fromEntries(
        Object.entries({ ...r.responses, 401: 'no or a bad token', 403: 'the wrong role, or an Origin not allowed', 421: 'a Host this server does not answer to', 429: 'over the rate limit' }).map(([status, description]) => [
          status,
          Number(status) >= 400 ? { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } : { description },
        ]),
      ),
      security: [{ bearer: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Learning Viewer API', version, description: 'KIMI posts its learning examples and reads what to improve; scripts start learning tasks and follow them live.' },
    servers: [{ url: 'http://127.0.0.1:8000' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Problem: problemSchema } },
    paths,
  };
}
