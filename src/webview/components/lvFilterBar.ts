import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { request } from '../hostBridge';
import type { Filters } from '../../shared/filters';
import { lastDaysSince, NO_FILTERS, regexProblem } from '../../shared/filters';
import { filterBarStyles } from './filterBar.css';
import { linkButtonStyles } from './linkButton.css';
import { showControls } from '../../shared/plainText';
import { DAY_MS as DAY } from '../../shared/series';
import { lastFilterSeq } from '../filterSeq';

const PRESETS = [
  { id: 'all', label: 'All time', days: null },
  { id: '7', label: 'Last 7 days', days: 7 },
  { id: '30', label: 'Last 30 days', days: 30 },
  { id: '90', label: 'Last 90 days', days: 90 },
] as const;

/** The range's entry in the list; `custom` when the user chose Custom… (its dates stay open even when they match a preset). */
function presetOf(f: Filters, custom: boolean): string {
  if (f.since === null && f.until === null) return 'all';
  if (custom) return 'custom';
  const match = PRESETS.find((p) => p.days !== null && f.until === null && f.since === lastDaysSince(p.days));
  return match ? match.id : 'custom';
}

const toDateInput = (ms: number | null) => (ms === null ? '' : new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 10));
const fromDateInput = (text: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime() : null;
};

/** How long an edit sent to the host is built on before its echo comes back. */
const PENDING_MS = 2000;

/** The shared filters: date range, outcome, tags, model, text, code regex; active ones as removable chips. */
@customElement('lv-filter-bar')
export class LvFilterBar extends LitElement {
  static override styles = [filterBarStyles, linkButtonStyles];

  /** The filters in force (from the host's state). */
  @property({ attribute: false }) filters: Filters = NO_FILTERS;
  /** The number of the last of this panel's filter changes the host applied (its state's filtersSeq). */
  @property({ attribute: false }) filtersSeq = 0;
  /** Tags with their counts, for the autocomplete list. */
  @property({ attribute: false }) tags: { tag: string; total: number }[] = [];
  /** Models with their counts. */
  @property({ attribute: false }) models: { model: string; total: number }[] = [];
  /** Names of the workspace's saved views. */
  @property({ attribute: false }) views: string[] = [];
  /** What is wrong with the saved-views file, if anything. */
  @property() viewsProblem: string | null = null;
  private searchTimer: number | undefined;
  /** Recent sessions with counts, asked for when the session box is first focused. */
  @state() private sessions: { value: string; count: number }[] = [];
  /** Custom… was chosen: its date inputs stay open. */
  @state() private custom = false;
  /** What is wrong with the regular expression being typed: said beside the box, never sent to the host. */
  @state() private regexError: string | null = null;

