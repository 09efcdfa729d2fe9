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
import { physicalRows, type Relation } from '../compile/relation.js';
import { ValueIds } from '../compile/value-ids.js';
import { encodeKey } from '../compile/vector.js';
import { buildColumn } from '../storage/builders.js';
import { compareValues } from '../values/compare.js';
import { QueryError, type Value } from '../values/value.js';
import { compileOn, scope, type OpContext } from './context.js';
import { aggregateOverGroups } from './summarize.js';
import { constantInt } from './util.js';

export function topNested(op: TopNestedOp, rel: Relation, cx: OpContext, schema: TableSchema): Relation {
  const sc = scope(cx, rel);
  const levels = op.levels.map((l) => ({
    n: l.count ? constantInt(l.count, rel, cx, 'top-nested') : Infinity,
    of: l.of.expr,
    agg: l.by.expr,
    desc: (l.order ?? 'desc') === 'desc',
    others: l.withOthers ? compileOn(cx, { columns: [], length: 1 }, l.withOthers).eval(0) : undefined,
    hasOthers: Boolean(l.withOthers),
  }));
  const width = levels.length * 2;
  if (schema.columns.length !== width) throw new QueryError(`top-nested produced ${width} columns where ${schema.columns.length} were expected`, 'KQL4099');
  const out: Value[][] = [];

  // a level's groups: its value's dense id per row (ValueIds: equal exactly when valueKey is), then the
  // rows of each id by a counting pass, in first-seen order as before (no string key or array per row)
  const descend = (i: number, rows: Int32Array, prefix: Value[]) => {
    const level = levels[i]!;
    const ids = new ValueIds();
    const of = new Int32Array(rows.length);
    encodeKey(level.of, sc, rows, rows.length === rel.length && !rel.sel && i === 0, ids, of);
    const start = new Int32Array(ids.size + 1);
    for (let j = 0; j < rows.length; j++) start[of[j]! + 1]!++;
    for (let g = 0; g < ids.size; g++) start[g + 1]! += start[g]!;
    const fill = start.slice(0, ids.size);
    const grouped = new Int32Array(rows.length);
    for (let j = 0; j < rows.length; j++) grouped[fill[of[j]!]!++] = rows[j]!;
    const list = Array.from({ length: ids.size }, (_, g) => ({ value: ids.values[g]!, rows: grouped.subarray(start[g]!, start[g + 1]!) }));
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
      const rest = order.slice(kept.length).flatMap((g) => Array.from(list[g]!.rows));
      const agg = aggregateOverGroups(cx, rel, level.agg, [rest]).values[0]!;
      out.push([...prefix, level.others!, agg, ...new Array<Value>(width - prefix.length - 2).fill(null)]);
    }
  };
  descend(0, physicalRows(rel), []);
  return { columns: schema.columns.map((c, i) => ({ name: c.name, column: buildColumn(c.type, out.map((row) => row[i]!)) })), length: out.length };
}
