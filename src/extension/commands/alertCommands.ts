// Check Alerts Now, Set Up Alert Webhook…, Set Alert Mail Password… and
// Unmute Alert Rules…: secrets go to SecretStorage only, the checks run in the
// data worker.
import * as vscode from 'vscode';
import type { Container } from '../container';
import { showInfo, showWarning } from '../notify';
import { SECRET_KEYS } from '../alerts/alertControl';
import { webhookConfigSchema } from '../../shared/alerts';

export async function checkAlerts(c: Container): Promise<{ fired: number; resolved: number; checked: number }> {
  const r = await c.data.request('checkAlerts', {}, 120_000);
  c.notifyChanged();
  const failed = r.failures.length ? ` Delivery failed: ${r.failures.join('; ')}.` : '';
  if (r.fired.length === 0) {
    const message = `Learning Viewer: checked ${r.checked} alert rule subjects: ${r.fired.length} fired, ${r.resolved.length} resolved. A rule fires when its condition holds for two checks in a row.${failed}`;
    void (failed ? showWarning(message) : showInfo(message));
  } else if (failed) void showWarning(`Learning Viewer:${failed}`);
  return { fired: r.fired.length, resolved: r.resolved.length, checked: r.checked };
}

/** Asks for the webhook URL and the signing secret; both are kept in SecretStorage (a URL can hold a key of its own). */
export async function configureAlertWebhook(c: Container): Promise<boolean> {
  const url = await vscode.window.showInputBox({
    title: 'Alert webhook (1/2): URL',
    prompt: 'Alerts are POSTed here as JSON (learningViewer.alerts.webhook.format: json or slack). Kept in SecretStorage. Empty removes the webhook.',
    placeHolder: 'https://hooks.example.com/…',
    ignoreFocusOut: true,
    validateInput: (v) => (v === '' ? null : webhookConfigSchema.shape.url.safeParse(v).success ? null : 'an http or https URL'),
  });
  if (url === undefined) return false;
  if (url === '') {
    await Promise.all([c.context.secrets.delete(SECRET_KEYS.webhookUrl), c.context.secrets.delete(SECRET_KEYS.webhookSecret)]);
    void showInfo(vscode.l10n.t('Learning Viewer: the alert webhook is removed.'));
    return true;
  }
  const secret = await vscode.window.showInputBox({
    title: 'Alert webhook (2/2): signing secret',
    prompt: 'Each POST carries X-Learning-Viewer-Signature: sha256=HMAC-SHA256(secret, body). Empty: unsigned.',
    password: true,
    ignoreFocusOut: true,
  });
  if (secret === undefined) return false;
  await c.context.secrets.store(SECRET_KEYS.webhookUrl, url);
  if (secret) await c.context.secrets.store(SECRET_KEYS.webhookSecret, secret);
  else await c.context.secrets.delete(SECRET_KEYS.webhookSecret);
  void showInfo(secret ? vscode.l10n.t('Learning Viewer: alerts go to the webhook at {0}, signed.', new URL(url).origin) : vscode.l10n.t('Learning Viewer: alerts go to the webhook at {0}, unsigned.', new URL(url).origin));
  return true;
}

export async function setAlertMailPassword(c: Container): Promise<boolean> {
  const password = await vscode.window.showInputBox({
    title: 'Alert mail: SMTP password',
    prompt: 'The password of learningViewer.alerts.email.user on learningViewer.alerts.email.host, kept in SecretStorage. Empty removes it.',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return false;
  if (password) await c.context.secrets.store(SECRET_KEYS.smtpPassword, password);
  else await c.context.secrets.delete(SECRET_KEYS.smtpPassword);
  return true;
}

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
