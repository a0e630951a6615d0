import { once } from 'node:events';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Filters } from '../../shared/filters';
import { iterateCsvCells, iterateExamples } from '../queries/examples';
import type { LearningStore } from '../storage/learningStore';
import type { RowSource } from '../storage/rowSource';
import type { FigureSource } from '../engine/contract';
import type { StoredExample } from '../../shared/example';
import { csvHeader, csvLine, csvRow, type CsvCells } from './csv';
import { toKimiRecord } from './kimiRecord';

export type ExportFormat = 'csv' | 'json' | 'jsonl';

export interface ExportOptions {
  format: ExportFormat;
  filters: Filters;
  /** Start a CSV with a UTF-8 byte order mark (for spreadsheet programs). */
  csvBom?: boolean;
  signal?: AbortSignal;
  onProgress?: (written: number) => void;
}

/** What an export says about its rows as it goes. */
export interface ExportTally {
  written: number;
  /** Examples whose code record is missing or damaged: written without code, and named (the first 1,000). */
  codeProblems: string[];
}

/** A piece of an export: about 1 MB of UTF-8. */
const PIECE_BYTES = 1 << 20;

/**
 * Examples into export text, encoded as it comes into pieces of about 1 MB: no array of
 * small strings to join, and no second pass to encode them for the file or the response.
 */
class ExportText {
  private bytes = Buffer.allocUnsafe(2 * PIECE_BYTES);
  private used = 0;
  constructor(
    private readonly options: Pick<ExportOptions, 'format' | 'csvBom'>,
    private readonly tally: ExportTally,
  ) {
    if (options.format === 'csv') this.push(`${options.csvBom ? '\uFEFF' : ''}${csvHeader()}`);
    if (options.format === 'json') this.push('[\n');
  }
  private push(text: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8: room for that, or a larger buffer (a line with a large code context).
    if (this.used + text.length * 3 > this.bytes.length) {
      const larger = Buffer.allocUnsafe(Math.max(2 * PIECE_BYTES, this.used + text.length * 3));
      this.bytes.copy(larger, 0, 0, this.used);
      this.bytes = larger;
    }
    this.used += this.bytes.write(text, this.used);
  }
  private take(): Buffer {
    const piece = this.bytes.subarray(0, this.used);
    this.bytes = Buffer.allocUnsafe(2 * PIECE_BYTES);
    this.used = 0;
    return piece;
  }
  /** Adds one example; a piece when one is full. */
  add(e: StoredExample): Buffer | null {
    this.codeProblem(e.id, e.codeProblem);
    if (this.options.format === 'csv') this.push(csvRow(e));
    else if (this.options.format === 'jsonl') this.push(`${JSON.stringify(toKimiRecord(e))}\n`);
    else this.push(`${this.tally.written > 0 ? ',\n' : ''}${JSON.stringify(toKimiRecord(e))}`);
    return this.counted();
  }
  /** Adds one CSV line from cells read straight from the store. */
  addCsv(cells: CsvCells, codeProblem: string | undefined): Buffer | null {
    this.codeProblem(cells.id, codeProblem);
    this.push(csvLine(cells));
    return this.counted();
  }
  private codeProblem(id: string, problem: string | undefined): void {
    if (problem && this.tally.codeProblems.length < 1000) this.tally.codeProblems.push(`example ${id}: ${problem}`);
  }
  private counted(): Buffer | null {
    this.tally.written++;
    return this.used >= PIECE_BYTES ? this.take() : null;
  }
  /** The last piece, or null when nothing is left. */
  end(): Buffer | null {
    if (this.options.format === 'json') this.push('\n]\n');
    return this.used > 0 ? this.take() : null;
  }
}

/**
 * The export's text in pieces of about 1 MB, newest example first: one write
 * per row costs more than the rows themselves. Pulled one piece at a time, so
 * the consumer's pace (a file, an HTTP response) bounds the memory.
 */
export function* exportPieces(store: RowSource, options: Pick<ExportOptions, 'format' | 'filters' | 'csvBom'>, tally: ExportTally): Generator<Buffer> {
  const text = new ExportText(options, tally);
  // A CSV is written from the rows themselves: a million example objects cost more than the file.
  if (options.format === 'csv') yield* iterateCsvCells(store, options.filters, (cells, codeProblem) => text.addCsv(cells, codeProblem));
  else {
    for (const e of iterateExamples(store, { filters: options.filters })) {
      const piece = text.add(e);
      if (piece !== null) yield piece;
    }
  }
  const last = text.end();
  if (last !== null) yield last;
}

/** The same pieces from any engine's examples (a PostgreSQL database's among them). */
export async function* exportPiecesOf(source: FigureSource, options: Pick<ExportOptions, 'format' | 'filters' | 'csvBom'>, tally: ExportTally): AsyncGenerator<Buffer> {
  const text = new ExportText(options, tally);
  for await (const e of source.examples(options.filters)) {
    const piece = text.add(e);
    if (piece !== null) yield piece;
  }
  const last = text.end();
  if (last !== null) yield last;
}

/**
 * Streams the filtered examples to `target`, newest first. Written to a temp
 * file beside it and renamed at the end, so a cancelled or failed export never
 * leaves a half file under the chosen name.
 */
export async function exportExamples(store: LearningStore | FigureSource, target: string, options: ExportOptions): Promise<{ written: number; cancelled: boolean; codeProblems: string[] }> {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  const out = createWriteStream(temp, { highWaterMark: 4 * 1024 * 1024 });
  const tally: ExportTally = { written: 0, codeProblems: [] };
  let reported = 0;
  try {
    const pieces = 'examples' in store ? exportPiecesOf(store, options, tally) : exportPieces(store, options, tally);
    for await (const piece of pieces) {
      // A turn of the event loop after each piece: the file's writes (on libuv's threads) go on while the next piece is made.
      if (!out.write(piece)) await once(out, 'drain');
      else await setImmediatePromise();
      if (tally.written - reported >= 1000) {
        reported = tally.written;
        options.onProgress?.(tally.written);
      }
      if (options.signal?.aborted) {
        out.end();
        await once(out, 'close');
        await fs.rm(temp, { force: true });
        return { written: tally.written, cancelled: true, codeProblems: tally.codeProblems };
      }
    }
    out.end();
    await once(out, 'finish');
    await fs.rename(temp, target);
    options.onProgress?.(tally.written);
    return { written: tally.written, cancelled: false, codeProblems: tally.codeProblems };
  } catch (e) {
    out.destroy();
    await fs.rm(temp, { force: true });
    throw e;
  }
}
