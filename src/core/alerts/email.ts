// Alerts by mail, through the SMTP server the user configured (nodemailer).
// The password comes from SecretStorage or the environment and is never
// written to a message the user sees.
import { createTransport } from 'nodemailer';
import type { AlertRecord, EmailConfig } from '../../shared/alerts';
import { alertText, type AlertEvent, type DeliveryResult } from './webhook';

export async function sendAlertEmail(config: EmailConfig & { password: string | null }, event: AlertEvent, alert: AlertRecord, timeoutMs = 20_000): Promise<DeliveryResult> {
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const text = alertText(event, alert);
    await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: `${event === 'fired' ? '[alert]' : '[resolved]'} ${alert.title}`.slice(0, 250),
      text,
      headers: { 'X-Learning-Viewer-Alert': alert.id },
    });
    return { ok: true, attempts: 1 };
  } catch (e) {
    const err = e as { code?: string; responseCode?: number; message?: string };
    // nodemailer's messages name the server, never the password; keep only the first line.
    const reason = err.responseCode ? `the server answered ${err.responseCode}` : (err.code ?? err.message?.split('\n')[0] ?? 'unknown error');
    return { ok: false, attempts: 1, error: `mail through ${config.host}:${config.port} failed (${reason})` };
  } finally {
    transport.close();
  }
}
