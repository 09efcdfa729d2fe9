/** Tabular sources that make their own data: `datatable`, `print`, `range`. */
import type { DatatableExpr, PrintExpr, RangeExpr } from '../../kql/syntax/ast.js';
import type { TableSchema } from '../../kql/semantics/index.js';
import { buildColumn } from '../storage/builders.js';
import type { Column } from '../storage/column.js';
import { QueryError, type Value } from '../values/value.js';
import { bigOf, longOf, type Long } from '../values/long.js';
import type { Relation } from '../compile/relation.js';
import { expandAssignment } from './multi-column.js';
import type { OpContext } from './context.js';
import { compileOn } from './context.js';
import { reserve } from '../memory.js';

const EMPTY: Relation = { columns: [], length: 1 };
const MAX_RANGE_ROWS = 10_000_000;

export function datatable(e: DatatableExpr, cx: OpContext): Relation {
  const w = e.columns.length;
  if (w === 0) return { columns: [], length: 0 };
  if (e.values.length % w !== 0) throw new QueryError(`datatable has ${e.values.length} values, not a multiple of its ${w} columns`);
  const rows = e.values.length / w;
  const columns = e.columns.map((c, j) => {
    const values: Value[] = [];
    for (let i = 0; i < rows; i++) {
      const v = compileOn(cx, EMPTY, e.values[i * w + j]!).eval(0);
      values.push(coerceLiteral(v, c.type));
    }
    return { name: c.name.name, column: buildColumn(c.type, values) };
  });
  return { columns, length: rows };
}

/** A datatable cell must fit its column: numbers widen, typed nulls stay null. */
function coerceLiteral(v: Value, type: string): Value {
  if (v === null) return null;
  if (type === 'long' && typeof v === 'bigint') return v;
  if ((type === 'real' || type === 'long' || type === 'int' || type === 'decimal') && typeof v !== 'number') return typeof v === 'bigint' ? Number(v) : null;
  // an int column holds int32: a value outside it is not an int
  if (type === 'int' && (v as number) !== ((v as number) | 0)) return Number.isInteger(v) ? null : Math.trunc(v as number) | 0;
  return v;
}

export function print(e: PrintExpr, cx: OpContext, schema: TableSchema): Relation {
  // the bound schema names the columns; a multi-column call (print array_sort_asc(a, b)) fills several
  let next = 0;
  const columns = e.columns.flatMap((a) => {
    const c = compileOn(cx, EMPTY, a.expr);
    const expanded = expandAssignment(a, () => buildColumn(c.type, [c.eval(0)]));
    if (expanded) return expanded.map((x) => ({ name: schema.columns[next++]?.name ?? x.name, column: x.column }));
    const col = schema.columns[next++]!;
    return [{ name: col.name, column: buildColumn(c.type === 'dynamic' ? col.type : c.type, [c.eval(0)]) }];
  });
  return { columns, length: 1 };
}

export function range(e: RangeExpr, cx: OpContext): Relation {
  const from = compileOn(cx, EMPTY, e.from);
  const to = compileOn(cx, EMPTY, e.to).eval(0);
  const step = compileOn(cx, EMPTY, e.step).eval(0);
  const start = from.eval(0);
  const type = from.type === 'int' ? 'long' : from.type;
  const rows = (column: Column): Relation => ({ columns: [{ name: e.name.name, column }], length: column.length });
  const numeric = type === 'long' || type === 'real' || type === 'decimal';
  if (typeof start === 'number' && typeof to === 'number' && typeof step === 'number') {
    if (step === 0) throw new QueryError('range step must not be 0');
    // numbers straight into the column's array (no Value per row), reserved against the budget first
    let n = 0;
    for (let x = start; step > 0 ? x <= to : x >= to; x += step) if (++n > MAX_RANGE_ROWS) throw new QueryError('range produces more than 10,000,000 rows');
    reserve(8 * n);
    const values = new Float64Array(n);
    let x = start;
    for (let i = 0; i < n; i++, x += step) values[i] = x;
    if (numeric) return rows({ type, length: n, values, validity: undefined });
    return rows(buildColumn(type, Array.from(values)));
  }
  const values: Value[] = [];
  const isLong = (v: Value): v is Long => typeof v === 'number' || typeof v === 'bigint';
  if (type === 'long' && isLong(start) && isLong(to) && isLong(step)) {
    // a long bound past 2^53 is a bigint: count exactly (a float step would stall there)
    const [a, b, c] = [bigOf(start), bigOf(to), bigOf(step)];
    if (c === 0n) throw new QueryError('range step must not be 0');
    for (let x = a; c > 0n ? x <= b : x >= b; x += c) {
      values.push(longOf(x));
      if (values.length > MAX_RANGE_ROWS) throw new QueryError('range produces more than 10,000,000 rows');
    }
    return rows(buildColumn('long', values));
  }
  if (typeof start === 'bigint' && typeof to === 'bigint' && typeof step === 'bigint') {
    if (step === 0n) throw new QueryError('range step must not be 0');
    for (let x = start; step > 0n ? x <= to : x >= to; x += step) {
      values.push(x);
      if (values.length > MAX_RANGE_ROWS) throw new QueryError('range produces more than 10,000,000 rows');
    }
  } else if (start !== null && to !== null && step !== null) {
    throw new QueryError('range needs numbers, or datetimes with a timespan step');
  }
  return rows(buildColumn(type, values));
}
