// Check Alerts Now, Set Up Alert Webhook…, Set Alert Mail Password… and
// Unmute Alert Rules…: secrets go to SecretStorage only, the checks run in the
// data worker.
import * as vscode from 'vscode';
import type { Container } from '../../container';
import { showInfo } from '../../notify';
import { SECRET_KEYS } from '../../alerts/alertControl';
import { webhookConfigSchema } from '../../../shared/alerts';

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
