import { strict as assert } from 'node:assert';
import { describeUrl, urlProblem } from '../../src/core/engine/postgres/databaseUrl';

describe("a team database's URL as the editor takes it", () => {
  it('takes a PostgreSQL URL with a host and no password; refuses one with a password, saying where it goes instead', () => {
    assert.equal(urlProblem('postgresql://ana@db.internal:5432/learning?sslmode=verify-full'), null);
    assert.equal(urlProblem('postgres://db.internal/learning'), null);
    assert.match(urlProblem('postgresql://ana:s3cret@db.internal/learning')!, /Leave the password out of the URL: it is asked next and kept in VS Code's secret storage/);
    assert.match(urlProblem('mysql://db.internal/learning')!, /Give a PostgreSQL URL/);
    assert.match(urlProblem('postgresql:///learning')!, /names no host/);
  });

  it('names the place without the password, for every message and the views', () => {
    const shown = describeUrl('postgresql://ana:s3cret@db.internal:6543/learning');
    assert.equal(shown, 'ana@db.internal:6543/learning');
    assert.doesNotMatch(shown, /s3cret/);
  });
});
