/**
 * Building, reading, gathering and concatenating columns. Cell reads (`readCell`) return runtime Values
 * for the general path; hot paths read the typed arrays directly.
 */
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { joinTicks, splitTicks } from '../values/ticks.js';
import type { DynamicValue, Value } from '../values/value.js';
import { isValid, newValidity, readNumber, setValid, type Column, type StringColumn, type Table, type Validity } from './column.js';
import { reserve } from '../memory.js';
import { jsonTextColumn } from './json-column.js';
import { cellText, StringDictionaryBuilder } from './string-dictionary.js';

/** Bytes a column of `type` takes per row in memory (typed arrays, or a reference per value), for the memory budget. */
export function bytesPerRow(type: ScalarTypeName): number {
  switch (type) {
    case 'bool':
      return 1;
    case 'string':
    case 'guid':
      return 4;
    case 'datetime':
    case 'timespan':
      return 10;
    default:
      return 8;
  }
}

/** What a dictionary string holds on the heap, roughly: its characters and the string and map entries around it. */
export { stringBytes } from './string-dictionary.js';

/** Accumulates values of one type, then freezes into a Column. */
export class ColumnBuilder {
  private values: Value[] = [];
  constructor(readonly type: ScalarTypeName) {}

  push(v: Value): void {
    this.values.push(v);
  }

  get length(): number {
    return this.values.length;
  }

  finish(): Column {
    return buildColumn(this.type, this.values);
  }
}

function validityOf(values: readonly Value[], isNull: (v: Value) => boolean): Validity {
  let v: Uint8Array | undefined;
  for (let i = 0; i < values.length; i++) {
    if (isNull(values[i]!)) {
      v ??= newValidity(values.length, true);
      setValid(v, i, false);
    }
  }
  return v;
}

export function buildColumn(type: ScalarTypeName, values: readonly Value[]): Column {
  const n = values.length;
  reserve(n * bytesPerRow(type));
  switch (type) {
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = values[i] === true ? 1 : 0;
      return { type, length: n, values: out, validity: validityOf(values, (v) => v === null || v === undefined) };
    }
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      const out = new Float64Array(n);
      let exact = false;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v === 'bigint') exact = true;
        out[i] = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : 0;
      }
      const validity = validityOf(values, (v) => v === null || v === undefined || (typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'boolean'));
      if (exact && type === 'long') return { type, length: n, values: out, validity, big: exactLongs(values, out) };
      return { type, length: n, values: out, validity };
    }
    case 'string':
    case 'guid': {
      const strings = new StringDictionaryBuilder();
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = strings.code(cellText(values[i]));
      strings.chargeRest();
      const dict = strings.dict;
      if (type === 'string') return { type, length: n, dict, codes };
      return { type, length: n, dict, codes, validity: validityOf(values, (v) => v === null || v === undefined) };
    }
    case 'datetime':
    case 'timespan': {
      const hi = new Float64Array(n);
      const lo = new Uint16Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v === 'bigint') {
          const s = splitTicks(v);
          hi[i] = s.hi;
          lo[i] = s.lo;
        }
      }
      return { type, length: n, hi, lo, validity: validityOf(values, (v) => typeof v !== 'bigint') };
    }
    case 'dynamic': {
      const out: DynamicValue[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        out[i] = v === undefined ? null : (v as DynamicValue);
      }
      return { type, length: n, values: out, validity: validityOf(values, (v) => v === null || v === undefined) };
    }
  }
}

/** The exact int64 of each row: bigints as they are, every other value from its (safe) float. */
function exactLongs(values: readonly Value[], floats: Float64Array): BigInt64Array {
  const big = new BigInt64Array(floats.length);
  for (let i = 0; i < floats.length; i++) {
    const v = values[i];
    big[i] = typeof v === 'bigint' ? BigInt.asIntN(64, v) : Number.isFinite(floats[i]!) ? BigInt(Math.trunc(floats[i]!)) : 0n;
  }
  return big;
}

