// Checks the alert rules on a timer, keeps the state beside the data
// (alerts.json, written atomically), and delivers what fires: to the editor
// (a hook), a webhook and mail. The data worker and `serve` each run one; a
// store opened read-only (another window or process writes) checks nothing,
// so one place sends a given alert.
import type { AlertRecord, AlertsConfig, AlertsOverview } from '../../shared/alerts';
import type { Task } from '../../shared/tasks';
import type { LearningEngine } from '../engine/contract';
import type { AlertStateStore } from '../model/alertStateStore';
import { EmbeddedEngine } from '../engine/embeddedEngine';
import type { LearningStore } from '../storage/learningStore';
import { activeSubjects, advance, alertStateSchema, emptyAlertState, overviewOf, setMuted, snooze, type AlertState } from './alertState';
import { evaluateRules, type AlertFigures, type Observation } from './evaluateRules';
import { postWebhook, type AlertEvent, type DeliveryResult, type WebhookOptions } from './webhook';
import { sendAlertEmail } from './email';
import { FileAlertState } from '../storage/alertStateFile';
import { DAY_MS } from '../../shared/series';

export { ALERTS_FILE } from '../storage/alertStateFile';

/** What the monitor reads: the examples' figures and the learning tasks, on either engine. */
export interface AlertSource {
  /** A read-only store (another window or process writes) checks nothing. */
  readonly readOnly: boolean;
  readonly figures: AlertFigures;
  tasks(): Promise<Task[]>;
}

/** An engine as the monitor reads it; `readOnly` is asked at each check. */
export function engineAlertSource(engine: LearningEngine, readOnly: () => boolean = () => false): AlertSource {
  return {
    get readOnly() {
      return readOnly();
    },
    figures: engine,
    tasks: async () => (await engine.tasks()).tasks,
  };
}

/** The embedded store as the monitor reads it: read-only while another window or process writes. */
export function storeAlertSource(store: LearningStore): AlertSource {
  return engineAlertSource(new EmbeddedEngine(store, store.dataDir), () => store.readOnly);
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
    private readonly store: AlertStateStore,
    private readonly source: () => Promise<AlertSource> | AlertSource,
    private readonly hooks: AlertMonitorHooks,
    private readonly now: () => number,
    /** Webhook retry timing (tests shorten it). */
    readonly webhookOptions: WebhookOptions = {},
  ) {}

  /**
   * Reads the state (from the folder of the embedded database, or from a team's database); a state that cannot
   * be read is set aside (named in the log) and the monitor starts afresh.
   */
  static async open(
    where: string | AlertStateStore,
    source: () => Promise<AlertSource> | AlertSource,
    hooks: AlertMonitorHooks,
    now: () => number = Date.now,
    webhookOptions: WebhookOptions = {},
  ): Promise<AlertMonitor> {
    const store = typeof where === 'string' ? new FileAlertState(where, now) : where;
    const monitor = new AlertMonitor(emptyAlertState(now()), store, source, hooks, now, webhookOptions);
    await monitor.reload();
    return monitor;
  }

  /** Reads the stored state again (another server on a shared database may have moved it on). */
  private async reload(): Promise<void> {
    let text: string | null;
    try {
      text = await this.store.load();
    } catch (e) {
      throw new Error(`the alert state in ${this.store.place} could not be read (${(e as Error).message})`);
    }
    if (text === null) return;
    let problem: string;
    try {
      const parsed = alertStateSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        this.state = parsed.data;
        return;
      }
      problem = `${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
    } catch (e) {
      problem = (e as Error).message;
    }
    const aside = await this.store.setAside();
    this.state = emptyAlertState(this.now());
    this.hooks.log('warn', `the alert state in ${this.store.place} could not be read (${problem}); it was moved to ${aside} and alerts start afresh`);
  }

  /** New settings: checks every `checkMinutes` while enabled; off, no timer runs. */
  configure(config: AlertsConfig, firstCheckMs = 30_000): void {
    this.config = config;
    this.dispose();
    if (!config.enabled || config.rules.length === 0) return;
    const tick = () => void this.check({ onTimer: true }).catch((e: Error) => this.hooks.log('error', `alerts: the check failed (${e.message})`));
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

  /** The overview as stored now (another process sharing the database may have checked since this one). */
  async overviewNow(limit = 50): Promise<AlertsOverview> {
    await this.reload();
    return this.overview(limit);
  }

  /**
   * One check now (one at a time: a second call while one runs gets its result). `onTimer`: a timer's round,
   * skipped when another process on the same database checked within half the interval, so that servers
   * sharing a database keep the rules' cadence (two checks in a row are two intervals, not two servers).
   */
  check(options: { onTimer?: boolean } = {}): Promise<CheckResult> {
    this.running ??= this.runCheck(options.onTimer ?? false).finally(() => (this.running = null));
    return this.running;
  }

  private async runCheck(onTimer: boolean): Promise<CheckResult> {
    const config = this.config;
    const source = await this.source();
    const nothing: CheckResult = { fired: [], resolved: [], observations: [], failures: [] };
    if (!config || !config.enabled || source.readOnly) return nothing;
    // One process at a time checks (on a shared database, a server that finds another checking skips this round),
    // from the state as stored, which it saves before anything is delivered: an alert fires once.
    const turn = await this.store.exclusive(async () => {
      await this.reload();
      const now = this.now();
      const last = this.state.lastCheck;
      if (onTimer && last !== null && now - last < (config.checkMinutes * 60_000) / 2) return null;
      const observations = await evaluateRules(source.figures, config.rules, { now, minExamples: config.minExamples, activeSubjects: activeSubjects(this.state) });
      const result = advance(this.state, observations, await source.tasks(), config.rules, now);
      this.state = result.state;
      await this.persist();
      return { ...result, observations };
    }, false);
    if (!turn.ran || turn.value === null) {
      this.hooks.log('info', `another process ${turn.ran ? 'checked' : 'is checking'} the alert rules of this database; this round is theirs`);
      return nothing;
    }
    const { fired, resolved, observations } = turn.value;
    const failures: string[] = [];
    for (const [event, alerts] of [['fired', fired], ['resolved', resolved]] as const) {
      for (const alert of alerts) {
        this.hooks.log(event === 'fired' ? 'warn' : 'info', `alert ${event}: ${alert.title}`);
        this.hooks.onAlert?.(event, alert);
        failures.push(...(await this.deliver(config, event, alert)));
      }
    }
    return { fired, resolved, observations, failures };
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
    return this.edit((state) => {
      const alert = state.history.find((h) => h.id === alertId);
      return alert ? snooze(state, alert.ruleId, alert.subject, this.now() + ms) : null;
    });
  }

  async mute(ruleId: string, muted: boolean): Promise<void> {
    await this.edit((state) => setMuted(state, ruleId, muted));
  }

  /** A change to the stored state, made on the state as stored and saved in one turn (null: nothing to change). */
  private async edit(change: (state: AlertState) => AlertState | null): Promise<boolean> {
    const turn = await this.store.exclusive(async () => {
      await this.reload();
      const next = change(this.state);
      if (!next) return false;
      this.state = next;
      await this.persist();
      return true;
    }, true);
    return turn.ran && turn.value;
  }

  private persist(): Promise<void> {
    return this.store.save(JSON.stringify(this.state));
  }

  /** Stops the timer (Node clears a timeout and an interval alike). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
