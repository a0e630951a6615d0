import { css, html, LitElement, nothing } from 'lit';
import { dayNumber, fillWeeks, localDayRange } from '../../shared/series';
import { SMALL_SAMPLE } from '../../core/analytics/successRate';
import { MAX_WEEK_POINTS } from '../../shared/analytics';
import { UNKNOWN } from '../../shared/figures';
import { customElement, property, state } from 'lit/decorators.js';
import type { AnalyticsReport, Heatmap, ModelComparison, Prediction, Technology } from '../../shared/analytics';
import type { Rate } from '../../shared/example';
import { formatCount, formatDate, formatPercent } from '../format';
import { request, send } from '../hostBridge';
import type { Series } from './lvChart';
import { tableStyles } from './tables.css';
import { panelStyles } from './panel.css';
import { linkButtonStyles } from './linkButton.css';
import './lvChart';
import { showControls } from '../../shared/plainText';
import { Latest, STALE } from '../latest';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function rateText(rate: Rate, small = false) {
  if (rate.rate === null || !rate.interval) return html`<span class="muted">no examples</span>`;
  return html`${formatPercent(rate.rate)} <span class="muted">(${formatPercent(rate.interval[0])}–${formatPercent(rate.interval[1])})</span>${small
      ? html` <span class="small" title=${`fewer than ${SMALL_SAMPLE} examples: not ranked`}>small sample</span>`
      : nothing}`;
}

const pts = (v: number) => `${v.toFixed(1)}%`;

/** The Analytics tab: trend, prediction, proficiency, recommendations, insights, heatmap and model A/B. */
@customElement('lv-analytics')
export class LvAnalytics extends LitElement {
  static override styles = [
    tableStyles,
    linkButtonStyles,
    panelStyles,
    css`
      :host {
        display: block;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr));
        gap: 16px;
      }
      .statement {
        margin: 4px 0 8px;
      }
      .small {
        color: var(--vscode-editorWarning-foreground);
        font-size: 0.9em;
      }
      .toggle button[aria-pressed='true'] {
        font-weight: 600;
        text-decoration: underline;
      }
      ul.cards {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 8px;
      }
      ul.cards li {
        border-left: 3px solid var(--vscode-focusBorder);
        padding: 4px 8px;
      }
      ul.cards li.regression,
      ul.cards li.decline,
      ul.cards li.weak {
        border-left-color: var(--vscode-editorWarning-foreground);
      }
      ul.cards strong {
        display: block;
      }
      .heat {
        overflow-x: auto;
      }
      /* The heatmap's 24 hours want the whole row: side by side with another card they would scroll. */
      section[data-testid='heatmap'] {
        grid-column: 1 / -1;
      }
      .heat table {
        border-collapse: collapse;
        font-size: 0.85em;
      }
      .heat td,
      .heat th {
        padding: 2px 3px;
        text-align: center;
        min-width: 22px;
      }
      .heat td:focus {
        outline: 1px solid var(--vscode-focusBorder);
      }
      .l0 {
        color: var(--vscode-descriptionForeground);
      }
      .l1 {
        background: color-mix(in srgb, var(--vscode-charts-blue, #1a85ff) 20%, transparent);
      }
      .l2 {
        background: color-mix(in srgb, var(--vscode-charts-blue, #1a85ff) 40%, transparent);
      }
      .l3 {
        background: color-mix(in srgb, var(--vscode-charts-blue, #1a85ff) 65%, transparent);
      }
      .l4 {
        background: color-mix(in srgb, var(--vscode-charts-blue, #1a85ff) 90%, transparent);
        color: var(--vscode-button-foreground, #fff);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 8px;
      }
      select {
        background: var(--vscode-dropdown-background, transparent);
        color: var(--vscode-dropdown-foreground, inherit);
        border: 1px solid var(--vscode-dropdown-border, rgba(128, 128, 128, 0.5));
        padding: 2px 4px;
      }
      .verdict {
        font-weight: 600;
        margin: 8px 0 0;
      }
      .lists {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 12px;
      }
    `,
  ];

