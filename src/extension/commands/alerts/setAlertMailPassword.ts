import * as vscode from 'vscode';
import type { Container } from '../../container';
import { SECRET_KEYS } from '../../alerts/alertControl';

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
