import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AlertRecord, AlertsOverview } from '../../shared/alerts';
import type { Filters } from '../../shared/filters';
import { showControls } from '../../shared/plainText';
import { formatDateTime } from '../format';
import { tableStyles } from './tables.css';

function when(ms: number) {
  const t = formatDateTime(ms);
  return html`<span title=${t.title}>${t.text}</span>`;
}

/**
 * The alerts on the Overview: those firing now at the top (`section="active"`),
 * the history below (`section="history"`). "Show examples" filters the panel to
 * what the alert is about.
 */
@customElement('lv-alerts')
export class LvAlerts extends LitElement {
  static override styles = [
    tableStyles,
    css`
      .active {
        border: 1px solid var(--vscode-inputValidation-warningBorder, #b89500);
        background: var(--vscode-inputValidation-warningBackground, rgba(184, 149, 0, 0.12));
        padding: 6px 10px;
        margin-bottom: 10px;
        border-radius: 2px;
      }
      .active p {
        margin: 2px 0 6px;
        white-space: normal;
      }
      .title {
        font-weight: 600;
      }
      /* The history wraps rather than scrolls: it must read in a side column of 280 px. */
      table.wrap td,
      table.wrap th {
        white-space: normal;
        max-width: none;
        vertical-align: top;
      }
      table.wrap td.when {
        width: 8em;
      }
      h2 {
        font-size: 1.05em;
        margin: 12px 0 6px;
      }
    `,
  ];

  @property({ attribute: false }) alerts!: AlertsOverview;
  /** Which part to draw: the alerts firing now, or the history. */
  @property() section: 'active' | 'history' = 'history';

  private show(a: AlertRecord): void {
    this.dispatchEvent(new CustomEvent<Filters>('lv-filters', { detail: a.filters, bubbles: true, composed: true }));
  }

  private activeList() {
    const active = this.alerts.active;
    if (!active.length) return nothing;
    return html`<section class="active" role="alert" aria-label="Alerts firing" data-testid="alerts-active">
      ${active.map(
        (a) => html`<div>
          <div class="title">⚠ ${showControls(a.title)}</div>
          <p class="muted">${showControls(a.detail)} Since ${when(a.firedAt)}.</p>
          <button class="cell" @click=${() => this.show(a)}>Show these examples</button>
        </div>`,
      )}
    </section>`;
  }

  private history() {
    const { history, lastCheck, muted } = this.alerts;
    return html`<section aria-labelledby="alerts-history">
      <h2 id="alerts-history">Alerts</h2>
      ${history.length
        ? html`<div class="scroll">
            <table class="wrap" data-testid="alerts-history">
              <thead><tr><th>Fired</th><th>Alert</th></tr></thead>
              <tbody>
                ${history.map(
                  (a) => html`<tr>
                    <td class="when">
                      ${when(a.firedAt)}<br />
                      <span class="muted">${a.resolvedAt === null ? html`<strong>firing</strong>` : a.kind === 'taskFailed' ? 'event' : html`resolved ${when(a.resolvedAt)}`}</span>
                    </td>
                    <td><button class="cell" title=${showControls(a.detail)} @click=${() => this.show(a)}>${showControls(a.title)}</button></td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p class="muted" data-testid="alerts-none">
            No alerts yet.${lastCheck === null ? ' The rules have not been checked yet (Learning Viewer: Check Alerts Now).' : html` Last checked ${when(lastCheck)}.`}
          </p>`}
      ${muted.length ? html`<p class="muted">Muted rules: ${muted.join(', ')} (Learning Viewer: Unmute Alert Rules…).</p>` : nothing}
    </section>`;
  }

  override render() {
    return this.section === 'active' ? this.activeList() : this.history();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-alerts': LvAlerts;
  }
}
