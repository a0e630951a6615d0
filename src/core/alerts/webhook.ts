// Alerts to a webhook: the alert as JSON (or a Slack-compatible body), signed
// with HMAC-SHA256 of the body under a secret the user keeps in SecretStorage
// or the environment, retried with backoff when the receiver is down or
// answers 5xx or 429. The URL can carry a key of its own (Slack's do), so
// errors name only its origin.
import { createHmac } from 'node:crypto';
import type { AlertRecord, WebhookConfig } from '../../shared/alerts';

export const SIGNATURE_HEADER = 'X-Learning-Viewer-Signature';

export type AlertEvent = 'fired' | 'resolved';

/** `sha256=` and the hex HMAC-SHA256 of the body: what a receiver recomputes with the shared secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The text of an alert for people (Slack, mail): what, how much, on how many examples, the p-value. */
export function alertText(event: AlertEvent, alert: AlertRecord): string {
  const head = event === 'fired' ? `Learning Viewer alert: ${alert.title}` : `Learning Viewer: resolved: ${alert.title}`;
  return `${head}\n${alert.detail}`;
}

export function webhookBody(event: AlertEvent, alert: AlertRecord, format: WebhookConfig['format']): string {
  if (format === 'slack') return JSON.stringify({ text: alertText(event, alert) });
  return JSON.stringify({ event: `alert.${event}`, alert });
}

/** Where a URL points, without its path or query (which may hold a key). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the webhook';
  }
}

export interface WebhookOptions {
  /** Tries in all (default 5): the first and the retries. */
  attempts?: number;
  /** The first wait before a retry; it doubles each time (default 1 s). */
  backoffMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export type DeliveryResult = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

/** POSTs one alert; never throws: the result says what happened. */
export async function postWebhook(target: WebhookConfig & { secret: string | null }, event: AlertEvent, alert: AlertRecord, o: WebhookOptions = {}): Promise<DeliveryResult> {
  const attempts = o.attempts ?? 5;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  const send = o.fetch ?? fetch;
  const body = webhookBody(event, alert, target.format);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'learning-viewer', 'X-Learning-Viewer-Event': `alert.${event}` };
  if (target.secret) headers[SIGNATURE_HEADER] = signBody(target.secret, body);
  let error = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await send(target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(o.timeoutMs ?? 10_000), redirect: 'error' });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: attempt };
      error = `${originOf(target.url)} answered ${res.status}`;
      // A 4xx other than 429 will not get better by asking again.
      if (res.status < 500 && res.status !== 429) return { ok: false, attempts: attempt, error };
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      error = `${originOf(target.url)} could not be reached (${cause ?? (e as Error).name})`;
    }
    if (attempt < attempts) await sleep((o.backoffMs ?? 1000) * 2 ** (attempt - 1));
  }
  return { ok: false, attempts, error };
}
