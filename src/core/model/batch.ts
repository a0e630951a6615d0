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
}

