import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runQuery } from '../../src/engine/index.js';
import { Workspace } from '../../src/store/workspace.js';
import { SAMPLE_SCHEMA, sampleTable } from '../helpers/sample-tables.js';
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

test('a row index built on a lookup (format 5 stores none) is charged to its column in the cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-cache-index-'));
  try {
    const rows = 500;
    Workspace.open(dir, { create: true }).append('Sample', SAMPLE_SCHEMA, sampleTable(0, rows));
    const ws = Workspace.open(dir);
    const run = (q: string) => assert.ok(runQuery(q, { source: ws }).ok, q);
    run('Sample | summarize count() by RemoteUrl');
    const scanned = ws.columns.bytes;
    run("Sample | where RemoteUrl == 'a.b.c' | count");
    const dict = 9; // RemoteUrl's distinct values in the sample (URLS in sample-tables.ts)
    assert.equal(ws.columns.bytes - scanned, 4 * rows + 4 * (dict + 1), 'the index: a row id per row and an offset per code, plus one');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
