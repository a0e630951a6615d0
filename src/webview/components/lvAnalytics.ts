import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AnalyticsReport, ModelComparison, Prediction } from '../../shared/analytics';
import { request } from '../hostBridge';
import { panelStyles } from './panel.css';
import { linkButtonStyles } from './linkButton.css';
import { Latest, STALE } from '../latest';
import './analytics/lvAnalyticsTrend';
import './analytics/lvAnalyticsPrediction';
import './analytics/lvAnalyticsProficiency';
import './analytics/lvAnalyticsRecommendations';
import './analytics/lvAnalyticsInsights';
import './analytics/lvAnalyticsHeatmap';
import './analytics/lvAnalyticsAb';
import type { AbChoice } from './analytics/lvAnalyticsAb';

/**
 * The Analytics tab: asks the host for the report, a prediction and a model comparison (each dropping a stale
 * answer), and lays out one component per section (src/webview/components/analytics/).
 */
@customElement('lv-analytics')
export class LvAnalytics extends LitElement {
  static override styles = [
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
      /* The heatmap's 24 hours want the whole row: side by side with another card they would scroll. */
      lv-analytics-heatmap {
        grid-column: 1 / -1;
      }
    `,
  ];

  /** The state's version: a new one means the data or the filters changed. */
  @property({ type: Number }) version = 0;
  @property({ attribute: false }) tags: { tag: string; total: number }[] = [];
  @property({ attribute: false }) models: { model: string; total: number }[] = [];

  @state() private report: AnalyticsReport | null = null;
  @state() private error: string | null = null;
  @state() private predictionTag: string | null = null;
  @state() private prediction: Prediction | null = null;
  @state() private modelA = '';
  @state() private modelB = '';
  @state() private abTag: string | null = null;
  @state() private comparison: ModelComparison | null = null;
  @state() private abError: string | null = null;
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
      <lv-analytics-trend .trend=${r.trend}></lv-analytics-trend>
      <lv-analytics-prediction
        .prediction=${this.prediction}
        .predictionTag=${this.predictionTag}
        .tags=${this.tags}
        @lv-choose-prediction=${(e: CustomEvent<string | null>) => void this.choosePrediction(e.detail)}
      ></lv-analytics-prediction>
      <lv-analytics-proficiency .proficiency=${r.proficiency}></lv-analytics-proficiency>
      <lv-analytics-recommendations .report=${r}></lv-analytics-recommendations>
      <lv-analytics-insights .insights=${r.insights}></lv-analytics-insights>
      <lv-analytics-heatmap .heatmap=${r.heatmap}></lv-analytics-heatmap>
      <lv-analytics-ab
        .models=${this.models}
        .tags=${this.tags}
        .modelA=${this.modelA}
        .modelB=${this.modelB}
        .abTag=${this.abTag}
        .comparison=${this.comparison}
        .abError=${this.abError}
        @lv-compare=${(e: CustomEvent<AbChoice>) => {
          [this.modelA, this.modelB, this.abTag] = [e.detail.a, e.detail.b, e.detail.tag];
          void this.compare();
        }}
      ></lv-analytics-ab>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-analytics': LvAnalytics;
  }
}
