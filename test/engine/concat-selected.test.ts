// concatSelected (storage/merge.ts: a where chain's surviving rows of each extent, back to back) equals
// reading the same cells one by one and building the column from Values, for every column type, with
// nulls, selections, parts without a selection and longs beyond 2^53.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildColumn, readCell } from '../../src/engine/storage/builders.js';
import { concatSelected } from '../../src/engine/storage/merge.js';
import type { Column } from '../../src/engine/storage/column.js';
import { valueKey } from '../../src/engine/values/compare.js';
import type { ScalarTypeName, Value } from '../../src/engine/values/value.js';

const SAMPLES: Record<string, (i: number) => Value> = {
  string: (i) => ['', 'a', 'b', 'Ä', `x${i % 7}`][i % 5]!,
  guid: (i) => (i % 4 === 0 ? null : `00000000-0000-0000-0000-00000000000${i % 3}`),
  datetime: (i) => (i % 6 === 0 ? null : 17_000_000_000_000_000n + BigInt(i * 12_345)),
  timespan: (i) => (i % 5 === 0 ? null : BigInt(i) * 10_000_001n),
  long: (i) => (i % 7 === 0 ? null : i % 11 === 0 ? 2n ** 60n + BigInt(i) : i * 3),
  real: (i) => [0, -0, NaN, 1.5, null][i % 5]!,
  bool: (i) => [true, false, null][i % 3]!,
  dynamic: (i) => [null, 1, 'x', [1, 2], { a: i }][i % 5]!,
};

/** The strings of `parts` under their selections (undefined: every row), in order: what a merge must hold. */
function selectedStrings(parts: Column[], sels: (Int32Array | undefined)[]): string[] {
  return parts.flatMap((c, p) => {
    const sel = sels[p];
    return Array.from({ length: sel ? sel.length : c.length }, (_, i) => readCell(c, sel ? sel[i]! : i) as string);
  });
}

test('concatSelected equals the cells read one by one, for every type', () => {
  for (const [type, gen] of Object.entries(SAMPLES)) {
    const parts = [40, 25, 33].map((n, p) => buildColumn(type as ScalarTypeName, Array.from({ length: n }, (_, i) => gen(i + p * 100))));
    const sels = [Int32Array.from([0, 3, 4, 9, 17, 39]), undefined, Int32Array.from([32, 1, 1, 5])];
    const want: Value[] = [];
    parts.forEach((c, p) => {
      const sel = sels[p];
      const n = sel ? sel.length : c.length;
      for (let i = 0; i < n; i++) want.push(readCell(c, sel ? sel[i]! : i));
    });
    const got = concatSelected(parts, sels, want.length);
    assert.equal(got.length, want.length, type);
    assert.deepEqual(Array.from({ length: got.length }, (_, i) => valueKey(readCell(got, i))), want.map(valueKey), type);
  }
});

test('concatSelected and concatTyped with mostly-distinct dictionaries (appended, not matched) read back the same strings', async () => {
  const { concatTyped } = await import('../../src/engine/storage/merge.js');
  const part = (p: number) => buildColumn('string', Array.from({ length: 9000 }, (_, i) => (i % 3 === 0 ? 'shared' : `{"row":${i % 5000},"p":${p % 2}}`)));
  const parts = [part(0), part(1), part(2)];
  const sels = [Int32Array.from({ length: 3000 }, (_, i) => i * 3 + 1), undefined, Int32Array.from([8999, 0, 5, 5])];
  const want = selectedStrings(parts, sels);
  const got = concatSelected(parts, sels, want.length);
  assert.deepEqual(Array.from({ length: got.length }, (_, i) => readCell(got, i)), want);
  const whole = concatTyped(parts, 27000);
  assert.deepEqual(Array.from({ length: whole.length }, (_, i) => readCell(whole, i)), parts.flatMap((c) => Array.from({ length: c.length }, (_, i) => readCell(c, i))));
  // grouping goes by text: the string both parts hold is one group however the dictionary holds it
  const { runQuery, MemorySource } = await import('../../src/engine/index.js');
  const { tableFromRows } = await import('../../src/engine/storage/builders.js');
  const schema = { name: 'T', columns: [{ name: 'S', type: 'string' as const }, { name: 'K', type: 'long' as const }] };
  const rowsOf = (p: number) => Array.from({ length: 9000 }, (_, i) => ({ S: i % 3 === 0 ? 'shared' : `{"row":${i % 5000},"p":${p % 2}}`, K: i }));
  const source = new MemorySource(new Map([['T', { schema, extents: [0, 1, 2].map((p) => tableFromRows(schema.columns, rowsOf(p))) }]]));
  const r = runQuery('T | where K >= 0 | summarize n = count() by S | summarize groups = count(), rows = sum(n)', { source });
  assert.ok(r.ok);
  const t = r.tables[0]!.table;
  const distinct = new Set([0, 1, 2].flatMap((p) => rowsOf(p).map((x) => x.S))).size;
  assert.deepEqual([readCell(t.columns[0]!.column, 0), readCell(t.columns[1]!.column, 0)], [distinct, 27000]);
});

test('a merge whose matched strings reach the index limit appends the rest, and reads back the same strings and groups', async () => {
  const { concatTyped } = await import('../../src/engine/storage/merge.js');
  // 40,000 strings per part, half of them shared with the previous part: matching stops in the third (65,536)
  const part = (p: number) => buildColumn('string', Array.from({ length: 40000 }, (_, i) => `{"k":${i + p * 20000}}`));
  const parts = [0, 1, 2, 3].map(part);
  const sels = [undefined, Int32Array.from({ length: 20000 }, (_, i) => 39999 - 2 * i), undefined, Int32Array.from([0, 0, 39999])];
  const want = selectedStrings(parts, sels);
  const got = concatSelected(parts, sels, want.length);
  assert.deepEqual(Array.from({ length: got.length }, (_, i) => readCell(got, i)), want);
  assert.ok(got.type === 'string' && got.dict.length > new Set(want).size, 'the dictionary holds repeats once matching stopped');
  const whole = concatTyped(parts, 160000);
  assert.deepEqual(Array.from({ length: whole.length }, (_, i) => readCell(whole, i)), parts.flatMap((c) => Array.from({ length: c.length }, (_, i) => readCell(c, i))));
  const { runQuery, MemorySource } = await import('../../src/engine/index.js');
  const { tableFromRows } = await import('../../src/engine/storage/builders.js');
  const schema = { name: 'T', columns: [{ name: 'S', type: 'string' as const }, { name: 'K', type: 'long' as const }] };
  const source = new MemorySource(new Map([['T', { schema, extents: [0, 1, 2, 3].map((p) => tableFromRows(schema.columns, Array.from({ length: 40000 }, (_, i) => ({ S: `{"k":${i + p * 20000}}`, K: i })))) }]]));
  for (const q of ['T | where K >= 0 | summarize n = count() by S | summarize groups = count(), rows = sum(n), most = max(n)', 'T | summarize n = count() by S | summarize groups = count(), rows = sum(n), most = max(n)']) {
    const r = runQuery(q, { source });
    assert.ok(r.ok, q);
    assert.deepEqual(Array.from({ length: 3 }, (_, i) => readCell(r.tables[0]!.table.columns[i]!.column, 0)), [100000, 160000, 2], q);
  }
});
