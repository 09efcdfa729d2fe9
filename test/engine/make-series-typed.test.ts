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
    // aggregates through summarize's per-slot path over the (key, step) cells: order-dependent, if-forms
    `make-series l=make_list(V), a=avg(V), d=dcount(N), ci=countif(V % 2 == 0) on AXIS from ${from} to ${from} + 6h step 1h by S`,
    `make-series s=sum(V) default=0, mx=max(N) on AXIS from ${from} - 1h to ${from} + 8h step 1h by S, N`,
  ];
  for (const c of cases) {
    const typed = cells(`T | ${c.replace('AXIS', 'Ts')}`);
    const general = cells(`T | ${c.replace('AXIS', '(Ts + 0s)')}`);
    assert.deepEqual(typed, general, c);
  }
});

test('make-series over a where chain skips extents outside its axis, with the same series', () => {
  // three extents an hour apart; the source drops extents wholly outside the range it is asked for, as a
  // workspace does, and counts what it returned
  const schema: TableSchema = { name: 'TT', columns: [{ name: 'Timestamp', type: 'datetime' }, { name: 'S', type: 'string' }, { name: 'V', type: 'long' }] };
  const hour = (h: number) => Array.from({ length: 30 }, (_, i) => ({ Timestamp: T0 + BigInt(h) * HOUR + BigInt(i) * 1_000_000_000n, S: ['a', 'b'][i % 2]!, V: i }));
  const extents = [0, 1, 2, 3].map((h) => tableFromRows(schema.columns, hour(h)));
  let returned = 0;
  const ranged = {
    tableNames: () => ['TT'],
    schema: (n: string) => (n === 'TT' ? schema : undefined),
    scan: (_n: string, range?: { min?: bigint; max?: bigint }) => {
      const out = extents.filter((_, h) => {
        const lo = T0 + BigInt(h) * HOUR;
        const hi = lo + HOUR - 1n;
        return !(range?.min !== undefined && hi < range.min) && !(range?.max !== undefined && lo > range.max);
      });
      returned += out.length;
      return out;
    },
  };
  const run = (q: string) => {
    const r = runQuery(q, { source: ranged });
    assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    const t = r.tables[0]!.table;
    return Array.from({ length: t.length }, (_, i) => t.columns.slice(0, -1).map((c) => valueKey(readCell(c.column, i) as Value)).join(' | '));
  };
  const from = 'datetime(2023-11-14 23:00:00)';
  for (const [axis, inRange] of [[`from ${from} to ${from} + 1h step 10m`, 1], [`in range(${from}, ${from} + 1h, 30m)`, 2]] as const) {
    returned = 0;
    const typed = run(`TT | where V != 3 | make-series c=count(), l=make_list(V) on Timestamp ${axis} by S`);
    // the extents the axis overlaps (they start at 22:13:20 and last an hour): two, three when `in range` adds a step past the end
    assert.equal(returned, inRange + 1, axis);
    returned = 0;
    const general = run(`TT | where V != 3 | make-series c=count(), l=make_list(V) on (Timestamp + 0s) ${axis} by S`);
    assert.equal(returned, 4);
    assert.deepEqual(typed, general, axis);
  }
});
