import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import type { BatchItem, IngestTarget, InsertCounts, SourceOffset } from '../model/batch';
import type { NormalizedExample } from '../model/example';
import type { ParseOptions } from './parseKimiLine';
import { normalizeRecord } from './parseKimiLine';
import { parseBatches, parseBatchesInWorker, type ParseBatchesOptions } from './parseBatches';
import type { ImportProblem, ImportReport } from '../../shared/importReport';

export type { ImportProblem, ImportReport };

export interface ImportOptions extends ParseOptions {
  /** Follow mode: resume from the saved offset, leave a partial last line for later. */
  follow?: boolean;
  batchSize?: number;
  maxProblems?: number;
  maxLineBytes?: number;
  /** Lines and (decompressed) bytes one read of a file may take before it stops and says so. */
  maxLines?: number;
  maxBytes?: number;
  signal?: AbortSignal;
  /** Awaited after each batch is handed over and the ones before it are committed (for example, to save a snapshot). */
  afterBatch?: () => Promise<void>;
  onProgress?: (p: { file: string; linesRead: number; bytesRead: number; totalBytes: number; added: number }) => void;
  /** The parse worker's bundle: with it, a large file is read and validated in that thread while this one stores. */
  parseWorker?: string;
}

/** Below this many bytes to read, starting a parse worker costs more than it saves (a followed file's new lines). */
export const PARSE_WORKER_MIN_BYTES = 8 * 1024 * 1024;

/** JSON array files are parsed whole; above this size they must be converted to JSON Lines. */
export const MAX_JSON_ARRAY_BYTES = 256 * 1024 * 1024;

export function emptyReport(): ImportReport {
  return { added: 0, duplicates: 0, conflicts: 0, rejected: 0, problems: [], problemsOmitted: 0, cancelled: false };
}

export function mergeReports(a: ImportReport, b: ImportReport, maxProblems = 1000): ImportReport {
  const problems = [...a.problems, ...b.problems];
  return {
    added: a.added + b.added,
    duplicates: a.duplicates + b.duplicates,
    conflicts: a.conflicts + b.conflicts,
    rejected: a.rejected + b.rejected,
    problems: problems.slice(0, maxProblems),
    problemsOmitted: a.problemsOmitted + b.problemsOmitted + Math.max(0, problems.length - maxProblems),
    cancelled: a.cancelled || b.cancelled,
  };
}

const HEAD_BYTES = 512;

/**
 * A fingerprint of a file's first bytes, as "length:sha1": a different head
 * means the file was replaced. `length` lets a file that was shorter than
 * HEAD_BYTES when seen, and has grown since, be compared on the same bytes.
 */
async function headOf(path: string, length = HEAD_BYTES): Promise<string | null> {
  const handle = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, 0);
    if (bytesRead === 0) return null;
    return `${bytesRead}:${createHash('sha1').update(buf.subarray(0, bytesRead)).digest('hex')}`;
  } finally {
    await handle.close();
  }
}

function headLength(head: string | null): number {
  const n = Number(head?.split(':')[0]);
  return Number.isInteger(n) && n > 0 && n <= HEAD_BYTES ? n : HEAD_BYTES;
}

/** Stores a batch and the offset its source reached, together. */
type Write = (batch: readonly BatchItem[], offset: SourceOffset | null) => Promise<InsertCounts>;

class Collector {
  report = emptyReport();
  batch: { example: NormalizedExample; sourceId: number; line: number }[] = [];
  /** Batches handed to the store and not yet accounted for, in order. */
  private readonly onTheirWay: { items: Collector['batch']; counts: Promise<InsertCounts> }[] = [];
  constructor(
    private readonly file: string,
    private readonly maxProblems: number,
    private readonly store: IngestTarget,
    /** How the batches are written, and how many may be on their way at once. */
    private readonly write: Write,
    private readonly depth: number,
  ) {}
  problem(line: number, reason: string): void {
    if (this.report.problems.length < this.maxProblems) this.report.problems.push({ file: this.file, line, reason });
    else this.report.problemsOmitted++;
  }
  /**
   * Hands the batch to the store with the offset its source reached (null: none to keep, as for a .gz or
   * a JSON array), and returns once no more than `depth - 1` batches are still on their way.
   */
  async flush(offset: SourceOffset | null = null): Promise<void> {
    if (this.batch.length === 0 && !offset) return;
    const items = this.batch;
    this.batch = [];
    const counts = this.write(items, offset);
    // Accounted for in order below; a failure is met there, not left unheard.
    counts.catch(() => undefined);
    this.onTheirWay.push({ items, counts });
    while (this.onTheirWay.length >= this.depth) await this.settleOne();
  }
  /** Waits for every batch on its way. */
  async drain(): Promise<void> {
    while (this.onTheirWay.length) await this.settleOne();
  }
  private async settleOne(): Promise<void> {
    const { items, counts: pending } = this.onTheirWay.shift()!;
    let counts: InsertCounts;
    try {
      counts = await pending;
    } catch (e) {
      // The batches after a failed one are not stored either: wait for them to end before saying so.
      await Promise.allSettled(this.onTheirWay.splice(0).map((w) => w.counts));
      throw e;
    }
    this.account(items, counts);
    // Older than what retention keeps: its day's figures already count what was there, so it is not stored again.
    if (counts.expiredIndexes.length) {
      const cutoff = await this.store.retentionCutoff();
      for (const index of counts.expiredIndexes) {
        const item = items[index]!;
        this.report.rejected++;
        this.problem(item.line, `dated ${new Date(item.example.ts).toISOString()}, before ${new Date(cutoff ?? 0).toISOString()}: older than the retention period keeps (learningViewer.retention.days)`);
      }
    }
  }
  private account(items: Collector['batch'], counts: InsertCounts): void {
    this.report.added += counts.added;
    this.report.duplicates += counts.duplicates;
    this.report.conflicts += counts.conflicts;
    for (const index of counts.conflictIndexes) {
      const item = items[index]!;
      this.problem(item.line, `id ${item.example.id} is already stored with other content; the first one was kept`);
    }
    for (const { index, reason } of counts.refused ?? []) {
      this.report.rejected++;
      this.problem(items[index]!.line, reason);
    }
  }
}

