import { html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { DashboardState } from '../shared/dashboardProtocol';
import { appStyles } from './app.css';
import { formatCount, formatDateTime, formatPercent } from './format';
import { loadPersisted, onHostMessage, savePersisted, send } from './hostBridge';
import './components/lvCard';

const TABS = [{ id: 'overview', label: 'Overview' }] as const;
/** Below this many examples a rate is shown with a caveat, not as a headline. */
const SMALL_SAMPLE = 20;

/** The root of the Learning Viewer panel. */
@customElement('lv-app')
export class LvApp extends LitElement {
  static override styles = appStyles;

  /** The last whole snapshot from the host; null until the handshake answers. */
  @state() private snapshot: DashboardState | null = null;
  @state() private tab = loadPersisted().tab;
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onHostMessage((message) => {
      if (message.type === 'didChangeState') this.snapshot = message.state;
    });
    send({ type: 'ready' });
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.();
    super.disconnectedCallback();
  }

  private selectTab(id: string): void {
    this.tab = id;
    savePersisted({ tab: id });
  }

  override render() {
    return html`
      <header><h1>Learning Viewer</h1></header>
      <nav role="tablist" aria-label="Views">
        ${TABS.map(
          (t) =>
            html`<button role="tab" aria-selected=${this.tab === t.id ? 'true' : 'false'} @click=${() => this.selectTab(t.id)}>${t.label}</button>`,
        )}
      </nav>
      <main role="tabpanel">${this.snapshot ? this.renderOverview(this.snapshot) : html`<p class="loading" role="status">Loading…</p>`}</main>
    `;
  }

  private renderOverview(s: DashboardState) {
    const { health, overall } = s;
    const banner = health.reason ? html`<div class="banner" role="alert" data-testid="banner">${health.reason}</div>` : nothing;
    if (health.examples === 0) return html`${banner}${this.renderEmpty()}${this.renderHealth(s)}`;
    const rate = overall.rate ?? 0;
    const [lo, hi] = overall.interval ?? [0, 0];
    const small = overall.total < SMALL_SAMPLE;
    return html`${banner}
      <div class="cards">
        <lv-card
          data-testid="card-success"
          label="Success rate"
          .value=${formatPercent(rate)}
          .detail=${small
            ? `only ${overall.total} examples: between ${formatPercent(lo)} and ${formatPercent(hi)}`
            : `95% interval ${formatPercent(lo)} – ${formatPercent(hi)}`}
        ></lv-card>
        <lv-card
          data-testid="card-examples"
          label="Examples"
          .value=${formatCount(health.examples)}
          .detail=${`${formatCount(overall.successes)} succeeded`}
        ></lv-card>
      </div>
      ${this.renderHealth(s)}`;
  }

  private renderEmpty() {
    return html`<section class="empty" data-testid="empty">
      <h2>No learning examples yet</h2>
      <p>Learning Viewer reads the JSON Lines logs your KIMI agent writes, one learning example per line.</p>
      <p>
        Import a log once, or let the extension follow <code>learning_logs.jsonl</code> as KIMI appends to it (the files followed are set by the
        <code>learningViewer.logFiles</code> setting).
      </p>
      <div class="actions">
        <button class="primary" data-testid="import" @click=${() => send({ type: 'runCommand', command: 'learningViewer.importLogs' })}>
          Import KIMI Logs…
        </button>
        <button class="secondary" @click=${() => send({ type: 'runCommand', command: 'learningViewer.refresh' })}>Refresh</button>
      </div>
    </section>`;
  }

  private renderHealth(s: DashboardState) {
    const { health } = s;
    const last = health.lastImport ? formatDateTime(health.lastImport) : null;
    return html`<footer class="health" data-testid="health">
      <span>Database: <span class=${health.state === 'ok' ? 'state-ok' : 'state-warn'} data-testid="db-state">${health.state}</span></span>
      <span data-testid="examples-stored">${formatCount(health.examples)} examples stored</span>
      <span title=${last?.title ?? ''}>Last import: ${last?.text ?? 'never'}</span>
      <span>${health.followedFiles} ${health.followedFiles === 1 ? 'file' : 'files'} followed</span>
    </footer>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-app': LvApp;
  }
}
