import type { NormalizedExample } from './example';

export interface SourceOffset {
  path: string;
  byteOffset: number;
  line: number;
  head: string | null;
}

export interface InsertCounts {
  /** Examples dated before the retention cutoff: not stored (their day's rollups count what was there), by index. */
  expiredIndexes: number[];
  added: number;
  duplicates: number;
  conflicts: number;
  /** Positions in the batch of the examples whose id clashed with other content (the first stored one is kept). */
  conflictIndexes: number[];
  /** Positions of the examples already stored with the same content, where the engine tells them (PostgreSQL). */
  duplicateIndexes?: number[];
  /** Examples this engine cannot store, by index, with the reason (PostgreSQL's text holds no NUL character). */
  refused?: { index: number; reason: string }[];
}

/** One example of a batch, with the source (a file's key) and line it came from. */
export interface BatchItem {
  example: NormalizedExample;
  sourceId?: number;
  line?: number;
}

/** What an import writes to. */
export interface IngestTarget {
  /** The key of a source (a file's path, or a learning task), made on first use. */
  sourceKey(path: string): Promise<number>;
  /** Where the last committed batch of this source ended, if it was read before. */
  sourceOffset(path: string): Promise<SourceOffset | null>;
  /**
   * Stores a batch and the offset its source reached, together: an import
   * that stops at any point resumes from an offset whose lines are all stored.
   */
  writeBatch(batch: readonly BatchItem[], offset: SourceOffset | null): Promise<InsertCounts>;
  /** Examples dated before this (epoch ms) are not stored: retention removed their day's rows. Null: none removed. */
  retentionCutoff(): Promise<number | null>;
  /** Every source read so far with the offset it reached (a copy takes them along). */
  sourceOffsets(): Promise<SourceOffset[]>;
  /**
   * Where an engine can store a source's next batch while the one before is still being stored
   * (PostgreSQL: on a second server process), a writer that does, keeping writeBatch's promises.
   */
  orderedWriter?(): OrderedBatchWriter;
}

/**
 * Takes a source's batches one after another without waiting for each to be stored: they are
 * stored as if written one at a time in that order (the first of an id wins, offsets only grow,
 * no batch is committed after one before it failed).
 */
export interface OrderedBatchWriter {
  /** Batches on their way at once that pay off. */
  readonly depth: number;
  write(batch: readonly BatchItem[], offset: SourceOffset | null): Promise<InsertCounts>;
}

