/** `T | invoke f(args)`: calls the user function f with T as its first (tabular) argument. */
import type { InvokeOp } from '../../kql/syntax/ast.js';
import { enterFunction } from '../compile/user-function.js';
import type { Relation } from '../compile/relation.js';
import { QueryError } from '../values/value.js';
import type { OpContext } from './context.js';
import { fileProfile } from './file-profile.js';

export function invoke(op: InvokeOp, input: Relation, cx: OpContext): Relation {
  const entry = cx.env.lookup(op.call.name.name);
  if (!entry && op.call.name.name === 'FileProfile') return fileProfile(op, input, cx);
  if (entry?.kind !== 'function') throw new QueryError(`invoke: '${op.call.name.name}' is not a function defined in the query`);
  if (entry.decl.parameters[0]?.type.kind !== 'TabularParamType') throw new QueryError(`invoke: the first parameter of '${op.call.name.name}' must be a table`);
  const inner = enterFunction(entry.decl, entry.env, op.call.args, { rt: cx.rt, env: cx.env, rel: input }, input);
  return cx.rt.evalTabular(entry.decl.body.result, inner);
}
