// top-nested groups each level by dense value ids (compile/value-ids.ts) instead of a valueKey string per
// row. Its groups and aggregates must equal summarize's (the columnar group-by, itself checked against a
// row-by-row reference in columnar-operators.test.ts) for every key type, with nulls, -0/0, NaN, dynamic
// values and datetimes, at one level and nested, and keep first-seen order among equal aggregates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import { valueKey } from '../../src/engine/values/compare.js';
import type { Value } from '../../src/engine/values/value.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const SCHEMA: TableSchema = { name: 'T', columns: [{ name: 'S', type: 'string' }, { name: 'N', type: 'long' }, { name: 'R', type: 'real' }, { name: 'D', type: 'dynamic' }, { name: 'Ts', type: 'datetime' }, { name: 'V', type: 'long' }] };
const rows = Array.from({ length: 300 }, (_, i) => ({
  S: ['', 'a', 'A', 'b', 'Ä'][i % 5]!,
  N: i % 7 === 0 ? null : i % 4,
  R: [0, -0, NaN, 1.5, null][i % 5]!,
  D: [null, 1, '1', [1, 2], { a: 1 }, [1, 2]][i % 6]!,
  Ts: i % 9 === 0 ? null : 17_000_000_000_000_000n + BigInt(i % 6) * 36_000_000_000n + BigInt(i % 2),
  V: (i * 37) % 101,
}));
const source = new MemorySource(new Map([['T', { schema: SCHEMA, extents: [tableFromRows(SCHEMA.columns, rows.slice(0, 180)), tableFromRows(SCHEMA.columns, rows.slice(180))] }]]));

function table(q: string): string[] {
  const r = runQuery(q, { source });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => valueKey(readCell(c.column, i) as Value)).join(' | '));
}

test('top-nested groups equal summarize groups for every key type', () => {
  for (const col of ['S', 'N', 'R', 'D', 'Ts']) {
    const nested = table(`T | top-nested of ${col} by Total = sum(V)`).sort();
    const grouped = table(`T | summarize Total = sum(V) by ${col}`).sort();
    assert.deepEqual(nested, grouped, col);
  }
});

test('nested levels group inside their parent group, and ties keep first-seen order', () => {
  const nested = table('T | top-nested 3 of S by A = count(), top-nested 2 of N by B = sum(V)');
  const expect: string[] = [];
  const top = table('T | summarize A = count() by S').map((r) => r.split(' | '));
  // descending by count, ties in first-seen order (summarize keeps first-seen order); a key is its valueKey ("s" + text, "n" + number)
  const order = top.map((r, i) => ({ r, i })).sort((x, y) => Number(y.r[1]!.slice(1)) - Number(x.r[1]!.slice(1)) || x.i - y.i).slice(0, 3);
  for (const { r } of order) {
    const inner = table(`T | where S == ${JSON.stringify(r[0]!.slice(1))} | summarize B = sum(V) by N`).map((x) => x.split(' | '));
    const kept = inner.map((x, i) => ({ x, i })).sort((a, b) => Number(b.x[1]!.slice(1)) - Number(a.x[1]!.slice(1)) || a.i - b.i).slice(0, 2);
    for (const { x } of kept) expect.push([r[0], r[1], x[0], x[1]].join(' | '));
  }
  assert.deepEqual(nested, expect);
});
