/**
 * Columnar storage: the in-memory layout every table uses (workspace extents load straight into it).
 *
 * Layout per KQL type (all arrays have `length` entries):
 * - bool:      `Uint8Array` values (0/1)                         + validity bitmap
 * - int, long, real, decimal: `Float64Array` values               + validity bitmap
 *     (long values beyond ±2^53 lose precision; documented limitation)
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
export interface NumberColumn { type: 'int' | 'long' | 'real' | 'decimal'; length: number; values: Float64Array; validity: Validity }
export interface StringColumn { type: 'string'; length: number; dict: string[]; codes: Int32Array }
export interface TicksColumn { type: 'datetime' | 'timespan'; length: number; hi: Float64Array; lo: Uint16Array; validity: Validity }
export interface GuidColumn { type: 'guid'; length: number; dict: string[]; codes: Int32Array; validity: Validity }
export interface DynamicColumn { type: 'dynamic'; length: number; values: DynamicValue[]; validity: Validity }

export type Column = BoolColumn | NumberColumn | StringColumn | TicksColumn | GuidColumn | DynamicColumn;

export interface Table {
  name?: string;
  columns: { name: string; column: Column }[];
  length: number;
  /** When the rows were ingested (ticks since 1970): a workspace extent's time, for ingestion_time(). */
  ingestedAt?: bigint;
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
