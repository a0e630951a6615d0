import { html, LitElement, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { DashboardState, PanelPersistedState } from '../shared/dashboardProtocol';
import type { Filters } from '../shared/filters';
import { appStyles } from './app.css';
import { linkButtonStyles } from './components/linkButton.css';
import { formatCount, formatDateTime } from './format';
import { loadPersisted, onHostMessage, savePersisted, send } from './hostBridge';
import type { LvExamples } from './components/lvExamples';
import type { LvFilterBar } from './components/lvFilterBar';
import './components/lvCard';
import './components/lvFilterBar';
import './components/lvOverview';
import './components/lvExamples';
import './components/lvAnalytics';
import './components/lvLearning';
import './components/lvKnowledge';
import type { LvLearning } from './components/lvLearning';
import type { Task } from '../shared/tasks';
import { timeZoneName } from '../shared/dates';
import { nextFilterSeq } from './filterSeq';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'examples', label: 'Examples' },
  { id: 'analytics', label: 'Analytics' },
  { id: 'learning', label: 'Learning' },
  { id: 'knowledge', label: 'Knowledge' },
] as const;

/** The root of the Learning Viewer panel. */
@customElement('lv-app')
export class LvApp extends LitElement {
  static override styles = [appStyles, linkButtonStyles];

