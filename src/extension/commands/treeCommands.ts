import * as vscode from 'vscode';
import { sampleFile } from './deleteCommands';
import { inertText } from '../../shared/plainText';
import { askModal, showWarning } from '../notify';
import { z } from 'zod';
import type { Container } from '../container';
import { GROUP_LABELS, groupFilters, type Node } from '../examples/examplesTree';
import { describeFilters, filtersSchema } from '../../shared/filters';
import { groupFieldSchema } from '../../shared/workerProtocol';
import { exportData } from './exportData';
import { DashboardPanel } from '../dashboard/dashboardPanel';
import { openExampleCode } from '../examples/openExampleCode';

// Command arguments come from menus, other extensions and tests: parsed, never trusted.
const exampleIdArg = z.union([z.string().min(1), z.object({ kind: z.literal('example'), example: z.object({ id: z.string() }) }).transform((n) => n.example.id)]);
const groupArg = z.object({ kind: z.literal('group'), field: groupFieldSchema, key: z.string(), total: z.number(), successes: z.number() });

function exampleId(arg: unknown): string | undefined {
  const parsed = exampleIdArg.safeParse(arg);
  return parsed.success ? parsed.data : undefined;
}

export async function groupExamplesBy(container: Container, ...args: unknown[]): Promise<void> {
  const given = groupFieldSchema.safeParse(args[0]);
  const field = given.success
    ? given.data
    : (
        await vscode.window.showQuickPick(
          groupFieldSchema.options.map((f) => ({ label: GROUP_LABELS[f], field: f, description: f === container.tree.groupBy ? 'current' : undefined })),
          { title: 'Group Examples By' },
        )
      )?.field;
  if (field) await container.tree.setGroupBy(field);
}

export async function clearFilters(container: Container): Promise<void> {
  await container.filters.clear();
}

export async function loadMore(container: Container, ...args: unknown[]): Promise<void> {
  const node = args[0] as Node | undefined;
  if (node?.kind === 'more') await container.tree.loadMore(node);
}

/** Shows one example's details in the panel. */
export async function showExample(container: Container, ...args: unknown[]): Promise<void> {
  const id = exampleId(args[0]);
  if (!id) return;
  await DashboardPanel.createOrShow(container).showExample(id);
}

/** Shows one example, every field, as a read-only JSON document. */
export async function showExampleJson(_container: Container, ...args: unknown[]): Promise<void> {
  const id = exampleId(args[0]);
  if (!id) return;
  const uri = vscode.Uri.from({ scheme: 'learning-viewer-example', path: `/${encodeURIComponent(id)}.json` });
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
}

export async function copyExampleId(_container: Container, ...args: unknown[]): Promise<void> {
  const id = exampleId(args[0]);
  if (!id) return;
  await vscode.env.clipboard.writeText(id);
  void vscode.window.setStatusBarMessage(`Copied example id ${id}`, 3000);
}

export async function editFeedback(container: Container, ...args: unknown[]): Promise<boolean> {
  const id = exampleId(args[0]);
  if (!id) return false;
  const example = await container.data.request('example', { id });
  if (!example) {
    void showWarning(vscode.l10n.t('Learning Viewer: no example with id {0} is stored.', id));
    return false;
  }
  const given = typeof args[1] === 'string' ? args[1] : undefined;
  const text =
    given ??
    (await vscode.window.showInputBox({
      title: 'Human Feedback',
      prompt: `Feedback on "${inertText((example.taskDescription ?? id).slice(0, 80))}". Leave empty to clear it.`,
      value: example.humanFeedback ?? '',
    }));
  if (text === undefined) return false;
  const { found } = await container.data.request('setFeedback', { id, feedback: text.trim() === '' ? null : text });
  return found;
}

export async function openCodeContext(container: Container, ...args: unknown[]): Promise<void> {
  const id = exampleId(args[0]);
  if (id) await openExampleCode(container, id);
}

/** Filter Dashboard by This…: a group's tag, model, session, day or outcome becomes the shared filter. */
export async function filterByGroup(container: Container, ...args: unknown[]): Promise<void> {
  const parsed = groupArg.safeParse(args[0]);
  if (!parsed.success) return;
  const g = parsed.data;
  const current = container.filters.filters;
  const next = g.field === 'tag' ? { ...current, tags: [g.key], tagMode: 'any' as const } : groupFilters(current, g);
  await container.filters.set(filtersSchema.parse(next));
  await vscode.commands.executeCommand('learningViewer.openDashboard');
}

export async function exportGroup(container: Container, ...args: unknown[]): Promise<unknown> {
  const parsed = groupArg.safeParse(args[0]);
  if (!parsed.success) return undefined;
  const filters = groupFilters(container.filters.filters, parsed.data);
  return exportData(container, { filters, label: describeFilters(filters) || GROUP_LABELS[parsed.data.field] });
}

/**
 * Asks first, then writes generated sample examples into the extension's storage and imports
 * them; their source marks them as sample data, and Remove Sample Data takes them out again.
 */
export async function loadSampleData(container: Container, confirmed?: unknown): Promise<unknown> {
  if (confirmed !== true) {
    const yes = vscode.l10n.t('Add Sample Data');
    const answer = await askModal(
      vscode.l10n.t('Add 2,000 generated sample examples to this workspace’s learning data?'),
      vscode.l10n.t('They are not your agent’s: the details of each say “sample data”, and Learning Viewer: Remove Sample Data takes them all out again.'),
      yes,
    );
    if (answer !== yes) return undefined;
  }
  const { writeKimiLog } = await import('../../core/sample/generateExamples');
  const dir = container.context.globalStorageUri;
  await vscode.workspace.fs.createDirectory(dir);
  const file = sampleFile(container);
  await writeKimiLog(file.fsPath, 2000, { days: 60, seed: Date.now() % 100000 });
  return vscode.commands.executeCommand('learningViewer.importLogs', [file]);
}

export async function configureLogFollowing(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', 'learningViewer.logFiles learningViewer.followLogs');
}
