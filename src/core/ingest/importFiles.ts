// One import loop for every caller (the extension's worker, the command line, `serve`): the files
// one after the other into one report. A file that cannot be read is said in the report, named,
// and the others are still read; a followed file that is gone is dropped quietly.
import type { IngestTarget } from '../model/batch';
import type { ImportReport } from '../../shared/importReport';
import { emptyReport, importFile, mergeReports, type ImportOptions } from './importFile';

export interface ImportFilesOptions extends Omit<ImportOptions, 'onProgress'> {
  /** Progress within the file being read; `added` counts the whole import so far. */
  onProgress?: (p: { file: string; linesRead: number; bytesRead: number; totalBytes: number; added: number }) => void;
  /** After a file that added examples. */
  onAdded?: (file: string) => void;
  /** A followed file that is no longer there (the caller stops following it). */
  onGone?: (file: string) => void;
}

export interface ImportFilesReport extends ImportReport {
  /** The files that could not be read (each also a problem in the report, at line 0). */
  unreadable: string[];
}

export async function importFiles(store: IngestTarget, paths: readonly string[], options: ImportFilesOptions): Promise<ImportFilesReport> {
  const { onProgress, onAdded, onGone, ...each } = options;
  let report = emptyReport();
  const unreadable: string[] = [];
  for (const path of paths) {
    const before = report.added;
    try {
      const one = await importFile(store, path, { ...each, onProgress: onProgress && ((p) => onProgress({ ...p, added: before + p.added })) });
      report = mergeReports(report, one, options.maxProblems);
    } catch (e) {
      const error = e as NodeJS.ErrnoException;
      if (options.follow && error.code === 'ENOENT') {
        onGone?.(path);
        continue;
      }
      unreadable.push(path);
      report = mergeReports(report, { ...emptyReport(), problems: [{ file: path, line: 0, reason: `could not read the file (${error.message})` }] }, options.maxProblems);
    }
    if (report.added > before) onAdded?.(path);
    if (report.cancelled) break;
  }
  return { ...report, unreadable };
}
