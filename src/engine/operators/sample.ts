/**
 * `sample N`: N rows picked at random (uniformly, reservoir sampling), in input order.
 * `sample-distinct N of expr`: up to N distinct values of expr (which ones is unspecified, as in Kusto:
 * the first N met), one column named like the expression.
 */
import type { SampleDistinctOp, SampleOp } from '../../kql/syntax/ast.js';
import { implicitName } from '../../kql/semantics/naming.js';
import { physicalRows, type Relation } from '../compile/relation.js';
import { buildColumn } from '../storage/builders.js';
import { valueKey } from '../values/compare.js';
import type { Value } from '../values/value.js';
import { compileOn, type OpContext } from './context.js';
import { constantInt } from './util.js';

export function sample(op: SampleOp, rel: Relation, cx: OpContext): Relation {
  const n = Math.max(0, constantInt(op.count, rel, cx, 'sample'));
  const rows = physicalRows(rel);
  if (rows.length <= n) return rel;
  const picked = Array.from(rows.subarray(0, n), (_, i) => i);
  for (let i = n; i < rows.length; i++) {
    const j = Math.floor(Math.random() * (i + 1));
    if (j < n) picked[j] = i;
  }
  picked.sort((a, b) => a - b);
  const sel = Int32Array.from(picked, (i) => rows[i]!);
  return { columns: rel.columns, length: sel.length, sel };
}

export function sampleDistinct(op: SampleDistinctOp, rel: Relation, cx: OpContext): Relation {
  const n = Math.max(0, constantInt(op.count, rel, cx, 'sample-distinct'));
  const c = compileOn(cx, rel, op.of);
  const rows = physicalRows(rel);
  const seen = new Set<string>();
  const values: Value[] = [];
  for (let i = 0; i < rows.length && values.length < n; i++) {
    const v = c.eval(rows[i]!);
    const k = valueKey(v);
    if (seen.has(k)) continue;
    seen.add(k);
    values.push(v);
  }
  return { columns: [{ name: implicitName(op.of) ?? 'Column1', column: buildColumn(c.type, values) }], length: values.length };
}
