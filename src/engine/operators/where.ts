/**
 * `where`: narrows the selection vector; columns are not copied. When a column index can name the only
 * rows that may pass (indexed-where.ts), the predicate runs on those alone; a filter that only bounds a
 * datetime column by constants selects in one loop over its tick arrays (time-range-where.ts).
 */
import type { WhereOp } from '../../kql/syntax/ast.js';
import { physicalRows, type Relation } from '../compile/relation.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { compileExpr } from '../compile/expr.js';
import type { OpContext } from './context.js';
import { indexedRows } from './indexed-where.js';
import { timeRangeRows } from './time-range-where.js';
import { windowScope } from './window.js';

export function where(op: WhereOp, rel: Relation, cx: OpContext): Relation {
  // Window calls (prev, row_number ...) are computed over every row first, so narrowing the rows the
  // predicate runs on through an index does not change their values.
  const scope = windowScope(cx, rel, op.predicate);
  const ranged = timeRangeRows(op.predicate, rel, scope);
  if (ranged) return { columns: rel.columns, length: ranged.length, sel: ranged };
  const pred = compileExpr(op.predicate, scope).eval;
  const rows = indexedRows(op.predicate, rel, cx) ?? physicalRows(rel);
  const out = new Int32Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (pred(r) === true) out[n++] = r;
    if ((i & LIMIT_CHECK_MASK) === LIMIT_CHECK_MASK) checkLimits(cx.rt);
  }
  return { columns: rel.columns, length: n, sel: out.subarray(0, n) };
}
