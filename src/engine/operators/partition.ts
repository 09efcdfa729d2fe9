/**
 * `partition by K ( subquery )` runs the subquery on each partition's rows (its implicit input);
 * `partition by K { query }` runs a free-standing query once per partition, where K names the partition's
 * key value (read with `toscalar(K)`). The results are unioned, partitions in order of first appearance.
 */
import type { Expr, PartitionOp } from '../../kql/syntax/ast.js';
import { walk } from '../../kql/syntax/index.js';
import { Env } from '../compile/env.js';
import { physicalRows, type Relation } from '../compile/relation.js';
import { valueKey } from '../values/compare.js';
import type { Value } from '../values/value.js';
import { compileOn, type OpContext } from './context.js';
import { union } from './union.js';

export function partition(op: PartitionOp, input: Relation, cx: OpContext): Relation {
  const key = compileOn(cx, input, op.by);
  const rows = physicalRows(input);
  const groups = new Map<string, { value: Value; rows: number[] }>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const v = key.eval(r);
    const k = valueKey(v);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { value: v, rows: [] }));
    g.rows.push(r);
  }
  const results: { name: string; rel: Relation }[] = [];
  for (const g of groups.values()) {
    const env = new Env(cx.env);
    if (op.by.kind === 'NameRef') env.vars.set(op.by.name, { kind: 'scalar', value: g.value, type: key.type });
    const part: Relation = { columns: input.columns, length: g.rows.length, sel: Int32Array.from(g.rows) };
    results.push({ name: '', rel: cx.rt.evalTabular(op.subquery.body, env, usesInput(op.subquery.body) ? part : undefined) });
  }
  if (results.length === 0) return cx.rt.evalTabular(op.subquery.body, new Env(cx.env), { columns: input.columns, length: 0, sel: new Int32Array(0) });
  return union(results, false);
}

function usesInput(e: Expr): boolean {
  let found = false;
  walk(e, (n) => {
    if (n.kind === 'ImplicitInput') found = true;
    return !found;
  });
  return found;
}
