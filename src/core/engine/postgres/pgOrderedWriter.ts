// A source's batches into PostgreSQL two at a time. One server process inserts a
// batch's code (its trigram index is half a batch's cost) while another merges the
// next batch's rows, so an import uses both cores of a small server. Correctness
// stays that of one batch at a time: see writeBatchPgInTurn for the order kept,
// and here for a failure, after which the batches from the failed one on are
// written again one at a time, in order, each with the engine's retries.
import type { BatchItem, InsertCounts, OrderedBatchWriter, SourceOffset } from '../../model/batch';
import type { BatchTurn } from './pgWrite';

interface Turn extends BatchTurn {
  /** True when the batch was stored in the end, at its turn or again alone. */
  stored: Promise<boolean>;
}

function settled<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const FIRST: Turn = { merged: Promise.resolve(true), committed: Promise.resolve(true), stored: Promise.resolve(true) };

export class PgOrderedWriter implements OrderedBatchWriter {
  readonly depth = 2;
  private last: Turn = FIRST;

  constructor(
    /** One attempt at the batch's turn (writeBatchPgInTurn on a client of its own). */
    private readonly inTurn: (batch: readonly BatchItem[], offset: SourceOffset | null, turn: { before: BatchTurn; merged: () => void }) => Promise<InsertCounts>,
    /** The batch alone, retried on transient failures (the engine's writeBatch). */
    private readonly alone: (batch: readonly BatchItem[], offset: SourceOffset | null) => Promise<InsertCounts>,
  ) {}

  write(batch: readonly BatchItem[], offset: SourceOffset | null): Promise<InsertCounts> {
    const before = this.last;
    const merged = settled<boolean>();
    const committed = settled<boolean>();
    const result = (async () => {
      try {
        const counts = await this.inTurn(batch, offset, { before, merged: () => merged.resolve(true) });
        committed.resolve(true);
        return counts;
      } catch {
        // Rolled back. The batch after this one gives up its turn too, and is written again after this one.
        merged.resolve(false);
        committed.resolve(false);
        if (!(await before.stored)) throw new Error('not stored, because the batch before it could not be');
        return this.alone(batch, offset);
      }
    })();
    this.last = { merged: merged.promise, committed: committed.promise, stored: result.then(() => true, () => false) };
    return result;
  }
}
