import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cardStyles } from './card.css';

/** A headline figure: label, value and one line of detail. */
@customElement('lv-card')
export class LvCard extends LitElement {
  static override styles = cardStyles;

  /** What the figure is. */
  @property() label = '';
  /** The figure, already formatted. */
  @property() value = '';
  /** One line under the figure (interval, caveat). */
  @property() detail = '';
  /** Colours the detail: 'up' (better), 'down' (worse) or none. */
  @property() tone: '' | 'up' | 'down' = '';

  override render() {
    return html`<section class="card" aria-label=${this.label}>
      <div class="label">${this.label}</div>
      <div class="value" data-testid="value">${this.value}</div>
      <div class="detail ${this.tone}" data-testid="detail">${this.detail}</div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-card': LvCard;
  }
}
