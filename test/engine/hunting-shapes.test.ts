// The hunting benchmark's query shapes (bench/hunting/shapes.ts) give the same rows in kqlite and in DuckDB,
// row by row, on 10k generated rows: the benchmark's equality check at a size CI runs in seconds. A shape
// whose KQL or SQL drifts from the other fails here before a benchmark run would show it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { compareCanonical } from '../../bench/hunting/compare.js';
import { ensureHuntData, huntCsvFiles } from '../../bench/hunting/data.js';
import { duckCanon, duckLoad, kqliteCanon, runDuck, runKqlite } from '../../bench/hunting/engines.js';
import { huntShapes } from '../../bench/hunting/shapes.js';
import { ingestPaths } from '../../src/ingest/ingest.js';
import { Workspace } from '../../src/store/workspace.js';

test('every hunting shape: kqlite and DuckDB give the same rows on 10k rows', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kqlite-hunt-shapes-'));
  try {
    const ds = ensureHuntData(root, 10_000);
    const ws = Workspace.open(join(root, 'ws'), { create: true });
    const rep = await ingestPaths(ws, huntCsvFiles(ds));
    assert.equal(rep.quarantined, 0);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    await duckLoad(conn, ds);
    const shapes = huntShapes();
    assert.ok(shapes.length >= 20, `${shapes.length} shapes`);
    let nonEmpty = 0;
    for (const s of shapes) {
      const k = kqliteCanon(runKqlite(s, ws), s);
      const d = duckCanon(await runDuck(conn, s), s);
      assert.deepEqual(compareCanonical(k, d, s.reals), [], s.name);
      if (k.length) nonEmpty++;
    }
    // a shape that finds nothing on both sides proves little: all of them must find rows at this size
    assert.equal(nonEmpty, shapes.length);
    conn.closeSync();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the row comparison catches a changed cell, a missing row and a real beyond the tolerance', () => {
  const a = [{ K: 'x', N: '1', R: '0.5' }, { K: 'y', N: '2', R: '1' }];
  assert.deepEqual(compareCanonical(a, [...a].reverse(), ['R']), []);
  assert.equal(compareCanonical(a, [{ ...a[0]!, N: '3' }, a[1]!], ['R']).length, 1);
  assert.ok(compareCanonical(a, [a[0]!], ['R']).length >= 1);
  assert.deepEqual(compareCanonical(a, [{ ...a[0]!, R: String(0.5 + 1e-12) }, a[1]!], ['R']), []);
  assert.equal(compareCanonical(a, [{ ...a[0]!, R: '0.5001' }, a[1]!], ['R']).length, 1);
});
