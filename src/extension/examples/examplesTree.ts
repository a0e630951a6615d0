import * as vscode from 'vscode';
import { markdownText, showControls } from '../../shared/plainText';
import type { Container } from '../container';
import { localDayStart } from '../../core/queries/rollupPlan';
import type { StoredExample } from '../../shared/example';
import type { Filters } from '../../shared/filters';
import type { GroupField } from '../../shared/workerProtocol';
import { groupFieldSchema } from '../../shared/workerProtocol';
import { formatDay, formatWhen, timeZoneName } from '../../shared/dates';
import { dayNumber } from '../../shared/series';

export const PAGE_SIZE = 200;
const GROUP_KEY = 'learningViewer.groupBy';

export type Node =
  | { kind: 'group'; field: GroupField; key: string; total: number; successes: number }
  | { kind: 'example'; example: StoredExample; groupId: string }
  | { kind: 'more'; parentId: string | null; loaded: number; total: number | null };

export const GROUP_LABELS: Record<GroupField, string> = { day: 'Day', tag: 'Tag', model: 'Model', session: 'Session', outcome: 'Outcome', branch: 'Branch' };

export function groupId(g: { field: GroupField; key: string }): string {
  return `group:${g.field}:${g.key}`;
}

/** The filters that select a group's examples, on top of the shared ones. */
export function groupFilters(base: Filters, g: { field: GroupField; key: string }): Filters {
  switch (g.field) {
    case 'day': {
      const day = dayNumber(g.key);
      return { ...base, since: Math.max(base.since ?? -Infinity, localDayStart(day)), until: Math.min(base.until ?? Infinity, localDayStart(day + 1)) };
    }
    case 'tag':
      return { ...base, andTag: g.key };
    case 'model':
      return { ...base, model: g.key };
    case 'session':
      return { ...base, session: g.key };
    case 'outcome':
      return { ...base, success: g.key === 'success' };
    case 'branch':
      return { ...base, branch: g.key };
  }
}

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
  /** Examples loaded so far per group, and groups loaded so far at the root. */
  private readonly loaded = new Map<string, StoredExample[]>();
  private rootGroups: Extract<Node, { kind: 'group' }>[] = [];
  private groupNodes = new Map<string, Extract<Node, { kind: 'group' }>>();

  constructor(private readonly container: Container) {
    this.view = vscode.window.createTreeView('learningViewer.examples', { treeDataProvider: this, showCollapseAll: true });
    void vscode.commands.executeCommand('setContext', 'learningViewer.empty', true);
    this.disposables.push(
      this.view,
      this.emitter,
      container.onDidChangeData(() => this.refresh()),
      container.filters.onDidChange(() => {
        this.describeFilters();
        this.refresh();
      }),
    );
    this.describeFilters();
  }

  /** The view's description says when a filter is active (Clear Filters is in the title bar then). */
  private describeFilters(): void {
    this.view.description = this.container.filters.active ? `filtered: ${this.container.filters.describe()}` : undefined;
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
    if (node.kind === 'example') return this.groupNodes.get(node.groupId);
    if (node.kind === 'more' && node.parentId) return this.groupNodes.get(node.parentId);
    return undefined;
  }

  async getChildren(element?: Node): Promise<Node[]> {
    if (!element) return this.roots();
    if (element.kind === 'group') return this.examplesOf(element);
    return [];
  }

  private async roots(): Promise<Node[]> {
    const field = this.groupBy;
    const filters = this.container.filters.filters;
    const want = Math.max(PAGE_SIZE, this.rootGroups.length);
    const groups: Extract<Node, { kind: 'group' }>[] = [];
    let more = false;
    for (let offset = 0; offset < want; offset += PAGE_SIZE) {
      const page = await this.container.data.request('groups', { field, filters, offset, limit: PAGE_SIZE });
      groups.push(...page.groups.map((g) => ({ kind: 'group' as const, field, ...g })));
      more = page.more;
      if (!page.more) break;
    }
    this.rootGroups = groups;
    this.groupNodes = new Map(groups.map((g) => [groupId(g), g]));
    const health = await this.container.data.request('health', {});
    await vscode.commands.executeCommand('setContext', 'learningViewer.empty', health.examples === 0);
    const messages = [
      health.examples > 0 && groups.length === 0 ? 'No examples match the current filters. Use "Clear Filters" in the title bar to see them all.' : null,
      // Groups by day, tag and model count from the per-day figures, which keep what retention removed.
      health.prunedBefore
        ? `Retention removed ${health.prunedExamples.toLocaleString()} examples dated before ${formatWhen(health.prunedBefore)}: groups still count them, their examples are gone.`
        : null,
    ].filter((m): m is string => m !== null);
    this.view.message = messages.length ? messages.join(' ') : undefined;
    return more ? [...groups, { kind: 'more', parentId: null, loaded: groups.length, total: null }] : groups;
  }

  private async examplesOf(group: Extract<Node, { kind: 'group' }>): Promise<Node[]> {
    const id = groupId(group);
    const filters = groupFilters(this.container.filters.filters, group);
    const want = Math.max(PAGE_SIZE, this.loaded.get(id)?.length ?? 0);
    const rows: StoredExample[] = [];
    for (let offset = 0; offset < want; offset += PAGE_SIZE) {
      const page = await this.container.data.request('examplesPage', { filters, offset, limit: PAGE_SIZE, sort: 'timestamp', direction: 'desc', countTotal: false });
      rows.push(...page.rows);
      if (page.rows.length < PAGE_SIZE) break;
    }
    this.loaded.set(id, rows);
    const nodes: Node[] = rows.map((example) => ({ kind: 'example', example, groupId: id }));
    if (rows.length < group.total) nodes.push({ kind: 'more', parentId: id, loaded: rows.length, total: group.total });
    return nodes;
  }

  /** "Load more…": the next page of a group's examples (or of the groups). */
  async loadMore(node: Extract<Node, { kind: 'more' }>): Promise<void> {
    if (node.parentId === null) {
      const page = await this.container.data.request('groups', {
        field: this.groupBy,
        filters: this.container.filters.filters,
        offset: this.rootGroups.length,
        limit: PAGE_SIZE,
      });
      this.rootGroups.push(...page.groups.map((g) => ({ kind: 'group' as const, field: this.groupBy, ...g })));
      this.emitter.fire(undefined);
      return;
    }
    const group = this.groupNodes.get(node.parentId);
    if (!group) return;
    const rows = this.loaded.get(node.parentId) ?? [];
    const page = await this.container.data.request('examplesPage', {
      filters: groupFilters(this.container.filters.filters, group),
      offset: rows.length,
      limit: PAGE_SIZE,
      sort: 'timestamp',
      direction: 'desc',
      countTotal: false,
    });
    // The next refresh of this group fetches as many as are loaded now.
    this.loaded.set(node.parentId, [...rows, ...page.rows]);
    this.emitter.fire(group);
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
      return g.key === 'success' ? 'Succeeded' : 'Failed';
    case 'session':
      return `Session ${g.key.length > 13 ? `${g.key.slice(0, 8)}…` : g.key}`;
    default:
      return g.key;
  }
}

