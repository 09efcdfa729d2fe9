/**
 * `make-series aggs [default=v] on axis from a to b step s [by keys]`: one row per group; each aggregate
 * becomes an array with one element per step of the axis (start, start+step, ... below end), holding the
 * aggregate over the group's rows in that step, or the default (0 unless given) for steps without rows.
 * Without `from`/`to` the axis spans the bins that hold data; `in range(a, b, s)` includes b. Rows outside
 * the axis are ignored. Empty input gives no rows, or with `kind=nonempty` one row of defaults.
 * Columns: the keys, the aggregate arrays, then the axis array (named like the axis column).
 */
import { keyColumnsOf } from '../../kql/semantics/naming.js';
import { unparen } from '../../kql/syntax/index.js';
import { markIntegerArray } from '../../common/integer-arrays.js';
import type { Expr, MakeSeriesOp, ScalarTypeName } from '../../kql/syntax/ast.js';
import type { TableSchema } from '../../kql/semantics/index.js';
import type { AggState } from '../aggregates/types.js';
import { compileExpr, type CompileScope } from '../compile/expr.js';
import { columnOf, physicalRows, type Relation } from '../compile/relation.js';
import { combineIds, ValueIds } from '../compile/value-ids.js';
import { encodeKey } from '../compile/vector.js';
import { isValid } from '../storage/column.js';
import { buildColumn } from '../storage/builders.js';
import { valueKey } from '../values/compare.js';
import { valueToDynamic } from '../values/format.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import { compileOn, scope, type OpContext } from './context.js';
import { addRow, aggregateSlot, compileAggregates } from './summarize.js';
import { reserve } from '../memory.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';

/** Arrays made by make-series hold at most 2^20 values, as in Kusto. */
const MAX_POINTS = 1 << 20;

interface Axis {
  /** Position of an axis value (floor of (v - start) / step), or undefined for null/outside. */
  index(v: Value): number | undefined;
  value(i: number): DynamicValue;
  length: number;
  /** A tick axis: start, step and end in ticks (the typed path reads a datetime column's arrays with them). */
  ticks?: { start: bigint; step: bigint; end: bigint; inclusive: boolean };
}

