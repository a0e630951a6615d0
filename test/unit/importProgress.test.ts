import { strict as assert } from 'node:assert';
import { ImportProgress } from '../../src/core/ingest/importProgress';

describe('the progress bar of an import of several files', () => {
  it('moves for every file, not only the first, and ends full', () => {
    const bar = new ImportProgress(2);
    const moves = [bar.increment('a.jsonl', 50, 100), bar.increment('a.jsonl', 100, 100), bar.increment('b.jsonl', 10, 40), bar.increment('b.jsonl', 40, 40)];
    assert.deepEqual(moves, [25, 25, 12.5, 37.5]);
    assert.equal(moves.reduce((a, b) => a + b, 0), 100);
  });

  it('never moves back, nor past a full file, nor for an empty one', () => {
    const bar = new ImportProgress(1);
    assert.equal(bar.increment('a', 60, 100), 60);
    assert.equal(bar.increment('a', 30, 100), 0);
    assert.equal(bar.increment('a', 500, 100), 40);
    assert.equal(bar.increment('empty', 0, 0), 0);
  });
});
