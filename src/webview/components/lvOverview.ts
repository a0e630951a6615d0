import { css, html, LitElement, nothing } from 'lit';
import { FIGURE_DEFINITIONS, perTurn, testPassRate, tokensPerExample, tokensPerSuccess, toolErrorRate, totalTokens, UNKNOWN, type Activity, type ActivityRow } from '../../shared/figures';
import { customElement, property, state } from 'lit/decorators.js';
import type { DashboardState } from '../../shared/dashboardProtocol';
import type { Filters } from '../../shared/filters';
import { knownOutcomes, SMALL_SAMPLE, successRate } from '../../core/analytics/successRate';
import { describeChange, rateChange } from '../../core/analytics/statistics';
import { formatCount, formatDay, formatFigure, formatFigureDecimal, formatPercent, periodName } from '../format';
import { localDayRange } from '../../shared/series';
import { tableStyles } from './tables.css';
import './lvCard';
import './lvChart';
import type { Series } from './lvChart';
import './lvAlerts';
import { showControls } from '../../shared/plainText';

const sumTotals = (rows: readonly { total: number }[]) => rows.reduce((n, r) => n + r.total, 0);


/** A rate and its interval: two columns, or in a narrow column the interval under the rate (a rate never goes without it). */
function rateCell(successes: number, total: number, unknown = 0) {
  // Over the known outcomes: an example whose outcome is unknown is counted, never in the rate.
  const { rate, interval } = successRate(successes, total, unknown);
  const unknownText = unknown > 0 ? html` <span class="unknown" title="examples whose outcome is unknown: not in the rate">· ${formatCount(unknown)} unknown</span>` : nothing;
  if (rate === null || !interval) {
    return html`<td class="num muted">${UNKNOWN}${unknown > 0 ? html`<span class="inline-interval muted">${unknownText}</span>` : nothing}</td><td class="muted interval">${UNKNOWN}${unknownText}</td>`;
  }
  const [lo, hi] = interval;
  const small = knownOutcomes({ total, unknown }) < SMALL_SAMPLE;
  const shown = html`${formatPercent(lo)}–${formatPercent(hi)}${small ? html` <span title="fewer than ${SMALL_SAMPLE} examples of known outcome">(small)</span>` : nothing}${unknownText}`;
  return html`<td class="num">${formatPercent(rate)}<span class="inline-interval muted">${shown}</span></td>
    <td class="muted interval">${shown}</td>`;
}

/** Overview: the four headline cards, the daily trend, per tag and per model. */
@customElement('lv-overview')
export class LvOverview extends LitElement {
  static override styles = [
    tableStyles,
    css`
      td.empty {
        white-space: normal;
      }
      .as-table {
        margin: 4px 0 10px;
      }
      .as-table summary {
        cursor: pointer;
        color: var(--vscode-textLink-foreground, #3794ff);
      }
      .subhead {
        margin: 4px 0 6px;
        font-size: 1em;
      }
      .activity-grid {
        margin-bottom: 16px;
      }
      .cards {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(170px, 100%), 1fr));
        gap: 10px;
        margin-bottom: 12px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr));
        gap: 16px;
        margin-top: 12px;
      }
      h2 {
        font-size: 1.05em;
        margin: 12px 0 6px;
      }
    `,
  ];

  /** The host's whole snapshot. */
  @property({ attribute: false }) state!: DashboardState;

  /** Says what a table leaves out, so a long tail is counted rather than silently cut. */
  private leftOut(groups: number, total: number, what: 'tag' | 'model') {
    if (groups <= 0) return nothing;
    return html`<p class="muted" data-testid="${what}s-left-out">
      ${formatCount(groups)} more ${what}s (${formatCount(total)} examples) are not listed${what === 'tag' ? html`; type in the tag filter to find one` : ''}.
    </p>`;
  }

  /** The daily trend's table form (keyboard and screen reader), newest first; a day's button filters to it. */
  @state() private dailyTableOpen = false;