export function makeSeries(op: MakeSeriesOp, rel: Relation, cx: OpContext, schema: TableSchema): Relation {
  const sc = scope(cx, rel);
  const keys = op.by.map((a) => compileExpr(a.expr, sc));
  const axisExpr = compileExpr(op.on, sc);
  const rows = physicalRows(rel);
  const axis = buildAxis(op, cx, axisExpr.type, rows, axisExpr.eval);
  const { slots, slotOf } = compileAggregates(cx, rel, op.aggregates.map((a) => a.assignment.expr), keyColumnsOf(op.by, (n) => rel.columns.find((c) => c.name === n)?.column.type));

  // one aggregate state set per (group, step) that has rows; a row's step and group come from the typed
  // path (stepsOnTicks, groupIdsOf) when it applies, else from the values
  const groupKeys: Value[][] = [];
  const cells: { group: number; step: number; states: AggState[] }[] = [];
  const cellIndex: Map<number, number>[] = [];
  const bufs = slots.map((s) => new Array<Value>(s.args.length));
  const steps = stepsOnTicks(op.on, sc, axis, rows);
  const typedKeys = steps ? groupIdsOf(op.by.map((a) => a.expr), sc, rows, !rel.sel) : undefined;
  const groupOfId = typedKeys ? new Int32Array(typedKeys.size).fill(-1) : undefined;
  const groupIndex = new Map<string, number>();
  // typed steps and keys with a small (key, step) grid: a cell id per row from a direct table, then each
  // aggregate over the cells by summarize's per-slot path (typed state per cell for the common ones)
  const grid = steps && typedKeys && typedKeys.size * axis.length <= 1 << 22 ? new Int32Array(typedKeys.size * axis.length).fill(-1) : undefined;
  const keptRows = grid ? new Int32Array(rows.length) : undefined;
  const cellOfRow = grid ? new Int32Array(rows.length) : undefined;
  let kept = 0;
  for (let i = 0; grid && i < rows.length; i++) {
    if ((i & LIMIT_CHECK_MASK) === LIMIT_CHECK_MASK) checkLimits(cx.rt);
    const step = steps![i]!;
    if (step < 0) continue;
    const t = typedKeys!.ids[i]!;
    let g = groupOfId![t]!;
    if (g < 0) {
      g = groupOfId![t] = groupKeys.length;
      groupKeys.push(typedKeys!.values(i));
    }
    const at = t * axis.length + step;
    let c = grid[at]!;
    if (c < 0) {
      c = grid[at] = cells.length;
      cells.push({ group: g, step, states: [] });
    }
    keptRows![kept] = rows[i]!;
    cellOfRow![kept++] = c;
  }
  const slotValues = grid ? slots.map((slot) => aggregateSlot(slot, sc, keptRows!.subarray(0, kept), false, cellOfRow!.subarray(0, kept), cells.length, cx) as Value[]) : undefined;
  for (let i = 0; !grid && i < rows.length; i++) {
    if ((i & LIMIT_CHECK_MASK) === LIMIT_CHECK_MASK) checkLimits(cx.rt);
    const r = rows[i]!;
    const step = steps ? steps[i]! : axis.index(axisExpr.eval(r));
    if (step === undefined || step < 0) continue;
    let g: number | undefined;
    if (typedKeys) {
      g = groupOfId![typedKeys.ids[i]!]!;
      if (g < 0) {
        g = groupOfId![typedKeys.ids[i]!] = groupKeys.length;
        groupKeys.push(typedKeys.values(i));
        cellIndex.push(new Map());
      }
    } else {
      const kv = keys.map((k) => k.eval(r));
      const k = kv.map(valueKey).join('\u0001');
      g = groupIndex.get(k);
      if (g === undefined) {
        g = groupKeys.length;
        groupIndex.set(k, g);
        groupKeys.push(kv);
        cellIndex.push(new Map());
      }
    }
    let c = cellIndex[g]!.get(step);
    if (c === undefined) {
      c = cells.length;
      cellIndex[g]!.set(step, c);
      cells.push({ group: g, step, states: slots.map((s) => s.create()) });
    }
    addRow(slots, cells[c]!.states, bufs, r);
  }
  const nonempty = op.parameters.some((p) => p.name.name === 'kind' && p.value.kind === 'NameRef' && p.value.name === 'nonempty');
  if (groupKeys.length === 0 && nonempty) groupKeys.push(keys.map(() => null));

  // per-cell aggregate results, then each output expression over them
  const results = slotValues ? cells.map((_, c) => slotValues.map((v) => v[c]!)) : cells.map((c) => c.states.map((s) => s.result() as Value));
  const temp: Relation = { columns: slots.map((s, i) => ({ name: `__agg${i}`, column: buildColumn(cx.rt.bound.typeOf(s.call) ?? 'dynamic', results.map((r) => r[i]!)) })), length: cells.length };
  const tempScope: CompileScope = { ...scope(cx, temp), substitute: new Map([...slotOf].map(([call, i]) => [call as Expr, `__agg${i}`])) };
  // every group gets a full series per aggregate (groups × points values, on the heap): reserved first
  reserve(8 * groupKeys.length * axis.length * op.aggregates.length, true);
  const series = op.aggregates.map((a) => {
    const c = compileExpr(a.assignment.expr, tempScope);
    const fallback = a.default ? compileOn(cx, { columns: [], length: 1 }, a.default) : undefined;
    const def = fallback ? valueToDynamic(fallback.eval(0), fallback.type) : 0;
    const arrays: DynamicValue[][] = groupKeys.map(() => new Array<DynamicValue>(axis.length).fill(def));
    for (let i = 0; i < cells.length; i++) arrays[cells[i]!.group]![cells[i]!.step] = valueToDynamic(c.eval(i), c.type);
    // a series of an int/long aggregate whose default is an integer (or null) holds integers (Kusto's longs)
    if ((c.type === 'long' || c.type === 'int') && (def === null || (typeof def === 'number' && Number.isInteger(def)) || typeof def === 'bigint')) arrays.forEach(markIntegerArray);
    return arrays;
  });
  const axisValues: DynamicValue[] = Array.from({ length: axis.length }, (_, i) => axis.value(i));
  const columns: { values: Value[]; type: ScalarTypeName }[] = [
    ...op.by.map((_, j) => ({ values: groupKeys.map((k) => k[j]!), type: keys[j]!.type })),
    ...series.map((arrays) => ({ values: arrays as Value[], type: 'dynamic' as ScalarTypeName })),
    { values: groupKeys.map(() => axisValues), type: 'dynamic' },
  ];
  if (columns.length !== schema.columns.length) throw new QueryError(`make-series produced ${columns.length} columns where ${schema.columns.length} were expected`, 'KQL4099');
  return { columns: schema.columns.map((s, i) => ({ name: s.name, column: buildColumn(columns[i]!.type, columns[i]!.values) })), length: groupKeys.length };
}

