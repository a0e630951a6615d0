import { strict as assert } from 'node:assert';
import { answerPanelRequest, InvalidRequest, panelRoutes, type PanelServices } from '../../src/extension/dashboard/panelHandlers';
import { NO_FILTERS, type Filters } from '../../src/shared/filters';

/** A data client that records what it was asked and answers from `answers`. */
function fakeData(answers: Record<string, unknown>) {
  const asked: { method: string; params: unknown }[] = [];
  const data: PanelServices['data'] = {
    request: ((method: string, params: unknown) => {
      asked.push({ method, params });
      return Promise.resolve(answers[method]);
    }) as PanelServices['data']['request'],
  };
  return { data, asked };
}

describe("the panel's requests, answered on the host", () => {
  const hostFilters: Filters = { ...NO_FILTERS, model: 'host-model' };

  it('filters every request that filters with the host’s filters, whatever the panel sends', async () => {
    const { data, asked } = fakeData({ examplesPage: { rows: [], total: 0 }, prediction: { tag: null, history: [], forecasts: [], explanation: 'x', backtest: null } });
    const routes = panelRoutes({ data, filters: () => hostFilters, taskEvents: () => Promise.resolve([]), user: () => 'Ana' });
    await answerPanelRequest(routes, 'examplesPage', { filters: { ...NO_FILTERS, model: 'panel-model' }, offset: 50 });
    assert.deepEqual(asked[0], { method: 'examplesPage', params: { sort: 'timestamp', direction: 'desc', offset: 50, limit: 100, countTotal: true, filters: hostFilters } });
    await answerPanelRequest(routes, 'prediction', { tag: 'auth' }).catch(() => undefined);
    assert.deepEqual(asked[1], { method: 'prediction', params: { tag: 'auth', filters: hostFilters } });
  });

  it('refuses parameters its schema does not take, naming the method and the reason, and asks nothing', async () => {
    const { data, asked } = fakeData({});
    const routes = panelRoutes({ data, filters: () => hostFilters, taskEvents: () => Promise.resolve([]), user: () => 'Ana' });
    await assert.rejects(answerPanelRequest(routes, 'setFeedback', { id: 7 }), (e: Error) => e instanceof InvalidRequest && /^invalid setFeedback request: /.test(e.message));
    assert.equal(asked.length, 0);
  });

  it("a feedback edit carries the host's user as its author, whatever the panel sends", async () => {
    const { data, asked } = fakeData({ setFeedback: { found: true } });
    const routes = panelRoutes({ data, filters: () => hostFilters, taskEvents: () => Promise.resolve([]), user: () => 'Ana' });
    assert.equal(await answerPanelRequest(routes, 'setFeedback', { id: 'a', feedback: 'good', author: 'Mallory' }), true);
    assert.deepEqual(asked[0], { method: 'setFeedback', params: { id: 'a', feedback: 'good', author: 'Ana' } });
  });

  it('checks an answer against its schema on the way out, and answers a task log from the task service', async () => {
    const { data } = fakeData({ setFeedback: { found: 'yes' } });
    const asked: string[] = [];
    const routes = panelRoutes({ data, filters: () => hostFilters, taskEvents: (id) => (asked.push(id), Promise.resolve([{ at: 1, kind: 'log', message: 'hello', progress: null, seq: 1 }])), user: () => 'Ana' });
    await assert.rejects(answerPanelRequest(routes, 'setFeedback', { id: 'a', feedback: null }), /expected boolean/i);
    assert.deepEqual(await answerPanelRequest(routes, 'taskLog', { taskId: 't1' }), [{ at: 1, kind: 'log', message: 'hello', progress: null, seq: 1 }]);
    assert.deepEqual(asked, ['t1']);
  });
});
