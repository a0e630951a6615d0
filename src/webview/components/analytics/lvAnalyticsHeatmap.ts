import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Heatmap } from '../../../shared/analytics';
import { formatCount, formatDate, formatPercent } from '../../format';
import { panelStyles } from '../panel.css';
import { lvAnalyticsHeatmapStyles } from './lvAnalyticsHeatmap.css';
import { analyticsSectionStyles } from './analyticsStyles.css';
import { rateOfRow } from '../../../core/analytics/successRate';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Activity per weekday and hour in local time; a focused or hovered cell says its count and success rate. */
@customElement('lv-analytics-heatmap')
export class LvAnalyticsHeatmap extends LitElement {
  static override styles = [panelStyles, analyticsSectionStyles, lvAnalyticsHeatmapStyles];

  @property({ attribute: false }) heatmap: Heatmap | null = null;
  @state() private focusedCell: string | null = null;

  override render() {
    return this.heatmap ? this.renderHeatmap(this.heatmap) : nothing;
  }

  private renderHeatmap(h: Heatmap) {
    const max = Math.max(1, ...h.cells.map((c) => c.total));
    const level = (n: number) => (n === 0 ? 0 : Math.min(4, 1 + Math.floor((n / max) * 3.999)));
    const describe = (c: Heatmap['cells'][number]) => {
      const rate = rateOfRow(c).rate;
      return `${WEEKDAYS[c.weekday]} ${String(c.hour).padStart(2, '0')}:00–${String(c.hour + 1).padStart(2, '0')}:00: ${formatCount(c.total)} examples${rate !== null ? `, ${formatPercent(rate)} success` : ''}${c.unknown ? ` (${formatCount(c.unknown)} unknown)` : ''}`;
    };
    const busiest = [...h.cells].sort((a, b) => b.total - a.total)[0];
    return html`<section data-testid="heatmap">
      <h2>Activity</h2>
      <p class="muted">Examples per weekday and hour${busiest?.total ? ` since ${formatDate(h.since)}` : ''}, in local time (${h.timeZone}). Each cell shows its count; focus or hover a cell for its success rate.</p>
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
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-analytics-heatmap': LvAnalyticsHeatmap;
  }
}
