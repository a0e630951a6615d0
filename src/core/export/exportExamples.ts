import { once } from 'node:events';
import { createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Filters } from '../../shared/filters';
import { iterateExamples } from '../queries/examples';
import type { LearningStore } from '../storage/learningStore';
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

/**
 * Streams the filtered examples to `target`, newest first. Written to a temp
 * file beside it and renamed at the end, so a cancelled or failed export never
 * leaves a half file under the chosen name.
 */
export async function exportExamples(store: LearningStore, target: string, options: ExportOptions): Promise<{ written: number; cancelled: boolean; codeProblems: string[] }> {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  const out = createWriteStream(temp, { highWaterMark: 4 * 1024 * 1024 });
  // Rows are gathered into ~1 MB pieces: one write per row costs more than the rows themselves.
  let buffer: string[] = [];
  let buffered = 0;
  const flush = async () => {
    if (buffered === 0) return;
    const piece = buffer.join('');
    buffer = [];
    buffered = 0;
    if (!out.write(piece)) await once(out, 'drain');
  };
  const write = async (text: string) => {
    buffer.push(text);
    buffered += text.length;
    if (buffered >= 1 << 20) await flush();
  };
  let written = 0;
  /** Examples whose code record is missing or damaged: written without code, and named. */
  const codeProblems: string[] = [];
  try {
    if (options.format === 'csv') await write(`${options.csvBom ? '\uFEFF' : ''}${csvHeader()}`);
    if (options.format === 'json') await write('[\n');
    for (const e of iterateExamples(store, { filters: options.filters })) {
      if (e.codeProblem && codeProblems.length < 1000) codeProblems.push(`example ${e.id}: ${e.codeProblem}`);
      if (options.format === 'csv') await write(csvRow(e));
      else if (options.format === 'jsonl') await write(`${JSON.stringify(toKimiRecord(e))}\n`);
      else await write(`${written > 0 ? ',\n' : ''}${JSON.stringify(toKimiRecord(e))}`);
      written++;
      if (written % 1000 === 0) {
        options.onProgress?.(written);
        if (options.signal?.aborted) {
          out.end();
          await once(out, 'close');
          await fs.rm(temp, { force: true });
          return { written, cancelled: true, codeProblems };
        }
      }
    }
    if (options.format === 'json') await write('\n]\n');
    await flush();
    out.end();
    await once(out, 'finish');
    await fs.rename(temp, target);
    options.onProgress?.(written);
    return { written, cancelled: false, codeProblems };
  } catch (e) {
    out.destroy();
    await fs.rm(temp, { force: true });
    throw e;
  }
}
