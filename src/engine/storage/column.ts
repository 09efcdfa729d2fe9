/**
 * Columnar storage: the in-memory layout every table uses (workspace extents load straight into it).
 *
 * Layout per KQL type (all arrays have `length` entries):
 * - bool:      `Uint8Array` values (0/1)                         + validity bitmap
 * - int, long, real, decimal: `Float64Array` values               + validity bitmap
 *     A long column whose values all lie within ±(2^53 - 1) (the common case) is just that; when one does
 *     not, `big: BigInt64Array` holds every row exactly (int64) and `values` the nearest float64 of each,
 *     so readers that want reals keep reading `values` and exact readers read `big` (see `readLong`).
 * - string:    dictionary encoding: `dict: string[]` + `Int32Array` codes into it.
 *     Kusto strings are never null: a missing string is "" (so no validity bitmap).
 * - datetime, timespan: exact 100 ns ticks split in two arrays, because a float64 of ticks is not exact:
 *     `hi: Float64Array` = floor(ticks / 10_000) (whole milliseconds, exact as float64 for ±285k years)
 *     `lo: Uint16Array`  = ticks - hi * 10_000 (0..9999), so ticks = hi * 10_000 + lo.
 *     datetime ticks count from 1970-01-01T00:00:00Z.                 + validity bitmap
 * - guid:      like string (dictionary of canonical lower-case text)  + validity bitmap
 * - dynamic:   `values: DynamicValue[]` (parsed JSON; `undefined` never appears; null = JSON null)
 *     + validity bitmap (a null dynamic differs from JSON null only in `isnull`; Kusto treats both as null)
 *
 * Validity bitmaps: `Uint8Array` of ceil(length/8) bytes, bit i set = row i is NOT null; `undefined`
 * means "no nulls".
 */
import type { DynamicValue, ScalarTypeName } from '../../kql/syntax/ast.js';

export type { DynamicValue };

export type Validity = Uint8Array | undefined;

export interface BoolColumn { type: 'bool'; length: number; values: Uint8Array; validity: Validity }
export interface NumberColumn {
  type: 'int' | 'long' | 'real' | 'decimal';
  length: number;
  values: Float64Array;
  validity: Validity;
  /** long only, and only when some value is beyond ±(2^53 - 1): every row exactly */
  big?: BigInt64Array;
}
export interface StringColumn { type: 'string'; length: number; dict: string[]; codes: Int32Array }
export interface TicksColumn { type: 'datetime' | 'timespan'; length: number; hi: Float64Array; lo: Uint16Array; validity: Validity }
export interface GuidColumn { type: 'guid'; length: number; dict: string[]; codes: Int32Array; validity: Validity }
export interface DynamicColumn {
  type: 'dynamic';
  length: number;
  values: DynamicValue[];
  validity: Validity;
  /**
   * Set on the column `parse_json(C)` makes of a string column C (compile/json-access.ts): each row's
   * text, from which `J.path` reads a path without parsing whole documents; `values` are parsed on first read.
   */
  jsonText?: StringColumn;
  /**
   * Set on a column computed once per distinct string of a string column (compile/vector.ts): row i holds
   * `values[slots[i]]`, so a reader can work once per distinct value (mv-expand does).
   */
  perString?: { slots: Int32Array; values: DynamicValue[] };
}

export type Column = BoolColumn | NumberColumn | StringColumn | TicksColumn | GuidColumn | DynamicColumn;

export interface Table {
  name?: string;
  columns: { name: string; column: Column }[];
  length: number;
  /** When the rows were ingested (ticks since 1970): a workspace extent's time, for ingestion_time(). */
  ingestedAt?: bigint;
  /** The extent's id as a guid (lower-case text), for extent_id(); absent for tables that are no extent. */
  extentId?: string;
}

export const TICKS_PER_MS = 10_000;

export function isValid(validity: Validity, i: number): boolean {
  return validity === undefined || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
}

export function newValidity(length: number, allValid: boolean): Uint8Array {
  return new Uint8Array((length + 7) >> 3).fill(allValid ? 0xff : 0);
}

export function setValid(validity: Uint8Array, i: number, valid: boolean): void {
  if (valid) validity[i >> 3]! |= 1 << (i & 7);
  else validity[i >> 3]! &= ~(1 << (i & 7));
}

export type ColumnTypeOf<T extends ScalarTypeName> = Extract<Column, { type: T }>;

const SAFE_BIG = 9007199254740991n;

/** Row i of a number column as its exact Value: a number, or a bigint for a long beyond ±(2^53 - 1). */
export function readNumber(col: NumberColumn, i: number): number | bigint {
  if (col.big === undefined) return col.values[i]!;
  const b = col.big[i]!;
  return b > SAFE_BIG || b < -SAFE_BIG ? b : Number(b);
}
