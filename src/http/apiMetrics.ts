// The API's Prometheus metrics, in a registry of its own (no process-wide
// state, so two servers in one process, or tests, never share counters).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiData } from './apiData';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'learning_viewer_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'learning_viewer_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template.',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly ingested = new Counter({
    name: 'learning_viewer_examples_ingested_total',
    help: 'Examples posted to the API, by outcome (created, duplicate, conflict, expired, rejected).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(data: Pick<ApiData, 'count' | 'bytes'>) {
    new Gauge({
      name: 'learning_viewer_examples',
      help: 'Examples stored.',
      registers: [this.registry],
      async collect() {
        this.set(await data.count());
      },
    });
    new Gauge({
      name: 'learning_viewer_database_bytes',
      help: 'Size of the database: in memory (SQLite pages) for the embedded one, on disk for PostgreSQL, in bytes.',
      registers: [this.registry],
      async collect() {
        this.set(await data.bytes());
      },
    });
  }
}
