/** `mv-expand`: one row per element of a dynamic array (or per property of a bag), other columns repeated. */
import type { MvExpandOp } from '../../kql/syntax/ast.js';
import type { TableSchema } from '../../kql/semantics/index.js';
import { buildColumn, gatherColumn, readCell } from '../storage/builders.js';
import type { DynamicValue, Value } from '../values/value.js';
import { fromDynamic } from '../values/from-dynamic.js';
import { deferredColumn, physicalRows, type Relation } from '../compile/relation.js';
import { evaluateVector } from '../compile/vector.js';
import type { OpContext } from './context.js';
import { windowScope } from './window.js';
import { implicitName } from '../../kql/semantics/naming.js';

export function mvExpand(op: MvExpandOp, rel: Relation, cx: OpContext, schema: TableSchema): Relation {
  // items are evaluated over the selected rows; the other columns are gathered straight from the input's
  // physical rows, each only when a later operator reads it
  const rows = physicalRows(rel);
  const dense: Relation = { columns: rel.columns, length: rows.length };
  // `bagexpansion=array` (or its older spelling `kind=array`) expands a bag into [key, value] pairs
  const bagAsArray = op.parameters.some((p) => (p.name.name === 'bagexpansion' || p.name.name === 'kind') && p.value.kind === 'NameRef' && p.value.name === 'array');
  const indexName = op.parameters.find((p) => p.name.name === 'with_itemindex')?.value;
  const items = op.items.map((it) => ({ name: it.name?.name ?? implicitName(it.expr) ?? 'Column1', type: it.toType ?? 'dynamic', col: evaluateVector(it.expr, windowScope(cx, rel, it.expr), rows, !rel.sel) }));
  const limitC = op.limit ? Number((op.limit as { value?: unknown }).value ?? Infinity) : Infinity;
  const outRows: number[] = [];
  const expanded: Value[][] = items.map(() => []);
  const indexes: number[] = [];
  for (let r = 0; r < dense.length; r++) {
    const lists = items.map((it) => {
      const v = readCell(it.col, r) as DynamicValue;
      if (Array.isArray(v)) return v;
      if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => (bagAsArray ? [k, x] : { [k]: x })) as DynamicValue[];
      return [v];
    });
    const n = Math.min(limitC, Math.max(...lists.map((l) => l.length)));
    for (let i = 0; i < n; i++) {
      outRows.push(rows[r]!);
      indexes.push(i);
      lists.forEach((l, j) => expanded[j]!.push(i < l.length ? fromDynamic(l[i]!, items[j]!.type) : null));
    }
  }
  const repeated = Int32Array.from(outRows);
  const columns = schema.columns.map((s) => {
    const j = items.findIndex((it) => it.name === s.name);
    if (j >= 0) return { name: s.name, column: buildColumn(s.type, expanded[j]!) };
    if (indexName && indexName.kind === 'NameRef' && indexName.name === s.name) return { name: s.name, column: buildColumn('long', indexes) };
    const source = rel.columns.find((c) => c.name === s.name)!;
    return deferredColumn(s.name, () => gatherColumn(source.column, repeated));
  });
  return { columns, length: outRows.length };
}
