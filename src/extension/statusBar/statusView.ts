// The status bar's content as plain data: no vscode import, so plain tests check it.
import { describeChange, rateChange } from '../../core/analytics/statistics';
import { knownOutcomes, SMALL_SAMPLE } from '../../core/analytics/successRate';
import type { Health } from '../../shared/example';
import { markdownText } from '../../shared/plainText';
import type { Summary } from '../../shared/workerProtocol';
import { formatWhen } from '../../shared/dates';

export interface StatusSettings {
  statusBarWindowDays: number;
  warningBelow: number;
  errorBelow: number;
}

/** What the item shows, worked out apart from VS Code so it can be checked on its own. */
export interface StatusView {
  text: string;
  background: 'warning' | 'error' | undefined;
  tooltip: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The status bar's text, colour and tooltip for a window's summary (with the window before it). */
export function statusView(summary: Summary, health: Health, settings: StatusSettings, importing: boolean, api: { url: string; requireToken: boolean } | null = null): StatusView {
  const days = settings.statusBarWindowDays;
  const windowText = days === 1 ? 'today' : `the last ${days} days`;
  const lines = ['**Learning Viewer**', ''];
  const { rate } = summary;
  let text: string;
  let background: StatusView['background'];
  const known = knownOutcomes(rate);
  const unknown = rate.unknown > 0 ? `; ${rate.unknown.toLocaleString()} of unknown outcome, not in the rate` : '';
  if (rate.total === 0 || rate.rate === null) {
    text = `${importing ? '$(sync~spin)' : '$(circle-slash)'} ${rate.total > 0 ? 'no known outcome' : 'no data'}`;
    lines.push(
      health.examples === 0
        ? 'No learning examples stored yet.'
        : rate.total > 0
          ? `${rate.total.toLocaleString()} examples in ${windowText}, none of known outcome: no success rate.`
          : `No examples in ${windowText} (${health.examples.toLocaleString()} stored in all).`,
    );
  } else {
    const prev = summary.previous?.rate;
    // An arrow only for a difference that is one (significant); the tooltip gives the change either way.
    const change = prev ? rateChange(prev, rate) : null;
    const trend = change?.significant ? ` ${change.points > 0 ? '↑' : '↓'}${Math.abs(change.points).toFixed(1)}` : '';
    text = `${importing ? '$(sync~spin)' : '$(pass)'} ${pct(rate.rate)}${trend}`;
    background = rate.rate < settings.errorBelow ? 'error' : rate.rate < settings.warningBelow ? 'warning' : undefined;
    const [lo, hi] = rate.interval!;
    lines.push(
      `Success rate over ${windowText}: **${pct(rate.rate)}** (${rate.successes.toLocaleString()} of ${known.toLocaleString()}${rate.unknown > 0 ? ' known' : ''}; 95% interval ${pct(lo)}–${pct(hi)}${unknown}).`,
      '',
      prev && prev.rate !== null && change
        ? `The ${days} days before: ${pct(prev.rate)} (${prev.successes.toLocaleString()} of ${knownOutcomes(prev).toLocaleString()}${prev.unknown > 0 ? ' known' : ''}): ${describeChange(change)}.`
        : `No examples in the ${days} days before to compare with.`,
    );
    if (known < SMALL_SAMPLE) lines.push('', `Only ${known} examples${rate.unknown > 0 ? ' of known outcome' : ''}: read the rate with its interval.`);
  }
  const link = health.connection;
  const where = health.place.engine === 'postgresql' ? `Team database: ${markdownText(health.place.name)}` : 'This workspace';
  if (link && link.state !== 'connected') {
    // The last figures stay, marked: the server is not there to give newer ones.
    text = `$(debug-disconnect) ${text.replace(/^\$\([^)]*\)\s*/, '')}`;
    background = 'warning';
    lines.push(
      '',
      `**${where}: ${link.state === 'reconnecting' ? 'reconnecting' : 'unreachable'} since ${link.since ? formatWhen(link.since) : 'now'}.** The figures above are the last read before then (stale). ${markdownText(link.reason ?? '')}`,
      '',
      '[Retry now](command:learningViewer.retryTeamDatabase)',
    );
  }
  lines.push(
    '',
    `Data: ${where}${link?.state === 'connected' ? ' (connected)' : ''}`,
    '',
    `Database: ${health.state}${health.reason ? ` — ${markdownText(health.reason)}` : ''} · ${health.examples.toLocaleString()} examples stored`,
    '',
    `Last import: ${health.lastImport ? formatWhen(health.lastImport) : 'never'}${importing ? ' · importing now…' : ''}`,
  );
  if (health.prunedBefore) {
    lines.push('', `Retention removed ${health.prunedExamples.toLocaleString()} examples dated before ${formatWhen(health.prunedBefore)}; the per-day figures still count them.`);
  }
  // The address in a code span: shown as it is, never a link that a click would follow.
  if (api) lines.push('', `API server: listening on \`${api.url}\` (${api.requireToken ? 'tokens required' : 'no token needed, this machine only'})`);
  return { text, background, tooltip: lines.join('\n') };
}