function groupItem(g: Extract<Node, { kind: 'group' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(showControls(groupLabel(g)), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = groupId(g);
  const rate = g.total > 0 ? (g.successes / g.total) * 100 : 0;
  item.description = `${g.total.toLocaleString()} · ${rate.toFixed(1)}%`;
  item.contextValue = `group.${g.field}`;
  item.iconPath = new vscode.ThemeIcon(
    { day: 'calendar', tag: 'tag', model: 'hubot', session: 'history', outcome: g.key === 'success' ? 'pass' : 'error', branch: 'git-branch' }[g.field],
  );
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**${GROUP_LABELS[g.field]}:** ${markdownText(g.field === 'session' ? g.key : groupLabel(g))}`);
  tip.appendMarkdown(`\n\n${g.total.toLocaleString()} examples, ${g.successes.toLocaleString()} succeeded (${rate.toFixed(1)}%)`);
  item.tooltip = tip;
  item.accessibilityInformation = { label: `${groupLabel(g)}: ${g.total} examples, ${rate.toFixed(1)} percent succeeded` };
  return item;
}

function exampleItem(e: StoredExample, parent: string): vscode.TreeItem {
  const label = e.taskDescription?.split('\n')[0]?.slice(0, 120) || e.id;
  const item = new vscode.TreeItem(showControls(label), vscode.TreeItemCollapsibleState.None);
  item.id = `${parent}/example:${e.id}`;
  item.description = `${formatWhen(e.timestamp)}${e.model ? ` · ${showControls(e.model)}` : ''}`;
  item.iconPath = e.success
    ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
    : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  item.contextValue = 'example';
  // Data goes in as text: nothing in a log can become a link or markup here.
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(e.success ? '$(pass) **Succeeded**' : '$(error) **Failed**').appendMarkdown('\n\n');
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
  item.accessibilityInformation = { label: `${e.success ? 'Succeeded' : 'Failed'}: ${label}, ${item.description}` };
  return item;
}
