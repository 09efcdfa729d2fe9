/**
 * toscalar(): Kusto computes its argument once for the query, however many rows or calls use it
 * (toscalar-function.md: `let g1 = toscalar(new_guid())` is one GUID on every row, and a function
 * `y = () { toscalar(rand(1000)) }` called twice gives the same number). So each toscalar call keeps its
 * value per query, keyed by what its argument refers to: a call inside a function whose argument reads the
 * function's parameters is computed again for other arguments. An argument that reads the current row (the
 * partition key inside `partition by K { ... toscalar(K) ... }`) stays per row.
 */
import type { CallExpr, Expr, ScalarTypeName } from '../../kql/syntax/ast.js';
import { valueKey } from '../values/compare.js';
import type { Value } from '../values/value.js';
import type { Compiled, Env } from './env.js';
import { compileExpr, constant, firstCell, type CompileScope } from './expr.js';
import { columnOf } from './relation.js';

export function compileToscalar(call: CallExpr, arg: Expr, s: CompileScope, type: ScalarTypeName): Compiled {
  const tabular = Boolean(s.rt.bound.schemaOf(arg)) || (arg.kind === 'NameRef' && s.env.lookup(arg.name)?.kind === 'tabular');
  const names = referencedNames(arg);
  if (!tabular) {
    const c = compileExpr(arg, s);
    if (c.constant || names.some((n) => columnOf(s.rel, n))) return c;
  }
  const key = scopeKey(names, s.env);
  if (key === undefined) return tabular ? constant(type, firstCell(s.rt.evalTabular(arg, s.env))) : compileExpr(arg, s);
  const byCall = (s.rt.toscalarValues ??= new Map());
  let values = byCall.get(call);
  if (!values) byCall.set(call, (values = new Map()));
  if (!values.has(key)) values.set(key, tabular ? firstCell(s.rt.evalTabular(arg, s.env)) : compileExpr(arg, s).eval(0));
  return constant(type, values.get(key)!);
}

/** The names an expression refers to (columns, lets, parameters), found by walking its tree. */
function referencedNames(e: Expr): string[] {
  const out = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x === null || typeof x !== 'object') return;
    const node = x as { kind?: string; name?: unknown };
    if (node.kind === 'NameRef' && typeof node.name === 'string') out.add(node.name);
    for (const k in node) if (k !== 'span') walk((node as Record<string, unknown>)[k]);
  };
  walk(e);
  return [...out];
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
const identity = (o: object) => {
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return id;
};

/** What the referenced names are bound to here; undefined when one is a per-row value (no single result). */
function scopeKey(names: string[], env: Env): string | undefined {
  const parts: string[] = [];
  for (const n of names) {
    const entry = env.lookup(n);
    if (!entry) continue;
    if (entry.kind === 'compiled') return undefined;
    parts.push(`${n}=${entry.kind === 'scalar' ? valueKey(entry.value as Value) : `#${identity(entry.kind === 'tabular' ? entry.get : entry.decl)}`}`);
  }
  return parts.join('\u0000');
}
