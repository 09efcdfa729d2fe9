/**
 * Invoking a `declare pattern`: `name(v1, ...)` or `name(v1, ...).path` runs the first rule whose argument
 * values (and path) equal the call's, a `*` in the rule matching any value. The rule's body sees the
 * pattern's parameters (and path parameter) bound to the call's values.
 */
import type { Expr, NamedArg, PatternRule } from '../../kql/syntax/ast.js';
import { Env, type EnvEntry, type Runtime } from '../compile/env.js';
import { bindLet, compileExpr } from '../compile/expr.js';
import type { Relation } from '../compile/relation.js';
import { valueToString } from '../values/format.js';
import { QueryError, type Value } from '../values/value.js';

const EMPTY: Relation = { columns: [], length: 1 };

function ruleValue(rt: Runtime, e: Expr, env: Env): Value | '*' {
  return e.kind === 'StarExpr' ? '*' : compileExpr(e, { rt, env, rel: EMPTY }).eval(0);
}

const same = (rule: Value | '*', actual: Value) => rule === '*' || (rule !== null && actual !== null && String(rule) === String(actual));

export function invokePattern(rt: Runtime, entry: Extract<EnvEntry, { kind: 'pattern' }>, args: (Expr | NamedArg)[], path: string | undefined, env: Env, implicit?: Relation): Relation {
  const decl = entry.decl;
  const given = args.map((a) => {
    const c = compileExpr(a.kind === 'NamedArg' ? a.value : a, { rt, env, rel: EMPTY });
    return { value: c.eval(0), type: c.type };
  });
  // rules compare values as text (a rule's ("1") matches an argument 1)
  const values = given.map((g) => (g.value === null ? null : valueToString(g.value, g.type)));
  const matches = (r: PatternRule) =>
    r.args.length === values.length &&
    r.args.every((x, i) => same(ruleValue(rt, x, entry.env), values[i]!)) &&
    (path === undefined ? r.path === undefined : r.path !== undefined && same(ruleValue(rt, r.path, entry.env), path));
  const rule = decl.rules.find(matches);
  const shown = `${decl.name.name}(${values.map((v) => JSON.stringify(v)).join(', ')})${path === undefined ? '' : `.${path}`}`;
  if (!rule) throw new QueryError(decl.rules.length ? `the pattern ${shown} has no matching definition` : `the pattern '${decl.name.name}' is declared without definitions, which kqlite cannot supply`);
  const inner = new Env(entry.env);
  decl.parameters.forEach((p, i) => inner.vars.set(p.name.name, { kind: 'scalar', value: given[i]?.value ?? null, type: given[i]?.type ?? 'string' }));
  if (decl.pathParameter) inner.vars.set(decl.pathParameter.name.name, { kind: 'scalar', value: path ?? null, type: 'string' });
  for (const st of rule.body.statements) if (st.kind === 'LetStatement') bindLet(st.name.name, st.value, { rt, env: inner, rel: EMPTY });
  return rt.evalTabular(rule.body.result, inner, implicit);
}
