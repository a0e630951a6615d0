import * as vscode from 'vscode';
import { inertText } from '../../../shared/plainText';
import { showInfo, showError } from '../../notify';
import type { Container } from '../../container';
import { filtersOfView } from '../../../core/views/savedViews';

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
