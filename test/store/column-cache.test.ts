import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ColumnCache } from '../../src/store/column-cache.js';
import type { Column } from '../../src/engine/storage/column.js';

const col = (n: number): Column => ({ type: 'long', length: n, values: new Float64Array(n), validity: undefined });

test('the column cache keeps the most recently used columns within its byte budget', () => {
  const cache = new ColumnCache(300);
  const load = (bytes: number) => () => ({ column: col(bytes / 8), bytes });
  // [step, key, bytes, kept keys after, loads after]
  const steps: [string, number, string[], number][] = [
    ['a', 100, ['a'], 1],
    ['b', 100, ['a', 'b'], 2],
    ['a', 100, ['b', 'a'], 2], // a hit: moved to the young end, nothing read
    ['c', 100, ['b', 'a', 'c'], 3],
    ['d', 100, ['a', 'c', 'd'], 4], // over budget: the least recently used (b) goes
    ['big', 500, ['big'], 5], // one column above the budget is kept alone
    ['e', 10, ['e'], 6],
  ];
  for (const [key, bytes, kept, loads] of steps) {
    cache.get(key, load(bytes));
    assert.deepEqual(cache.keys(), kept, key);
    assert.equal(cache.loads, loads, key);
  }
  cache.grow('e', 40);
  assert.equal(cache.bytes, 50);
  cache.get('x/1', load(8));
  cache.get('x/2', load(8));
  cache.forget('x/');
  assert.deepEqual(cache.keys(), ['e']);
  assert.equal(cache.bytes, 50);
});
