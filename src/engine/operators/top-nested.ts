/**
 * `top-nested [N] of Expr [with others = V] by Aggregation [asc|desc], top-nested ...`: hierarchical
 * aggregation. Level 1 groups the rows by its Expr, aggregates each group and keeps the top N groups by
 * that aggregate (all groups without N; descending unless `asc`); each next level does the same inside
 * each kept group of the level above. One output row per kept group of the last level, with two columns
 * per level (the value, the aggregate). `with others = V` adds, per level, a row for the groups left out
 * (value V, the aggregate over their rows); the levels below such a row are empty (null).
 */
import type { TopNestedOp } from '../../kql/syntax/ast.js';
import type { TableSchema } from '../../kql/semantics/index.js';
import { compileExpr } from '../compile/expr.js';
import { physicalRows, type Relation } from '../compile/relation.js';
import { buildColumn } from '../storage/builders.js';
import { compareValues, valueKey } from '../values/compare.js';
import { QueryError, type Value } from '../values/value.js';
import { compileOn, scope, type OpContext } from './context.js';
import { aggregateOverGroups } from './summarize.js';
import { constantInt } from './util.js';

export function topNested(op: TopNestedOp, rel: Relation, cx: OpContext, schema: TableSchema): Relation {
  const sc = scope(cx, rel);
  const levels = op.levels.map((l) => ({
    n: l.count ? constantInt(l.count, rel, cx, 'top-nested') : Infinity,
    of: compileExpr(l.of.expr, sc),
    agg: l.by.expr,
    desc: (l.order ?? 'desc') === 'desc',
    others: l.withOthers ? compileOn(cx, { columns: [], length: 1 }, l.withOthers).eval(0) : undefined,
    hasOthers: Boolean(l.withOthers),
  }));
  const width = levels.length * 2;
  if (schema.columns.length !== width) throw new QueryError(`top-nested produced ${width} columns where ${schema.columns.length} were expected`, 'KQL4099');
  const out: Value[][] = [];

  const descend = (i: number, rows: ArrayLike<number>, prefix: Value[]) => {
    const level = levels[i]!;
    const groups = new Map<string, { value: Value; rows: number[] }>();
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j]!;
      const v = level.of.eval(r);
      const k = valueKey(v);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { value: v, rows: [] }));
      g.rows.push(r);
    }
    const list = [...groups.values()];
    const { values } = aggregateOverGroups(cx, rel, level.agg, list.map((g) => g.rows));
    const order = list.map((_, g) => g).sort((a, b) => {
      const c = compareValues(values[a]!, values[b]!);
      return (level.desc ? -c : c) || a - b;
    });
    const kept = order.slice(0, Math.min(order.length, level.n));
    for (const g of kept) {
      const row = [...prefix, list[g]!.value, values[g]!];
      if (i + 1 < levels.length) descend(i + 1, list[g]!.rows, row);
      else out.push(row);
    }
    if (level.hasOthers && kept.length < order.length) {
      const rest = order.slice(kept.length).flatMap((g) => list[g]!.rows);
      const agg = aggregateOverGroups(cx, rel, level.agg, [rest]).values[0]!;
      out.push([...prefix, level.others!, agg, ...new Array<Value>(width - prefix.length - 2).fill(null)]);
    }
  };
  descend(0, physicalRows(rel), []);
  return { columns: schema.columns.map((c, i) => ({ name: c.name, column: buildColumn(c.type, out.map((row) => row[i]!)) })), length: out.length };
}
