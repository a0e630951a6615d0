import * as vscode from 'vscode';
import type { Container } from '../../container';
import { showInfo } from '../../notify';

export async function unmuteAlertRules(c: Container): Promise<string[]> {
  const { muted } = await c.data.request('alerts', { limit: 1 });
  if (muted.length === 0) {
    void showInfo(vscode.l10n.t('Learning Viewer: no alert rule is muted.'));
    return [];
  }
  const picked = await vscode.window.showQuickPick(muted, { canPickMany: true, title: 'Unmute Alert Rules' });
  for (const ruleId of picked ?? []) await c.data.request('muteAlertRule', { ruleId, muted: false });
  c.notifyChanged();
  return picked ?? [];
}