  /** The state's version: a new one means the data or the filters changed. */
  @property({ type: Number }) version = 0;
  @property({ attribute: false }) tags: { tag: string; total: number }[] = [];
  @property({ attribute: false }) models: { model: string; total: number }[] = [];

  @state() private report: AnalyticsReport | null = null;
  @state() private error: string | null = null;
  @state() private weekly = false;
  @state() private predictionTag: string | null = null;
  @state() private prediction: Prediction | null = null;
  @state() private modelA = '';
  @state() private modelB = '';
  @state() private abTag: string | null = null;
  @state() private comparison: ModelComparison | null = null;
  @state() private abError: string | null = null;
  @state() private focusedCell: string | null = null;
  private loadedVersion = -1;
  private readonly reports = new Latest();
  private readonly predictions = new Latest();
  private readonly comparisons = new Latest();

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('version') && this.version !== this.loadedVersion) void this.load();
    if (changed.has('models') && this.models.length >= 2 && (!this.modelA || !this.modelB)) {
      this.modelA = this.models[1]!.model;
      this.modelB = this.models[0]!.model;
    }
  }

  private async load(): Promise<void> {
    this.loadedVersion = this.version;
    const tag = this.predictionTag;
    try {
      const answer = await this.reports.run(async () => {
        const report = await request('analytics', {});
        return { report, prediction: tag === null ? report.prediction : await request('prediction', { tag }) };
      });
      if (answer === STALE) return;
      this.report = answer.report;
      // A technology chosen meanwhile has its own request: this prediction is for the one asked.
      if (tag === this.predictionTag) this.prediction = answer.prediction;
      this.error = null;
      if (this.modelA && this.modelB) void this.compare();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async choosePrediction(tag: string | null): Promise<void> {
    this.predictionTag = tag;
    try {
      const prediction = await this.predictions.run(() => (tag === null && this.report ? Promise.resolve(this.report.prediction) : request('prediction', { tag })));
      if (prediction !== STALE) this.prediction = prediction;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async compare(): Promise<void> {
    const [a, b, tag] = [this.modelA, this.modelB, this.abTag];
    if (!a || !b) return;
    try {
      const comparison = await this.comparisons.run(() => request('compareModels', { a, b, tag }));
      if (comparison === STALE) return;
      this.comparison = comparison;
      this.abError = null;
    } catch (e) {
      this.abError = (e as Error).message;
    }
  }

  override render() {
    if (this.error)
      return html`<div class="banner" role="alert" data-testid="analytics-error">
        ${this.error} <button class="link" @click=${() => void this.load()}>Retry</button>
      </div>`;
    const r = this.report;
    if (!r) return html`<p class="muted" role="status">Computing analytics…</p>`;
    return html`<div class="grid">
      ${this.renderTrend(r)} ${this.renderPrediction()} ${this.renderProficiency(r)} ${this.renderRecommendations(r)} ${this.renderInsights(r)}
      ${this.renderHeatmap(r.heatmap)} ${this.renderAb()}
    </div>`;
  }

  /** A click on a day or a week (its YYYY-MM-DD label) filters to it: local midnight to `days` later. */
  private pickPeriod(label: string, days: number): void {
    const detail = localDayRange(label, days);
    if (!detail) return;
    this.dispatchEvent(new CustomEvent('lv-filter-range', { detail, bubbles: true, composed: true }));
  }

  private renderTrend(r: AnalyticsReport) {
    const t = r.trend;
    const [labels, rate, avg] = this.weekly
      ? [t.weekly.map((w) => w.week), t.weekly.map((w) => (w.total ? (w.successes / w.total) * 100 : null)), null]
      : [t.daily.map((d) => d.day), t.daily.map((d) => (d.total ? (d.successes / d.total) * 100 : null)), t.daily.map((d) => (d.movingAverage === null ? null : d.movingAverage * 100))];
    const counts = (this.weekly ? t.weekly : t.daily).map((p) => (p.total ? p : null));
    const series: Series[] = [{ label: this.weekly ? 'Weekly success rate' : 'Daily success rate', data: rate, color: 0, kind: 'points', counts }];
    if (avg) series.push({ label: '7-day moving average', data: avg, color: 1 });
    return html`<section data-testid="trend">
      <h2>Trend</h2>
      <p class="statement" data-testid="trend-statement">${t.statement}</p>
      <div class="toggle" role="group" aria-label="Granularity">
        <button class="link" aria-pressed=${this.weekly ? 'false' : 'true'} @click=${() => (this.weekly = false)}>Daily</button>
        <button class="link" aria-pressed=${this.weekly ? 'true' : 'false'} @click=${() => (this.weekly = true)}>Weekly</button>
      </div>
      <lv-chart
        .labels=${labels}
        .series=${series}
        summary=${`Success rate over time. ${t.statement}`}
        @lv-pick-label=${(e: CustomEvent<string>) => this.pickPeriod(e.detail, this.weekly ? 7 : 1)}
      ></lv-chart>
    </section>`;
  }

  private renderPrediction() {
    const p = this.prediction;
    const options = html`<option value="" ?selected=${this.predictionTag === null}>All examples</option>
      ${this.tags.slice(0, 200).map((t) => html`<option value=${t.tag} ?selected=${this.predictionTag === t.tag}>${showControls(t.tag)}</option>`)}`;
    let chart: unknown = nothing;
    if (p && p.history.length > 0) {
      // A time axis: the forecasts 7 and 30 days after the last week, at their distance.
      const lastWeek = dayNumber(p.history[p.history.length - 1]!.week);
      const future = p.forecasts.map((f) => `+${f.days} days`);
      const labels = [...p.history.map((h) => h.week), ...future];
      const days = [...p.history.map((h) => dayNumber(h.week)), ...p.forecasts.map((f) => lastWeek + f.days)];
      const pad = (xs: (number | null)[]) => [...xs, ...future.map(() => null)];
      const rates = pad(p.history.map((h) => (h.total ? (h.successes / h.total) * 100 : null)));
      const fitted = pad(p.history.map((h) => h.fitted));
      const series: Series[] = [
        { label: 'Weekly success rate', data: rates, color: 0, kind: 'points', counts: p.history.map((h) => (h.total ? h : null)) },
        { label: 'Fitted trend', data: fitted, color: 2, kind: 'dashed', spanGaps: true },
      ];
      if (p.forecasts.length) {
        const lastFit = p.history.map((h) => h.fitted).filter((v) => v !== null).pop() ?? null;
        const tail = (key: 'value' | 'low' | 'high') => [...p.history.map((_, i) => (i === p.history.length - 1 ? lastFit : null)), ...p.forecasts.map((f) => f[key])];
        series.push(
          { label: 'Band low', data: tail('low'), color: 2, hideFromLegend: true, kind: 'dashed', spanGaps: true },
          { label: '95% prediction band', data: tail('high'), color: 2, bandWithPrevious: true, spanGaps: true },
          { label: 'Prediction', data: tail('value'), color: 2, spanGaps: true },
        );
      }
      chart = html`<lv-chart .labels=${labels} .days=${days} .series=${series} summary=${p.explanation}></lv-chart>`;
    }
    return html`<section data-testid="prediction">
      <h2>Prediction</h2>
      <div class="row">
        <label>For <select aria-label="Prediction for" @change=${(e: Event) => void this.choosePrediction((e.target as HTMLSelectElement).value || null)}>${options}</select></label>
      </div>
      ${p && p.forecasts.length
        ? html`<p class="statement" data-testid="forecasts">
            ${p.forecasts.map((f) => html`In ${f.days} days: <strong>${pts(f.value)}</strong> <span class="muted">(${pts(f.low)}–${pts(f.high)})</span>. `)}
          </p>`
        : nothing}
      <p class="muted" data-testid="prediction-explanation">${p?.explanation ?? ''}</p>
      ${p?.backtest
        ? html`<p class="muted" data-testid="backtest">
            Backtest: mean absolute error ${p.backtest.meanAbsoluteError.toFixed(1)} points over the last ${p.backtest.heldOutWeeks} weeks.
          </p>`
        : nothing}
      ${chart}
    </section>`;
  }

  private techList(title: string, list: Technology[], testId: string) {
    return html`<div data-testid=${testId}>
      <h3>${title}</h3>
      ${list.length === 0
        ? html`<p class="muted">None with at least ${SMALL_SAMPLE} examples.</p>`
        : html`<ol>
            ${list.map((t) => html`<li>${showControls(t.tag)}: ${rateText(t.rate, t.small)} <span class="muted">· ${formatCount(t.rate.total)}</span></li>`)}
          </ol>`}
    </div>`;
  }

  private renderProficiency(r: AnalyticsReport) {
    // One slot per calendar week across every technology's series: a week none of them has stays, empty.
    const weeks = fillWeeks(
      [...new Set(r.proficiency.series.flatMap((s) => s.weekly.map((w) => w.week)))].sort().map((week) => ({ week })),
      MAX_WEEK_POINTS,
      (week) => ({ week }),
    ).map((w) => w.week);
    const series: Series[] = r.proficiency.series.map((s, i) => {
      const byWeek = new Map(s.weekly.map((w) => [w.week, w]));
      return {
        label: s.tag,
        data: weeks.map((wk) => {
          const w = byWeek.get(wk);
          return w && w.total >= 5 ? (w.successes / w.total) * 100 : null;
        }),
        counts: weeks.map((wk) => byWeek.get(wk) ?? null),
        color: i,
      };
    });
    return html`<section data-testid="proficiency">
      <h2>Proficiency by technology</h2>
      ${series.length
        ? html`<lv-chart
            .labels=${weeks}
            .series=${series}
            summary="Weekly success rate of the most practised technologies"
            @lv-pick-label=${(e: CustomEvent<string>) => this.pickPeriod(e.detail, 7)}
          ></lv-chart>`
        : html`<p class="muted">No tagged examples.</p>`}
      <div class="lists">${this.techList('Most practised', r.proficiency.mostPractised, 'most-practised')} ${this.techList('Most proficient', r.proficiency.mostProficient, 'most-proficient')}</div>
      <p class="muted">Most proficient ranks by the lower end of the 95% interval, so a small sample cannot top the list by luck.</p>
    </section>`;
  }

  private renderRecommendations(r: AnalyticsReport) {
    return html`<section data-testid="recommendations">
      <h2>Recommendations</h2>
      ${r.recommendations.length === 0
        ? html`<p class="muted">Nothing stands out: no technology is significantly below the overall rate or declining, and no related technology is waiting.</p>`
        : html`<ul class="cards">
            ${r.recommendations.map(
              (x) => html`<li class=${x.kind}>
                <strong>${x.title}</strong>
                <span>${x.reason}</span><br />
                <button class="primary" @click=${() => send({ type: 'startTask', technology: x.technology, depth: x.depth })}>Start Learning Task (${x.depth})</button>
              </li>`,
            )}
          </ul>`}
      <p class="muted">Related technologies come from ${formatCount(r.relatedFrom.examples)} ${r.relatedFrom.sampled ? 'most recent ' : ''}examples.</p>
    </section>`;
  }

  private renderInsights(r: AnalyticsReport) {
    return html`<section data-testid="insights">
      <h2>Insights</h2>
      ${r.insights.length === 0
        ? html`<p class="muted">Not enough examples for insights yet.</p>`
        : html`<ul class="cards">
            ${r.insights.map((x) => html`<li class=${x.kind}><strong>${x.title}</strong><span>${x.detail}</span></li>`)}
          </ul>`}
    </section>`;
  }

  private renderHeatmap(h: Heatmap) {
    const max = Math.max(1, ...h.cells.map((c) => c.total));
    const level = (n: number) => (n === 0 ? 0 : Math.min(4, 1 + Math.floor((n / max) * 3.999)));
    const describe = (c: Heatmap['cells'][number]) =>
      `${WEEKDAYS[c.weekday]} ${String(c.hour).padStart(2, '0')}:00–${String(c.hour + 1).padStart(2, '0')}:00: ${formatCount(c.total)} examples${c.total ? `, ${formatPercent(c.successes / c.total)} success` : ''}`;
    const busiest = [...h.cells].sort((a, b) => b.total - a.total)[0];
    return html`<section data-testid="heatmap">
      <h2>Activity</h2>
      <p class="muted">Examples per weekday and hour since ${formatDate(h.since)}, in local time (${h.timeZone}). Each cell shows its count; focus or hover a cell for its success rate.</p>
      <div class="heat">
        <table>
          <thead>
            <tr>
              <th scope="col"><span class="muted">Day</span></th>
              ${Array.from({ length: 24 }, (_, hour) => html`<th scope="col">${hour}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${WEEKDAYS.map(
              (day, weekday) => html`<tr>
                <th scope="row">${day.slice(0, 3)}</th>
                ${h.cells
                  .filter((c) => c.weekday === weekday)
                  .map(
                    (c) =>
                      html`<td
                        class=${`l${level(c.total)}`}
                        tabindex="0"
                        title=${describe(c)}
                        aria-label=${describe(c)}
                        @focus=${() => (this.focusedCell = describe(c))}
                        @mouseenter=${() => (this.focusedCell = describe(c))}
                      >
                        ${c.total}
                      </td>`,
                  )}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p data-testid="heat-detail" aria-live="polite">${this.focusedCell ?? (busiest && busiest.total ? `Busiest: ${describe(busiest)}` : 'No activity in this period.')}</p>
    </section>`;
  }

  private renderAb() {
    const c = this.comparison;
    const modelOptions = (selected: string) => this.models.map((m) => html`<option value=${m.model} ?selected=${m.model === selected}>${showControls(m.model)}</option>`);
    if (this.models.length < 2)
      return html`<section data-testid="ab">
        <h2>Model A/B</h2>
        <p class="muted">Comparing models needs examples from at least two models under these filters.</p>
      </section>`;
    const side = (label: string, s: ModelComparison['a']) =>
      html`<tr>
        <th scope="row">${label}: ${showControls(s.model)}</th>
        <td class="num">${formatCount(s.rate.total)}</td>
        <td>${rateText(s.rate, s.small)}</td>
        <td class="num">${s.tokensPerSuccess === null ? UNKNOWN : formatCount(Math.round(s.tokensPerSuccess))}</td>
        <td class="num">${s.timePerSuccess === null ? UNKNOWN : `${s.timePerSuccess.toFixed(1)} s`}</td>
      </tr>`;
    return html`<section data-testid="ab">
      <h2>Model A/B</h2>
      <div class="row">
        <label>A <select data-testid="ab-a" aria-label="Model A" @change=${(e: Event) => ((this.modelA = (e.target as HTMLSelectElement).value), void this.compare())}>${modelOptions(this.modelA)}</select></label>
        <label>B <select data-testid="ab-b" aria-label="Model B" @change=${(e: Event) => ((this.modelB = (e.target as HTMLSelectElement).value), void this.compare())}>${modelOptions(this.modelB)}</select></label>
        <label
          >Tag
          <select data-testid="ab-tag" aria-label="A/B tag" @change=${(e: Event) => ((this.abTag = (e.target as HTMLSelectElement).value || null), void this.compare())}>
            <option value="">any</option>
            ${this.tags.slice(0, 200).map((t) => html`<option value=${t.tag} ?selected=${this.abTag === t.tag}>${showControls(t.tag)}</option>`)}
          </select></label
        >
      </div>
      ${this.abError ? html`<p role="alert">${this.abError}</p>` : nothing}
      ${c
        ? html`<table>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" class="num">Examples</th>
                  <th scope="col">Success (95% interval)</th>
                  <th scope="col" class="num" title="All tokens spent divided by the successes: what one success costs">Tokens per success</th>
                  <th scope="col" class="num" title="Average time multiplied by the attempts one success takes">Time per success</th>
                </tr>
              </thead>
              <tbody>
                ${side('A', c.a)} ${side('B', c.b)}
              </tbody>
            </table>
            ${c.difference !== null && c.interval
              ? html`<p>
                  B − A: ${(c.difference * 100).toFixed(1)} points <span class="muted">(95% interval ${(c.interval[0] * 100).toFixed(1)} to ${(c.interval[1] * 100).toFixed(1)})</span>
                </p>`
              : nothing}
            <p class="verdict" data-testid="ab-verdict">${c.verdict}</p>`
        : html`<p class="muted">Comparing…</p>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-analytics': LvAnalytics;
  }
}
