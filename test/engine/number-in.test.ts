// `C in (numbers)` on a number column tests a Set of the numbers (compile/binary.ts numberColumnIn); the
// same test on an expression of the column (`C + 0`) takes the general path, item by item with
// valuesEqual. Both must keep the same rows, for `in` and `!in`, with nulls, NaN, 0 and -0 on either side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery } from '../../src/engine/index.js';
import { readCell } from '../../src/engine/storage/builders.js';
import { valueKey } from '../../src/engine/values/compare.js';

const DATA = `datatable(L:long, I:int, R:real, B:long) [
  80, 1, 0.0, 80, 8080, 2, -0.0, 1, 0, 0, real(nan), 9007199254740993, long(null), int(null), real(null), long(null),
  -1, -1, 1.5, -1, 443, 80, 80.0, 443, 7, 3, 2.5, 0, 80, 1, real(+inf), 80
]`;

function rows(q: string): string[] {
  const r = runQuery(q);
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => valueKey(readCell(c.column, i))).join('|'));
}

test('in / !in of numbers on a number column keep the rows the general path keeps', () => {
  const lists = ['80, 8080', '0', '-0.0', '1.5, 2', 'real(nan)', '80, long(null)', '-1, 443, 9007199254740993', 'real(+inf), 2.5', '1, 2, 3'];
  let kept = 0;
  // B holds a long beyond 2^53 (a big-long column: the general path either way)
  for (const col of ['L', 'I', 'R', 'B']) {
    for (const list of lists) {
      for (const op of ['in', '!in']) {
        const fast = rows(`${DATA} | where ${col} ${op} (${list}) | project L, I, R, B`);
        const general = rows(`${DATA} | where (${col} + 0) ${op} (${list}) | project L, I, R, B`);
        assert.deepEqual(fast, general, `${col} ${op} (${list})`);
        kept += fast.length;
      }
    }
  }
  assert.ok(kept > 0);
});
