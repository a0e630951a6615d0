import { css, html, LitElement, nothing } from 'lit';
import { UNKNOWN } from '../../shared/figures';
import { customElement, property, state } from 'lit/decorators.js';
import { isSampleSource, type StoredExample } from '../../shared/example';
import { formatDateTime } from '../format';
import { tableStyles } from './tables.css';
import { linkButtonStyles } from './linkButton.css';
import { showControls } from '../../shared/plainText';
import { describeVerdict, type ExampleCommit } from '../../shared/git';
import { request } from '../hostBridge';
import { Latest, STALE } from '../latest';
import { outcomeClass, outcomeWord, turnOutcome } from '../../shared/outcome';

/** Every field of one example; its feedback editable in place. Data is rendered as text, links are not followed. */
@customElement('lv-details')
export class LvDetails extends LitElement {
  static override styles = [
    tableStyles,
    linkButtonStyles,
    css`
      .link.source {
        padding: 0;
        text-align: left;
        overflow-wrap: anywhere;
      }
      :host {
        display: block;
        border-left: 1px solid var(--vscode-widget-border, rgba(128, 128, 128, 0.3));
        padding: 0 0 0 12px;
        min-width: 0;
        /* Stays in view while the table scrolls. */
        position: sticky;
        top: 0;
        align-self: start;
        max-height: 100vh;
        overflow: auto;
      }
      .problem {
        color: var(--vscode-errorForeground, #f48771);
      }
      header {
        display: flex;
        gap: 8px;
        align-items: baseline;
        justify-content: space-between;
      }
      h2 {
        font-size: 1.05em;
        margin: 0 0 6px;
        overflow-wrap: anywhere;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px 10px;
        margin: 6px 0;
      }
      dt {
        color: var(--vscode-descriptionForeground, inherit);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      pre {
        font-family: var(--vscode-editor-font-family, monospace);
        font-size: var(--vscode-editor-font-size, 12px);
        background: var(--vscode-textCodeBlock-background, rgba(128, 128, 128, 0.12));
        padding: 8px;
        overflow: auto;
        max-height: 320px;
        white-space: pre;
      }
      textarea {
        width: 100%;
        box-sizing: border-box;
        min-height: 4em;
        font: inherit;
        color: var(--vscode-input-foreground, inherit);
        background: var(--vscode-input-background, transparent);
        border: 1px solid var(--vscode-input-border, rgba(128, 128, 128, 0.4));
      }
      button {
        font: inherit;
        padding: 2px 10px;
        border: 1px solid var(--vscode-button-border, transparent);
        background: var(--vscode-button-secondaryBackground, #5f6a79);
        color: var(--vscode-button-secondaryForeground, #fff);
        cursor: pointer;
      }
      button.primary {
        background: var(--vscode-button-background, #007acc);
        color: var(--vscode-button-foreground, #fff);
      }
      .status {
        margin-left: 8px;
      }
    `,
  ];

  /** The example shown. */
  @property({ attribute: false }) example!: StoredExample;
  @state() private saving: 'idle' | 'saving' | 'saved' | 'failed' = 'idle';
  @state() private saveError = '';

  /** Focuses the feedback box (the `f` key). */
  focusFeedback(): void {
    this.renderRoot.querySelector('textarea')?.focus();
  }

  private emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private save(): void {
    const text = this.renderRoot.querySelector('textarea')?.value ?? '';
    this.saving = 'saving';
    this.emit('lv-feedback', {
      id: this.example.id,
      feedback: text.trim() === '' ? null : text,
      done: (error?: string) => {
        this.saving = error ? 'failed' : 'saved';
        this.saveError = error ?? '';
      },
    });
  }

