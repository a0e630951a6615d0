// Reading and validating a log is a third of an import's work and inserting
// the rest. On a machine with two cores they can overlap: a parse worker reads
// and validates batch n + 1 while the data worker stores batch n. Both paths
// yield the same batches; only where the parsing runs differs.
import { Worker } from 'node:worker_threads';
import type { NormalizedExample } from '../model/example';
import type { ParseOptions } from './parseKimiLine';
import { parseKimiLine } from './parseKimiLine';
import { readLines, type ReadLinesOptions } from './readLines';

export interface ParsedBatch {
  /** The valid examples, with their line numbers. */
  examples: { example: NormalizedExample; line: number }[];
  /** The lines rejected, with the reason. */
  problems: { line: number; reason: string }[];
  /** Lines read in this batch, blank ones included. */
  lines: number;
  /** Where the batch ends: the offset and line to resume from. */
  endOffset: number;
  endLine: number;
}

export interface ParseBatchesOptions extends ParseOptions, ReadLinesOptions {
  batchSize: number;
}

/** Reads and validates a JSON Lines file, `batchSize` lines at a time, in this thread. */
export async function* parseBatches(path: string, options: ParseBatchesOptions): AsyncGenerator<ParsedBatch> {
  let batch: ParsedBatch = { examples: [], problems: [], lines: 0, endOffset: options.startOffset ?? 0, endLine: options.startLine ?? 0 };
  const parse: ParseOptions = { assumeTimeZone: options.assumeTimeZone, now: options.now };
  for await (const raw of readLines(path, options)) {
    batch.lines += raw.lines ?? 1;
    if (raw.text === null) batch.problems.push({ line: raw.line, reason: raw.problem ?? 'unreadable line' });
    else if (raw.text.trim() !== '') {
      const result = parseKimiLine(raw.text, parse);
      if (result.ok) batch.examples.push({ example: result.example, line: raw.line });
      else batch.problems.push({ line: raw.line, reason: result.reason });
    }
    batch.endOffset = raw.endOffset;
    batch.endLine = raw.line;
    if (batch.lines >= options.batchSize) {
      yield batch;
      batch = { examples: [], problems: [], lines: 0, endOffset: batch.endOffset, endLine: batch.endLine };
    }
  }
  if (batch.lines > 0) yield batch;
}

/** Messages from the parse worker (src/worker/parseWorker.ts). */
export type ParseWorkerMessage = { type: 'batch'; json: string } | { type: 'end' } | { type: 'error'; message: string };

/** Batches the worker may have ready before the consumer asks for more: memory stays bounded. */
export const PARSE_AHEAD = 2;

/**
 * The same batches, parsed in a worker thread (the bundle at `workerPath`).
 * The worker runs at most PARSE_AHEAD batches ahead; it is stopped when the
 * consumer stops early (a cancel) or the file ends.
 */
export async function* parseBatchesInWorker(workerPath: string, path: string, options: ParseBatchesOptions): AsyncGenerator<ParsedBatch> {
  const worker = new Worker(workerPath, { workerData: { path, options } });
  const ready: ParseWorkerMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (m: ParseWorkerMessage) => {
    ready.push(m);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (e: Error) => push({ type: 'error', message: e.message }));
  worker.on('exit', (code) => push(code === 0 ? { type: 'end' } : { type: 'error', message: `the parse worker stopped (exit code ${code})` }));
  try {
    for (;;) {
      while (ready.length === 0) await new Promise<void>((r) => (wake = r));
      const m = ready.shift()!;
      if (m.type === 'end') return;
      if (m.type === 'error') throw new Error(`reading ${path} failed: ${m.message}`);
      worker.postMessage('more');
      // A batch travels as one JSON text: parsing it is several times cheaper for this thread than
      // receiving the same objects by structured clone (every value in a NormalizedExample is JSON).
      yield JSON.parse(m.json) as ParsedBatch;
    }
  } finally {
    wake = null;
    await worker.terminate();
  }
}
