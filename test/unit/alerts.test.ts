import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { evaluateRules, type Observation } from '../../src/core/alerts/evaluateRules';
import { advance, emptyAlertState, snooze, type AlertState } from '../../src/core/alerts/alertState';
import { AlertMonitor, ALERTS_FILE, storeAlertSource } from '../../src/core/alerts/alertMonitor';
import { EmbeddedEngine } from '../../src/core/engine/embeddedEngine';
import { postWebhook, signBody, SIGNATURE_HEADER } from '../../src/core/alerts/webhook';
import { sendAlertEmail } from '../../src/core/alerts/email';
import { normalizeRecord } from '../../src/core/ingest/parseKimiLine';
import { LearningStore } from '../../src/core/storage/learningStore';
import { alertRuleSchema, alertsConfigSchema, DEFAULT_ALERT_RULES, type AlertRecord, type AlertRuleInput, type AlertsConfig } from '../../src/shared/alerts';
import { NO_FILTERS } from '../../src/shared/filters';
import type { Task } from '../../src/shared/tasks';
import { daysAgo } from '../helpers/clock';
import { testSqlJs } from '../helpers/sqlJs';
import { useTempDir } from '../helpers/tempDir';

const NOW = Date.now();
const MIN = 60_000;
const HOUR = 3_600_000;

interface Spec {
  /** Days before now (1–5: the 7-day window; 8–30: the 28 days before it). */
  day: number;
  n: number;
  successes: number;
  tag?: string;
  model?: string;
  tokens?: number;
}

let serial = 0;
function records(specs: Spec[]): Record<string, unknown>[] {
  return specs.flatMap((s) =>
    Array.from({ length: s.n }, (_, i) => ({
      id: `ex-${serial++}`,
      timestamp: daysAgo(s.day, 9 + (i % 8), i % 60, NOW),
      success: i < s.successes,
      tags: [s.tag ?? 'general'],
      model_used: s.model ?? 'Model A',
      tokens_consumed: s.tokens ?? 1000,
    })),
  );
}

function add(store: LearningStore, recs: Record<string, unknown>[]): void {
  store.insert(
    recs.map((r) => {
      const p = normalizeRecord(r, { assumeTimeZone: 'utc', now: NOW });
      if (!p.ok) throw new Error(p.reason);
      return { example: p.example };
    }),
  );
}

/** The baseline: 8–29 days ago, 10 examples a day, `rate` of them successful. */
function baseline(rate: number, extra: Partial<Spec> = {}): Spec[] {
  return Array.from({ length: 22 }, (_, i) => ({ day: 8 + i, n: 10, successes: Math.round(10 * rate), ...extra }));
}

function window(n: number, successes: number, extra: Partial<Spec> = {}): Spec[] {
  // Spread over days 1–5.
  return Array.from({ length: 5 }, (_, i) => {
    const share = Math.floor(n / 5) + (i < n % 5 ? 1 : 0);
    const wins = Math.floor(successes / 5) + (i < successes % 5 ? 1 : 0);
    return { day: 1 + i, n: share, successes: wins, ...extra };
  });
}

const rules = (...r: AlertRuleInput[]) => r.map((x) => alertRuleSchema.parse(x));

async function check(store: LearningStore, state: AlertState, ruleList: ReturnType<typeof rules>, at: number, tasks: Task[] = []) {
  const observations = await evaluateRules(new EmbeddedEngine(store, 'test'), ruleList, { now: at, minExamples: 20 });
  return { ...advance(state, observations, tasks, ruleList, at), observations };
}

interface Mail {
  to: string[];
  data: string;
  user: string;
}

/** A local SMTP server (smtp-server) that takes the user kimi with one password and keeps what it receives. */
async function smtpServer(): Promise<{ smtp: SMTPServer; mails: Mail[] }> {
  const mails: Mail[] = [];
  let user = '';
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (auth.username === 'kimi' && auth.password === 'pw-from-secret-storage') {
        user = auth.username;
        cb(null, { user: auth.username });
      } else cb(new Error('bad login'));
    },
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data, user });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  return { smtp, mails };
}

