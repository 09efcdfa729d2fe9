/**
 * Calling a user-defined function (`let f = (x:long, T:(*)) { ... }`): a new environment under the
 * function's own, where scalar arguments are compiled in the CALLER's scope and tabular ones evaluated,
 * then the body's lets are bound. Used for scalar calls (expr.ts) and tabular calls (run.ts) alike.
 */
import type { Expr, FunctionDecl, NamedArg } from '../../kql/syntax/ast.js';
import { Env } from './env.js';
import { bindLet, compileExpr, type CompileScope } from './expr.js';

export function enterFunction(decl: FunctionDecl, fnEnv: Env, args: (Expr | NamedArg)[], caller: CompileScope): Env {
  const inner = new Env(fnEnv);
  decl.parameters.forEach((p, i) => {
    const a = args[i];
    const arg = a ? (a.kind === 'NamedArg' ? a.value : a) : p.default;
    if (!arg) return;
    if (p.type.kind === 'TabularParamType') {
      const rel = caller.rt.evalTabular(arg, caller.env, caller.rel);
      inner.vars.set(p.name.name, { kind: 'tabular', get: () => rel });
    } else {
      const c = compileExpr(arg, caller);
      inner.vars.set(p.name.name, c.constant ? { kind: 'scalar', value: c.eval(0), type: c.type } : { kind: 'compiled', compiled: c });
    }
  });
  for (const st of decl.body.statements) if (st.kind === 'LetStatement') bindLet(st.name.name, st.value, { ...caller, env: inner });
  return inner;
}
