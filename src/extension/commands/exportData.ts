import * as vscode from 'vscode';
import { inertText } from '../../shared/plainText';
import { showInfo, showWarning } from '../notify';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { z } from 'zod';
import type { Container } from '../container';
import { readSettings } from '../settings';
import { describeFilters, filtersSchema, NO_FILTERS, type Filters } from '../../shared/filters';
import { formatWhen } from '../../shared/dates';

type Format = 'csv' | 'json' | 'jsonl';

/** What callers (the tree's context menu, the panel, tests) may pass; anything else is ignored. */
const argsSchema = z
  .object({
    filters: filtersSchema.optional(),
    format: z.enum(['csv', 'json', 'jsonl']).optional(),
    target: z.custom<vscode.Uri>((v) => v instanceof vscode.Uri, 'target must be a file URI').optional(),
    /** What the scope is called in messages, e.g. "tag auth". */
    label: z.string().optional(),
  })
  .partial();

const FORMATS: (vscode.QuickPickItem & { format: Format })[] = [
  { label: 'CSV', description: 'spreadsheets; nested fields as JSON text', format: 'csv' },
  { label: 'JSON Lines', description: 'one KIMI record per line; imports back as it was', format: 'jsonl' },
  { label: 'JSON', description: 'one array of KIMI records', format: 'json' },
];

/** Export Data…: format, scope and file, then streamed by the worker with progress and Cancel. */
export async function exportData(container: Container, ...args: unknown[]): Promise<{ written: number; path: string } | undefined> {
  const parsed = argsSchema.safeParse(args[0] ?? {});
  const given = parsed.success ? parsed.data : {};
  const format = given.format ?? (await vscode.window.showQuickPick(FORMATS, { title: 'Export Learning Examples', placeHolder: 'Format' }))?.format;
  if (!format) return undefined;

  let filters: Filters = given.filters ?? NO_FILTERS;
  let scope = given.label ?? (given.filters ? describeFilters(given.filters) : 'all examples');
  if (!given.filters && container.filters.active) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Current filters', description: inertText(container.filters.describe()), current: true },
        { label: 'Everything', description: 'every stored example', current: false },
      ],
      { title: 'Export Learning Examples', placeHolder: 'Which examples' },
    );
    if (!choice) return undefined;
    if (choice.current) {
      filters = container.filters.filters;
      scope = container.filters.describe();
    }
  }

  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `learning-examples-${new Date().toISOString().slice(0, 10)}.${format}`;
  const target =
    given.target ??
    (await vscode.window.showSaveDialog({
      title: 'Export Learning Examples',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [format.toUpperCase()]: [format] },
    }));
  if (!target) return undefined;

  const operationId = randomUUID();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: inertText(`Exporting ${scope}`), cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => void container.data.request('cancel', { operationId }));
      const onProgress = (p: { operationId: string; written: number }) => {
        if (p.operationId === operationId) progress.report({ message: `${p.written.toLocaleString()} examples written` });
      };
      container.data.on('exportProgress', onProgress);
      try {
        return await container.data.request(
          'exportExamples',
          { path: target.fsPath, format, filters, csvBom: format === 'csv' && readSettings().csvBom, operationId },
          0,
        );
      } finally {
        container.data.off('exportProgress', onProgress);
      }
    },
  );
  if (result.cancelled) {
    container.log.info(`export to ${target.fsPath} cancelled after ${result.written} examples; no file written`);
    void showInfo(vscode.l10n.t('Learning Viewer: export cancelled; nothing was written to {0}.', basename(target.fsPath)));
    return undefined;
  }
  container.log.info(`exported ${result.written} examples (${scope}) to ${target.fsPath}`);
  if (result.codeProblems.length > 0) {
    for (const p of result.codeProblems) container.log.warn(`export: ${p}`);
    void showWarning(vscode.l10n.t('Learning Viewer: {0} exported examples have no code: their code records are missing or damaged (see the log).', result.codeProblems.length.toLocaleString()));
  }
  // An export holds raw examples: say when retention removed some the filters would otherwise have selected.
  const health = await container.data.request('health', {});
  const cut = health.prunedBefore ? Date.parse(health.prunedBefore) : null;
  const since = filters?.since ?? null;
  const pruned = cut !== null && (since === null || since < cut) ? ` ${vscode.l10n.t('Examples dated before {0} were removed by retention and are not in it.', formatWhen(cut))}` : '';
  void showInfo(`${vscode.l10n.t('Learning Viewer: exported {0} examples to {1}.', result.written.toLocaleString(), basename(target.fsPath))}${pruned}`, 'Open').then((choice) => {
    if (choice === 'Open') void vscode.window.showTextDocument(target);
  });
  return { written: result.written, path: target.fsPath };
}