export function readCell(col: Column, i: number): Value {
  switch (col.type) {
    case 'string':
      return col.dict[col.codes[i]!]!;
    case 'guid':
      return isValid(col.validity, i) ? col.dict[col.codes[i]!]! : null;
    case 'bool':
      return isValid(col.validity, i) ? col.values[i] === 1 : null;
    case 'datetime':
    case 'timespan':
      return isValid(col.validity, i) ? joinTicks(col.hi[i]!, col.lo[i]!) : null;
    case 'dynamic':
      return isValid(col.validity, i) ? col.values[i]! : null;
    default:
      return isValid(col.validity, i) ? readNumber(col, i) : null;
  }
}

/** A new column holding rows `idx` of `col` (idx may repeat; -1 gives null). */
export function gatherColumn(col: Column, idx: ArrayLike<number>): Column {
  const n = idx.length;
  reserve(n * bytesPerRow(col.type));
  let validity: Validity;
  let hasNullIdx = false;
  for (let i = 0; i < n; i++) if (idx[i]! < 0) {
    hasNullIdx = true;
    break;
  }
  // a JSON column stays one: its text is gathered, the values are parsed only if read (compile/json-access.ts)
  if (col.type === 'dynamic' && col.jsonText && !hasNullIdx) return jsonTextColumn(gatherColumn(col.jsonText, idx) as StringColumn);
  const src = 'validity' in col ? col.validity : undefined;
  if (src || hasNullIdx) {
    validity = newValidity(n, true);
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      if (j < 0 || !isValid(src, j)) setValid(validity, i, false);
    }
  }
  switch (col.type) {
    case 'string': {
      const codes = new Int32Array(n);
      let empty = -1;
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j >= 0) codes[i] = col.codes[j]!;
        else {
          if (empty < 0) empty = col.dict.indexOf('');
          if (empty < 0) {
            empty = col.dict.length;
            col = { ...col, dict: [...col.dict, ''] };
          }
          codes[i] = empty;
        }
      }
      return { type: 'string', length: n, dict: col.dict, codes };
    }
    case 'guid': {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = idx[i]! >= 0 ? col.codes[idx[i]!]! : 0;
      return { type: 'guid', length: n, dict: col.dict.length ? col.dict : [''], codes, validity };
    }
    case 'bool': {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) values[i] = idx[i]! >= 0 ? col.values[idx[i]!]! : 0;
      return { type: 'bool', length: n, values, validity };
    }
    case 'datetime':
    case 'timespan': {
      const hi = new Float64Array(n);
      const lo = new Uint16Array(n);
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j >= 0) {
          hi[i] = col.hi[j]!;
          lo[i] = col.lo[j]!;
        }
      }
      return { type: col.type, length: n, hi, lo, validity };
    }
    case 'dynamic': {
      const values: DynamicValue[] = new Array(n);
      for (let i = 0; i < n; i++) values[i] = idx[i]! >= 0 ? col.values[idx[i]!]! : null;
      return { type: 'dynamic', length: n, values, validity };
    }
    default: {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = idx[i]! >= 0 ? col.values[idx[i]!]! : 0;
      if (!col.big) return { type: col.type, length: n, values, validity };
      const big = new BigInt64Array(n);
      for (let i = 0; i < n; i++) big[i] = idx[i]! >= 0 ? col.big[idx[i]!]! : 0n;
      return { type: col.type, length: n, values, validity, big };
    }
  }
}

/** Concatenates columns of one type (extents of a table); string dictionaries are merged. */
export function concatColumns(type: ScalarTypeName, cols: Column[]): Column {
  if (cols.length === 1) return cols[0]!;
  const values: Value[] = [];
  for (const c of cols) for (let i = 0; i < c.length; i++) values.push(readCell(c, i));
  return buildColumn(type, values);
}

export function emptyTable(columns: { name: string; type: ScalarTypeName }[]): Table {
  return { columns: columns.map((c) => ({ name: c.name, column: buildColumn(c.type, []) })), length: 0 };
}

/** Builds a table from row objects (tests, fixtures). Missing fields are null. */
export function tableFromRows(schema: { name: string; type: ScalarTypeName }[], rows: Record<string, Value>[]): Table {
  return {
    columns: schema.map((c) => ({ name: c.name, column: buildColumn(c.type, rows.map((r) => r[c.name] ?? null)) })),
    length: rows.length,
  };
}
