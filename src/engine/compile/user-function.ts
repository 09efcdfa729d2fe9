/**
 * Calling a user-defined function (`let f = (x:long, T:(*)) { ... }`): a new environment under the
 * function's own, where scalar arguments are compiled in the CALLER's scope and tabular ones evaluated,
 * then the body's lets are bound. Used for scalar calls (expr.ts) and tabular calls (run.ts) alike.
 */
import type { Expr, FunctionDecl, NamedArg } from '../../kql/syntax/ast.js';
import { Env } from './env.js';
import type { Relation } from './relation.js';
import { bindLet, compileExpr, type CompileScope } from './expr.js';

/**
 * Positional arguments fill the parameters in order (skipping those given by name), named ones (`f(c=7, a=12)`) by name; the rest take
 * their defaults. `input` (for `T | invoke f(...)`) is the first, tabular, parameter's argument.
 */
export function enterFunction(decl: FunctionDecl, fnEnv: Env, args: (Expr | NamedArg)[], caller: CompileScope, input?: Relation): Env {
  const inner = new Env(fnEnv);
  const positional = args.filter((a): a is Expr => a.kind !== 'NamedArg');
  const named = new Map(args.filter((a): a is NamedArg => a.kind === 'NamedArg').map((a) => [a.name.name, a.value]));
  const params = input ? decl.parameters.slice(1) : decl.parameters;
  if (input && decl.parameters[0]) inner.vars.set(decl.parameters[0].name.name, { kind: 'tabular', get: () => input });
  // positional arguments fill, in order, the parameters no named argument gave (`f(len=3, input)`: input is the second)
  let next = 0;
  params.forEach((p) => {
    const arg = named.get(p.name.name) ?? positional[next++] ?? p.default;
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
