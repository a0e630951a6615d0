import { strict as assert } from 'node:assert';
import { ExamplePages, PAGE_SIZE, type Node, type PageSource } from '../../src/extension/examples/examplePages';
import type { StoredExample } from '../../src/shared/example';
import type { Filters } from '../../src/shared/filters';
import type { GroupField, WorkerParams, WorkerResult } from '../../src/shared/workerProtocol';

const NOW = Date.now();

function example(i: number, model: string): StoredExample {
  return {
    id: `ex-${i}`,
    timestamp: new Date(NOW - i * 60_000).toISOString(),
    sessionId: null,
    taskDescription: null,
    codeContext: null,
    success: i % 2 === 0,
    metrics: {},
    tags: [],
    model,
    tokens: null,
    humanFeedback: null,
    extra: {},
    source: null,
    futureTimestamp: false,
  };
}

/** The data worker's two paging questions answered from a list in memory (grouped by model), every request kept. */
class FakeData implements PageSource {
  readonly asked: string[] = [];
  /** The filters of each examplesPage request. */
  readonly filters: unknown[] = [];
  constructor(public examples: StoredExample[]) {}

  request(method: 'groups', params: WorkerParams<'groups'>): Promise<WorkerResult<'groups'>>;
  request(method: 'examplesPage', params: WorkerParams<'examplesPage'>): Promise<WorkerResult<'examplesPage'>>;
  request(method: 'groups' | 'examplesPage', params: WorkerParams<'groups'> | WorkerParams<'examplesPage'>): Promise<unknown> {
    const offset = params.offset ?? 0;
    const limit = params.limit ?? 200;
    this.asked.push(`${method} ${offset}+${limit}`);
    if (method === 'groups') {
      const byModel = new Map<string, { key: string; total: number; successes: number }>();
      for (const e of this.examples) {
        const g = byModel.get(e.model!) ?? { key: e.model!, total: 0, successes: 0 };
        g.total++;
        g.successes += e.success ? 1 : 0;
        byModel.set(e.model!, g);
      }
      const all = [...byModel.values()].sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
      return Promise.resolve({ groups: all.slice(offset, offset + limit), more: all.length > offset + limit });
    }
    this.filters.push(params.filters);
    const model = params.filters?.model;
    const rows = this.examples.filter((e) => model === undefined || model === null || e.model === model);
    return Promise.resolve({ rows: rows.slice(offset, offset + limit), total: null });
  }
}

const counts = (nodes: Node[]) => ({ groups: nodes.filter((n) => n.kind === 'group').length, examples: nodes.filter((n) => n.kind === 'example').length, more: nodes.find((n) => n.kind === 'more') ?? null });

describe('the Examples view, a page at a time (with an in-memory data worker)', () => {
  let filters: Filters;
  const field: GroupField = 'model';
  beforeEach(() => {
    filters = {} as Filters;
  });

  it('shows a page of groups with "more", loads the next on request, and a refresh keeps as many as were loaded', async () => {
    const data = new FakeData(Array.from({ length: 450 }, (_, i) => example(i, `model-${String(i).padStart(3, '0')}`)));
    const pages = new ExamplePages(data, () => filters, () => field);
    const first = counts(await pages.roots());
    assert.deepEqual([first.groups, first.more], [PAGE_SIZE, { kind: 'more', parentId: null, loaded: PAGE_SIZE, total: null }]);
    assert.equal(await pages.loadMore(first.more as Extract<Node, { kind: 'more' }>), null, 'the whole view changed');
    // New data arrives: the refresh reads two pages again, not one.
    data.examples.push(example(1000, 'model-new'));
    data.asked.length = 0;
    const again = counts(await pages.roots());
    assert.equal(again.groups, 2 * PAGE_SIZE);
    assert.ok(again.more);
    assert.deepEqual(data.asked, ['groups 0+200', 'groups 200+200']);
  });

  it("shows a group's newest examples a page at a time, says how many of how many, and no 'more' once all are shown", async () => {
    const data = new FakeData(Array.from({ length: 450 }, (_, i) => example(i, i < 430 ? 'kimi' : 'other')));
    const pages = new ExamplePages(data, () => filters, () => field);
    const [kimi] = (await pages.roots()).filter((n) => n.kind === 'group');
    assert.deepEqual(kimi && [kimi.key, kimi.total], ['kimi', 430]);
    let shown = counts(await pages.examplesOf(kimi!));
    assert.deepEqual(shown.more, { kind: 'more', parentId: 'group:model:kimi', loaded: 200, total: 430 });
    assert.equal(await pages.loadMore(shown.more as Extract<Node, { kind: 'more' }>), kimi, 'only that group changed');
    shown = counts(await pages.examplesOf(kimi!));
    assert.deepEqual([shown.examples, (shown.more as { loaded: number }).loaded], [400, 400]);
    await pages.loadMore(shown.more as Extract<Node, { kind: 'more' }>);
    shown = counts(await pages.examplesOf(kimi!));
    assert.deepEqual([shown.examples, shown.more], [430, null]);
    const firstIds = (await pages.examplesOf(kimi!)).slice(0, 2).map((n) => (n.kind === 'example' ? n.example.id : n.kind));
    assert.deepEqual(firstIds, ['ex-0', 'ex-1'], 'newest first, as the worker pages them');
  });

  it('asks with the filters as they are at each read, within the group', async () => {
    const data = new FakeData([example(0, 'a'), example(1, 'b')]);
    const pages = new ExamplePages(data, () => filters, () => field);
    const groups = (await pages.roots()).filter((n) => n.kind === 'group');
    filters = { ...filters, andTag: 'auth' } as Filters;
    await pages.examplesOf(groups[0]!);
    assert.deepEqual(data.filters.at(-1), { andTag: 'auth', model: groups[0]!.key });
    assert.equal(pages.group('group:model:a')?.key, 'a');
    assert.equal(await pages.loadMore({ kind: 'more', parentId: 'group:model:gone', loaded: 0, total: 1 }), undefined, 'a group no longer shown');
  });
});
