import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AnalyticsReport, Technology } from '../../../shared/analytics';
import { MAX_WEEK_POINTS } from '../../../shared/analytics';
import { fillWeeks } from '../../../shared/series';
import { SMALL_SAMPLE } from '../../../core/analytics/successRate';
import { showControls } from '../../../shared/plainText';
import { formatCount } from '../../format';
import type { Series } from '../lvChart';
import '../lvChart';
import { filterToPeriod, rateText } from './parts';
import { panelStyles } from '../panel.css';
import { lvAnalyticsProficiencyStyles } from './lvAnalyticsProficiency.css';
import { analyticsSectionStyles } from './analyticsStyles.css';
import { knownOutcomes } from '../../../core/analytics/successRate';

/** Proficiency by technology: the weekly rates of the most practised, and the two ranked lists. */
@customElement('lv-analytics-proficiency')
export class LvAnalyticsProficiency extends LitElement {
  static override styles = [panelStyles, analyticsSectionStyles, lvAnalyticsProficiencyStyles];

  @property({ attribute: false }) proficiency: AnalyticsReport['proficiency'] | null = null;

  override render() {
    return this.proficiency ? this.renderProficiency(this.proficiency) : nothing;
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

  private renderProficiency(r: AnalyticsReport['proficiency']) {
    // One slot per calendar week across every technology's series: a week none of them has stays, empty.
    const weeks = fillWeeks(
      [...new Set(r.series.flatMap((s) => s.weekly.map((w) => w.week)))].sort().map((week) => ({ week })),
      MAX_WEEK_POINTS,
      (week) => ({ week }),
    ).map((w) => w.week);
    const series: Series[] = r.series.map((s, i) => {
      const byWeek = new Map(s.weekly.map((w) => [w.week, w]));
      return {
        label: s.tag,
        data: weeks.map((wk) => {
          const w = byWeek.get(wk);
          return w && knownOutcomes(w) >= 5 ? (w.successes / knownOutcomes(w)) * 100 : null;
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
            @lv-pick-label=${(e: CustomEvent<string>) => filterToPeriod(this, e.detail, 7)}
          ></lv-chart>`
        : html`<p class="muted">No tagged examples.</p>`}
      <div class="lists">${this.techList('Most practised', r.mostPractised, 'most-practised')} ${this.techList('Most proficient', r.mostProficient, 'most-proficient')}</div>
      <p class="muted">Most proficient ranks by the lower end of the 95% interval, so a small sample cannot top the list by luck.</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-analytics-proficiency': LvAnalyticsProficiency;
  }
}
