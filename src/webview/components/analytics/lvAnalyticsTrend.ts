import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AnalyticsReport } from '../../../shared/analytics';
import type { Series } from '../lvChart';
import '../lvChart';
import { linkButtonStyles } from '../linkButton.css';
import { filterToPeriod } from './parts';
import { panelStyles } from '../panel.css';
import { lvAnalyticsTrendStyles } from './lvAnalyticsTrend.css';
import { analyticsSectionStyles } from './analyticsStyles.css';
import { knownOutcomes } from '../../../core/analytics/successRate';

/** The trend of the success rate, daily with its 7-day moving average or weekly; a click on a day filters to it. */
@customElement('lv-analytics-trend')
export class LvAnalyticsTrend extends LitElement {
  static override styles = [panelStyles, linkButtonStyles, analyticsSectionStyles, lvAnalyticsTrendStyles];

  @property({ attribute: false }) trend: AnalyticsReport['trend'] | null = null;
  @state() private weekly = false;

  override render() {
    return this.trend ? this.renderTrend(this.trend) : nothing;
  }

  private renderTrend(t: AnalyticsReport['trend']) {
    const [labels, rate, avg] = this.weekly
      ? [t.weekly.map((w) => w.week), t.weekly.map((w) => (knownOutcomes(w) ? (w.successes / knownOutcomes(w)) * 100 : null)), null]
      : [t.daily.map((d) => d.day), t.daily.map((d) => (knownOutcomes(d) ? (d.successes / knownOutcomes(d)) * 100 : null)), t.daily.map((d) => (d.movingAverage === null ? null : d.movingAverage * 100))];
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
        @lv-pick-label=${(e: CustomEvent<string>) => filterToPeriod(this, e.detail, this.weekly ? 7 : 1)}
      ></lv-chart>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-analytics-trend': LvAnalyticsTrend;
  }
}
