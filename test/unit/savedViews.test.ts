import { strict as assert } from 'node:assert';
import { filtersOfView, parseSavedViews, serializeSavedViews, upsertView, viewFromFilters } from '../../src/core/views/savedViews';
import { filtersSchema, lastDaysSince } from '../../src/shared/filters';

describe('saved views', () => {
  const now = new Date(2026, 10, 21, 15, 30);

  it('keeps "the last 7 days" as days, so it still means that tomorrow', () => {
    const filters = filtersSchema.parse({ since: lastDaysSince(7, now), success: false, tags: ['auth'] });
    const view = viewFromFilters('Recent auth failures', filters, now);
    assert.equal(view.lastDays, 7);
    assert.equal(view.filters.since, undefined);
    const tomorrow = new Date(2026, 10, 22, 9, 0);
    const applied = filtersOfView(view, tomorrow);
    assert.equal(applied.since, new Date(2026, 10, 16).getTime());
    assert.equal(applied.success, false);
    assert.deepEqual(applied.tags, ['auth']);
  });

  it('keeps absolute dates as dates', () => {
    const filters = filtersSchema.parse({ since: new Date(2026, 0, 1).getTime(), until: new Date(2026, 1, 1).getTime() });
    const view = viewFromFilters('January', filters, now);
    assert.equal(view.lastDays, undefined);
    assert.deepEqual(filtersOfView(view, now), filters);
  });

  it('replaces a view of the same name and round-trips through the file', () => {
    let file = parseSavedViews('{"views":[]}');
    assert.ok(file.ok);
    let views = upsertView(file.file, { name: 'A', filters: { model: 'M' } });
    views = upsertView(views, { name: 'a', filters: { model: 'N' } });
    assert.equal(views.views.length, 1);
    file = parseSavedViews(serializeSavedViews(views));
    assert.ok(file.ok);
    assert.equal(file.file.views[0]!.filters.model, 'N');
  });

  it('names the problem in a malformed file', () => {
    const bad = parseSavedViews('{"views": [{"name": "", "filters": {}}]}');
    assert.ok(!bad.ok);
    assert.match(bad.problem, /learning-views\.json: views\.0\.name: a view needs a name/);
    const notJson = parseSavedViews('{"views": [');
    assert.ok(!notJson.ok);
    assert.match(notJson.problem, /is not valid JSON/);
    const wrongType = parseSavedViews('{"views": [{"name": "x", "filters": {"success": "maybe"}}]}');
    assert.ok(!wrongType.ok);
    assert.match(wrongType.problem, /views\.0\.filters\.success/);
  });
});
