/** Small helpers shared by operators. */
import type { Expr } from '../../kql/syntax/ast.js';
import { QueryError, type Value } from '../values/value.js';
import type { Relation } from '../compile/relation.js';
import { compileOn, type OpContext } from './context.js';

/** An argument that must be a constant (externaldata's URIs and properties, FileProfile's arguments). */
export function constantValue(e: Expr, cx: OpContext, what: string): Value {
  const c = compileOn(cx, { columns: [], length: 1 }, e);
  if (!c.constant) throw new QueryError(`${what} must be a constant`, 'KQL4005');
  return c.eval(0);
}

/** An operator argument that must be a constant whole number (`take 10`, `top 5 by ...`). */
export function constantInt(e: Expr, rel: Relation, cx: OpContext, word: string): number {
  const c = compileOn(cx, rel, e);
  if (!c.constant) throw new QueryError(`the count of '${word}' must be a constant`);
  const v = c.eval(0);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new QueryError(`the count of '${word}' must be a number`);
  return Math.trunc(v);
}
