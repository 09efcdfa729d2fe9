/** `where`: narrows the selection vector; columns are not copied. */
import type { WhereOp } from '../../kql/syntax/ast.js';
import { physicalRows, type Relation } from '../compile/relation.js';
import { compileExpr } from '../compile/expr.js';
import type { OpContext } from './context.js';
import { windowScope } from './window.js';

export function where(op: WhereOp, rel: Relation, cx: OpContext): Relation {
  const pred = compileExpr(op.predicate, windowScope(cx, rel, op.predicate)).eval;
  const rows = physicalRows(rel);
  const out = new Int32Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (pred(r) === true) out[n++] = r;
  }
  return { columns: rel.columns, length: n, sel: out.subarray(0, n) };
}
