/**
 * `mv-apply items on (subquery)`: for each input row, the items are expanded into a small table (the
 * row's other columns repeated) and the subquery runs on it; the results of all rows are concatenated.
 */
import type { MvApplyOp, ScalarTypeName } from '../../kql/syntax/ast.js';
import { mvApplyInPlace, mvItemNames } from '../../kql/semantics/naming.js';
import type { TableSchema } from '../../kql/semantics/index.js';
import { buildColumn, readCell } from '../storage/builders.js';
import type { DynamicValue, Value } from '../values/value.js';
import { fromDynamic } from '../values/from-dynamic.js';
import { materialize, physicalRows, type Relation } from '../compile/relation.js';
import type { OpContext } from './context.js';
import { evaluateColumn } from './extend.js';

export function mvApply(op: MvApplyOp, rel: Relation, cx: OpContext, schema: TableSchema): Relation {
  const dense = materialize(rel);
  const names = mvItemNames(op.items, dense.columns.map((c) => c.name));
  const items = op.items.map((it, i) => ({ name: names[i]!, type: (it.toType ?? 'dynamic') as ScalarTypeName, col: evaluateColumn(cx, dense, it.expr) }));
  const inPlace = mvApplyInPlace(op.items);
  const indexParam = op.parameters.find((p) => p.name.name === 'with_itemindex')?.value;
  const indexName = indexParam?.kind === 'NameRef' ? indexParam.name : undefined;
  const results: Relation[] = [];
  for (let r = 0; r < dense.length; r++) {
    const lists = items.map((it) => {
      const v = readCell(it.col, r) as DynamicValue;
      return Array.isArray(v) ? v : v && typeof v === 'object' ? Object.entries(v).map(([k, x]) => ({ [k]: x })) : [v];
    });
    const n = Math.max(0, ...lists.map((l) => l.length));
    const columns: Relation['columns'] = dense.columns
      .filter((c) => !items.some((it) => it.name === c.name) && c.name !== indexName)
      .map((c) => ({ name: c.name, column: buildColumn(c.column.type, new Array(n).fill(readCell(c.column, r))) }));
    items.forEach((it, j) => columns.push({ name: it.name, column: buildColumn(it.type, Array.from({ length: n }, (_, i) => fromDynamic(lists[j]![i] ?? null, it.type))) }));
    if (indexName) columns.push({ name: indexName, column: buildColumn('long', Array.from({ length: n }, (_, i) => i)) });
    const sub = materialize(cx.rt.evalTabular(op.subquery, cx.env, { columns, length: n }));
    if (!sub.length) continue;
    // Each output row carries the input row's columns that were not expanded in place (the reference: "the
    // source columns that aren't expanded"; a named item `x = x` keeps its source); the subquery's columns
    // win where names meet.
    const carried = dense.columns
      .filter((c) => !sub.columns.some((x) => x.name === c.name) && !inPlace.has(c.name))
      .map((c) => ({ name: c.name, column: buildColumn(c.column.type, new Array(sub.length).fill(readCell(c.column, r))) }));
    const order = dense.columns.map((c) => c.name);
    const merged = [...carried, ...sub.columns].sort((a, b) => rank(order, a.name) - rank(order, b.name));
    results.push({ columns: merged, length: sub.length });
  }
  // the binder's columns (so an empty input or an empty subquery result still has them all); rows concatenated
  const out: { name: string; type: ScalarTypeName }[] = [...schema.columns];
  if (schema.open) for (const res of results) for (const c of res.columns) if (!out.some((x) => x.name === c.name)) out.push({ name: c.name, type: c.column.type });
  const columns = out.map(({ name, type }) => {
    const values: Value[] = [];
    for (const res of results) {
      const col = res.columns.find((c) => c.name === name)?.column;
      for (const i of physicalRows(res)) values.push(col ? readCell(col, i) : null);
    }
    return { name, column: buildColumn(type, values) };
  });
  return { columns, length: results.reduce((s, x) => s + x.length, 0) };
}

/** Input columns keep their order; new columns follow in the subquery's order. */
function rank(order: string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}
