import * as vscode from 'vscode';
import { inertText } from '../../shared/plainText';
import { showInfo, showError } from '../notify';
import type { Container } from '../container';
import { filtersOfView, viewFromFilters } from '../../core/views/savedViews';

/** Save Current Filters as View…: a name, then the view goes into .vscode/learning-views.json. */
export async function saveView(container: Container, ...args: unknown[]): Promise<boolean> {
  const given = typeof args[0] === 'string' ? args[0] : undefined;
  const name =
    given ??
    (await vscode.window.showInputBox({
      title: 'Save Current Filters as View',
      prompt: `Filters: ${inertText(container.filters.describe()) || 'none'}. Saved to .vscode/learning-views.json, so the team can share it.`,
      validateInput: (v) => (v.trim() === '' ? 'A view needs a name' : v.length > 100 ? 'At most 100 characters' : undefined),
    }));
  if (!name?.trim()) return false;
  await container.savedViews.save(viewFromFilters(name.trim(), container.filters.filters));
  void vscode.window.setStatusBarMessage(`Saved view "${name.trim()}"`, 3000);
  return true;
}

/** Apply Saved View: pick one; its filters become the shared filters. */
export async function applySavedView(container: Container, ...args: unknown[]): Promise<boolean> {
  const { views, problem } = await container.savedViews.read();
  if (problem) {
    void showError(`Learning Viewer: ${problem}`);
    return false;
  }
  const given = typeof args[0] === 'string' ? views.find((v) => v.name === args[0]) : undefined;
  const view =
    given ??
    (views.length === 0
      ? (void showInfo(vscode.l10n.t('Learning Viewer: no saved views yet. Set filters in the panel, then "Save Current Filters as View…".')), undefined)
      : (
          await vscode.window.showQuickPick(
            views.map((v) => ({ label: inertText(v.name), description: v.lastDays ? `last ${v.lastDays} days` : undefined, view: v })),
            { title: 'Apply Saved View' },
          )
        )?.view);
  if (!view) return false;
  await container.filters.set(filtersOfView(view));
  return true;
}
