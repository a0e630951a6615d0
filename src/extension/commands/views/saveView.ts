import * as vscode from 'vscode';
import { inertText } from '../../../shared/plainText';
import type { Container } from '../../container';
import { viewFromFilters } from '../../../core/views/savedViews';

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
