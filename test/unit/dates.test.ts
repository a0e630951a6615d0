import { strict as assert } from 'node:assert';
import { formatAxisDay, formatDate, formatDay, formatWhen, periodName, setDateLocale } from '../../src/shared/dates';
import { describeFilters, NO_FILTERS } from '../../src/shared/filters';

describe('one date format, from the user locale', () => {
  afterEach(() => setDateLocale(undefined));

  it("follows VS Code's display language everywhere a date is shown, the filters' description too", () => {
    // Noon UTC: the same calendar day in every zone the run may have.
    const noon = Date.UTC(2026, 10, 3, 12);
    setDateLocale('fr');
    assert.match(formatDate(noon), /^3 nov\.? 2026$/);
    assert.match(formatWhen(noon), /^3 nov\.? 2026/);
    assert.match(formatDay('2026-11-03'), /^mar\.? 3 nov\.? 2026$/);
    assert.match(formatAxisDay('2026-11-03'), /^3 nov\.? 26$/);
    assert.ok(describeFilters({ ...NO_FILTERS, since: noon }).includes(formatDate(noon)));
    setDateLocale('en-US');
    assert.equal(formatDate(noon), 'Nov 3, 2026');
    assert.equal(formatDay('2026-11-03'), 'Tue, Nov 3, 2026');
  });

  it('an unknown locale falls back to the default, and a label that is not a day shows as it is', () => {
    setDateLocale(undefined);
    const fallback = formatDate(0);
    setDateLocale('not a locale!');
    assert.equal(formatDate(0), fallback);
    assert.equal(formatAxisDay('+7 days'), '+7 days');
    assert.equal(formatDay('someday'), 'someday');
  });

  it('names a period by its length and its first and last day', () => {
    setDateLocale('en-GB');
    const since = new Date(2026, 10, 20).getTime();
    const until = new Date(2026, 10, 27).getTime();
    assert.equal(periodName(since, until), 'the previous 7 days (20 Nov – 26 Nov)');
  });
});
