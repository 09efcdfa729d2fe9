/** What every operator receives: the runtime and the environment it runs in. */
import type { Env, Runtime } from '../compile/env.js';
import { compileExpr, type CompileScope } from '../compile/expr.js';
import type { Relation } from '../compile/relation.js';
import type { Expr } from '../../kql/syntax/ast.js';

export interface OpContext {
  rt: Runtime;
  env: Env;
}

export function scope(cx: OpContext, rel: Relation): CompileScope {
  return { rt: cx.rt, env: cx.env, rel };
}

export function compileOn(cx: OpContext, rel: Relation, e: Expr) {
  return compileExpr(e, scope(cx, rel));
}
