// make-series on a bare datetime column with a whole-millisecond axis takes each row's step from the
// column's millisecond array and its group from dense key ids; with the axis written as an expression
// (`Ts + 0s`) it takes the per-value path. Both must give the same series: rows on the start and end,
// sub-millisecond ticks next to a step boundary, nulls in the axis and the keys, several key types,
// `in range(...)` (end included) and axes without from/to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import { valueKey } from '../../src/engine/values/compare.js';
import type { Value } from '../../src/engine/values/value.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const T0 = 17_000_000_000_000_000n; // a whole hour
const HOUR = 36_000_000_000n;
const SCHEMA: TableSchema = { name: 'T', columns: [{ name: 'Ts', type: 'datetime' }, { name: 'S', type: 'string' }, { name: 'N', type: 'long' }, { name: 'D', type: 'dynamic' }, { name: 'V', type: 'long' }] };
const offsets = [0n, 1n, HOUR - 1n, HOUR, HOUR + 9_999n, 3n * HOUR - 1n, 5n * HOUR, 6n * HOUR, -1n, 7n * HOUR + 5_000n];
const rows = Array.from({ length: 200 }, (_, i) => ({
  Ts: i % 17 === 0 ? null : T0 + offsets[i % offsets.length]!,
  S: ['', 'a', 'b'][i % 3]!,
  N: i % 11 === 0 ? null : i % 4,
  D: [null, 1, 'x', [1]][i % 4]!,
  V: i,
}));
const source = new MemorySource(new Map([['T', { schema: SCHEMA, extents: [tableFromRows(SCHEMA.columns, rows.slice(0, 120)), tableFromRows(SCHEMA.columns, rows.slice(120))] }]]));

function cells(q: string): string[] {
  const r = runQuery(q, { source });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  // the axis column (last) is named after the axis expression: compared apart, by its values only
  return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => valueKey(readCell(c.column, i) as Value)).join(' | '));
}

test('make-series on the typed path equals the per-value path', () => {
  const from = 'datetime(2023-11-14 22:13:20)';
  const cases = [
    `make-series c=count(), s=sum(V) default=-1 on AXIS from ${from} to ${from} + 6h step 1h by S`,
    `make-series c=count() on AXIS from ${from} to ${from} + 6h step 1h by S, N`,
    `make-series c=count(), m=max(V) on AXIS from ${from} - 1h to ${from} + 8h step 2h by D`,
    `make-series c=count() on AXIS in range(${from}, ${from} + 5h, 1h) by N`,
    `make-series c=count() on AXIS step 1h by S`,
    `make-series c=count() on AXIS from ${from} to ${from} + 6h step 1h`,
    `make-series c=count() on AXIS from ${from} to ${from} + 1000tick step 7tick by S`,
  ];
  for (const c of cases) {
    const typed = cells(`T | ${c.replace('AXIS', 'Ts')}`);
    const general = cells(`T | ${c.replace('AXIS', '(Ts + 0s)')}`);
    assert.deepEqual(typed, general, c);
  }
});
