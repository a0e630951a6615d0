import { html, nothing } from 'lit';
import { knownOutcomes, SMALL_SAMPLE } from '../../../core/analytics/successRate';
import type { Rate } from '../../../shared/example';
import { formatCount, formatPercent } from '../../format';
import { localDayRange } from '../../../shared/series';

/** A rate with its 95% interval, and a "small sample" mark where it is not ranked. */
export function rateText(rate: Rate, small = false) {
  // Over the known outcomes; the unknown ones are named, never counted as failures.
  const unknown = rate.unknown > 0 ? html` <span class="muted unknown" title="examples whose outcome is unknown: not in the rate">· ${formatCount(knownOutcomes(rate))} known · ${formatCount(rate.unknown)} unknown</span>` : nothing;
  if (rate.rate === null || !rate.interval) return html`<span class="muted">${rate.unknown > 0 ? 'no known outcome' : 'no examples'}</span>${unknown}`;
  return html`${formatPercent(rate.rate)} <span class="muted">(${formatPercent(rate.interval[0])}–${formatPercent(rate.interval[1])})</span>${small
      ? html` <span class="small" title=${`fewer than ${SMALL_SAMPLE} examples of known outcome: not ranked`}>small sample</span>`
      : nothing}${unknown}`;
}

/** Percentage points, as the prediction gives them (0–100). */
export const pts = (v: number) => `${v.toFixed(1)}%`;

/** A click on a day or a week (its YYYY-MM-DD label) filters the panel to it: local midnight to `days` later. */
export function filterToPeriod(from: HTMLElement, label: string, days: number): void {
  const detail = localDayRange(label, days);
  if (!detail) return;
  from.dispatchEvent(new CustomEvent('lv-filter-range', { detail, bubbles: true, composed: true }));
}
