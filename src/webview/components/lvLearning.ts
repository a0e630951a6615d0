import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Depth } from '../../shared/analytics';
import type { LearnerKind, LoggedTaskEvent, Priority, Task } from '../../shared/tasks';
import { request, send } from '../hostBridge';
import { linkButtonStyles } from './linkButton.css';
import { tableStyles } from './tables.css';
import { panelStyles } from './panel.css';
import { formatTime } from '../format';
import { Latest, STALE } from '../latest';

const ORDER: Record<Task['state'], number> = { running: 0, pending: 1, failed: 2, interrupted: 2, cancelled: 2, completed: 2 };
const RANK = { high: 0, normal: 1, low: 2 } as const;
/** The log keeps at most this many lines in the page. */
const MAX_LOG = 2000;

/** Two parts of a task's log as one: each event once (by its place), oldest first, the last MAX_LOG. */
function mergeLog(a: readonly LoggedTaskEvent[], b: readonly LoggedTaskEvent[]): LoggedTaskEvent[] {
  const bySeq = new Map<number, LoggedTaskEvent>();
  for (const e of [...a, ...b]) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq).slice(-MAX_LOG);
}

function time(ms: number): string {
  return formatTime(ms);
}

/** The Learning tab: start a task, watch the queue, read a task's log as it streams. */
@customElement('lv-learning')
export class LvLearning extends LitElement {
  static override styles = [
    tableStyles,
    linkButtonStyles,
    panelStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1.5fr) minmax(0, 1fr);
        grid-template-areas: 'form form' 'queue log';
        gap: 16px;
      }
      @media (max-width: 900px) {
        :host {
          grid-template-columns: 1fr;
          grid-template-areas: 'form' 'queue' 'log';
        }
      }
      [data-testid='start-form'] {
        grid-area: form;
      }
      [data-testid='queue'] {
        grid-area: queue;
      }
      .tablewrap {
        overflow-x: auto;
      }
      .tablewrap td {
        white-space: normal;
      }
      .tablewrap td.progress {
        white-space: nowrap;
      }
      [data-testid='task-log'] {
        grid-area: log;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: end;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 2px;
        font-size: 0.9em;
      }
      .warn {
        color: var(--vscode-editorWarning-foreground);
      }
      tr.selected {
        background: var(--vscode-list-inactiveSelectionBackground, rgba(128, 128, 128, 0.2));
        color: var(--vscode-list-inactiveSelectionForeground, inherit);
        outline: 1px solid var(--vscode-focusBorder);
      }
      .clamp {
        display: -webkit-box;
        -webkit-line-clamp: 2;
        -webkit-box-orient: vertical;
        overflow: hidden;
        max-width: 24em;
      }
      tbody tr {
        cursor: pointer;
      }
      progress {
        width: 90px;
        vertical-align: middle;
      }
      .state-completed {
        color: var(--vscode-testing-iconPassed);
      }
      .state-failed {
        color: var(--vscode-testing-iconFailed, var(--vscode-errorForeground));
      }
      .state-interrupted,
      .state-cancelled {
        color: var(--vscode-descriptionForeground);
      }
      .logbox {
        font-family: var(--vscode-editor-font-family, monospace);
        font-size: 0.9em;
        max-height: 420px;
        overflow: auto;
        white-space: pre-wrap;
        word-break: break-word;
        margin: 0;
        padding: 6px;
        background: var(--vscode-textCodeBlock-background, rgba(128, 128, 128, 0.1));
      }
      .logbox .kind {
        color: var(--vscode-descriptionForeground);
      }
      .logbox .failed {
        color: var(--vscode-errorForeground);
      }
      .logbox .completed {
        color: var(--vscode-testing-iconPassed);
      }
    `,
  ];

  @property({ attribute: false }) tasks: Task[] = [];
  @property({ attribute: false }) external: { available: boolean; reason: string | null } = { available: false, reason: null };
  @property({ attribute: false }) tags: { tag: string; total: number }[] = [];
  @property({ attribute: false }) selectedId: string | null = null;

  @state() private log: LoggedTaskEvent[] = [];
  @state() private logError: string | null = null;
  @state() private formError: string | null = null;
  @query('.logbox') private logBox?: HTMLElement;
  private loadedFor: string | null = null;
  private readonly logs = new Latest();

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('selectedId') && this.selectedId !== this.loadedFor) void this.loadLog();
  }

  override updated(): void {
    // Follow the end of the log as it streams, unless the reader scrolled up.
    const box = this.logBox;
    if (box && box.scrollHeight - box.scrollTop - box.clientHeight < 80) box.scrollTop = box.scrollHeight;
  }

  /** Events the host streamed for a task: kept while its log loads too, and each once (by its place). */
  appendEvents(taskId: string, events: LoggedTaskEvent[]): void {
    if (taskId !== this.selectedId || this.loadedFor !== taskId) return;
    this.log = mergeLog(this.log, events);
  }

  private async loadLog(): Promise<void> {
    const id = this.selectedId;
    this.loadedFor = id;
    this.log = [];
    if (!id) {
      this.logs.invalidate();
      return;
    }
    try {
      const events = await this.logs.run(() => request('taskLog', { taskId: id }));
      if (events !== STALE) {
        // What streamed in while the log was loading stays: load, then follow.
        this.log = mergeLog(events, this.log);
        this.logError = null;
      }
    } catch (e) {
      this.logError = (e as Error).message;
    }
  }

  private select(id: string): void {
    this.dispatchEvent(new CustomEvent('lv-select-task', { detail: id, bubbles: true, composed: true }));
  }

  private submit(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const technology = String(data.get('technology') ?? '').trim();
    if (!technology) {
      this.formError = 'Name a technology (a tag such as auth or api).';
      return;
    }
    this.formError = null;
    send({
      type: 'startTask',
      technology: technology.slice(0, 200),
      depth: data.get('depth') as Depth,
      priority: data.get('priority') as Priority,
      learner: data.get('learner') as LearnerKind,
    });
    (form.elements.namedItem('technology') as HTMLInputElement).value = '';
  }

  override render() {
    return html`${this.renderForm()} ${this.renderQueue()} ${this.renderLog()}`;
  }

  private renderForm() {
    return html`<section data-testid="start-form">
      <h2>Start a learning task</h2>
      <form @submit=${(e: Event) => this.submit(e)}>
        <label
          >Technology
          <input name="technology" list="known-tags" required maxlength="200" placeholder="auth" aria-describedby="form-error" />
        </label>
        <datalist id="known-tags">${this.tags.slice(0, 300).map((t) => html`<option value=${t.tag}></option>`)}</datalist>
        <label
          >Depth
          <select name="depth">
            <option value="quick">Quick (7 days)</option>
            <option value="standard" selected>Standard (30 days)</option>
            <option value="deep">Deep (everything)</option>
          </select>
        </label>
        <label
          >Priority
          <select name="priority">
            <option value="low">Low</option>
            <option value="normal" selected>Normal</option>
            <option value="high">High</option>
          </select>
        </label>
        <label
          >Learner
          <select name="learner">
            <option value="builtin">Built-in</option>
            <option value="external" ?disabled=${!this.external.available}>External</option>
          </select>
        </label>
        <button class="primary" type="submit">Start</button>
      </form>
      <p id="form-error" class="warn" role="alert">${this.formError ?? ''}</p>
      ${this.external.available ? nothing : html`<p class="muted" data-testid="external-reason">External learner: ${this.external.reason}</p>`}
    </section>`;
  }

  private renderQueue() {
    const tasks = [...this.tasks].sort(
      (a, b) => ORDER[a.state] - ORDER[b.state] || (a.state === 'pending' ? RANK[a.priority] - RANK[b.priority] || a.seq - b.seq : (b.endedAt ?? b.createdAt) - (a.endedAt ?? a.createdAt)),
    );
    return html`<section data-testid="queue">
      <h2>Tasks</h2>
      ${tasks.length === 0
        ? html`<p class="muted">No tasks yet. Start one above, or from a recommendation on the Analytics tab.</p>`
        : html`<div class="tablewrap"><table>
            <thead>
              <tr>
                <th scope="col">Technology</th>
                <th scope="col">State</th>
                <th scope="col">Progress</th>
                <th scope="col">Message</th>
                <th scope="col"><span class="muted">Action</span></th>
              </tr>
            </thead>
            <tbody>
              ${tasks.map(
                (t) => html`<tr
                  class=${t.id === this.selectedId ? 'selected' : ''}
                  data-testid="task-row"
                  tabindex="0"
                  aria-selected=${t.id === this.selectedId ? 'true' : 'false'}
                  @click=${() => this.select(t.id)}
                  @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.select(t.id)}
                >
                  <td>${t.technology} <span class="muted">· ${t.depth} · ${t.priority} · ${t.learner === 'builtin' ? 'built-in' : 'external'}</span></td>
                  <td class=${`state-${t.state}`}>${t.state}</td>
                  <td class="progress"><progress max="100" .value=${t.progress} aria-label=${`${t.technology}: ${Math.round(t.progress)}%`}></progress> ${Math.round(t.progress)}%</td>
                  <td><span class="clamp" title=${t.message}>${t.message}</span></td>
                  <td>
                    ${t.state === 'running' || t.state === 'pending'
                      ? html`<button class="link" @click=${(e: Event) => (e.stopPropagation(), send({ type: 'cancelTask', id: t.id }))}>Cancel</button>`
                      : t.state === 'completed'
                        ? t.result?.knowledgeId
                          ? html`<button
                              class="link"
                              title="Open the knowledge entry this task wrote"
                              @click=${(e: Event) => (e.stopPropagation(), this.dispatchEvent(new CustomEvent('lv-open-knowledge', { detail: t.result!.knowledgeId, bubbles: true, composed: true })))}
                            >
                              Knowledge
                            </button>`
                          : nothing
                        : html`<button class="link" @click=${(e: Event) => (e.stopPropagation(), send({ type: 'retryTask', id: t.id }))}>Retry</button>`}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table></div>`}
    </section>`;
  }

  private renderLog() {
    const task = this.tasks.find((t) => t.id === this.selectedId);
    return html`<section data-testid="task-log">
      <h2>Log${task ? html`: ${task.technology} <span class="muted">(${task.state})</span>` : nothing}</h2>
      ${!task
        ? html`<p class="muted">Select a task to read its log.</p>`
        : this.logError
          ? html`<p role="alert">${this.logError}</p>`
          : html`<pre class="logbox" role="log" aria-label="Task log" tabindex="0">${this.log.map(
              (e) => html`<span class=${e.kind}><span class="kind">${time(e.at)} ${e.kind.padEnd(9)}</span> ${e.progress !== null ? `${Math.round(e.progress)}% ` : ''}${e.message}
</span>`,
            )}</pre>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-learning': LvLearning;
  }
}
