import * as vscode from 'vscode';
import { describeUrl } from '../../core/engine/postgres/databaseUrl';
import { markdownText, showControls } from '../../shared/plainText';
import type { Container } from '../container';
import type { StoredExample } from '../../shared/example';
import type { GroupField } from '../../shared/workerProtocol';
import { groupFieldSchema } from '../../shared/workerProtocol';
import { formatDay, formatWhen, timeZoneName } from '../../shared/dates';
import { ExamplePages, groupId, type Node } from './examplePages';
import { outcomeWord } from '../../shared/outcome';
import { UNKNOWN } from '../../shared/figures';
import { knownOutcomes, rateOfRow } from '../../core/analytics/successRate';

const GROUP_KEY = 'learningViewer.groupBy';

export const GROUP_LABELS: Record<GroupField, string> = { day: 'Day', tag: 'Tag', model: 'Model', session: 'Session', outcome: 'Outcome', branch: 'Branch' };

/**
 * The Examples view: examples grouped by day, tag, model, session or outcome,
 * loaded lazily a page at a time, honouring the shared filters. Items have
 * stable ids, so a refresh keeps what the user expanded.
 */
export class ExamplesTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  /** The groups and examples loaded so far, a page at a time. */
  private readonly pages: ExamplePages;

  constructor(private readonly container: Container) {
    this.pages = new ExamplePages(container.data, () => container.filters.filters, () => this.groupBy);
    this.view = vscode.window.createTreeView('learningViewer.examples', { treeDataProvider: this, showCollapseAll: true });
    void vscode.commands.executeCommand('setContext', 'learningViewer.empty', true);
    this.disposables.push(
      this.view,
      this.emitter,
      container.onDidChangeData(() => {
        this.describeFilters();
        this.refresh();
      }),
      container.filters.onDidChange(() => {
        this.describeFilters();
        this.refresh();
      }),
    );
    this.describeFilters();
  }

  /** The view's description names a team database when it shows one, and says when a filter is active (Clear Filters is in the title bar then). */
  private describeFilters(): void {
    const team = this.container.database ? `Team database: ${describeUrl(this.container.database)}` : null;
    const filtered = this.container.filters.active ? `filtered: ${this.container.filters.describe()}` : null;
    this.view.description = [team, filtered].filter(Boolean).join(' · ') || undefined;
  }

  get groupBy(): GroupField {
    const parsed = groupFieldSchema.safeParse(this.container.context.workspaceState.get(GROUP_KEY));
    return parsed.success ? parsed.data : 'day';
  }

  async setGroupBy(field: GroupField): Promise<void> {
    await this.container.context.workspaceState.update(GROUP_KEY, field);
    this.refresh();
  }

  /** Reloads everything shown, as far as it had been loaded. */
  refresh(): void {
    this.emitter.fire(undefined);
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'example') return this.pages.group(node.groupId);
    if (node.kind === 'more' && node.parentId) return this.pages.group(node.parentId);
    return undefined;
  }

  async getChildren(element?: Node): Promise<Node[]> {
    if (!element) return this.roots();
    if (element.kind === 'group') return this.pages.examplesOf(element);
    return [];
  }

  private async roots(): Promise<Node[]> {
    const nodes = await this.pages.roots();
    const shown = nodes.filter((n) => n.kind === 'group').length;
    const health = await this.container.data.request('health', {});
    await vscode.commands.executeCommand('setContext', 'learningViewer.empty', health.examples === 0);
    const messages = [
      health.examples > 0 && shown === 0 ? 'No examples match the current filters. Use "Clear Filters" in the title bar to see them all.' : null,
      // Groups by day, tag and model count from the per-day figures, which keep what retention removed.
      health.prunedBefore
        ? `Retention removed ${health.prunedExamples.toLocaleString()} examples dated before ${formatWhen(health.prunedBefore)}: groups still count them, their examples are gone.`
        : null,
    ].filter((m): m is string => m !== null);
    this.view.message = messages.length ? messages.join(' ') : undefined;
    return nodes;
  }

  /** "Load more…": the next page of a group's examples (or of the groups). */
  async loadMore(node: Extract<Node, { kind: 'more' }>): Promise<void> {
    const changed = await this.pages.loadMore(node);
    if (changed !== undefined) this.emitter.fire(changed ?? undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return groupItem(node);
      case 'example':
        return exampleItem(node.example, node.groupId);
      case 'more': {
        const item = new vscode.TreeItem(node.parentId === null ? 'Load more groups…' : 'Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.parentId ?? 'root'}`;
        item.description = node.total !== null ? `${node.loaded.toLocaleString()} of ${node.total.toLocaleString()} shown` : undefined;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'learningViewer.loadMore', title: 'Load more', arguments: [node] };
        return item;
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function groupLabel(g: Extract<Node, { kind: 'group' }>): string {
  switch (g.field) {
    case 'day':
      return formatDay(g.key);
    case 'outcome':
      return g.key === 'success' ? 'Succeeded' : g.key === 'unknown' ? 'Outcome unknown' : 'Failed';
    case 'session':
      return `Session ${g.key.length > 13 ? `${g.key.slice(0, 8)}…` : g.key}`;
    default:
      return g.key;
  }
}

function groupItem(g: Extract<Node, { kind: 'group' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(showControls(groupLabel(g)), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = groupId(g);
  // Over the known outcomes; the unknown ones are said, never counted as failures.
  const unknown = g.unknown ?? 0;
  const known = knownOutcomes(g);
  const share = rateOfRow(g).rate;
  const rate = share === null ? null : share * 100;
  const rateText = rate === null ? UNKNOWN : `${rate.toFixed(1)}%`;
  const unknownText = unknown > 0 ? ` · ${unknown.toLocaleString()} unknown` : '';
  item.description = `${g.total.toLocaleString()} · ${rateText}${unknownText}`;
  item.contextValue = `group.${g.field}`;
  item.iconPath = new vscode.ThemeIcon(
    { day: 'calendar', tag: 'tag', model: 'hubot', session: 'history', outcome: g.key === 'success' ? 'pass' : g.key === 'unknown' ? 'question' : 'error', branch: 'git-branch' }[g.field],
  );
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**${GROUP_LABELS[g.field]}:** ${markdownText(g.field === 'session' ? g.key : groupLabel(g))}`);
  tip.appendMarkdown(
    `\n\n${g.total.toLocaleString()} examples, ${g.successes.toLocaleString()} succeeded (${rate === null ? 'no known outcome' : `${rateText} of ${known.toLocaleString()} known`})${unknownText}`,
  );
  item.tooltip = tip;
  item.accessibilityInformation = {
    label: `${groupLabel(g)}: ${g.total} examples, ${rate === null ? 'no known outcome' : `${rate.toFixed(1)} percent of ${known} known succeeded`}${unknown > 0 ? `, ${unknown} unknown` : ''}`,
  };
  return item;
}

function exampleItem(e: StoredExample, parent: string): vscode.TreeItem {
  const label = e.taskDescription?.split('\n')[0]?.slice(0, 120) || e.id;
  const item = new vscode.TreeItem(showControls(label), vscode.TreeItemCollapsibleState.None);
  item.id = `${parent}/example:${e.id}`;
  item.description = `${formatWhen(e.timestamp)}${e.model ? ` · ${showControls(e.model)}` : ''}`;
  item.iconPath =
    e.success === null
      ? new vscode.ThemeIcon('question')
      : e.success
        ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  item.contextValue = 'example';
  // Data goes in as text: nothing in a log can become a link or markup here.
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(e.success === null ? '$(question) **Outcome unknown**' : e.success ? '$(pass) **Succeeded**' : '$(error) **Failed**').appendMarkdown('\n\n');
  tip.supportThemeIcons = true;
  tip.appendMarkdown(`${markdownText(e.taskDescription ?? '(no description)')}\n\n`);
  const row = (k: string, v: string | null) => {
    if (v !== null && v !== '') tip.appendMarkdown(`**${k}:** ${markdownText(v)}  \n`);
  };
  row('When', `${formatWhen(e.timestamp)} (${timeZoneName()})`);
  row('Model', e.model);
  row('Tags', e.tags.join(', '));
  row('Tokens', e.tokens === null ? null : e.tokens.toLocaleString());
  row('Time', typeof e.metrics.execution_time === 'number' ? `${e.metrics.execution_time} s` : null);
  row('Session', e.sessionId);
  row('Feedback', e.humanFeedback);
  row('ID', e.id);
  item.tooltip = tip;
  item.command = { command: 'learningViewer.showExample', title: 'Show Example', arguments: [e.id] };
  item.accessibilityInformation = { label: `${outcomeWord(e.success)}: ${label}, ${item.description}` };
  return item;
}
