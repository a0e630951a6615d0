import { strict as assert } from 'node:assert';
import { NO_TOKENS } from '../../src/shared/figures';
import { successRate } from '../../src/core/analytics/successRate';
import { statusView } from '../../src/extension/statusBar/statusView';
import type { Health } from '../../src/shared/example';
import type { Summary } from '../../src/shared/workerProtocol';

const settings = { statusBarWindowDays: 7, warningBelow: 0.7, errorBelow: 0.5 };
const health: Health = { state: 'ok', reason: null, examples: 500, lastImport: '2026-11-20T10:00:00Z', followedFiles: 1, recoveredFrom: null, prunedBefore: null, prunedExamples: 0, place: { engine: 'embedded', name: 'This workspace' }, connection: null };
function summary(s: number, n: number, prev?: [number, number]): Summary {
  const totals = (a: number, b: number) => ({ rate: successRate(a, b), avgExecutionTime: null, tokens: NO_TOKENS });
  return { ...totals(s, n), previous: prev ? { ...totals(prev[0], prev[1]), since: 0, until: 1 } : null, activity: null };
}

describe('the status bar item', () => {
  it('shows the rate, and an arrow only for a significant change against the window before', () => {
    const v = statusView(summary(875, 1000, [854, 1000]), health, settings, false);
    assert.equal(v.text, '$(pass) 87.5%', '2.1 points on 1,000 each is within chance: no arrow');
    assert.equal(v.background, undefined);
    // Wilson: centre 0.87353, half-width 0.02051 → 85.30%–89.40%.
    assert.match(v.tooltip, /875 of 1,000; 95% interval 85\.3%–89\.4%/);
    assert.match(v.tooltip, /The 7 days before: 85\.4% \(854 of 1,000\): up 2\.1 points, not significant \(p = 0\.1[67]\)/);
    const rise = statusView(summary(875, 1000, [800, 1000]), health, settings, false);
    assert.equal(rise.text, '$(pass) 87.5% ↑7.5');
    assert.match(rise.tooltip, /up 7\.5 points \(p < 0\.001\)/);
  });

  it('says where the API server listens, when it runs', () => {
    assert.doesNotMatch(statusView(summary(875, 1000), health, settings, false).tooltip, /API server/);
    const v = statusView(summary(875, 1000), health, settings, false, { url: 'http://127.0.0.1:8000', requireToken: true });
    assert.match(v.tooltip, /API server: listening on `http:\/\/127\.0\.0\.1:8000` \(tokens required\)/);
  });

  it('shows a fall with a down arrow, and colours by the thresholds', () => {
    assert.equal(statusView(summary(60, 100, [70, 100]), health, settings, false).text, '$(pass) 60.0%', 'p = 0.14: not a fall yet');
    assert.equal(statusView(summary(600, 1000, [700, 1000]), health, settings, false).text, '$(pass) 60.0% ↓10.0');
    assert.equal(statusView(summary(60, 100), health, settings, false).background, 'warning');
    assert.equal(statusView(summary(49, 100), health, settings, false).background, 'error');
    assert.equal(statusView(summary(70, 100), health, settings, false).background, undefined, 'at the threshold is not below it');
  });

  it('says no data when the window is empty, and why', () => {
    const v = statusView(summary(0, 0), health, settings, false);
    assert.equal(v.text, '$(circle-slash) no data');
    assert.match(v.tooltip, /No examples in the last 7 days \(500 stored in all\)/);
    assert.match(statusView(summary(0, 0), { ...health, examples: 0 }, settings, false).tooltip, /No learning examples stored yet/);
  });

  it('spins while an import runs and warns about a small sample', () => {
    const v = statusView(summary(3, 4), health, settings, true);
    assert.ok(v.text.startsWith('$(sync~spin) 75.0%'));
    assert.match(v.tooltip, /Only 4 examples/);
    assert.match(v.tooltip, /importing now/);
  });

  it('names the data shown, and on a team database out of reach keeps the figures, marked stale, with a Retry', () => {
    assert.match(statusView(summary(875, 1000), health, settings, false).tooltip, /Data: This workspace/);
    const team: Health = { ...health, place: { engine: 'postgresql', name: 'lv@db.example/team' }, connection: { state: 'connected', since: null, reason: null } };
    const on = statusView(summary(875, 1000), team, settings, false);
    assert.match(on.tooltip, /Data: Team database: lv\\@db\\\.example\\\/team \(connected\)/);
    assert.equal(on.text, '$(pass) 87.5%');
    const since = new Date(Date.now() - 5 * 60_000).toISOString();
    const off = statusView(summary(875, 1000), { ...team, connection: { state: 'unreachable', since, reason: 'PostgreSQL at lv@db.example/team refused the connection' } }, settings, false);
    assert.equal(off.text, '$(debug-disconnect) 87.5%', 'the last figures, with the disconnected icon');
    assert.equal(off.background, 'warning');
    assert.match(off.tooltip, /unreachable since .*stale/);
    assert.match(off.tooltip, /\[Retry now\]\(command:learningViewer\.retryTeamDatabase\)/);
  });
});