  /** The commit of the example shown (undefined while asked for, null when it has none). */
  @state() private commit: ExampleCommit | null | undefined = undefined;
  private commitFor = '';
  private readonly commits = new Latest();

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('example') && this.example && this.example.id !== this.commitFor) {
      const id = (this.commitFor = this.example.id);
      this.commit = undefined;
      // An answer for an example no longer shown is dropped.
      void this.commits.run(() => request('exampleCommit', { id })).then(
        (c) => c !== STALE && (this.commit = c),
        () => (this.commit = null),
      );
    }
  }

  private commitPart() {
    const c = this.commit;
    if (!c) return nothing;
    const e = this.example;
    const v = c.verdict;
    const date = v && v.date ? formatDateTime(v.date) : null;
    return html`<h3>Commit</h3>
      <dl data-testid="commit">
        <dt>Commit</dt>
        <dd><code>${(v?.sha ?? c.sha).slice(0, 10)}</code>${v?.subject ? html` ${showControls(v.subject)}` : nothing}</dd>
        ${v && v.author ? html`<dt>Author</dt><dd>${showControls(v.author)}${date ? html`, <span title=${date.title}>${date.text}</span>` : nothing}</dd>` : nothing}
        ${c.branch ? html`<dt>Branch</dt><dd>${showControls(c.branch)}</dd>` : nothing}
        <dt>Verdicts</dt>
        <dd data-testid="verdicts">KIMI: ${e.success === null ? 'unknown' : e.success ? 'success' : 'failure'} · ${v ? describeVerdict(v, Date.now()) : 'git: not judged yet'}</dd>
        ${v && v.files.length ? html`<dt>Files</dt><dd>${v.files.slice(0, 20).map((f) => showControls(f)).join(', ')}${v.files.length > 20 ? ` and ${v.files.length - 20} more` : ''}</dd>` : nothing}
      </dl>
      <button @click=${() => this.emit('lv-open-commit', e.id)}>Open Commit</button>`;
  }

  override render() {
    const e = this.example;
    const when = formatDateTime(e.timestamp);
    const metrics = Object.entries(e.metrics);
    const extra = Object.entries(e.extra);
    const turn = turnOutcome(e.extra);
    return html`<section aria-label="Example details" data-testid="details">
      <header>
        <h2>${showControls(e.taskDescription ?? e.id)}</h2>
        <button aria-label="Close details (Esc)" @click=${() => this.emit('lv-close', null)}>×</button>
      </header>
      <dl>
        <dt>Outcome</dt>
        <dd class=${outcomeClass(e.success)} data-testid="outcome">${outcomeWord(e.success)}${turn ? html` <span class="muted">· the turn ${showControls(turn.outcome)}</span>` : nothing}</dd>
        ${turn && turn.evidence.length
          ? html`<dt>Evidence</dt>
              <dd data-testid="evidence"><ul class="evidence">${turn.evidence.map((x) => html`<li>${showControls(x)}</li>`)}</ul></dd>`
          : nothing}
        <dt>When</dt>
        <dd title=${when.title}>${when.text}${e.futureTimestamp ? ' (in the future when imported)' : ''}</dd>
        <dt>Model</dt>
        <dd>${e.model ?? UNKNOWN}</dd>
        <dt>Tags</dt>
        <dd>${showControls(e.tags.join(', ')) || UNKNOWN}</dd>
        <dt>Tokens</dt>
        <dd>${e.tokens?.toLocaleString() ?? UNKNOWN}</dd>
        <dt>Session</dt>
        <dd>${e.sessionId ?? UNKNOWN}</dd>
        <dt>ID</dt>
        <dd>${showControls(e.id)}</dd>
        ${e.source && e.source.file.startsWith('learning-task:')
          ? html`<dt>Source</dt>
              <dd data-testid="task-source">Practice in a learning task (not counted as the agent's own work unless the Task examples filter includes it)</dd>`
          : e.source && isSampleSource(e.source.file)
          ? html`<dt>Source</dt>
              <dd data-testid="sample-source">Sample data (generated by Load Sample Data; Remove Sample Data takes it out)</dd>`
          : e.source
          ? html`<dt>Source</dt>
              <dd><button class="link source" title="Open the log at this line" @click=${() => this.emit('lv-open-source', e.id)}>${showControls(e.source.file)}:${e.source.line}</button></dd>`
          : nothing}
      </dl>
      ${metrics.length
        ? html`<table aria-label="Metrics"><thead><tr><th>Metric</th><th>Value</th></tr></thead>
            <tbody>${metrics.map(([k, v]) => html`<tr><td>${k}</td><td>${typeof v === 'string' ? v : JSON.stringify(v)}</td></tr>`)}</tbody></table>`
        : nothing}
      ${extra.length
        ? html`<h3>Other fields</h3><table aria-label="Other fields"><tbody>${extra.map(([k, v]) => html`<tr><td>${k}</td><td>${typeof v === 'string' ? v : JSON.stringify(v)}</td></tr>`)}</tbody></table>`
        : nothing}
      ${this.commitPart()}
      <h3>Code context</h3>
      ${e.codeContext
        ? html`<pre data-testid="code">${e.codeContext}</pre>
            <button @click=${() => this.emit('lv-open-code', e.id)}>Open in Editor</button>`
        : e.codeProblem
          ? html`<p class="problem" role="alert" data-testid="code-problem">The code cannot be shown: ${e.codeProblem}.</p>`
          : html`<p class="muted">No code context.</p>`}
      <h3><label for="feedback">Human feedback</label></h3>
      <textarea id="feedback" data-testid="feedback" .value=${e.humanFeedback ?? ''} @keydown=${(ev: KeyboardEvent) => {
          // Typing here is text, not shortcuts; Esc leaves the box (a second Esc closes the details).
          ev.stopPropagation();
          if (ev.key === 'Escape') (ev.target as HTMLTextAreaElement).blur();
        }}></textarea>
      ${e.feedbackBy ? html`<p class="muted" data-testid="feedback-by">Last edited by ${e.feedbackBy}${e.feedbackAt ? html`, ${formatDateTime(e.feedbackAt).text}` : nothing}.</p>` : nothing}
      <div>
        <button class="primary" @click=${() => this.save()} ?disabled=${this.saving === 'saving'}>Save feedback</button>
        <span class="status" role="status"
          >${this.saving === 'saving' ? 'Saving…' : this.saving === 'saved' ? 'Saved.' : this.saving === 'failed' ? `Not saved: ${this.saveError}` : ''}</span
        >
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-details': LvDetails;
  }
}