/** Writes one batch at a time, or through the store's ordered writer where it has one. */
function collectorFor(store: IngestTarget, path: string, options: ImportOptions, ordered: boolean): Collector {
  const writer = ordered ? store.orderedWriter?.() : undefined;
  const maxProblems = options.maxProblems ?? 1000;
  if (writer) return new Collector(path, maxProblems, store, (batch, offset) => writer.write(batch, offset), writer.depth);
  return new Collector(path, maxProblems, store, (batch, offset) => store.writeBatch(batch, offset), 1);
}

/**
 * Imports one KIMI log: JSON Lines (optionally gzipped) streamed in batches, or
 * a JSON array. A bad line never stops the import nor costs a good one.
 * The byte offset reached is stored, so following or re-reading after a crash
 * picks up where the last committed batch ended (idempotent by id).
 */
export async function importFile(store: IngestTarget, path: string, options: ImportOptions): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 5000;
  const stat = await fs.stat(path);
  const gzip = /\.gz$/i.test(path);
  const sourceId = await store.sourceKey(path);

  if (/\.json$/i.test(path)) {
    return importJsonArray(path, stat.size, sourceId, collectorFor(store, path, options, false), options);
  }
  const collector = collectorFor(store, path, options, true);

  let startOffset = 0;
  let startLine = 0;
  const head = gzip ? null : await headOf(path);
  if (options.follow && !gzip) {
    const saved = await store.sourceOffset(path);
    // Same file, grown or unchanged: resume. Shrunk or replaced: read again from the start (ids make it idempotent).
    const sameHead = saved !== null && saved.head !== null && (await headOf(path, headLength(saved.head))) === saved.head;
    if (saved && saved.byteOffset <= stat.size && sameHead) {
      startOffset = saved.byteOffset;
      startLine = saved.line;
    }
  }
  let lastOffset = startOffset;
  let lastLine = startLine;
  let linesRead = 0;
  const commit = () => collector.flush(gzip ? null : { path, byteOffset: lastOffset, line: lastLine, head });
  const parseOptions: ParseBatchesOptions = {
    assumeTimeZone: options.assumeTimeZone,
    now: options.now,
    startOffset,
    startLine,
    gzip,
    maxLineBytes: options.maxLineBytes,
    maxLines: options.maxLines,
    maxBytes: options.maxBytes,
    includePartialLastLine: !options.follow,
    batchSize,
  };
  const batches =
    options.parseWorker && (gzip || stat.size - startOffset >= PARSE_WORKER_MIN_BYTES)
      ? parseBatchesInWorker(options.parseWorker, path, parseOptions)
      : parseBatches(path, parseOptions);
  for await (const batch of batches) {
    linesRead += batch.lines;
    collector.report.rejected += batch.problems.length;
    for (const p of batch.problems) collector.problem(p.line, p.reason);
    for (const { example, line } of batch.examples) collector.batch.push({ example, sourceId, line });
    lastOffset = batch.endOffset;
    lastLine = batch.endLine;
    await commit();
    await options.afterBatch?.();
    options.onProgress?.({ file: path, linesRead, bytesRead: lastOffset, totalBytes: stat.size, added: collector.report.added });
    if (options.signal?.aborted) {
      // Leaving the loop stops the parse worker.
      await collector.drain();
      collector.report.cancelled = true;
      return collector.report;
    }
    // Let other requests (queries, cancel) through between batches.
    await new Promise((r) => setImmediate(r));
  }
  await commit();
  await collector.drain();
  await options.afterBatch?.();
  options.onProgress?.({ file: path, linesRead, bytesRead: stat.size, totalBytes: stat.size, added: collector.report.added });
  return collector.report;
}

async function importJsonArray(
  path: string,
  size: number,
  sourceId: number,
  collector: Collector,
  options: ImportOptions,
): Promise<ImportReport> {
  if (size > MAX_JSON_ARRAY_BYTES) {
    collector.report.rejected++;
    collector.problem(0, `${basename(path)} is a JSON array of ${Math.round(size / 1048576)} MB; convert it to JSON Lines (one example per line) to import files this large`);
    return collector.report;
  }
  let data: unknown;
  try {
    data = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch (e) {
    collector.report.rejected++;
    collector.problem(1, `invalid JSON (${(e as Error).message})`);
    return collector.report;
  }
  if (!Array.isArray(data)) {
    // A single object is one example.
    data = [data];
  }
  const items = data as unknown[];
  for (let i = 0; i < items.length; i++) {
    const result = normalizeRecord(items[i], options);
    // For arrays the "line" is the 1-based position in the array.
    if (result.ok) collector.batch.push({ example: result.example, sourceId, line: i + 1 });
    else {
      collector.report.rejected++;
      collector.problem(i + 1, `item ${i + 1}: ${result.reason}`);
    }
    if (collector.batch.length >= (options.batchSize ?? 5000)) {
      await collector.flush();
      if (options.signal?.aborted) {
        collector.report.cancelled = true;
        return collector.report;
      }
    }
  }
  await collector.flush();
  return collector.report;
}