function buildAxis(op: MakeSeriesOp, cx: OpContext, type: ScalarTypeName, rows: Int32Array, axisOf: (r: number) => Value): Axis {
  const constant = (e: Expr | undefined) => (e ? compileOn(cx, { columns: [], length: 1 }, e).eval(0) : null);
  const ticks = type === 'datetime' || type === 'timespan';
  const stepV = constant(op.step);
  const inclusive = Boolean(op.inclusiveEnd);
  if (ticks) {
    const step = typeof stepV === 'bigint' ? stepV : null;
    if (step === null || step <= 0n) throw new QueryError('make-series needs a positive timespan step for a datetime or timespan axis');
    let start = constant(op.from) as bigint | null;
    let end = constant(op.to) as bigint | null;
    if (start === null || end === null) {
      // the bins that hold data
      let lo: bigint | null = null;
      let hi: bigint | null = null;
      for (let i = 0; i < rows.length; i++) {
        const v = axisOf(rows[i]!);
        if (typeof v !== 'bigint') continue;
        if (lo === null || v < lo) lo = v;
        if (hi === null || v > hi) hi = v;
      }
      if (start === null) start = lo === null ? null : floorTicks(lo, step);
      if (end === null) end = hi === null || start === null ? null : start + (floorTicks(hi - start, step) + step);
    }
    if (start === null || end === null) return { index: () => undefined, value: () => null, length: 0 };
    const s = start;
    // `in range(a, b, s)`: the step that starts at b is the last one, whole
    const length = inclusive ? (end < s ? 0 : Number((end - s) / step) + 1) : end <= s ? 0 : Number((end - s + step - 1n) / step);
    checkPoints(length);
    return {
      length,
      ticks: { start: s, step, end, inclusive },
      index: (v) => {
        if (typeof v !== 'bigint' || v < s || (!inclusive && v >= end)) return undefined;
        const i = Number((v - s) / step);
        return i < length ? i : undefined;
      },
      value: (i) => valueToDynamic(s + BigInt(i) * step, type),
    };
  }
  if (typeof stepV !== 'number' || !(stepV > 0)) throw new QueryError('make-series needs a positive step');
  let start = constant(op.from) as number | null;
  let end = constant(op.to) as number | null;
  if (start === null || end === null) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < rows.length; i++) {
      const v = axisOf(rows[i]!);
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (start === null) start = lo === Infinity ? null : Math.floor(lo / stepV) * stepV;
    if (end === null) end = hi === -Infinity || start === null ? null : start + (Math.floor((hi - start) / stepV) + 1) * stepV;
  }
  if (start === null || end === null) return { index: () => undefined, value: () => null, length: 0 };
  const s = start;
  const e = end;
  const length = Math.max(0, inclusive ? Math.floor((e - s) / stepV) + 1 : Math.ceil((e - s) / stepV));
  checkPoints(length);
  return {
    length,
    index: (v) => {
      if (typeof v !== 'number' || v < s || (!inclusive && v >= e)) return undefined;
      const i = Math.floor((v - s) / stepV);
      return i < length ? i : undefined;
    },
    value: (i) => s + i * stepV,
  };
}

/**
 * Each row's step (-1: outside the axis or null) from a bare datetime/timespan column's millisecond array,
 * when the axis starts, steps and ends on whole milliseconds: then floor((ticks - start) / step) equals
 * floor((ms - startMs) / stepMs), since the sub-millisecond remainder (lo < 10,000 ticks) never reaches the
 * next step, and ticks >= end exactly when ms >= endMs. No bigint per row. Undefined when it does not apply.
 */
function stepsOnTicks(on: Expr, sc: CompileScope, axis: Axis, rows: Int32Array): Int32Array | undefined {
  const t = axis.ticks;
  const e = unparen(on);
  if (!t || sc.substitute || e.kind !== 'NameRef') return undefined;
  const col = columnOf(sc.rel, e.name);
  if (!col || (col.type !== 'datetime' && col.type !== 'timespan')) return undefined;
  if (t.start % 10_000n !== 0n || t.step % 10_000n !== 0n || t.end % 10_000n !== 0n) return undefined;
  const startMs = Number(t.start / 10_000n), stepMs = Number(t.step / 10_000n), endMs = Number(t.end / 10_000n);
  if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs)) return undefined;
  const { hi, validity } = col;
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const ms = hi[r]!;
    if ((validity && !isValid(validity, r)) || ms < startMs || (!t.inclusive && ms >= endMs)) {
      out[i] = -1;
      continue;
    }
    const k = Math.floor((ms - startMs) / stepMs);
    out[i] = k < axis.length ? k : -1;
  }
  return out;
}

/** The `by` keys as one dense group id per row (ValueIds: equal exactly when valueKey is), with each id's key values. */
function groupIdsOf(exprs: Expr[], sc: CompileScope, rows: Int32Array, all: boolean): { ids: Int32Array; size: number; values(i: number): Value[] } {
  const perKey = exprs.map((e) => {
    const ids = new ValueIds();
    const out = new Int32Array(rows.length);
    encodeKey(e, sc, rows, all, ids, out);
    return { ids, out };
  });
  let acc: { ids: Int32Array; size: number } = { ids: new Int32Array(rows.length), size: rows.length ? 1 : 0 };
  perKey.forEach((k, j) => {
    acc = j === 0 ? { ids: k.out, size: k.ids.size } : combineIds(acc.ids, acc.size, k.out, k.ids.size);
  });
  return { ...acc, values: (i) => perKey.map((k) => k.ids.values[k.out[i]!]!) };
}

function floorTicks(t: bigint, step: bigint): bigint {
  const r = t % step;
  return r < 0n ? t - r - step : t - r;
}

function checkPoints(n: number): void {
  if (n > MAX_POINTS) throw new QueryError(`make-series would build ${n} points per series; the limit is ${MAX_POINTS}`);
}

