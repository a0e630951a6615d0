import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AnalyticsReport } from '../../../shared/analytics';
import { panelStyles } from '../panel.css';
import { analyticsSectionStyles } from './analyticsStyles.css';

/** Insights: what the figures say, each with its detail. */
@customElement('lv-analytics-insights')
export class LvAnalyticsInsights extends LitElement {
  static override styles = [panelStyles, analyticsSectionStyles];

  @property({ attribute: false }) insights: AnalyticsReport['insights'] = [];

  override render() {
    return this.renderInsights(this.insights);
  }

  private renderInsights(insights: AnalyticsReport['insights']) {
    return html`<section data-testid="insights">
      <h2>Insights</h2>
      ${insights.length === 0
        ? html`<p class="muted">Not enough examples for insights yet.</p>`
        : html`<ul class="cards">
            ${insights.map((x) => html`<li class=${x.kind}><strong>${x.title}</strong><span>${x.detail}</span></li>`)}
          </ul>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-analytics-insights': LvAnalyticsInsights;
  }
}
