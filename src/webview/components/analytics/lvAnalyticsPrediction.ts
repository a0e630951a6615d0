import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Prediction } from '../../../shared/analytics';
import { dayNumber } from '../../../shared/series';
import { showControls } from '../../../shared/plainText';
import type { Series } from '../lvChart';
import '../lvChart';
import { pts } from './parts';
import { panelStyles } from '../panel.css';
import { analyticsSectionStyles } from './analyticsStyles.css';
import { knownOutcomes } from '../../../core/analytics/successRate';

/** The prediction for all examples or one technology: forecasts with their band, the backtest, the chart. Choosing a technology fires `lv-choose-prediction` (its tag, or null). */
@customElement('lv-analytics-prediction')
export class LvAnalyticsPrediction extends LitElement {
  static override styles = [panelStyles, analyticsSectionStyles];

  @property({ attribute: false }) prediction: Prediction | null = null;
  /** The technology it is for; null: all examples. */
  @property({ attribute: false }) predictionTag: string | null = null;
  @property({ attribute: false }) tags: { tag: string; total: number }[] = [];

  override render() {
    return this.renderPrediction();
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
      const rates = pad(p.history.map((h) => (knownOutcomes(h) ? (h.successes / knownOutcomes(h)) * 100 : null)));
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
        <label>For <select aria-label="Prediction for" @change=${(e: Event) => this.dispatchEvent(new CustomEvent('lv-choose-prediction', { detail: (e.target as HTMLSelectElement).value || null }))}>${options}</select></label>
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
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-analytics-prediction': LvAnalyticsPrediction;
  }
}
