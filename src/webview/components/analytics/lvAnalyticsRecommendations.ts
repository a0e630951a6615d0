import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AnalyticsReport } from '../../../shared/analytics';
import { send } from '../../hostBridge';
import { formatCount } from '../../format';
import { panelStyles } from '../panel.css';
import { analyticsSectionStyles } from './analyticsStyles.css';

/** What to learn next, each with its reason and a button that starts the learning task. */
@customElement('lv-analytics-recommendations')
export class LvAnalyticsRecommendations extends LitElement {
  static override styles = [panelStyles, analyticsSectionStyles];

  @property({ attribute: false }) report: Pick<AnalyticsReport, 'recommendations' | 'relatedFrom'> | null = null;

  override render() {
    return this.report ? this.renderRecommendations(this.report) : nothing;
  }

  private renderRecommendations(r: Pick<AnalyticsReport, 'recommendations' | 'relatedFrom'>) {
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
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-analytics-recommendations': LvAnalyticsRecommendations;
  }
}
