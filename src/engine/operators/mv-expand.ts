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
import type { Relation } from '../compile/relation.js';
import { identityRows } from '../compile/value-ids.js';
import { lazyColumn } from '../storage/merge.js';
import { evaluateVector } from '../compile/vector.js';
import type { OpContext } from './context.js';
import { windowScope } from './window.js';
import { mvItemNames } from '../../kql/semantics/naming.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { charge, reserve } from '../memory.js';
import { stringBytes } from '../storage/builders.js';
import type { Column } from '../storage/column.js';
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { textCodeLists, type CodeLists } from './mv-expand-text.js';

// read once: under tsx (the benchmarks, the tests) every read of an imported binding is a getter call, and this one is read per row
const MASK = LIMIT_CHECK_MASK;

export function mvExpand(op: MvExpandOp, rel: Relation, cx: OpContext, schema: TableSchema): Relation {
  // items are evaluated over the selected rows; the other columns are gathered straight from the input's
  // physical rows, each only when a later operator reads it
  // (no selection: the shared identity rows, not a fresh array of every row)
  const rows = rel.sel ?? identityRows(rel.length);
  const inputRows = rows.length;
  // `bagexpansion=array` (or its older spelling `kind=array`) expands a bag into [key, value] pairs
  const bagAsArray = op.parameters.some((p) => (p.name.name === 'bagexpansion' || p.name.name === 'kind') && p.value.kind === 'NameRef' && p.value.name === 'array');
  const indexName = op.parameters.find((p) => p.name.name === 'with_itemindex')?.value;
  const names = mvItemNames(op.items, rel.columns.map((c) => c.name));
  // a value's elements converted to the item's type: an array's, a bag's properties, or the value itself
  const listOf = (v: DynamicValue, type: ScalarTypeName): Value[] => {
    if (v === null || typeof v !== 'object') return [fromDynamic(v, type)];
    const list = Array.isArray(v) ? v : (Object.entries(v).map(([k, x]) => (bagAsArray ? [k, x] : { [k]: x })) as DynamicValue[]);
    return list.map((x) => fromDynamic(x, type));
  };
  const items = op.items.map((it, i) => {
    const name = names[i]!;
    const type = it.toType ?? 'dynamic';
    const outType = schema.columns.find((c) => c.name === name)?.type ?? type;
    const scope = windowScope(cx, rel, it.expr);
    // strings from an expression of one string column: codes once per distinct string (mv-expand-json.ts)
    const codes = type === 'string' && outType === 'string' ? textCodeLists(it.expr, scope, rows, (v) => listOf(v as DynamicValue, type)) : undefined;
    return { name, type, outType, codes, col: codes ? undefined : evaluateVector(it.expr, scope, rows, !rel.sel) };
  });
  const limitC = op.limit ? Number((op.limit as { value?: unknown }).value ?? Infinity) : Infinity;
  // each row's elements, converted to the item's type; converted once per array/bag object (rows evaluated
  // once per dictionary string share one array)
  const elementsOf = items.map((it) => {
    if (!it.col) return undefined;
    const col = it.col;
    const cache = new Map<object, Value[]>();
    const nullList: Value[] = [null];
    return (r: number): Value[] => {
      const v = readCell(col, r) as DynamicValue;
      if (v === null) return nullList;
      if (typeof v !== 'object') return [fromDynamic(v, it.type)];
      let out = cache.get(v);
      if (!out) cache.set(v, (out = listOf(v, it.type)));
      return out;
    };
  });
  const perRow = items.map((it) => (it.codes ? undefined : new Array<Value[]>(inputRows)));
  const counts = new Int32Array(inputRows);
  let total = 0;
  for (let r = 0; r < inputRows; r++) {
    if ((r & MASK) === MASK) checkLimits(cx.rt);
    let n = 0;
    for (let j = 0; j < items.length; j++) {
      const coded = items[j]!.codes;
      const len = coded ? coded.count[r]! : (perRow[j]![r] = elementsOf[j]!(r)).length;
      if (len > n) n = len;
    }
    counts[r] = Math.min(limitC, n);
    total += counts[r]!;
  }
  // the input's physical row of each output row (and its item index when asked), then the expanded columns
  const withIndex = indexName?.kind === 'NameRef';
  reserve((withIndex ? 12 : 4) * total);
  const repeated = new Int32Array(total);
  const indexes = withIndex ? new Float64Array(total) : undefined;
  let o = 0;
  for (let r = 0; r < inputRows; r++) {
    const row = rows[r]!;
    const k = counts[r]!;
    if (indexes) for (let i = 0; i < k; i++, o++) {
      repeated[o] = row;
      indexes[o] = i;
    }
    else for (let i = 0; i < k; i++) repeated[o++] = row;
  }
  const expanded = items.map((it, j) => expandItem(perRow[j]!, it.codes, counts, total, it.outType, cx));
  const columns = schema.columns.map((s) => {
    const j = items.findIndex((it) => it.name === s.name);
    if (j >= 0) return { name: s.name, column: expanded[j]! };
    if (indexes && indexName?.kind === 'NameRef' && indexName.name === s.name) return { name: s.name, column: { type: 'long' as const, length: total, values: indexes, validity: undefined } };
    const source = rel.columns.find((c) => c.name === s.name)!;
    // (a group key read whole is encoded from the source at `repeated`: no gathered copy)
    return Object.assign(lazyColumn(s.name, () => gatherColumn(source.column, repeated)), { gathered: { get column() { return source.column; }, rows: repeated } });
  });
  return { columns, length: total };
}