  /** The last whole snapshot from the host; null until the handshake answers. */
  @state() private snapshot: DashboardState | null = null;
  @state() private view: PanelPersistedState = loadPersisted();
  @query('lv-examples') private examples?: LvExamples;
  @query('lv-filter-bar') private filterBar?: LvFilterBar;
  @query('lv-learning') private learning?: LvLearning;
  @state() private tasks: Task[] = [];
  @state() private external: { available: boolean; reason: string | null } = { available: false, reason: null };
  /** Counts finished tasks: the Knowledge tab fetches again when it grows. */
  @state() private finishedTasks = 0;
  /** The knowledge entry a finished task's link asked for. */
  @state() private knowledgeFocus: string | null = null;
  private unsubscribe: (() => void) | undefined;
  private readonly onKey = (e: KeyboardEvent) => this.handleKey(e);

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onHostMessage((message) => {
      if (message.type === 'didChangeState') {
        // Snapshots can cross on the way: never go back to an older one.
        if (!this.snapshot || message.state.version >= this.snapshot.version) this.snapshot = message.state;
      } else if (message.type === 'didChangeTasks') {
        this.tasks = message.tasks;
        this.external = message.external;
        this.finishedTasks = message.tasks.filter((t) => t.state === 'completed').length;
      } else if (message.type === 'taskEvents') {
        this.learning?.appendEvents(message.taskId, message.events);
      } else if (message.type === 'showOverview') {
        this.setView({ tab: 'overview' });
      } else if (message.type === 'showTask') {
        this.setView({ tab: 'learning', selectedTaskId: message.id });
      } else if (message.type === 'showExample') {
        this.setView({ tab: 'examples', selectedId: message.id });
        void this.updateComplete.then(() => this.examples?.open(message.id));
      }
    });
    window.addEventListener('keydown', this.onKey);
    send({ type: 'ready' });
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.();
    window.removeEventListener('keydown', this.onKey);
    super.disconnectedCallback();
  }

  private setView(next: Partial<PanelPersistedState>): void {
    this.view = { ...this.view, ...next };
    savePersisted(this.view);
  }

  private handleKey(e: KeyboardEvent): void {
    const target = e.composedPath()[0] as HTMLElement | undefined;
    const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
    if (typing) {
      if (e.key === 'Escape') (target as HTMLElement).blur();
      return;
    }
    if (e.key === '/') {
      e.preventDefault();
      this.filterBar?.focusSearch();
      return;
    }
    if (this.view.tab === 'examples' && this.examples?.handleKey(e)) e.preventDefault();
  }

  private setFilters(filters: Filters): void {
    send({ type: 'setFilters', filters, seq: nextFilterSeq() });
  }

  override render() {
    const s = this.snapshot;
    return html`
      <header>
        <h1>Learning Viewer</h1>
        ${s?.health.place.engine === 'postgresql'
          ? html`<span class="place" data-testid="header-place" title="This panel shows the team's database, shared by every connected editor.">Team database: ${s.health.place.name}</span>`
          : nothing}
      </header>
      <nav role="tablist" aria-label="Views">
        ${TABS.map(
          (t) =>
            html`<button role="tab" aria-selected=${this.view.tab === t.id ? 'true' : 'false'} @click=${() => ((this.knowledgeFocus = null), this.setView({ tab: t.id }))}>${t.label}</button>`,
        )}
      </nav>
      ${s ? this.renderBody(s) : html`<p class="loading" role="status">Loading…</p>`}
    `;
  }

  private renderBody(s: DashboardState) {
    const banner = html`${s.health.reason ? html`<div class="banner" role="alert" data-testid="banner">${s.health.reason}</div>` : nothing}${this.renderConnection(s)}`;
    // Learning and Knowledge work without examples (an external learner brings its own); the other tabs need some.
    const filtered = this.view.tab !== 'learning' && this.view.tab !== 'knowledge';
    if (filtered && s.health.examples === 0 && s.health.state !== 'unavailable') return html`${banner}${this.renderEmpty()}${this.renderHealth(s)}`;
    return html`${banner}
      ${filtered ? this.renderFilterBar(s) : nothing}
      <main
        role="tabpanel"
        @lv-filters=${(e: CustomEvent<Filters>) => this.setFilters(e.detail)}
        @lv-filter-range=${(e: CustomEvent<{ since: number; until: number }>) => this.setFilters({ ...s.filters, ...e.detail })}
      >
        ${s.error
          ? html`<div class="banner" role="alert" data-testid="error">
              ${s.error}
              <button class="secondary" @click=${() => send({ type: 'refresh' })}>Retry</button>
            </div>`
          : this.view.tab === 'overview'
            ? html`<lv-overview .state=${s}></lv-overview>`
            : this.view.tab === 'analytics'
              ? html`<lv-analytics .version=${s.version} .tags=${s.byTag} .models=${s.byModel}></lv-analytics>`
              : this.view.tab === 'learning'
                ? html`<lv-learning
                    .tasks=${this.tasks}
                    .external=${this.external}
                    .tags=${s.byTag}
                    .selectedId=${this.view.selectedTaskId}
                    @lv-select-task=${(e: CustomEvent<string>) => this.setView({ selectedTaskId: e.detail })}
                    @lv-open-knowledge=${(e: CustomEvent<string>) => {
                      this.knowledgeFocus = e.detail;
                      this.setView({ tab: 'knowledge' });
                    }}
                  ></lv-learning>`
                : this.view.tab === 'knowledge'
                  ? html`<lv-knowledge .generation=${this.finishedTasks} .focusId=${this.knowledgeFocus}></lv-knowledge>`
                  : html`<lv-examples
                .filters=${s.filters}
                .version=${s.version}
                .sort=${this.view.sort}
                .direction=${this.view.direction}
                .offset=${this.view.offset}
                .selectedId=${this.view.selectedId}
                @lv-view=${(e: CustomEvent<Partial<PanelPersistedState>>) => this.setView(e.detail)}
              ></lv-examples>`}
      </main>
      ${this.renderHealth(s)}`;
  }

  private renderFilterBar(s: DashboardState) {
    return html`<lv-filter-bar
        .filters=${s.filters}
        .filtersSeq=${s.filtersSeq}
        .tags=${s.byTag}
        .models=${s.byModel}
        .views=${s.savedViews}
        .viewsProblem=${s.savedViewsProblem}
        @lv-filters=${(e: CustomEvent<Filters>) => this.setFilters(e.detail)}
        @lv-apply-view=${(e: CustomEvent<string>) => send({ type: 'applyView', name: e.detail })}
        @lv-save-view=${() => send({ type: 'runCommand', command: 'learningViewer.saveView' })}
      ></lv-filter-bar>`;
  }

  private renderEmpty() {
    return html`<section class="empty" data-testid="empty">
      <h2>No learning examples yet</h2>
      <p>
        Learning Viewer reads the JSON Lines logs your KIMI agent writes, one learning example per line, and the sessions of Kimi CLI, Kimi Code, Claude
        Code and Codex, one example per turn.
      </p>
      <p>
        Import a log once, or let the extension follow <code>learning_logs.jsonl</code> as KIMI appends to it (the files followed are set by the
        <code>learningViewer.logFiles</code> setting).
      </p>
      <div class="actions">
        <button class="primary" data-testid="import" @click=${() => send({ type: 'runCommand', command: 'learningViewer.importLogs' })}>
          Import KIMI Logs…
        </button>
        <button class="secondary" data-testid="import-sessions" @click=${() => send({ type: 'runCommand', command: 'learningViewer.importAgentSessions' })}>
          Import Agent Sessions…
        </button>
        <button class="secondary" @click=${() => send({ type: 'runCommand', command: 'learningViewer.configureLogFollowing' })}>Configure Log Following</button>
        <button class="secondary" @click=${() => send({ type: 'runCommand', command: 'learningViewer.loadSampleData' })}>Load Sample Data</button>
      </div>
    </section>`;
  }

  /** On a team database out of reach: since when, that the figures are the last read, and a Retry. */
  private renderConnection(s: DashboardState) {
    const link = s.health.connection;
    if (!link || link.state === 'connected') return nothing;
    const since = link.since ? formatDateTime(link.since) : null;
    return html`<div class="banner" role="alert" data-testid="stale-banner">
      <strong>Team database ${link.state === 'reconnecting' ? 'reconnecting' : 'unreachable'}${since ? html` since <span title=${since.title}>${since.text}</span>` : nothing}.</strong>
      The figures below are the last read before then (stale). ${link.reason ?? ''}
      <button class="link" @click=${() => send({ type: 'runCommand', command: 'learningViewer.retryTeamDatabase' })}>Retry now</button>
    </div>`;
  }

  private renderHealth(s: DashboardState) {
    const { health } = s;
    const last = health.lastImport ? formatDateTime(health.lastImport) : null;
    const place = health.place.engine === 'postgresql' ? `Team database: ${health.place.name}` : 'This workspace';
    const link = health.connection ? ` · ${health.connection.state}` : '';
    return html`<footer class="health" data-testid="health">
      <span data-testid="data-place" title="Which data this panel shows. Connect to Team Database… and Use This Workspace's Database switch.">${place}${link}</span>
      <span>Database: <span class=${health.state === 'ok' ? 'state-ok' : 'state-warn'} data-testid="db-state">${health.state}</span></span>
      <span data-testid="examples-stored">${formatCount(health.examples)} examples stored</span>
      ${health.prunedBefore
        ? html`<span data-testid="pruned" title="Per-day figures (rates, trends, per tag and model) still count them; the examples table, search and exports do not.">Examples before ${formatDateTime(health.prunedBefore).text} removed by retention (${formatCount(health.prunedExamples)})</span>`
        : null}
      <span title=${last?.title ?? ''}>Last import: ${last?.text ?? 'never'}</span>
      <span>${health.followedFiles} ${health.followedFiles === 1 ? 'file' : 'files'} followed</span>
      <span data-testid="time-zone" title="Every date and time in this panel is local time in this zone.">Times in ${timeZoneName()}</span>
      <button class="link" @click=${() => send({ type: 'runCommand', command: 'learningViewer.exportData' })}>Export…</button>
    </footer>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-app': LvApp;
  }
}
