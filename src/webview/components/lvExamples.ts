import { css, html, LitElement, nothing } from 'lit';
import { UNKNOWN } from '../../shared/figures';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoredExample } from '../../shared/example';
import type { Filters, SortColumn } from '../../shared/filters';
import { NO_FILTERS } from '../../shared/filters';
import { formatCount, formatDateTime } from '../format';
import { request, send } from '../hostBridge';
import { tableStyles } from './tables.css';
import type { LvDetails } from './lvDetails';
import './lvDetails';
import { showControls } from '../../shared/plainText';
import { Latest, STALE } from '../latest';
import { outcomeClass } from '../../shared/outcome';

export const PAGE_SIZE = 50;

const COLUMNS: { label: string; sort?: SortColumn; num?: boolean }[] = [
  { label: 'Date', sort: 'timestamp' },
  { label: 'Description' },
  { label: 'Outcome', sort: 'success' },
  { label: 'Tags' },
  { label: 'Model', sort: 'model' },
  { label: 'Tokens', sort: 'tokens', num: true },
];

/**
 * The filtered examples, a page at a time from the host, with the details of
 * the selected one. Keyboard: j/k or arrows move, Enter opens, f edits
 * feedback, Esc closes. A reply to an older request never replaces a newer one.
 */
@customElement('lv-examples')
export class LvExamples extends LitElement {
  static override styles = [
    tableStyles,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 12px;
      }
      .layout.with-details {
        grid-template-columns: minmax(0, 3fr) minmax(260px, 2fr);
      }
      @media (max-width: 700px) {
        .layout.with-details {
          grid-template-columns: minmax(0, 1fr);
        }
        /* A side column: the details above the table, where the eye is, not below 50 rows. */
        .layout.with-details lv-details {
          order: -1;
        }
      }
      .pager {
        display: flex;
        gap: 8px;
        align-items: center;
        margin: 6px 0;
      }
      .pager button,
      th button {
        font: inherit;
        background: none;
        border: 1px solid transparent;
        color: inherit;
        cursor: pointer;
        padding: 1px 4px;
      }
      .pager button:disabled {
        opacity: 0.4;
        cursor: default;
      }
      tbody tr {
        cursor: pointer;
      }
      .table-focus:focus-visible {
        outline: 1px solid var(--vscode-focusBorder, #007fd4);
      }
      .error {
        color: var(--vscode-errorForeground, #f48771);
      }
    `,
  ];

  /** The shared filters in force. */
  @property({ attribute: false }) filters: Filters = NO_FILTERS;
  /** The host's state version: a change means the data may have changed. */
  @property({ type: Number }) version = 0;
  @property() sort: SortColumn = 'timestamp';
  @property() direction: 'asc' | 'desc' = 'desc';
  @property({ type: Number }) offset = 0;
  /** The selected example's id (kept across refreshes and reloads). */
  @property() selectedId: string | null = null;
  @state() private rows: StoredExample[] = [];
  @state() private total = 0;
  @state() private loading = false;
  @state() private error: string | null = null;
  @state() private details: StoredExample | null = null;
  @state() private detailsOpen = false;
  private readonly pages = new Latest();
  private readonly detailsAsked = new Latest();
  private lastFilters = '';

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('filters') || changed.has('version') || changed.has('sort') || changed.has('direction') || changed.has('offset')) {
      const key = JSON.stringify(this.filters);
      if (this.lastFilters && key !== this.lastFilters && this.offset !== 0) {
        this.lastFilters = key;
        this.offset = 0; // new filters start at the first page; this update reloads
        return;
      }
      this.lastFilters = key;
      void this.load();
    }
  }

  private emitView(): void {
    this.dispatchEvent(
      new CustomEvent('lv-view', { detail: { sort: this.sort, direction: this.direction, offset: this.offset, selectedId: this.selectedId }, bubbles: true, composed: true }),
    );
  }

  private async load(): Promise<void> {
    this.loading = true;
    try {
      // The host applies its own filters (it owns them); a change of `filters` only says to load again.
      const page = await this.pages.run(() => request('examplesPage', { sort: this.sort, direction: this.direction, offset: this.offset, limit: PAGE_SIZE }));
      if (page === STALE) return; // a newer load is under way: it ends the loading
      this.rows = page.rows;
      this.total = page.total ?? this.offset + page.rows.length;
      this.error = null;
      this.loading = false;
      if (this.detailsOpen && this.selectedId) await this.loadDetails(this.selectedId);
    } catch (e) {
      this.error = (e as Error).message;
      this.loading = false;
    }
  }

  private async loadDetails(id: string): Promise<void> {
    const example = await this.detailsAsked.run(() => request('example', { id }));
    if (example !== STALE) this.details = example;
  }

  /** Opens an example's details (from a row, the keyboard or the tree). */
  async open(id: string): Promise<void> {
    if (this.detailsOpen && this.details?.id === id) return;
    this.selectedId = id;
    this.detailsOpen = true;
    this.emitView();
    await this.loadDetails(id);
    // Stacked (a side column): bring the details into view.
    if (window.matchMedia('(max-width: 700px)').matches) {
      await this.updateComplete;
      this.renderRoot.querySelector('lv-details')?.scrollIntoView({ block: 'start' });
    }
  }

  private close(): void {
    this.detailsOpen = false;
    this.details = null;
    this.renderRoot.querySelector<HTMLElement>('.table-focus')?.focus();
  }

  private move(step: number): void {
    if (this.rows.length === 0) return;
    const index = this.rows.findIndex((r) => r.id === this.selectedId);
    const next = index === -1 ? 0 : index + step;
    if (next >= this.rows.length && this.offset + PAGE_SIZE < this.total) {
      this.offset += PAGE_SIZE;
      this.selectedId = null;
    } else if (next < 0 && this.offset > 0) {
      this.offset = Math.max(0, this.offset - PAGE_SIZE);
      this.selectedId = null;
    } else {
      this.selectedId = this.rows[Math.max(0, Math.min(this.rows.length - 1, next))]!.id;
      this.renderRoot.querySelector(`tr[data-id="${CSS.escape(this.selectedId)}"]`)?.scrollIntoView({ block: 'nearest' });
      if (this.detailsOpen) void this.loadDetails(this.selectedId);
    }
    this.emitView();
  }

  /** Keys of the table (and Esc anywhere in the examples view). */
  handleKey(e: KeyboardEvent): boolean {
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        this.move(1);
        return true;
      case 'k':
      case 'ArrowUp':
        this.move(-1);
        return true;
      case 'Enter':
        if (this.selectedId) void this.open(this.selectedId);
        return true;
      case 'f':
        if (this.selectedId) {
          void this.open(this.selectedId).then(async () => {
            await this.updateComplete;
            this.renderRoot.querySelector<LvDetails>('lv-details')?.focusFeedback();
          });
        }
        return true;
      case 'Escape':
        if (this.detailsOpen) {
          this.close();
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  private async onFeedback(e: CustomEvent<{ id: string; feedback: string | null; done: (error?: string) => void }>): Promise<void> {
    try {
      const found = await request('setFeedback', { id: e.detail.id, feedback: e.detail.feedback });
      e.detail.done(found ? undefined : 'the example is no longer stored');
    } catch (err) {
      e.detail.done((err as Error).message);
    }
  }

  private sortBy(column: SortColumn): void {
    if (this.sort === column) this.direction = this.direction === 'desc' ? 'asc' : 'desc';
    else {
      this.sort = column;
      this.direction = column === 'timestamp' || column === 'tokens' ? 'desc' : 'asc';
    }
    this.offset = 0;
    this.emitView();
  }

  private page(delta: number): void {
    this.offset = Math.max(0, Math.min(this.offset + delta * PAGE_SIZE, Math.max(0, this.total - 1)));
    this.emitView();
  }

  override render() {
    const first = this.total === 0 ? 0 : this.offset + 1;
    const last = Math.min(this.offset + this.rows.length, this.total);
    return html`<div class="layout ${this.detailsOpen && this.details ? 'with-details' : ''}">
      <div>
        <div class="pager" role="navigation" aria-label="Pages">
          <button aria-label="Previous page" ?disabled=${this.offset === 0} @click=${() => this.page(-1)}>‹ Prev</button>
          <span data-testid="range" role="status">${this.loading ? 'Loading… ' : ''}${formatCount(first)}–${formatCount(last)} of ${formatCount(this.total)}</span>
          <button aria-label="Next page" ?disabled=${this.offset + PAGE_SIZE >= this.total} @click=${() => this.page(1)}>Next ›</button>
        </div>
        ${this.error
          ? html`<p class="error" role="alert">${this.error} <button @click=${() => void this.load()}>Retry</button></p>`
          : nothing}
        <div class="scroll table-focus" tabindex="0" aria-label="Examples: j and k move, Enter opens, f edits feedback, Esc closes">
          <table data-testid="examples" aria-rowcount=${this.total}>
            <thead>
              <tr>
                ${COLUMNS.map(
                  (c) =>
                    html`<th class=${c.num ? 'num' : ''} aria-sort=${c.sort && this.sort === c.sort ? (this.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
                      ${c.sort
                        ? html`<button @click=${() => this.sortBy(c.sort!)}>${c.label}${this.sort === c.sort ? (this.direction === 'asc' ? ' ▲' : ' ▼') : ''}</button>`
                        : c.label}
                    </th>`,
                )}
              </tr>
            </thead>
            <tbody>
              ${this.rows.map((r) => {
                const when = formatDateTime(r.timestamp);
                return html`<tr
                  data-id=${r.id}
                  data-testid="row"
                  aria-selected=${r.id === this.selectedId ? 'true' : 'false'}
                  @click=${() => void this.open(r.id)}
                >
                  <td title=${when.title}>${when.text}</td>
                  <td title=${showControls(r.taskDescription ?? '')}>${showControls(r.taskDescription ?? r.id)}</td>
                  <td class=${outcomeClass(r.success)}>${r.success === null ? '? unknown' : r.success ? '✓ success' : '✗ failure'}</td>
                  <td>${showControls(r.tags.join(', '))}</td>
                  <td>${r.model ?? UNKNOWN}</td>
                  <td class="num">${r.tokens === null ? UNKNOWN : formatCount(r.tokens)}</td>
                </tr>`;
              })}
            </tbody>
          </table>
          ${!this.loading && this.rows.length === 0 && !this.error ? html`<p class="muted">No examples match these filters.</p>` : nothing}
        </div>
      </div>
      ${this.detailsOpen && this.details
        ? html`<lv-details
            .example=${this.details}
            @lv-close=${() => this.close()}
            @lv-feedback=${(e: CustomEvent) => void this.onFeedback(e as CustomEvent<{ id: string; feedback: string | null; done: (error?: string) => void }>)}
            @lv-open-code=${(e: CustomEvent<string>) => send({ type: 'openCode', id: e.detail })}
            @lv-open-source=${(e: CustomEvent<string>) => send({ type: 'openSource', id: e.detail })}
            @lv-open-commit=${(e: CustomEvent<string>) => send({ type: 'openCommit', id: e.detail })}
          ></lv-details>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-examples': LvExamples;
  }
}