/**
 * One item's output column: row r's elements (`lists[r]`, the first `counts[r]`; missing ones null). A
 * string column is made on codes: each element list turned into dictionary codes once (rows that share a
 * list, one per distinct input string, share its codes; `coded` lists are codes already) instead of a
 * dictionary lookup per output row.
 */
function expandItem(lists: Value[][] | undefined, coded: CodeLists | undefined, counts: Int32Array, total: number, type: ScalarTypeName, cx: OpContext): Column {
  const inputRows = counts.length;
  if (type === 'string') {
    const dict = coded?.dict ?? [];
    const index = coded?.index ?? new Map<string, number>();
    let held = 0;
    const codeOf = (s: string): number => {
      let c = index.get(s);
      if (c === undefined) {
        index.set(s, (c = dict.length));
        dict.push(s);
        held += stringBytes(s);
      }
      return c;
    };
    const codesOf = new Map<Value[], Int32Array>();
    const codes = new Int32Array(total);
    let o = 0;
    for (let r = 0; r < inputRows; r++) {
      if ((r & MASK) === MASK) checkLimits(cx.rt);
      let from: Int32Array;
      let at = 0;
      let len: number;
      if (coded) {
        from = coded.flat;
        at = coded.start[r]!;
        len = coded.count[r]!;
      } else {
        const values = lists![r]!;
        let lc = codesOf.get(values);
        if (lc === undefined) {
          lc = new Int32Array(values.length);
          for (let i = 0; i < values.length; i++) {
            const v = values[i];
            lc[i] = codeOf(v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
          }
          codesOf.set(values, lc);
        }
        from = lc;
        len = lc.length;
      }
      const n = counts[r]!;
      // rows past a shorter list's end are '' (Kusto strings are never null)
      for (let i = 0; i < n; i++) codes[o++] = i < len ? from[at + i]! : codeOf('');
    }
    charge(held);
    return { type: 'string', length: total, dict, codes };
  }
  const w = typedWriter(type, total);
  let o = 0;
  for (let r = 0; r < inputRows; r++) {
    if ((r & MASK) === MASK) checkLimits(cx.rt);
    const l = lists![r]!;
    const n = counts[r]!;
    for (let i = 0; i < n; i++, o++) w.set(o, i < l.length ? l[i]! : null);
  }
  return w.finish();
}
