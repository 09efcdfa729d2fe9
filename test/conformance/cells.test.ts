// The strict conformance comparer, cell by cell (test/conformance/cells.json): nothing passes by leniency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sameCell } from '../../scripts/conformance-cells.js';
import type { ScalarTypeName, Value } from '../../src/engine/values/value.js';

interface CellCase { why: string; type: ScalarTypeName; value: unknown; doc: string; same: boolean | 'elided'; unordered?: boolean; approximate?: boolean }

/** JSON has no bigint or NaN: "123n" stands for a bigint, "NaN" for NaN. */
function revive(v: unknown): Value {
  if (typeof v === 'string' && /^-?\d+n$/.test(v)) return BigInt(v.slice(0, -1));
  if (v === 'NaN') return NaN;
  if (Array.isArray(v)) return v.map(revive) as Value;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)])) as Value;
  return v as Value;
}

for (const c of JSON.parse(readFileSync('test/conformance/cells.json', 'utf8')) as CellCase[]) {
  test(`cell: ${c.why}`, () => {
    assert.equal(sameCell(revive(c.value), c.type, c.doc, { unordered: c.unordered, approximate: c.approximate }), c.same);
  });
}
