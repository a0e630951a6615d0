// Checks the alert rules on a timer, keeps the state beside the data
// (alerts.json, written atomically), and delivers what fires: to the editor
// (a hook), a webhook and mail. The data worker and `serve` each run one; a
// store opened read-only (another window or process writes) checks nothing,
// so one place sends a given alert.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AlertRecord, AlertsConfig, AlertsOverview } from '../../shared/alerts';
import type { Task } from '../../shared/tasks';
import { writeFileAtomic } from '../storage/atomicWrite';
import type { RowSource } from '../storage/rowSource';
import { activeSubjects, advance, alertStateSchema, emptyAlertState, overviewOf, setMuted, snooze, type AlertState } from './alertState';
import { evaluateRules, type Observation } from './evaluateRules';
import { postWebhook, type AlertEvent, type DeliveryResult, type WebhookOptions } from './webhook';
import { sendAlertEmail } from './email';
import { DAY_MS } from '../../shared/series';

export const ALERTS_FILE = 'alerts.json';

/** What the monitor reads: the examples' figures and the learning tasks. */
export interface AlertSource extends RowSource {
  readonly readOnly: boolean;
  tasks(): { tasks: Task[] };
}

export interface AlertMonitorHooks {
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** An alert fired or resolved (the editor shows it; the views redraw). */
  onAlert?(event: AlertEvent, alert: AlertRecord): void;
}

export interface CheckResult {
  fired: AlertRecord[];
  resolved: AlertRecord[];
  observations: Observation[];
  /** Deliveries that failed, in words (no secret in them). */
  failures: string[];
}

export class AlertMonitor {
  private config: AlertsConfig | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CheckResult> | null = null;

  private constructor(
    private state: AlertState,
    private readonly file: string,
    private readonly source: () => Promise<AlertSource> | AlertSource,
    private readonly hooks: AlertMonitorHooks,
    private readonly now: () => number,
    /** Webhook retry timing (tests shorten it). */
    readonly webhookOptions: WebhookOptions = {},
  ) {}

  /** Reads the state beside the data; a damaged file is set aside (named in the log) and the monitor starts afresh. */
  static async open(dataDir: string, source: () => Promise<AlertSource> | AlertSource, hooks: AlertMonitorHooks, now: () => number = Date.now, webhookOptions: WebhookOptions = {}): Promise<AlertMonitor> {
    const file = join(dataDir, ALERTS_FILE);
    let state = emptyAlertState(now());
    try {
      const parsed = alertStateSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
      if (parsed.success) state = parsed.data;
      else throw new Error(`${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    } catch (e) {
      const error = e as NodeJS.ErrnoException;
      if (error.code !== 'ENOENT') {
        const aside = `${file}.damaged-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
        await fs.rename(file, aside).catch(() => undefined);
        hooks.log('warn', `the alert state in ${file} could not be read (${error.message}); it was moved to ${aside} and alerts start afresh`);
      }
    }
    return new AlertMonitor(state, file, source, hooks, now, webhookOptions);
  }

  /** New settings: checks every `checkMinutes` while enabled; off, no timer runs. */
  configure(config: AlertsConfig, firstCheckMs = 30_000): void {
    this.config = config;
    this.dispose();
    if (!config.enabled || config.rules.length === 0) return;
    const tick = () => void this.check().catch((e: Error) => this.hooks.log('error', `alerts: the check failed (${e.message})`));
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, config.checkMinutes * 60_000);
      this.timer.unref();
    }, firstCheckMs);
    this.timer.unref();
  }

  get configured(): AlertsConfig | null {
    return this.config;
  }

  overview(limit = 50): AlertsOverview {
    return overviewOf(this.state, limit);
  }

  /** One check now (one at a time: a second call while one runs gets its result). */
  check(): Promise<CheckResult> {
    this.running ??= this.runCheck().finally(() => (this.running = null));
    return this.running;
  }

  private async runCheck(): Promise<CheckResult> {
    const config = this.config;
    const source = await this.source();
    if (!config || !config.enabled || source.readOnly) return { fired: [], resolved: [], observations: [], failures: [] };
    const now = this.now();
    const observations = evaluateRules(source, config.rules, { now, minExamples: config.minExamples, activeSubjects: activeSubjects(this.state) });
    const result = advance(this.state, observations, source.tasks().tasks, config.rules, now);
    this.state = result.state;
    await this.persist();
    const failures: string[] = [];
    for (const [event, alerts] of [['fired', result.fired], ['resolved', result.resolved]] as const) {
      for (const alert of alerts) {
        this.hooks.log(event === 'fired' ? 'warn' : 'info', `alert ${event}: ${alert.title}`);
        this.hooks.onAlert?.(event, alert);
        failures.push(...(await this.deliver(config, event, alert)));
      }
    }
    return { fired: result.fired, resolved: result.resolved, observations, failures };
  }

  private async deliver(config: AlertsConfig, event: AlertEvent, alert: AlertRecord): Promise<string[]> {
    const sends: Promise<DeliveryResult>[] = [];
    if (config.webhook) sends.push(postWebhook(config.webhook, event, alert, this.webhookOptions));
    if (config.email) sends.push(sendAlertEmail(config.email, event, alert));
    const failures = (await Promise.all(sends)).flatMap((r) => (r.ok ? [] : [r.error]));
    for (const f of failures) this.hooks.log('error', `alerts: ${f}; the alert stays in the history`);
    return failures;
  }

  /** Snooze 1 day (or `ms`): the alert's rule and subject do not fire again before then. */
  async snooze(alertId: string, ms = DAY_MS): Promise<boolean> {
    const alert = this.state.history.find((h) => h.id === alertId);
    if (!alert) return false;
    this.state = snooze(this.state, alert.ruleId, alert.subject, this.now() + ms);
    await this.persist();
    return true;
  }

  async mute(ruleId: string, muted: boolean): Promise<void> {
    this.state = setMuted(this.state, ruleId, muted);
    await this.persist();
  }

  private async persist(): Promise<void> {
    await writeFileAtomic(this.file, Buffer.from(JSON.stringify(this.state)));
  }

  /** Stops the timer (Node clears a timeout and an interval alike). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
