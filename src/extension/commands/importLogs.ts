import * as vscode from 'vscode';
import { showInfo, showWarning } from '../notify';
import { randomUUID } from 'node:crypto';
import type { Container } from '../container';
import type { ImportReport } from '../../shared/importReport';
import { ImportProgress } from '../../core/ingest/importProgress';

export function describeReport(r: ImportReport): string {
  return `added ${r.added}, already present ${r.duplicates}, conflicts ${r.conflicts}, rejected ${r.rejected}`;
}

/** Lists every problem of an import in the log channel, as file:line: reason. */
export function logProblems(container: Container, r: ImportReport): void {
  for (const p of r.problems) container.log.warn(`${p.file}:${p.line}: ${p.reason}`);
  if (r.problemsOmitted > 0) container.log.warn(`… and ${r.problemsOmitted} more problems not listed`);
}

/** Import KIMI Logs…: pick files, import them in the worker with progress and Cancel, then a summary. */
export async function importLogs(container: Container, ...args: unknown[]): Promise<ImportReport | undefined> {
  // Tests and other commands may pass the files; from the palette a dialog asks.
  let uris = Array.isArray(args[0]) ? (args[0] as unknown[]).filter((u): u is vscode.Uri => u instanceof vscode.Uri) : undefined;
  if (!uris?.length) {
    uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: 'Import',
      title: 'Import KIMI Logs',
      filters: { 'KIMI logs': ['jsonl', 'ndjson', 'json', 'gz'], 'All files': ['*'] },
    });
  }
  if (!uris?.length) return undefined;
  const importId = randomUUID();
  const paths = uris.map((u) => u.fsPath);
  container.log.info(`importing ${paths.join(', ')}`);
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Importing KIMI logs', cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => void container.data.request('cancel', { operationId: importId }));
      // Each file its share of the bar (its percentage was once carried into the next file's, so the bar stalled after the first).
      const bar = new ImportProgress(paths.length);
      const onProgress = (p: { importId: string; file: string; bytesRead: number; totalBytes: number; added: number }) => {
        if (p.importId !== importId) return;
        progress.report({ message: `${p.added.toLocaleString()} added`, increment: bar.increment(p.file, p.bytesRead, p.totalBytes) });
      };
      container.data.on('importProgress', onProgress);
      try {
        return await container.trackImport(() => container.data.request('importFiles', { paths, follow: false, importId }, 0));
      } finally {
        container.data.off('importProgress', onProgress);
      }
    },
  );
  container.log.info(`import ${report.cancelled ? 'cancelled' : 'done'}: ${describeReport(report)}`);
  logProblems(container, report);
  container.notifyChanged();
  const text = report.cancelled
    ? `Import cancelled; what was read before stays stored: ${describeReport(report)}.`
    : `Import done: ${describeReport(report)}.`;
  const hasProblems = report.problems.length > 0;
  const show = hasProblems
    ? showWarning(`Learning Viewer: ${text}`, 'Show details')
    : showInfo(`Learning Viewer: ${text}`);
  void show.then((choice) => {
    if (choice === 'Show details') container.log.show(true);
  });
  return report;
}
