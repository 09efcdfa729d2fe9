/** Small helpers shared by operators. */
import type { Expr } from '../../kql/syntax/ast.js';
import { QueryError } from '../values/value.js';
import type { Relation } from '../compile/relation.js';
import { compileOn, type OpContext } from './context.js';

/** An operator argument that must be a constant whole number (`take 10`, `top 5 by ...`). */
export function constantInt(e: Expr, rel: Relation, cx: OpContext, word: string): number {
  const c = compileOn(cx, rel, e);
  if (!c.constant) throw new QueryError(`the count of '${word}' must be a constant`);
  const v = c.eval(0);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new QueryError(`the count of '${word}' must be a number`);
  return Math.trunc(v);
}
