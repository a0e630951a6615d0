import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ModelComparison } from '../../../shared/analytics';
import { UNKNOWN } from '../../../shared/figures';
import { showControls } from '../../../shared/plainText';
import { tableStyles } from '../tables.css';
import { formatCount } from '../../format';
import { rateText } from './parts';
import { panelStyles } from '../panel.css';
import { lvAnalyticsAbStyles } from './lvAnalyticsAb.css';
import { analyticsSectionStyles } from './analyticsStyles.css';

/** The models compared and the tag within which (null: any). */
export interface AbChoice {
  a: string;
  b: string;
  tag: string | null;
}

/** Model A against model B (within a tag if chosen): rates, costs, the difference and its verdict. A change of choice fires `lv-compare`. */
@customElement('lv-analytics-ab')
export class LvAnalyticsAb extends LitElement {
  static override styles = [panelStyles, tableStyles, analyticsSectionStyles, lvAnalyticsAbStyles];

  @property({ attribute: false }) models: { model: string; total: number }[] = [];
  @property({ attribute: false }) tags: { tag: string; total: number }[] = [];
  @property({ attribute: false }) modelA = '';
  @property({ attribute: false }) modelB = '';
  @property({ attribute: false }) abTag: string | null = null;
  @property({ attribute: false }) comparison: ModelComparison | null = null;
  @property({ attribute: false }) abError: string | null = null;

  override render() {
    return this.renderAb();
  }

  /** Fires `lv-compare` with the models and the tag as they now stand. */
  private choose(change: Partial<AbChoice>): void {
    const detail: AbChoice = { a: this.modelA, b: this.modelB, tag: this.abTag, ...change };
    this.dispatchEvent(new CustomEvent('lv-compare', { detail }));
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
        <label>A <select data-testid="ab-a" aria-label="Model A" @change=${(e: Event) => this.choose({ a: (e.target as HTMLSelectElement).value })}>${modelOptions(this.modelA)}</select></label>
        <label>B <select data-testid="ab-b" aria-label="Model B" @change=${(e: Event) => this.choose({ b: (e.target as HTMLSelectElement).value })}>${modelOptions(this.modelB)}</select></label>
        <label
          >Tag
          <select data-testid="ab-tag" aria-label="A/B tag" @change=${(e: Event) => this.choose({ tag: (e.target as HTMLSelectElement).value || null })}>
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
    'lv-analytics-ab': LvAnalyticsAb;
  }
}
