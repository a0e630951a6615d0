import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { KnowledgeEntry } from '../../shared/tasks';
import { formatCount, formatDate, formatPercent, formatWhen } from '../format';
import { request, send } from '../hostBridge';
import type { Series } from './lvChart';
import { linkButtonStyles } from './linkButton.css';
import { tableStyles } from './tables.css';
import { panelStyles } from './panel.css';
import './lvChart';
import { showControls } from '../../shared/plainText';
import { formatP } from '../../core/analytics/statistics';
import { Latest, STALE } from '../latest';

function rate(r: KnowledgeEntry['proficiency']) {
  if (r.rate === null || !r.interval) return html`<span class="muted">no examples</span>`;
  return html`${formatPercent(r.rate)} <span class="muted">(${formatPercent(r.interval[0])}–${formatPercent(r.interval[1])}, ${formatCount(r.total)} examples)</span>`;
}

/** The Knowledge tab: what the learning tasks found, per technology, and how proficiency grew. */
@customElement('lv-knowledge')
export class LvKnowledge extends LitElement {
  static override styles = [
    tableStyles,
    linkButtonStyles,
    panelStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr);
        gap: 16px;
      }
      @media (max-width: 800px) {
        :host {
          grid-template-columns: 1fr;
        }
      }
      h3 {
        font-size: 1em;
        margin: 12px 0 4px;
      }
      .row {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        margin-bottom: 8px;
      }
      ul.entries {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ul.entries li button {
        all: unset;
        display: block;
        width: 100%;
        padding: 4px 6px;
        cursor: pointer;
        box-sizing: border-box;
      }
      ul.entries li button:focus-visible {
        outline: 1px solid var(--vscode-focusBorder);
      }
      ul.entries li[aria-current='true'] button {
        background: var(--vscode-list-inactiveSelectionBackground, rgba(128, 128, 128, 0.2));
        color: var(--vscode-list-inactiveSelectionForeground, inherit);
      }
    `,
  ];

  /** Grows when tasks finish: the entries are fetched again. */
  @property({ type: Number }) generation = 0;
  @state() private entries: KnowledgeEntry[] = [];
  @state() private search = '';
  @state() private technology: string | null = null;
  @state() private selectedId: string | null = null;
  /** An entry to show (a finished task's link): the list is cleared of its filters and that entry selected. */
  @property({ attribute: false }) focusId: string | null = null;
  @state() private error: string | null = null;
  @state() private loaded = false;
  private searchTimer: number | undefined;
  private readonly lists = new Latest();

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('focusId') && this.focusId) {
      this.technology = null;
      this.search = '';
      this.selectedId = this.focusId;
    }
    if (changed.has('generation') || (changed.has('focusId') && this.focusId)) void this.load();
  }

  private async load(): Promise<void> {
    try {
      const entries = await this.lists.run(() => request('knowledge', { technology: this.technology, search: this.search.trim() || null }));
      if (entries === STALE) return;
      this.entries = entries;
      this.error = null;
      this.loaded = true;
      if (!entries.some((e) => e.id === this.selectedId)) this.selectedId = entries[0]?.id ?? null;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private onSearch(value: string): void {
    this.search = value;
    window.clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => void this.load(), 200);
  }

  override render() {
    if (this.error) return html`<p role="alert" data-testid="knowledge-error">${this.error} <button class="link" @click=${() => void this.load()}>Retry</button></p>`;
    const technologies = [...new Set(this.entries.map((e) => e.technology))].sort();
    const selected = this.entries.find((e) => e.id === this.selectedId) ?? null;
    return html`<section data-testid="knowledge-list">
        <h2>Knowledge</h2>
        <div class="row">
          <input type="search" aria-label="Search knowledge" placeholder="Search…" .value=${this.search} @input=${(e: Event) => this.onSearch((e.target as HTMLInputElement).value)} />
          <select
            aria-label="Technology"
            @change=${(e: Event) => {
              this.technology = (e.target as HTMLSelectElement).value || null;
              void this.load();
            }}
          >
            <option value="">All technologies</option>
            ${(this.technology && !technologies.includes(this.technology) ? [this.technology, ...technologies] : technologies).map(
              (t) => html`<option value=${t} ?selected=${t === this.technology}>${t}</option>`,
            )}
          </select>
        </div>
        ${!this.loaded
          ? html`<p class="muted" role="status">Loading…</p>`
          : this.entries.length === 0
            ? html`<p class="muted" data-testid="knowledge-empty">
                ${this.search || this.technology ? 'No knowledge entry matches.' : 'No knowledge yet: a finished learning task writes an entry here.'}
              </p>`
            : html`<ul class="entries">
                ${this.entries.map(
                  (e) => html`<li aria-current=${e.id === this.selectedId ? 'true' : 'false'}>
                    <button data-testid="knowledge-entry" @click=${() => (this.selectedId = e.id)}>
                      <strong>${e.technology}</strong> <span class="muted">· ${e.depth} · ${formatWhen(e.createdAt)}</span><br />
                      ${rate(e.proficiency)}
                    </button>
                  </li>`,
                )}
              </ul>`}
      </section>
      <section data-testid="knowledge-details">${selected ? this.renderDetails(selected) : html`<p class="muted">Select an entry.</p>`}</section>`;
  }

  private renderDetails(e: KnowledgeEntry) {
    const history = this.entries.filter((x) => x.technology === e.technology && x.proficiency.rate !== null).sort((a, b) => a.createdAt - b.createdAt);
    const labels = history.map((x) => formatDate(x.createdAt));
    const series: Series[] = [
      { label: 'Interval low', data: history.map((x) => x.proficiency.interval![0] * 100), color: 0, hideFromLegend: true, kind: 'dashed' },
      { label: '95% interval', data: history.map((x) => x.proficiency.interval![1] * 100), color: 0, bandWithPrevious: true },
      { label: `Proficiency in ${e.technology}`, data: history.map((x) => x.proficiency.rate! * 100), color: 1, kind: 'points' },
    ];
    const period = e.since === null ? 'everything stored' : `${formatDate(e.since)} – ${formatDate(e.until)}`;
    return html`<h2>${e.technology} <span class="muted">(${e.depth}, ${period})</span></h2>
      <p data-testid="knowledge-proficiency">Proficiency: ${rate(e.proficiency)}</p>
      <p>${e.trend.statement}</p>
      ${e.summary ? html`<p><strong>Learner:</strong> ${e.summary}</p>` : nothing}
      <h3>Proficiency growth</h3>
      ${history.length >= 2
        ? html`<lv-chart .labels=${labels} .series=${series} summary=${`Proficiency in ${e.technology} over ${history.length} knowledge entries`}></lv-chart>`
        : html`<p class="muted">One entry so far: the growth chart appears after the next task on ${e.technology}.</p>`}
      <h3>Next steps</h3>
      ${e.nextSteps.length
        ? html`<ul data-testid="next-steps">
            ${e.nextSteps.map((s) => html`<li><strong>${s.step}</strong>: ${s.reason}</li>`)}
          </ul>`
        : html`<p class="muted">Nothing stands out.</p>`}
      <button class="primary" @click=${() => send({ type: 'startTask', technology: e.technology })}>Start Learning Task on ${e.technology}</button>
      <h3>Fails most with</h3>
      ${e.failsWith.length
        ? html`<table>
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col" class="num">Failures</th>
                <th scope="col" class="num">Examples</th>
                <th scope="col" class="num">Failure rate</th>
              </tr>
            </thead>
            <tbody>
              ${e.failsWith.map((f) => html`<tr><td>${showControls(f.tag)}</td><td class="num">${f.failures}</td><td class="num">${f.total}</td><td class="num">${formatPercent(f.failureRate)}</td></tr>`)}
            </tbody>
          </table>`
        : html`<p class="muted">No failures shared with another tag.</p>`}
      <h3>Related technologies</h3>
      ${e.related.length
        ? html`<p>${e.related.map((r, i) => html`${i ? ', ' : ''}${showControls(r.tag)} <span class="muted">(lift ${r.lift.toFixed(1)}, ${r.together} together${r.pValue === undefined ? '' : `, ${formatP(r.pValue)}`})</span>`)}</p>`
        : html`<p class="muted">None occur with it more often than chance.</p>`}
      <h3>Typical metrics</h3>
      <p>
        ${e.metrics.avgExecutionTime === null ? 'No execution times' : `${e.metrics.avgExecutionTime.toFixed(1)} s per example`} ·
        ${e.metrics.avgTokens === null ? 'no tokens' : `${formatCount(Math.round(e.metrics.avgTokens))} tokens per example`}
        ${e.metrics.tokensPerSuccess === null ? nothing : html` · ${formatCount(Math.round(e.metrics.tokensPerSuccess))} per success`}
      </p>
      ${e.byModel.length
        ? html`<h3>By model</h3>
            <ul>
              ${e.byModel.map((m) => html`<li>${showControls(m.model)}: ${rate(m.rate)}</li>`)}
            </ul>`
        : nothing}
      <p class="muted">${formatCount(e.examplesAnalysed)} examples analysed.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-knowledge': LvKnowledge;
  }
}
