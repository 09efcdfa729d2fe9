/**
 * `mv-expand`: one row per element of a dynamic array (or per property of a bag), other columns repeated.
 * Builds an index vector (the input row of each output row) and the expanded columns in typed writers; the
 * repeated columns are gathered by that vector only when read.
 */
import type { MvExpandOp } from '../../kql/syntax/ast.js';
import type { TableSchema } from '../../kql/semantics/index.js';
import { gatherColumn, readCell } from '../storage/builders.js';
import { typedWriter } from '../compile/typed-builder.js';
import type { DynamicValue, Value } from '../values/value.js';
import { fromDynamic } from '../values/from-dynamic.js';
import { physicalRows, type Relation } from '../compile/relation.js';
import { lazyColumn } from '../storage/merge.js';
import { evaluateVector } from '../compile/vector.js';
import type { OpContext } from './context.js';
import { windowScope } from './window.js';
import { mvItemNames } from '../../kql/semantics/naming.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { reserve } from '../memory.js';

export function mvExpand(op: MvExpandOp, rel: Relation, cx: OpContext, schema: TableSchema): Relation {
  // items are evaluated over the selected rows; the other columns are gathered straight from the input's
  // physical rows, each only when a later operator reads it
  const rows = physicalRows(rel);
  const inputRows = rows.length;
  // `bagexpansion=array` (or its older spelling `kind=array`) expands a bag into [key, value] pairs
  const bagAsArray = op.parameters.some((p) => (p.name.name === 'bagexpansion' || p.name.name === 'kind') && p.value.kind === 'NameRef' && p.value.name === 'array');
  const indexName = op.parameters.find((p) => p.name.name === 'with_itemindex')?.value;
  const names = mvItemNames(op.items, rel.columns.map((c) => c.name));
  const items = op.items.map((it, i) => ({ name: names[i]!, type: it.toType ?? 'dynamic', col: evaluateVector(it.expr, windowScope(cx, rel, it.expr), rows, !rel.sel) }));
  const limitC = op.limit ? Number((op.limit as { value?: unknown }).value ?? Infinity) : Infinity;
  // each row's elements, converted to the item's type; converted once per array/bag object (rows evaluated
  // once per dictionary string share one array)
  const elementsOf = items.map((it) => {
    const cache = new Map<object, Value[]>();
    return (r: number): Value[] => {
      const v = readCell(it.col, r) as DynamicValue;
      if (v === null || typeof v !== 'object') return [fromDynamic(v, it.type)];
      let out = cache.get(v);
      if (!out) {
        const list = Array.isArray(v) ? v : (Object.entries(v).map(([k, x]) => (bagAsArray ? [k, x] : { [k]: x })) as DynamicValue[]);
        cache.set(v, (out = list.map((x) => fromDynamic(x, it.type))));
      }
      return out;
    };
  });
  const perRow = items.map(() => new Array<Value[]>(inputRows));
  const counts = new Int32Array(inputRows);
  let total = 0;
  for (let r = 0; r < inputRows; r++) {
    if ((r & LIMIT_CHECK_MASK) === LIMIT_CHECK_MASK) checkLimits(cx.rt);
    let n = 0;
    for (let j = 0; j < items.length; j++) {
      const l = (perRow[j]![r] = elementsOf[j]!(r));
      if (l.length > n) n = l.length;
    }
    counts[r] = Math.min(limitC, n);
    total += counts[r]!;
  }
  // the input's physical row and the item index of each output row, then the expanded columns
  reserve(12 * total);
  const repeated = new Int32Array(total);
  const indexes = new Float64Array(total);
  const writers = items.map((it) => typedWriter(schema.columns.find((c) => c.name === it.name)?.type ?? it.type, total));
  let o = 0;
  for (let r = 0; r < inputRows; r++) {
    if ((r & LIMIT_CHECK_MASK) === LIMIT_CHECK_MASK) checkLimits(cx.rt);
    for (let i = 0; i < counts[r]!; i++, o++) {
      repeated[o] = rows[r]!;
      indexes[o] = i;
      for (let j = 0; j < items.length; j++) {
        const l = perRow[j]![r]!;
        writers[j]!.set(o, i < l.length ? l[i]! : null);
      }
    }
  }
  const expanded = writers.map((w) => w.finish());
  const columns = schema.columns.map((s) => {
    const j = items.findIndex((it) => it.name === s.name);
    if (j >= 0) return { name: s.name, column: expanded[j]! };
    if (indexName && indexName.kind === 'NameRef' && indexName.name === s.name) return { name: s.name, column: { type: 'long' as const, length: total, values: indexes, validity: undefined } };
    const source = rel.columns.find((c) => c.name === s.name)!;
    return lazyColumn(s.name, () => gatherColumn(source.column, repeated));
  });
  return { columns, length: total };
}