  private dailyTable() {
    const days = this.state.daily.filter((d) => d.total > 0).reverse();
    return html`<div class="scroll">
      <table>
        <thead><tr><th>Day</th><th class="num">Examples</th><th class="num">Success</th><th class="interval">95% interval</th></tr></thead>
        <tbody>
          ${days.map(
            (d) => html`<tr>
              <td><button class="cell" title="Filter to this day" @click=${() => this.filterToDay(d.day)}>${formatDay(d.day)}</button></td>
              <td class="num">${formatCount(d.total)}</td>
              ${rateCell(d.successes, d.total, d.unknown)}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  /** The daily trend: the rate (a line, with each day's interval in its tooltip) over the examples (bars, at the right). */
  private dailySeries(daily: DashboardState['daily']): Series[] {
    return [
      { label: 'Success rate', data: daily.map((d) => (knownOutcomes(d) > 0 ? (d.successes / knownOutcomes(d)) * 100 : null)), color: 1, counts: daily.map((d) => (d.total > 0 ? d : null)) },
      { label: 'Examples', data: daily.map((d) => d.total), color: 0, kind: 'bar', axis: 'count' },
    ];
  }

  /** Filters to one local day (YYYY-MM-DD): from its midnight to the next. */
  private filterToDay(day: string): void {
    const range = localDayRange(day, 1);
    if (range) this.filterBy(range);
  }

  private filterBy(next: Partial<Filters>): void {
    this.dispatchEvent(new CustomEvent<Filters>('lv-filters', { detail: { ...this.state.filters, ...next }, bubbles: true, composed: true }));
  }

  /**
   * What agent sessions' turns say where their success is unknown: turns, the tool error rate,
   * interruptions and rejections per turn, the test pass rate where tests ran.
   */
  private activityCards(a: Activity) {
    const errors = toolErrorRate(a);
    const tests = testPassRate(a);
    const per = (n: number) => formatFigureDecimal(perTurn(n, a));
    return html`<h3 class="subhead">Agent sessions</h3>
      <div class="cards" data-testid="activity">
        <lv-card data-testid="card-turns" label="Turns" .value=${formatCount(a.turns)} .detail=${`${formatCount(a.toolCalls)} tool calls`}></lv-card>
        <lv-card
          data-testid="card-tool-errors"
          label="Tool error rate"
          title="Tool calls whose result was an error (a failed command, a blocked or rejected call) ÷ all tool calls"
          .value=${errors === null ? UNKNOWN : formatPercent(errors)}
          .detail=${`${formatCount(a.toolErrors)} of ${formatCount(a.toolCalls)} calls`}
        ></lv-card>
        <lv-card
          data-testid="card-interruptions"
          label="Interruptions · rejections"
          title="Per turn: the user stopped the agent; the user rejected a tool call"
          .value=${`${per(a.interruptions)} · ${per(a.rejections)}`}
          .detail=${`per turn (${formatCount(a.interruptions)} and ${formatCount(a.rejections)})`}
        ></lv-card>
        <lv-card
          data-testid="card-tests"
          label="Tests passed"
          title="Of the turns where a test command ran with a known exit code, those whose last test passed"
          .value=${tests === null ? UNKNOWN : formatPercent(tests)}
          .detail=${a.testTurns === 0 ? 'no test ran with a known exit code' : `${formatCount(a.testsPassed)} of ${formatCount(a.testTurns)} turns where tests ran`}
        ></lv-card>
      </div>
      ${a.byAgent.length > 1 || a.byModel.length > 1
        ? html`<div class="grid activity-grid">${this.activityTable('Per agent', 'activity-agents', a.byAgent, (key) => ({ tags: [`agent:${key}`], tagMode: 'any' as const }))}
            ${this.activityTable('Per model', 'activity-models', a.byModel, (key) => ({ model: key }))}</div>`
        : nothing}`;
  }

  /** Turns, tool error rate, interruptions and rejections per turn, tests passed: one row per agent or model, a click filters to it. */
  private activityTable(title: string, testId: string, rows: readonly ActivityRow[], filter: (key: string) => Partial<Filters>) {
    if (rows.length === 0) return nothing;
    const pct = (x: number | null) => (x === null ? UNKNOWN : formatPercent(x));
    return html`<section aria-label=${title}>
      <h3 class="subhead">${title}</h3>
      <div class="scroll">
        <table data-testid=${testId}>
          <thead>
            <tr>
              <th></th><th class="num">Turns</th><th class="num" title="Tool errors ÷ tool calls">Tool errors</th><th class="num wide">Interruptions / turn</th>
              <th class="num wide">Rejections / turn</th><th class="num" title="Of the turns where tests ran, those whose last test passed">Tests passed</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) => html`<tr>
                <td><button class="cell" title="Filter to these turns" @click=${() => this.filterBy(filter(r.key))}>${showControls(r.key)}</button></td>
                <td class="num">${formatCount(r.turns)}</td>
                <td class="num">${pct(toolErrorRate(r))}</td>
                <td class="num wide">${formatFigureDecimal(perTurn(r.interruptions, r))}</td>
                <td class="num wide">${formatFigureDecimal(perTurn(r.rejections, r))}</td>
                <td class="num">${pct(testPassRate(r))}${r.testTurns ? html`<span class="muted"> of ${formatCount(r.testTurns)}</span>` : nothing}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  /** Where most outcomes are unknown, what is known leads; otherwise the success rate does. */
  private headline() {
    const { summary } = this.state;
    const a = summary.activity;
    if (!a || a.turns === 0) return this.cards();
    return summary.rate.unknown > knownOutcomes(summary.rate) ? html`${this.activityCards(a)}${this.cards()}` : html`${this.cards()}${this.activityCards(a)}`;
  }

  private cards() {
    const { summary } = this.state;
    const r = summary.rate;
    const previous = summary.previous;
    const c = previous ? rateChange(previous.rate, r) : null;
    // The change is said for every range with a start; it is called a rise or a fall only when significant.
    const change = previous && c ? ` · ${describeChange(c)} vs ${periodName(previous.since, previous.until)}` : '';
    const [lo, hi] = r.interval ?? [0, 0];
    // The rate is over the known outcomes; how many are unknown is said beside it, every time.
    const known = knownOutcomes(r);
    const small = known < SMALL_SAMPLE;
    const unknown = r.unknown > 0 ? ` · ${formatCount(r.unknown)} unknown` : '';
    return html`<div class="cards">
      <lv-card
        data-testid="card-success"
        label="Success rate"
        title=${r.unknown > 0 ? 'Successes over the examples whose outcome is known; an example whose log does not say how it ended is counted as unknown, never as a failure.' : ''}
        .value=${r.rate === null ? UNKNOWN : small ? `${r.successes} of ${known}` : formatPercent(r.rate)}
        .detail=${r.rate === null
          ? r.unknown > 0
            ? `no known outcome · ${formatCount(r.unknown)} unknown`
            : 'no examples under these filters'
          : small
            ? `only ${known} ${r.unknown > 0 ? 'known' : 'examples'}: between ${formatPercent(lo)} and ${formatPercent(hi)}${unknown}`
            : r.unknown > 0
              ? `of ${formatCount(known)} known${unknown} · 95% interval ${formatPercent(lo)} – ${formatPercent(hi)}${change}`
              : `95% interval ${formatPercent(lo)} – ${formatPercent(hi)}${change}`}
        .tone=${c?.significant ? (c.points >= 0 ? 'up' : 'down') : ''}
      ></lv-card>
      <lv-card
        data-testid="card-examples"
        label="Examples"
        .value=${formatCount(r.total)}
        .detail=${`${formatCount(r.successes)} succeeded${r.unknown > 0 ? ` · ${formatCount(known - r.successes)} failed · ${formatCount(r.unknown)} unknown` : ''}`}
      ></lv-card>
      <lv-card
        data-testid="card-time"
        label="Avg execution time"
        .value=${summary.avgExecutionTime === null ? UNKNOWN : `${summary.avgExecutionTime.toFixed(2)} s`}
        .detail=${'metrics.execution_time'}
      ></lv-card>
      <lv-card
        data-testid="card-tokens"
        label="Tokens"
        title=${`${FIGURE_DEFINITIONS.totalTokens} ${FIGURE_DEFINITIONS.tokensPerExample}`}
        .value=${formatFigure(totalTokens(summary.tokens))}
        .detail=${summary.tokens.tokenExamples === 0
          ? 'no token counts'
          : `${formatFigure(tokensPerExample(summary.tokens))} per example${r.total > summary.tokens.tokenExamples ? ` · ${formatCount(summary.tokens.tokenExamples)} of ${formatCount(r.total)} counted` : ''}`}
      ></lv-card>
    </div>`;
  }

  /** KIMI's rate beside git's (kept on main and not reverted), for the examples linked to commits. */
  private gitTable() {
    const g = this.state.git;
    if (!g) return nothing;
    const rate = (r: { successes: number; total: number; unknown: number }) => rateCell(r.successes, r.total, r.unknown);
    const rows = [
      { label: 'All linked examples', row: g.overall, filter: {} },
      ...g.byTag.slice(0, 10).map((row) => ({ label: `tag ${row.key}`, row, filter: { tags: [row.key], tagMode: 'any' as const } })),
      ...g.byModel.slice(0, 10).map((row) => ({ label: `model ${row.key}`, row, filter: { model: row.key } })),
    ];
    return html`<section aria-labelledby="by-git">
      <h2 id="by-git">Judged by git</h2>
      <p class="muted">
        KIMI's own verdict beside the repository's, later: a success is a commit kept on the main branch (also rebased or squashed) and not reverted; a commit off main for
        less than a week is not judged yet.
      </p>
      <div class="scroll">
        <table data-testid="git-rates">
          <thead>
            <tr><th></th><th class="num">With a commit</th><th class="num">KIMI</th><th class="interval">95% interval</th><th class="num">Git</th><th class="interval">95% interval</th><th class="num wide">Not judged</th></tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) => html`<tr>
                <td><button class="cell" title="Filter to these examples" @click=${() => this.filterBy({ ...r.filter, hasCommit: true })}>${showControls(r.label)}</button></td>
                <td class="num">${formatCount(r.row.examples)}</td>
                ${rate(r.row.kimi)} ${rate(r.row.git)}
                <td class="num wide">${formatCount(r.row.pending)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  override render() {
    const s = this.state;
    return html`<lv-alerts section="active" .alerts=${s.alerts}></lv-alerts>
      ${this.headline()}
      <h2>Daily trend</h2>
      ${s.daily.length
        ? html`<lv-chart
              data-testid="daily-chart"
              .labels=${s.daily.map((d) => d.day)}
              .series=${this.dailySeries(s.daily)}
              summary="Success rate and examples per day"
              .tableForm=${false}
              @lv-pick-label=${(e: CustomEvent<string>) => this.filterToDay(e.detail)}
            ></lv-chart>
            <details class="as-table" data-testid="daily-table" @toggle=${(e: Event) => (this.dailyTableOpen = (e.target as HTMLDetailsElement).open)}>
              <summary>The daily trend as a table</summary>
              ${this.dailyTableOpen ? this.dailyTable() : nothing}
            </details>`
        : html`<p class="muted">No days to show.</p>`}
      ${s.omitted.days.groups > 0
        ? html`<p class="muted" data-testid="days-left-out">${formatCount(s.omitted.days.groups)} earlier days (${formatCount(s.omitted.days.total)} examples) before ${s.omitted.days.before ? formatDay(s.omitted.days.before) : ''} are not drawn; narrow the date range to see them.</p>`
        : nothing}
      <div class="grid">
        <section aria-labelledby="by-tag">
          <h2 id="by-tag">Per tag</h2>
          <div class="scroll">
            <table data-testid="tags">
              <thead><tr><th>Tag</th><th class="num">Examples</th><th class="num">Success</th><th class="interval">95% interval</th></tr></thead>
              <tbody>
                ${s.byTag.length === 0
                  ? html`<tr><td colspan="4" class="muted empty" data-testid="tags-empty">No tagged example under these filters.</td></tr>`
                  : nothing}
                ${s.byTag.slice(0, 100).map(
                  (t) => html`<tr>
                    <td><button class="cell" title="Filter by this tag" @click=${() => this.filterBy({ tags: [t.tag], tagMode: 'any' })}>${showControls(t.tag)}</button></td>
                    <td class="num">${formatCount(t.total)}</td>
                    ${rateCell(t.successes, t.total, t.unknown)}
                  </tr>`,
                )}
              </tbody>
            </table>
            ${this.leftOut(s.byTag.length > 100 ? s.byTag.length - 100 + s.omitted.tags.groups : s.omitted.tags.groups, s.omitted.tags.total + sumTotals(s.byTag.slice(100)), 'tag')}
          </div>
        </section>
        <section aria-labelledby="by-model">
          <h2 id="by-model">Per model</h2>
          <div class="scroll">
            <table data-testid="models">
              <thead>
                <tr>
                  <th>Model</th>
                  <th class="num">Examples</th>
                  <th class="num">Success</th>
                  <th class="interval">95% interval</th>
                  <th class="num wide" title=${FIGURE_DEFINITIONS.tokensPerExample}>Tokens/ex.</th>
                  <th class="num wide" title=${FIGURE_DEFINITIONS.tokensPerSuccess}>Tokens/success</th>
                  <th class="num wide">Avg time</th>
                </tr>
              </thead>
              <tbody>
                ${s.byModel.length === 0
                  ? html`<tr><td colspan="7" class="muted empty" data-testid="models-empty">No example names its model under these filters.</td></tr>`
                  : nothing}
                ${s.byModel.map(
                  (m) => html`<tr>
                    <td><button class="cell" title="Filter by this model" @click=${() => this.filterBy({ model: m.model })}>${showControls(m.model)}</button></td>
                    <td class="num">${formatCount(m.total)}</td>
                    ${rateCell(m.successes, m.total, m.unknown)}
                    <td class="num wide">${formatFigure(tokensPerExample(m.tokens))}</td>
                    <td class="num wide">${formatFigure(tokensPerSuccess(m.tokens))}</td>
                    <td class="num wide">${m.avgExecutionTime === null ? UNKNOWN : `${m.avgExecutionTime.toFixed(2)} s`}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
            ${this.leftOut(s.omitted.models.groups, s.omitted.models.total, 'model')}
          </div>
        </section>
      </div>
      ${this.gitTable()}
      <lv-alerts section="history" .alerts=${s.alerts}></lv-alerts>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-overview': LvOverview;
  }
}