  /**
   * Filters sent and not yet applied by the host: a second edit before the first comes back (the To
   * date right after the From date) builds on it instead of undoing it. It waits for the host's
   * state to echo its number (filtersSeq): a state the host built before applying it (its own
   * number smaller) does not end the wait. It lapses after PENDING_MS (a host that never answers).
   */
  private pending: { filters: Filters; seq: number; at: number } | null = null;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('filtersSeq') && this.pending && this.filtersSeq >= this.pending.seq) this.pending = null;
  }

  private change(next: Partial<Filters>): void {
    const base = this.pending && performance.now() - this.pending.at < PENDING_MS ? this.pending.filters : this.filters;
    const detail = { ...base, ...next };
    this.dispatchEvent(new CustomEvent<Filters>('lv-filters', { detail, bubbles: true, composed: true }));
    // The panel sent it with the next number as the event went by (dispatching is synchronous).
    this.pending = { filters: detail, seq: lastFilterSeq(), at: performance.now() };
  }

  /** Focuses the text search (the `/` key). */
  focusSearch(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
  }

  private onPreset(e: Event): void {
    const id = (e.target as HTMLSelectElement).value;
    const preset = PRESETS.find((p) => p.id === id);
    if (id === 'custom') {
      this.custom = true;
      // The range in force stays; with none, the last 30 days to start from. The From date takes the focus.
      if (this.filters.since === null && this.filters.until === null) this.change({ since: lastDaysSince(30), until: null });
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[aria-label="From"]')?.focus());
    } else if (preset) {
      this.custom = false;
      this.change({ since: preset.days === null ? null : lastDaysSince(preset.days), until: null });
    }
  }

  private onSearch(e: Event): void {
    const value = (e.target as HTMLInputElement).value;
    window.clearTimeout(this.searchTimer);
    // Typing is debounced: one request when the user pauses.
    this.searchTimer = window.setTimeout(() => this.applySearch(value), 300);
  }

  /** Sends the search, or says inline what is wrong with the regular expression (and sends nothing until it is fixed). */
  private applySearch(value: string): void {
    const regex = this.renderRoot.querySelector<HTMLInputElement>('#regex')?.checked ?? false;
    this.regexError = regex && value ? regexProblem(value) : null;
    if (this.regexError) return;
    this.change(regex ? { codeRegex: value || null, search: null } : { search: value || null, codeRegex: null });
  }

  private onTag(e: Event): void {
    const input = e.target as HTMLInputElement;
    const tag = input.value.trim();
    if (!tag || this.filters.tags.includes(tag)) return;
    input.value = '';
    this.change({ tags: [...this.filters.tags, tag] });
  }

  override render() {
    const f = this.filters;
    const preset = presetOf(f, this.custom);
    const chips: { label: string; clear: Partial<Filters> }[] = [];
    if (f.since !== null || f.until !== null) {
      const p = PRESETS.find((x) => x.id === preset);
      chips.push({ label: p ? p.label : `${toDateInput(f.since) || '…'} – ${f.until ? toDateInput(f.until - DAY) : '…'}`, clear: { since: null, until: null } });
    }
    if (f.success !== null) chips.push({ label: f.success === 'unknown' ? 'Outcome unknown' : f.success ? 'Succeeded' : 'Failed', clear: { success: null } });
    for (const t of f.tags) chips.push({ label: `tag: ${showControls(t)}`, clear: { tags: f.tags.filter((x) => x !== t) } });
    if (f.andTag) chips.push({ label: `tag: ${f.andTag}`, clear: { andTag: null } });
    if (f.model !== null) chips.push({ label: `model: ${showControls(f.model)}`, clear: { model: null } });
    if (f.session !== null) chips.push({ label: `session: ${f.session.slice(0, 8)}`, clear: { session: null } });
    if (f.search) chips.push({ label: `text: ${f.search}`, clear: { search: null } });
    if (f.codeRegex) chips.push({ label: `code: /${f.codeRegex}/`, clear: { codeRegex: null } });
    if (f.taskExamples !== 'without') chips.push({ label: f.taskExamples === 'with' ? 'with task examples' : 'task examples only', clear: { taskExamples: 'without' } });
    if (f.hasCommit !== null) chips.push({ label: f.hasCommit ? 'with a commit' : 'without a commit', clear: { hasCommit: null } });
    if (f.branch !== null) chips.push({ label: `branch: ${showControls(f.branch)}`, clear: { branch: null } });
    if (f.file !== null) chips.push({ label: `file: ${showControls(f.file)}`, clear: { file: null } });
    return html`<div class="row" role="group" aria-label="Filters">
        <label
          >Range
          <select aria-label="Date range" @change=${this.onPreset} .value=${preset}>
            ${PRESETS.map((p) => html`<option value=${p.id} ?selected=${preset === p.id}>${p.label}</option>`)}
            <option value="custom" ?selected=${preset === 'custom'}>Custom…</option>
          </select></label
        >
        ${preset === 'custom'
          ? html`<input type="date" aria-label="From" .value=${toDateInput(f.since)} @change=${(e: Event) => this.change({ since: fromDateInput((e.target as HTMLInputElement).value) })} />
              <input
                type="date"
                aria-label="To"
                .value=${f.until ? toDateInput(f.until - DAY) : ''}
                @change=${(e: Event) => {
                  const d = fromDateInput((e.target as HTMLInputElement).value);
                  this.change({ until: d === null ? null : d + DAY });
                }}
              />`
          : nothing}
        <label
          >Outcome
          <select
            aria-label="Outcome"
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              this.change({ success: v === 'all' ? null : v === 'unknown' ? 'unknown' : v === 'success' });
            }}
          >
            <option value="all" ?selected=${f.success === null}>All</option>
            <option value="success" ?selected=${f.success === true}>Succeeded</option>
            <option value="failure" ?selected=${f.success === false}>Failed</option>
            <option value="unknown" ?selected=${f.success === 'unknown'}>Unknown</option>
          </select></label
        >
        <label title="A learning task's practice examples are not the agent's own work: left out of every figure unless asked for"
          >Task examples
          <select
            aria-label="Learning tasks' examples"
            @change=${(e: Event) => this.change({ taskExamples: (e.target as HTMLSelectElement).value as Filters['taskExamples'] })}
          >
            <option value="without" ?selected=${f.taskExamples === 'without'}>Left out</option>
            <option value="with" ?selected=${f.taskExamples === 'with'}>Included</option>
            <option value="only" ?selected=${f.taskExamples === 'only'}>Only</option>
          </select></label
        >
        <label
          >Commit
          <select
            aria-label="Commit"
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              this.change({ hasCommit: v === 'any' ? null : v === 'with' });
            }}
          >
            <option value="any" ?selected=${f.hasCommit === null}>Any</option>
            <option value="with" ?selected=${f.hasCommit === true}>Has a commit</option>
            <option value="without" ?selected=${f.hasCommit === false}>No commit</option>
          </select></label
        >
        <label
          >Tag
          <input type="text" list="lv-tags" aria-label="Add a tag filter" placeholder="add tag…" size="10" @change=${this.onTag} />
          <datalist id="lv-tags">${this.tags.map((t) => html`<option value=${t.tag}>${t.total.toLocaleString()} examples</option>`)}</datalist></label
        >
        <label
          >Model
          <select aria-label="Model" @change=${(e: Event) => this.change({ model: (e.target as HTMLSelectElement).value || null })}>
            <option value="" ?selected=${f.model === null}>All models</option>
            ${this.models.map((m) => html`<option value=${m.model} ?selected=${f.model === m.model}>${showControls(m.model)} (${m.total.toLocaleString()})</option>`)}
          </select></label
        >
        <label
          >Session
          <input
            type="text"
            list="lv-sessions"
            aria-label="Session"
            placeholder="any"
            size="10"
            .value=${f.session ?? ''}
            @focus=${() => {
              if (this.sessions.length === 0) void request('distinct', { field: 'session' }).then((v) => (this.sessions = v), () => undefined);
            }}
            @change=${(e: Event) => this.change({ session: (e.target as HTMLInputElement).value.trim() || null })}
          />
          <datalist id="lv-sessions">${this.sessions.map((x) => html`<option value=${x.value}>${x.count.toLocaleString()} examples</option>`)}</datalist></label
        >
        <input
          type="search"
          aria-label="Search descriptions, code and feedback"
          placeholder="Search… ( / )"
          aria-invalid=${this.regexError ? 'true' : 'false'}
          aria-describedby="regex-error"
          .value=${f.codeRegex ?? f.search ?? ''}
          @input=${this.onSearch}
        />
        <label title="Treat the search as a regular expression over the code"
          ><input
            id="regex"
            type="checkbox"
            .checked=${f.codeRegex !== null}
            @change=${() => {
              // Switching the mode of a search in force applies it again; an empty box has nothing to apply.
              const value = this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]')?.value ?? '';
              if (value) this.applySearch(value);
              else this.regexError = null;
            }}
          />
          regex in code</label
        >
        <span id="regex-error" class="error" role="status" data-testid="regex-error">${this.regexError ?? ''}</span>
        <label
          >View
          <select
            aria-label="Saved view"
            title=${this.viewsProblem ?? 'Saved views from .vscode/learning-views.json'}
            @change=${(e: Event) => {
              const select = e.target as HTMLSelectElement;
              if (select.value) this.dispatchEvent(new CustomEvent('lv-apply-view', { detail: select.value, bubbles: true, composed: true }));
              select.value = '';
            }}
          >
            <option value="">${this.viewsProblem ? 'views file has a problem' : this.views.length ? 'Apply…' : 'none saved'}</option>
            ${this.views.map((v) => html`<option value=${v}>${v}</option>`)}
          </select></label
        >
        <button class="link" @click=${() => this.dispatchEvent(new CustomEvent('lv-save-view', { bubbles: true, composed: true }))}>Save view…</button>
      </div>
      ${this.viewsProblem ? html`<div class="chips" role="alert">${this.viewsProblem}</div>` : nothing}
      ${chips.length
        ? html`<div class="chips" aria-label="Active filters">
            ${chips.map(
              (c) => html`<span class="chip" data-testid="chip"
                >${c.label}<button aria-label=${`Remove filter ${c.label}`} @click=${() => this.change(c.clear)}>×</button></span
              >`,
            )}
            <button class="link" @click=${() => this.change(NO_FILTERS)}>Clear all</button>
          </div>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-filter-bar': LvFilterBar;
  }
}
