// The editor's side of alerts: the settings and the secrets (SecretStorage)
// go to the data worker, which checks the rules on its timer and delivers to
// the webhook and by mail; what fires comes back as a notification with Open
// in Dashboard, Snooze 1 Day and Mute This Rule.
import { DashboardPanel } from '../dashboard/dashboardPanel';
import * as vscode from 'vscode';
import type { Container } from '../container';
import { readAlertSettings } from '../settings';
import { showError, showInfo, showWarning } from '../notify';
import { alertRuleSchema, DEFAULT_ALERT_RULES, emailConfigSchema, webhookConfigSchema, type AlertRecord, type AlertRule, type AlertsConfig } from '../../shared/alerts';
import { formatWhen } from '../../shared/dates';
import { DAY_MS } from '../../shared/series';

/** SecretStorage keys: the webhook URL (it can hold a key of its own), its signing secret, the SMTP password. */
export const SECRET_KEYS = {
  webhookUrl: 'learningViewer.alerts.webhookUrl',
  webhookSecret: 'learningViewer.alerts.webhookSecret',
  smtpPassword: 'learningViewer.alerts.smtpPassword',
} as const;

export class AlertControl implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Problems already said, so a wrong setting is reported once, not at every change. */
  private said = '';

  constructor(private readonly c: Container) {
    c.data.on('alert', (m) => void this.onAlert(m.event, m.alert));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('learningViewer.alerts')) void this.configure();
      }),
      c.context.secrets.onDidChange((e) => {
        if (Object.values(SECRET_KEYS).includes(e.key as never)) void this.configure();
      }),
    );
    void c.data.opened.then(() => this.configure());
  }

  /** The rules from the settings, each checked; a wrong one is left out and named. */
  private rules(raw: unknown[], problems: string[]): AlertRule[] {
    if (raw.length === 0) return DEFAULT_ALERT_RULES.map((r) => alertRuleSchema.parse(r));
    const rules: AlertRule[] = [];
    raw.forEach((r, i) => {
      const parsed = alertRuleSchema.safeParse(r);
      if (parsed.success) rules.push(parsed.data);
      else {
        const issue = parsed.error.issues[0]!;
        problems.push(`learningViewer.alerts.rules[${i}]${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
      }
    });
    return rules;
  }

  /** Sends the settings and secrets to the worker (which starts or stops its timer). */
  async configure(firstCheckMs?: number): Promise<AlertsConfig> {
    const s = readAlertSettings();
    const problems: string[] = [];
    const rules = this.rules(s.rules, problems);
    const [url, secret, password] = await Promise.all([
      this.c.context.secrets.get(SECRET_KEYS.webhookUrl),
      this.c.context.secrets.get(SECRET_KEYS.webhookSecret),
      this.c.context.secrets.get(SECRET_KEYS.smtpPassword),
    ]);
    let webhook: AlertsConfig['webhook'] = null;
    if (url) {
      const parsed = webhookConfigSchema.safeParse({ url, format: s.webhookFormat });
      if (parsed.success) webhook = { ...parsed.data, secret: secret ?? null };
      else problems.push(`the alert webhook kept in SecretStorage: ${parsed.error.issues[0]?.message ?? 'invalid'} (Learning Viewer: Set Up Alert Webhook…)`);
    }
    let email: AlertsConfig['email'] = null;
    if (s.emailHost) {
      const parsed = emailConfigSchema.safeParse({ host: s.emailHost, port: s.emailPort, security: s.emailSecurity, from: s.emailFrom, to: s.emailTo, user: s.emailUser || null });
      if (parsed.success) email = { ...parsed.data, password: password ?? null };
      else {
        const issue = parsed.error.issues[0]!;
        problems.push(`learningViewer.alerts.email.${issue.path.join('.')}: ${issue.message}`);
      }
    }
    const config: AlertsConfig = { enabled: s.enabled, rules, checkMinutes: s.checkMinutes, minExamples: s.minExamples, webhook, email };
    const said = problems.join('\n');
    if (said && said !== this.said) void showWarning(vscode.l10n.t('Learning Viewer: alert settings left out: {0}', problems.join('; ')));
    this.said = said;
    await this.c.data.request('configureAlerts', { config, ...(firstCheckMs === undefined ? {} : { firstCheckMs }) });
    this.c.log.info(
      `alerts: ${s.enabled ? `${rules.filter((r) => r.enabled).length} rules checked every ${s.checkMinutes} minutes${webhook ? ', to the webhook' : ''}${email ? `, mailed to ${email.to.length} address(es)` : ''}` : 'off'}`,
    );
    return config;
  }

  private async onAlert(event: 'fired' | 'resolved', alert: AlertRecord): Promise<void> {
    this.c.notifyChanged();
    if (event !== 'fired') return;
    const choice = await showWarning(`Learning Viewer: ${alert.title}`, 'Open in Dashboard', 'Snooze 1 Day', 'Mute This Rule');
    try {
      if (choice === 'Open in Dashboard') {
        await this.c.filters.set(alert.filters);
        await vscode.commands.executeCommand('learningViewer.openDashboard');
        // The Overview lists the alert, whichever tab the panel was on.
        await DashboardPanel.current?.showOverview();
      } else if (choice === 'Snooze 1 Day') {
        await this.c.data.request('snoozeAlert', { id: alert.id, hours: 24 });
        void showInfo(alert.subject ? vscode.l10n.t('Learning Viewer: "{0}" for {1} will not alert again before {2}.', alert.ruleId, alert.subject, formatWhen(Date.now() + DAY_MS)) : vscode.l10n.t('Learning Viewer: "{0}" will not alert again before {1}.', alert.ruleId, formatWhen(Date.now() + DAY_MS)));
      } else if (choice === 'Mute This Rule') {
        await this.c.data.request('muteAlertRule', { ruleId: alert.ruleId, muted: true });
        void showInfo(vscode.l10n.t('Learning Viewer: the rule "{0}" is muted (Learning Viewer: Unmute Alert Rules… turns it back on).', alert.ruleId));
        this.c.notifyChanged();
      }
    } catch (e) {
      void showError(`Learning Viewer: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
