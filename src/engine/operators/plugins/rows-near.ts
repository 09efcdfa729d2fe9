/**
 * `evaluate rows_near(Condition, NumRows [, RowsAfter])`: the rows that meet Condition, plus NumRows rows
 * before each and RowsAfter (default NumRows) rows after, in the input's (serialized) order, each row once.
 */
import type { EvaluateOp, Expr } from '../../../kql/syntax/ast.js';
import { physicalRows, type Relation } from '../../compile/relation.js';
import { QueryError } from '../../values/value.js';
import { compileOn, type OpContext } from '../context.js';
import { constantInt } from '../util.js';

export function rowsNear(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const args = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  if (args.length < 2 || args.length > 3) throw new QueryError('rows_near takes (Condition, NumRows [, RowsAfter])');
  const before = constantInt(args[1]!, input, cx, 'rows_near');
  const after = args[2] ? constantInt(args[2], input, cx, 'rows_near') : before;
  if (before < 0 || after < 0) throw new QueryError('rows_near: the row counts must not be negative');
  const condition = compileOn(cx, input, args[0]!).eval;
  const rows = physicalRows(input);
  const keep = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (condition(rows[i]!) !== true) continue;
    for (let j = Math.max(0, i - before); j <= Math.min(rows.length - 1, i + after); j++) keep[j] = 1;
  }
  const sel: number[] = [];
  for (let i = 0; i < rows.length; i++) if (keep[i]) sel.push(rows[i]!);
  return { columns: input.columns, length: sel.length, sel: Int32Array.from(sel) };
}