describe('alerts', () => {
  const tmp = useTempDir();
  let store: LearningStore;
  beforeEach(async () => {
    store = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'db') });
  });
  afterEach(() => store.close());

  describe('rules on synthetic series', () => {
    it('a real drop fires once, after two checks in a row, saying how much, on how many examples and the p-value', async () => {
      add(store, records([...baseline(0.8), ...window(60, 24)]));
      const drop = rules({ id: 'drop', kind: 'successDrop' });
      let state = emptyAlertState(NOW);
      const first = await check(store, state, drop, NOW);
      assert.equal(first.observations[0]!.status, 'breach');
      assert.equal(first.fired.length, 0, 'one check is not enough');
      state = first.state;
      const second = await check(store, state, drop, NOW + 15 * MIN);
      assert.equal(second.fired.length, 1);
      const alert = second.fired[0]!;
      assert.match(alert.title, /all examples down 40 points: 80% → 40% on 60 examples/);
      assert.match(alert.detail, /on 220 examples in the 28 days before/);
      assert.match(alert.detail, /p < 0\.001 \(two-proportion z test\)/);
      assert.equal(alert.filters.since !== null && alert.filters.since <= Date.parse(daysAgo(5, 0, 0, NOW)), true, 'the link shows the window');
      state = second.state;
      for (let i = 2; i < 10; i++) {
        const again = await check(store, state, drop, NOW + i * 15 * MIN);
        assert.equal(again.fired.length, 0, 'it does not fire again while it holds');
        state = again.state;
      }
      assert.equal(state.history.length, 1);
      assert.equal(state.history[0]!.resolvedAt, null);
    });

    it('noise of 5 examples never fires, however bad', async () => {
      add(store, records([...baseline(0.9), ...window(5, 0)]));
      const drop = rules({ id: 'drop', kind: 'successDrop' }, { id: 'drop-test', kind: 'successDrop', method: 'test' });
      let state = emptyAlertState(NOW);
      for (let i = 0; i < 10; i++) {
        const r = await check(store, state, drop, NOW + i * 15 * MIN);
        assert.deepEqual(r.fired, []);
        assert.ok(r.observations.every((o) => o.status === 'hold' && /too few examples/.test(o.reason)));
        state = r.state;
      }
    });

    it('unknown outcomes are no evidence: 200 of them in the window neither fire a drop nor count towards the examples needed', async () => {
      // Known outcomes hold at 80%; the window adds turns whose success the log does not say.
      add(store, records([...baseline(0.8), ...window(60, 48)]));
      add(store, records(window(200, 0)).map((r) => ({ ...r, success: null })));
      const r = await check(store, emptyAlertState(NOW), rules({ id: 'drop', kind: 'successDrop' }, { id: 't', kind: 'successDrop', method: 'test' }), NOW);
      assert.ok(r.observations.every((o) => o.status !== 'breach'), JSON.stringify(r.observations.map((o) => o.reason)));
      assert.equal(r.observations[0]!.measure.windowCount, 60, 'the sample is the known outcomes');
      // A real drop among the known outcomes is still one, and says what it was measured on.
      const dropped = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'dropped') });
      try {
        add(dropped, records([...baseline(0.8), ...window(60, 24)]));
        add(dropped, records(window(200, 0)).map((x) => ({ ...x, success: null })));
        const d = await check(dropped, emptyAlertState(NOW), rules({ id: 'drop', kind: 'successDrop' }), NOW);
        assert.equal(d.observations[0]!.status, 'breach');
        assert.match(d.observations[0]!.title, /80% → 40% on 60 examples of known outcome$/);
      } finally {
        dropped.close();
      }
      // And with only unknown outcomes in the window, there is nothing to judge.
      const alone = LearningStore.open({ SQL: await testSqlJs(), dataDir: join(tmp.path, 'alone') });
      try {
        add(alone, records(baseline(0.8)));
        add(alone, records(window(200, 0)).map((x) => ({ ...x, success: null })));
        const held = await check(alone, emptyAlertState(NOW), rules({ id: 'drop', kind: 'successDrop' }), NOW);
        assert.match(held.observations[0]!.reason, /too few examples of known outcome/);
      } finally {
        alone.close();
      }
    });

    it('a difference within noise does not fire: 75% against 80% on 60 examples', async () => {
      add(store, records([...baseline(0.8), ...window(60, 45)]));
      const r = await check(store, emptyAlertState(NOW), rules({ id: 'drop', kind: 'successDrop' }, { id: 't', kind: 'successDrop', method: 'test' }), NOW);
      assert.ok(r.observations.every((o) => o.status !== 'breach'));
    });

    it('per tag: only the tag that dropped fires', async () => {
      add(store, records([...baseline(0.85, { tag: 'auth' }), ...window(60, 20, { tag: 'auth' }), ...baseline(0.85, { tag: 'css' }), ...window(60, 51, { tag: 'css' })]));
      const byTag = rules({ id: 'drop-tag', kind: 'successDrop', scope: 'tag' });
      const s1 = (await check(store, emptyAlertState(NOW), byTag, NOW)).state;
      const r = await check(store, s1, byTag, NOW + 15 * MIN);
      assert.deepEqual(
        r.fired.map((a) => a.subject),
        ['auth'],
      );
      assert.deepEqual(r.fired[0]!.filters.tags, ['auth']);
    });

    it('hysteresis: no longer significant is not resolved; back inside the baseline interval is', async () => {
      add(store, records([...baseline(0.8), ...window(60, 24)]));
      const drop = rules({ id: 'drop', kind: 'successDrop' });
      let state = (await check(store, emptyAlertState(NOW), drop, NOW)).state;
      state = (await check(store, state, drop, NOW + 15 * MIN)).state;
      assert.equal(state.history[0]!.resolvedAt, null);
      // 60 more in the window, 58 of them successful: 82 of 120 (68%, interval 60–76%), no longer wholly below the baseline's (74–85%), yet under it.
      add(store, records(window(60, 58)));
      const between = await check(store, state, drop, NOW + 30 * MIN);
      assert.equal(between.observations[0]!.status, 'hold');
      assert.equal(between.resolved.length, 0);
      state = between.state;
      // Many successes: back to the baseline.
      add(store, records(window(300, 290)));
      const back = await check(store, state, drop, NOW + 45 * MIN);
      assert.equal(back.observations[0]!.status, 'clear');
      assert.equal(back.resolved.length, 1);
      assert.equal(back.state.history[0]!.resolvedAt, NOW + 45 * MIN);
      assert.match(back.state.history[0]!.detail, /Resolved:/);
    });

    it('tokens per success: +100% fires, +20% does not', async () => {
      add(store, records([...baseline(0.8, { tokens: 1000, tag: 'a' }), ...window(60, 50, { tokens: 2000, tag: 'a' }), ...baseline(0.8, { tokens: 1000, tag: 'b' }), ...window(60, 50, { tokens: 1200, tag: 'b' })]));
      const r = rules({ id: 'tok', kind: 'tokensPerSuccessUp', scope: 'tag', percent: 50, consecutive: 1 });
      const out = await check(store, emptyAlertState(NOW), r, NOW);
      assert.deepEqual(
        out.fired.map((a) => a.subject),
        ['a'],
      );
      // Every token spent ÷ successes: 1,000 ÷ 0.8 before, 60 × 2,000 ÷ 50 in the window.
      assert.match(out.fired[0]!.title, /up 92%: 1,250 → 2,400 on 50 successful examples/);
      assert.equal(out.observations.find((o) => o.subject === 'b')!.status, 'clear');
    });

    it('no examples for N hours fires after two checks and resolves when one arrives', async () => {
      add(store, [{ id: 'old', timestamp: new Date(NOW - 30 * HOUR).toISOString(), success: true }]);
      const quiet = rules({ id: 'quiet', kind: 'noExamples', hours: 24 });
      let state = (await check(store, emptyAlertState(NOW), quiet, NOW)).state;
      const r = await check(store, state, quiet, NOW + 15 * MIN);
      assert.equal(r.fired.length, 1);
      assert.match(r.fired[0]!.title, /No examples for 30 hours/);
      state = r.state;
      add(store, [{ id: 'new', timestamp: new Date(NOW).toISOString(), success: true }]);
      assert.equal((await check(store, state, quiet, NOW + 30 * MIN)).resolved.length, 1);
    });

    it('a failed learning task raises one event; tasks that failed before alerts began do not', async () => {
      const task = (id: string, endedAt: number, state: Task['state'] = 'failed'): Task => ({
        id,
        technology: 'auth',
        depth: 'standard',
        priority: 'normal',
        learner: 'external',
        seq: 1,
        state,
        progress: 50,
        message: 'the learner exited with code 3',
        createdAt: endedAt - 1000,
        startedAt: endedAt - 500,
        endedAt,
        attempts: 1,
        result: null,
      });
      const r = rules({ id: 'task', kind: 'taskFailed' });
      const tasks = [task('before', NOW - HOUR), task('done', NOW + MIN, 'completed'), task('after', NOW + 2 * MIN)];
      const first = await check(store, emptyAlertState(NOW), r, NOW + 5 * MIN, tasks);
      assert.deepEqual(
        first.fired.map((a) => a.title),
        ['Learning task auth (standard) failed: the learner exited with code 3'],
      );
      assert.equal(first.fired[0]!.resolvedAt, NOW + 5 * MIN);
      assert.equal((await check(store, first.state, r, NOW + 20 * MIN, tasks)).fired.length, 0, 'reported once');
    });
  });

  describe('the state machine', () => {
    const obs = (status: Observation['status']): Observation => ({
      ruleId: 'r',
      kind: 'successDrop',
      subject: 'auth',
      status,
      reason: status,
      title: `t ${status}`,
      detail: 'd',
      measure: { windowCount: 30, baselineCount: 200, windowValue: 0.3, baselineValue: 0.8, windowInterval: [0.1, 0.5], baselineInterval: [0.7, 0.9], pValue: 0.001, test: 'x' },
      filters: NO_FILTERS,
    });
    const r = rules({ id: 'r', kind: 'successDrop', cooldownHours: 6 });
    /** Runs a series of observations 15 minutes apart; returns when each fired and resolved. */
    function series(statuses: Observation['status'][], start: AlertState = emptyAlertState(0)) {
      let state = start;
      const events: string[] = [];
      statuses.forEach((s, i) => {
        const out = advance(state, [obs(s)], [], r, i * 15 * MIN);
        events.push(...out.fired.map(() => `fired@${i}`), ...out.resolved.map(() => `resolved@${i}`));
        state = out.state;
      });
      return { events, state };
    }

    it('a breach between clears never fires; two in a row do', () => {
      assert.deepEqual(series(['breach', 'clear', 'breach', 'hold', 'breach', 'clear']).events, []);
      assert.deepEqual(series(['breach', 'breach', 'breach', 'clear']).events, ['fired@1', 'resolved@3']);
    });

    it('a cooldown of 6 hours after firing, then it may fire again', () => {
      const statuses: Observation['status'][] = ['breach', 'breach', 'clear', 'breach', 'breach'];
      // Resolved at check 2; breaches again at 3 and 4 (within the 6 h after firing at check 1): quiet.
      assert.deepEqual(series(statuses).events, ['fired@1', 'resolved@2']);
      // 6 h later (24 checks of 15 min), still breaching: fires again.
      const long = [...statuses, ...Array<Observation['status']>(24).fill('breach')];
      assert.deepEqual(series(long).events, ['fired@1', 'resolved@2', 'fired@25']);
    });

    it('snooze for a day and mute keep it quiet', () => {
      const snoozed = snooze(emptyAlertState(0), 'r', 'auth', 86_400_000);
      assert.deepEqual(series(['breach', 'breach', 'breach'], snoozed).events, []);
      const muted = { ...emptyAlertState(0), muted: ['r'] };
      assert.deepEqual(series(['breach', 'breach', 'breach'], muted).events, []);
    });

    it('the default rules parse, and every setting is checked', async () => {
      assert.equal(DEFAULT_ALERT_RULES.map((x) => alertRuleSchema.parse(x)).length, 6);
      assert.throws(() => alertRuleSchema.parse({ id: 'x', kind: 'successDrop', level: 2 }));
      assert.throws(() => alertRuleSchema.parse({ id: 'has space', kind: 'noExamples' }));
      assert.throws(() => alertRuleSchema.parse({ id: 'x', kind: 'nonsense' }));
    });
  });

  describe('delivery', () => {
    let server: Server | undefined;
    afterEach(() => server?.close());

    const alert: AlertRecord = {
      id: 'a1',
      ruleId: 'drop',
      kind: 'successDrop',
      subject: 'auth',
      title: 'Success rate of tag auth down 40 points',
      detail: '40% on 60 examples, p < 0.001',
      firedAt: NOW,
      resolvedAt: null,
      measure: { windowCount: 60, baselineCount: 220, windowValue: 0.4, baselineValue: 0.8, windowInterval: [0.3, 0.5], baselineInterval: [0.75, 0.85], pValue: 0.0001, test: 'two-proportion z test' },
      filters: NO_FILTERS,
    };

    async function receiver(answers: number[]): Promise<{ url: string; got: { body: string; signature: string | undefined; status: number }[] }> {
      const got: { body: string; signature: string | undefined; status: number }[] = [];
      server = createServer((req: IncomingMessage, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          const status = answers[got.length] ?? 200;
          got.push({ body, signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, status });
          res.writeHead(status).end();
        });
      });
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/hooks/secret-path`, got };
    }

    it('the webhook is signed with HMAC-SHA256 and retried with backoff after 500s', async () => {
      const { url, got } = await receiver([500, 503, 200]);
      const waits: number[] = [];
      const result = await postWebhook({ url, format: 'json', secret: 's3cret' }, 'fired', alert, { backoffMs: 100, sleep: async (ms) => void waits.push(ms) });
      assert.deepEqual(result, { ok: true, attempts: 3 });
      assert.deepEqual(waits, [100, 200]);
      for (const g of got) assert.equal(g.signature, signBody('s3cret', g.body), 'the receiver recomputes the signature');
      const body = JSON.parse(got[2]!.body) as { event: string; alert: AlertRecord };
      assert.equal(body.event, 'alert.fired');
      assert.equal(body.alert.measure.pValue, 0.0001);
    });

    it('a 4xx is not retried, and the error names the origin, never the path', async () => {
      const { url, got } = await receiver([404]);
      const result = await postWebhook({ url, format: 'slack', secret: null }, 'fired', alert, { sleep: async () => undefined });
      assert.equal(got.length, 1);
      assert.ok(!result.ok && /answered 404/.test(result.error) && !result.error.includes('secret-path'));
      assert.match((JSON.parse(got[0]!.body) as { text: string }).text, /^Learning Viewer alert: Success rate of tag auth/);
      assert.equal(got[0]!.signature, undefined);
    });

    it('mail reaches a local SMTP server, logged in with the password', async () => {
      const { smtp, mails } = await smtpServer();
      try {
        const port = (smtp.server.address() as AddressInfo).port;
        const config = { host: '127.0.0.1', port, security: 'none' as const, from: 'viewer@example.test', to: ['team@example.test'], user: 'kimi' };
        const ok = await sendAlertEmail({ ...config, password: 'pw-from-secret-storage' }, 'fired', alert);
        assert.deepEqual(ok, { ok: true, attempts: 1 });
        assert.equal(mails.length, 1);
        assert.deepEqual(mails[0]!.to, ['team@example.test']);
        assert.match(mails[0]!.data, /Subject: \[alert\] Success rate of tag auth down 40 points/);
        assert.match(mails[0]!.data, /p < 0\.001/);
        const bad = await sendAlertEmail({ ...config, password: 'wrong-password' }, 'fired', alert);
        assert.ok(!bad.ok && /failed \(the server answered 535\)/.test(bad.error) && !bad.error.includes('wrong-password'), bad.ok ? '' : bad.error);
      } finally {
        await new Promise<void>((r) => smtp.close(() => r()));
      }
    });
  });

  describe('the monitor', () => {
    it('a real drop: one notice to the editor, one webhook, one mail; noise beside it: none; the state survives a reopen, a damaged state file is set aside', async () => {
      // The drop in tag auth; 4 bad examples of tag css this week are noise.
      add(store, records([...baseline(0.8, { tag: 'auth' }), ...window(60, 24, { tag: 'auth' }), ...baseline(0.8, { tag: 'css' }), ...window(4, 0, { tag: 'css' })]));
      const { smtp, mails } = await smtpServer();
      const got: string[] = [];
      const server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          got.push(body);
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const dir = join(tmp.path, 'db');
        let clock = NOW;
        const seen: string[] = [];
        const config: AlertsConfig = alertsConfigSchema.parse({
          enabled: true,
          rules: [{ id: 'drop', kind: 'successDrop', scope: 'tag' }],
          checkMinutes: 15,
          minExamples: 20,
          webhook: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, format: 'json', secret: 'k' },
          email: { host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port, security: 'none', from: 'viewer@example.test', to: ['team@example.test'], user: 'kimi', password: 'pw-from-secret-storage' },
        });
        const monitor = await AlertMonitor.open(dir, () => storeAlertSource(store), { log: () => undefined, onAlert: (e, a) => seen.push(`${e}: ${a.title}`) }, () => clock);
        monitor.configure(config, 3_600_000);
        await monitor.check();
        clock += 15 * MIN;
        const second = await monitor.check();
        monitor.dispose();
        assert.deepEqual(
          second.fired.map((a) => a.subject),
          ['auth'],
        );
        assert.deepEqual(second.failures, []);
        assert.equal(seen.length, 1);
        assert.equal(got.length, 1);
        assert.equal(mails.length, 1);
        assert.match(mails[0]!.data, /Subject: =\?UTF-8\?Q\?=5Balert=5D_Success_rate_of_tag_auth_dow/);
        // Reopened: the alert is still active, and does not fire a second time.
        const again = await AlertMonitor.open(dir, () => storeAlertSource(store), { log: () => undefined }, () => clock + 15 * MIN);
        again.configure(config, 3_600_000);
        assert.equal(again.overview().active.length, 1);
        assert.equal((await again.check()).fired.length, 0);
        again.dispose();
        // A damaged file: set aside, named in the log, and alerts start afresh.
        writeFileSync(join(dir, ALERTS_FILE), '{"version":1,"subjects":');
        const logs: string[] = [];
        const fresh = await AlertMonitor.open(dir, () => storeAlertSource(store), { log: (_l, m) => logs.push(m) });
        assert.equal(fresh.overview().history.length, 0);
        assert.match(logs[0]!, /could not be read .* moved to .*alerts\.json\.damaged-/);
        assert.equal(readdirSync(dir).filter((f) => f.startsWith('alerts.json.damaged-')).length, 1);
      } finally {
        server.close();
        await new Promise<void>((r) => smtp.close(() => r()));
      }
    });
  });
});
