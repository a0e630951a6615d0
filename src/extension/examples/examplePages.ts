import type { StoredExample } from '../../shared/example';
import type { Filters } from '../../shared/filters';
import type { GroupField, WorkerParams, WorkerResult } from '../../shared/workerProtocol';
import { localDayStart } from '../../core/queries/rollupPlan';
import { dayNumber } from '../../shared/series';

export const PAGE_SIZE = 200;

export type GroupNode = { kind: 'group'; field: GroupField; key: string; total: number; successes: number; unknown?: number };
export type Node = GroupNode | { kind: 'example'; example: StoredExample; groupId: string } | { kind: 'more'; parentId: string | null; loaded: number; total: number | null };

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
      return { ...base, success: g.key === 'unknown' ? 'unknown' : g.key === 'success' };
    case 'branch':
      return { ...base, branch: g.key };
  }
}

/** The two questions the Examples view asks the data worker. */
export interface PageSource {
  request(method: 'groups', params: WorkerParams<'groups'>): Promise<WorkerResult<'groups'>>;
  request(method: 'examplesPage', params: WorkerParams<'examplesPage'>): Promise<WorkerResult<'examplesPage'>>;
}

/**
 * What the Examples view has loaded, a page at a time: the groups at the root and the examples of each
 * group. A refresh reads again as many as were loaded, so "Load more" is not undone by new data.
 * Holds no `vscode`: the view draws these nodes, and this is tested with an in-memory data source.
 */
export class ExamplePages {
  private readonly loaded = new Map<string, StoredExample[]>();
  private rootGroups: GroupNode[] = [];
  private groupNodes = new Map<string, GroupNode>();

  constructor(
    private readonly data: PageSource,
    private readonly filters: () => Filters,
    private readonly groupBy: () => GroupField,
  ) {}

  /** A group shown at the root, by its id. */
  group(id: string): GroupNode | undefined {
    return this.groupNodes.get(id);
  }

  /** The groups, as many pages as were loaded (at least one), and "more" when there are others. */
  async roots(): Promise<Node[]> {
    const field = this.groupBy();
    const filters = this.filters();
    const want = Math.max(PAGE_SIZE, this.rootGroups.length);
    const groups: GroupNode[] = [];
    let more = false;
    for (let offset = 0; offset < want; offset += PAGE_SIZE) {
      const page = await this.groupPage(field, filters, offset);
      groups.push(...page.groups.map((g) => ({ kind: 'group' as const, field, ...g })));
      more = page.more;
      if (!page.more) break;
    }
    this.rootGroups = groups;
    this.groupNodes = new Map(groups.map((g) => [groupId(g), g]));
    return more ? [...groups, { kind: 'more', parentId: null, loaded: groups.length, total: null }] : groups;
  }

  /** A group's examples, newest first, as many pages as were loaded, and "more" when it holds others. */
  async examplesOf(group: GroupNode): Promise<Node[]> {
    const id = groupId(group);
    const filters = groupFilters(this.filters(), group);
    const want = Math.max(PAGE_SIZE, this.loaded.get(id)?.length ?? 0);
    const rows: StoredExample[] = [];
    for (let offset = 0; offset < want; offset += PAGE_SIZE) {
      const page = await this.examplePage(filters, offset);
      rows.push(...page.rows);
      if (page.rows.length < PAGE_SIZE) break;
    }
    this.loaded.set(id, rows);
    const nodes: Node[] = rows.map((example) => ({ kind: 'example', example, groupId: id }));
    if (rows.length < group.total) nodes.push({ kind: 'more', parentId: id, loaded: rows.length, total: group.total });
    return nodes;
  }

  /**
   * Loads the next page behind a "more" node: of the groups (null: the whole view changed) or of one group's
   * examples (that group changed). Undefined when the group is no longer shown.
   */
  async loadMore(node: Extract<Node, { kind: 'more' }>): Promise<GroupNode | null | undefined> {
    if (node.parentId === null) {
      const field = this.groupBy();
      const page = await this.groupPage(field, this.filters(), this.rootGroups.length);
      this.rootGroups.push(...page.groups.map((g) => ({ kind: 'group' as const, field, ...g })));
      return null;
    }
    const group = this.groupNodes.get(node.parentId);
    if (!group) return undefined;
    const rows = this.loaded.get(node.parentId) ?? [];
    const page = await this.examplePage(groupFilters(this.filters(), group), rows.length);
    // The next refresh of this group fetches as many as are loaded now.
    this.loaded.set(node.parentId, [...rows, ...page.rows]);
    return group;
  }

  private groupPage(field: GroupField, filters: Filters, offset: number) {
    return this.data.request('groups', { field, filters, offset, limit: PAGE_SIZE });
  }

  /** A page of a group's examples, newest first, without the count (the group knows its total). */
  private examplePage(filters: Filters, offset: number) {
    return this.data.request('examplesPage', { filters, offset, limit: PAGE_SIZE, sort: 'timestamp', direction: 'desc', countTotal: false });
  }
}
