// The alert settings of `serve --alerts FILE` and `alerts --check`: the same
// fields as the editor's settings, in a JSON file. Secrets are never in it:
// the webhook key and the SMTP password come from the environment.
import { readFileSync } from 'node:fs';
import { alertRuleSchema, alertsFileSchema, DEFAULT_ALERT_RULES, type AlertsConfig } from '../../shared/alerts';

export const WEBHOOK_SECRET_ENV = 'LEARNING_VIEWER_WEBHOOK_SECRET';
export const SMTP_PASSWORD_ENV = 'LEARNING_VIEWER_SMTP_PASSWORD';

/** Keys that would hold a secret: refused, so that nobody commits one in an alerts file. */
function secretKeyIn(value: unknown, path: string[] = []): string | null {
  if (value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    if (/secret|password|pass$|token/i.test(k)) return [...path, k].join('.');
    const inner = secretKeyIn(v, [...path, k]);
    if (inner) return inner;
  }
  return null;
}

/** Reads and checks an alerts file; an error names the file and the field, and says what to do. */
export function readAlertsFile(file: string, env: NodeJS.ProcessEnv = process.env): AlertsConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(e as Error).message})`}`);
  }
  const secret = secretKeyIn(raw);
  if (secret) throw new Error(`${file}: "${secret}" would put a secret in a file; set ${WEBHOOK_SECRET_ENV} or ${SMTP_PASSWORD_ENV} in the environment instead`);
  const parsed = alertsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const f = parsed.data;
  return {
    enabled: true,
    rules: f.rules ?? DEFAULT_ALERT_RULES.map((r) => alertRuleSchema.parse(r)),
    checkMinutes: f.checkMinutes,
    minExamples: f.minExamples,
    webhook: f.webhook ? { ...f.webhook, secret: env[WEBHOOK_SECRET_ENV] || null } : null,
    email: f.email ? { ...f.email, password: env[SMTP_PASSWORD_ENV] || null } : null,
  };
}
