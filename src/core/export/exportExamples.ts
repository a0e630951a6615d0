import { once } from 'node:events';
import { createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Filters } from '../../shared/filters';
import { iterateExamples } from '../queries/examples';
import type { LearningStore } from '../storage/learningStore';
import type { RowSource } from '../queries/rowSource';
import { csvHeader, csvRow } from './csv';
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

/**
 * The export's text in pieces of about 1 MB, newest example first: one write
 * per row costs more than the rows themselves. Pulled one piece at a time, so
 * the consumer's pace (a file, an HTTP response) bounds the memory.
 */
export function* exportPieces(store: RowSource, options: Pick<ExportOptions, 'format' | 'filters' | 'csvBom'>, tally: ExportTally): Generator<string> {
  let buffer: string[] = [];
  let buffered = 0;
  const take = () => {
    const piece = buffer.join('');
    buffer = [];
    buffered = 0;
    return piece;
  };
  const add = (text: string) => {
    buffer.push(text);
    buffered += text.length;
  };
  if (options.format === 'csv') add(`${options.csvBom ? '\uFEFF' : ''}${csvHeader()}`);
  if (options.format === 'json') add('[\n');
  for (const e of iterateExamples(store, { filters: options.filters })) {
    if (e.codeProblem && tally.codeProblems.length < 1000) tally.codeProblems.push(`example ${e.id}: ${e.codeProblem}`);
    if (options.format === 'csv') add(csvRow(e));
    else if (options.format === 'jsonl') add(`${JSON.stringify(toKimiRecord(e))}\n`);
    else add(`${tally.written > 0 ? ',\n' : ''}${JSON.stringify(toKimiRecord(e))}`);
    tally.written++;
    if (buffered >= 1 << 20) yield take();
  }
  if (options.format === 'json') add('\n]\n');
  if (buffered > 0) yield take();
}

/**
 * Streams the filtered examples to `target`, newest first. Written to a temp
 * file beside it and renamed at the end, so a cancelled or failed export never
 * leaves a half file under the chosen name.
 */
export async function exportExamples(store: LearningStore, target: string, options: ExportOptions): Promise<{ written: number; cancelled: boolean; codeProblems: string[] }> {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  const out = createWriteStream(temp, { highWaterMark: 4 * 1024 * 1024 });
  const tally: ExportTally = { written: 0, codeProblems: [] };
  let reported = 0;
  try {
    for (const piece of exportPieces(store, options, tally)) {
      if (!out.write(piece)) await once(out, 'drain');
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
