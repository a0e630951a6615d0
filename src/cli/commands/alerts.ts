// learning-viewer alerts: its options, its help and what it does.
import { SMTP_PASSWORD_ENV, WEBHOOK_SECRET_ENV } from '../../core/alerts/alertsFile';
import { AlertMonitor, engineAlertSource } from '../../core/alerts/alertMonitor';
import { alertRuleSchema, DEFAULT_ALERT_RULES, type AlertRecord } from '../../shared/alerts';
import { EXIT_OK, EXIT_REJECTED, UsageError, openEngine, positiveInt, alertsConfig, type Command } from '../common';

export const alertsCommand: Command = {
  name: 'alerts',
  help: `usage: learning-viewer alerts (--db DIR | --database URL) [--json] [--limit N]
       learning-viewer alerts --check (--db DIR | --database URL) [--alerts FILE] [--json]

Prints the alerts of the database folder DIR, or of a team's PostgreSQL
(--database URL, or DATABASE_URL with no --db): those firing now, then the
history (fired, resolved). --check evaluates the rules now, as serve does every
checkMinutes (run it from cron: a rule must hold for two checks in a row to
fire), and delivers what fires to the webhook and by mail. Exit code 3 when an
alert is firing after the check.

FILE is JSON: {"rules": [...], "checkMinutes": 15, "minExamples": 20,
"webhook": {"url": "https://…", "format": "json"|"slack"},
"email": {"host": "smtp.example.com", "port": 587, "security": "starttls",
"from": "…", "to": ["…"], "user": "…"}}. Without rules, the defaults: a
significant success-rate drop overall, per tag and per model (last 7 days
against the 28 before), tokens per success up 50%, no examples for 24 hours,
a failed learning task. Secrets never go in the file: the webhook's signing
key comes from ${WEBHOOK_SECRET_ENV}, the SMTP password from ${SMTP_PASSWORD_ENV}.`,
  options: ['db', 'database', 'json', 'limit', 'check', 'alerts'],
  positionals: false,
  postgres: true,
  run: (_positionals, values) => runAlerts(values),
};

function describeAlert(a: AlertRecord): string {
  const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
  const state = a.resolvedAt === null ? 'FIRING' : a.kind === 'taskFailed' ? 'event' : `resolved ${when(a.resolvedAt)}`;
  return `${when(a.firedAt)}  ${state.padEnd(22)}  ${a.title}`;
}

async function runAlerts(values: { db?: string; database?: string; check?: boolean; alerts?: string; json?: boolean; limit?: string }): Promise<number> {
  const limit = positiveInt(values.limit, '--limit') ?? 50;
  const config = values.check ? (alertsConfig(values.alerts) ?? { enabled: true, rules: DEFAULT_ALERT_RULES.map((r) => alertRuleSchema.parse(r)), checkMinutes: 15, minExamples: 20, webhook: null, email: null }) : undefined;
  if (!values.check && values.alerts) throw new UsageError('--alerts goes with --check');
  const log = (level: string, m: string) => level !== 'info' && process.stderr.write(`learning-viewer alerts: ${m}\n`);
  const engine = await openEngine(values, !values.check);
  try {
    // On PostgreSQL the state is the database's (every server and this command see one); beside the folder otherwise.
    const monitor = await AlertMonitor.open(engine.alertState(), () => engineAlertSource(engine), { log });
    let checked = null;
    if (config) {
      monitor.configure({ ...config, enabled: true }, 3_600_000);
      checked = await monitor.check();
      monitor.dispose();
    }
    const overview = monitor.overview(limit);
    if (values.json) process.stdout.write(`${JSON.stringify(checked ? { ...overview, fired: checked.fired, resolved: checked.resolved, failures: checked.failures } : overview, null, 2)}\n`);
    else {
      if (checked) {
        process.stdout.write(`checked ${checked.observations.length} rule subjects: ${checked.fired.length} fired, ${checked.resolved.length} resolved\n`);
        for (const o of checked.observations.filter((x) => x.status !== 'clear')) process.stdout.write(`  ${o.ruleId}${o.subject ? ` (${o.subject})` : ''}: ${o.status}, ${o.reason}\n`);
      }
      process.stdout.write(overview.history.length ? `${overview.history.map(describeAlert).join('\n')}\n` : 'no alerts yet\n');
      if (overview.muted.length) process.stdout.write(`muted rules: ${overview.muted.join(', ')}\n`);
    }
    if (checked?.failures.length) return EXIT_REJECTED;
    return overview.active.length > 0 ? 3 : EXIT_OK;
  } finally {
    await engine.close();
  }
}
