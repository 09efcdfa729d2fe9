/**
 * `sort`/`order by`, `top`, `take`/`limit`, `sample`. Kusto's defaults: descending; nulls last when
 * descending and first when ascending (unless `nulls first|last` is written).
 */
import type { SortKey, SortOp, TakeOp, TopOp } from '../../kql/syntax/ast.js';
import { compareValues } from '../values/compare.js';
import type { Value } from '../values/value.js';
import { physicalRows, sameRows, type Relation } from '../compile/relation.js';
import { compileOn, type OpContext } from './context.js';
import { constantInt } from './util.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { reserve } from '../memory.js';

export function sortRows(rel: Relation, keys: SortKey[], cx: OpContext): Int32Array {
  const rows = physicalRows(rel);
  const evals = keys.map((k) => compileOn(cx, rel, k.expr).eval);
  // each key's values and the row order are arrays on the heap
  reserve(8 * rows.length * (keys.length + 1), true);
  const cols: Value[][] = evals.map((f) => Array.from(rows, (r) => f(r)));
  const orders = keys.map((k) => (k.order ?? 'desc') === 'desc' ? -1 : 1);
  const nullsFirst = keys.map((k, i) => (k.nulls ? k.nulls === 'first' : orders[i] === 1));
  const idx = Array.from(rows.keys());
  // a sort of millions of rows takes seconds: the limits are checked every 1,024 comparisons (a throw ends the sort)
  let work = 0;
  idx.sort((a, b) => {
    if ((++work & LIMIT_CHECK_MASK) === 0) checkLimits(cx.rt);
    for (let k = 0; k < evals.length; k++) {
      const x = cols[k]![a]!;
      const y = cols[k]![b]!;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === nullsFirst[k] ? -1 : 1;
      }
      const c = compareValues(x, y) * orders[k]!;
      if (c !== 0) return c;
    }
    return a - b;
  });
  return Int32Array.from(idx, (i) => rows[i]!);
}

export function sort(op: SortOp, rel: Relation, cx: OpContext): Relation {
  const sel = sortRows(rel, op.keys, cx);
  return { columns: rel.columns, length: sel.length, sel, ...sameRows(rel) };
}

export function top(op: TopOp, rel: Relation, cx: OpContext): Relation {
  const n = constantInt(op.count, rel, cx, 'top');
  const sel = sortRows(rel, [op.by], cx).subarray(0, Math.max(0, n));
  return { columns: rel.columns, length: sel.length, sel, ...sameRows(rel) };
}

export function take(op: TakeOp, rel: Relation, cx: OpContext): Relation {
  const n = Math.max(0, constantInt(op.count, rel, cx, 'take'));
  const sel = physicalRows(rel).subarray(0, n);
  return { columns: rel.columns, length: sel.length, sel, ...sameRows(rel) };
}
