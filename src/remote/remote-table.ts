/**
 * A typed table as a remote API returns it (column names with type names, rows of JSON values) turned into
 * the engine's columnar Table, so findings, formatting and everything downstream treat remote results as
 * local ones. Type names come in Kusto's (`long`), .NET's (`Int64`, Defender) or either case.
 */
import { buildColumn } from '../engine/storage/builders.js';
import type { Table } from '../engine/storage/column.js';
import type { ResultTable } from '../engine/index.js';
import type { ScalarTypeName, Value } from '../engine/values/value.js';
import { normaliseTypeName, parseDatetimeText, parseTimespanText } from '../kql/syntax/index.js';
import { RemoteError } from './remote-types.js';

const DOTNET: Record<string, ScalarTypeName> = {
  boolean: 'bool', sbyte: 'bool', int32: 'int', int64: 'long', double: 'real', single: 'real', decimal: 'decimal', sqldecimal: 'decimal',
  string: 'string', datetime: 'datetime', timespan: 'timespan', guid: 'guid', object: 'dynamic', dynamic: 'dynamic',
};

export function scalarTypeOf(name: string): ScalarTypeName {
  const bare = name.replace(/^System\.(Data\.SqlTypes\.)?/i, '').toLowerCase();
  const t = normaliseTypeName(bare) ?? DOTNET[bare];
  if (!t) throw new RemoteError(`the remote answered a column of type '${name}', which kqlite does not know`);
  return t;
}

function coerce(v: unknown, type: ScalarTypeName): Value {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'bool':
      return v === true || v === 1 || (typeof v === 'string' && v.toLowerCase() === 'true') ? true : v === false || v === 0 || (typeof v === 'string' && v.toLowerCase() === 'false') ? false : null;
    case 'int':
    case 'long':
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number.isSafeInteger(Number(v)) ? Number(v) : BigInt(v);
      return null;
    case 'real':
    case 'decimal':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string') return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number.isNaN(Number(v)) ? null : Number(v);
      return null;
    case 'datetime':
      return typeof v === 'string' ? parseDatetimeText(v) ?? null : null;
    case 'timespan':
      return typeof v === 'string' ? parseTimespanText(v) ?? null : typeof v === 'number' ? BigInt(Math.round(v * 10_000_000)) : null;
    case 'guid':
      return typeof v === 'string' ? v.toLowerCase() : null;
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'dynamic':
      // Log Analytics and Defender send dynamics as JSON text; Kusto v2 as the value itself
      if (typeof v === 'string') {
        try {
          return JSON.parse(v) as Value;
        } catch {
          return v;
        }
      }
      return v as Value;
  }
}

/** One remote table in the engine's form; `rows` as arrays (Kusto, Log Analytics) or objects (Defender). */
export function toResultTable(name: string, columns: readonly { name: string; type: string }[], rows: readonly unknown[]): ResultTable {
  const schema = columns.map((c) => ({ name: c.name, type: scalarTypeOf(c.type) }));
  const cells: Value[][] = schema.map(() => new Array<Value>(rows.length));
  rows.forEach((row, r) => {
    if (Array.isArray(row)) {
      if (row.length !== schema.length) throw new RemoteError(`row ${r} of '${name}' has ${row.length} values for ${schema.length} columns`);
      schema.forEach((c, i) => (cells[i]![r] = coerce(row[i], c.type)));
    } else if (row && typeof row === 'object') {
      schema.forEach((c, i) => (cells[i]![r] = coerce((row as Record<string, unknown>)[c.name], c.type)));
    } else throw new RemoteError(`row ${r} of '${name}' is neither an array nor an object`);
  });
  const table: Table = { columns: schema.map((c, i) => ({ name: c.name, column: buildColumn(c.type, cells[i]!) })), length: rows.length };
  return { name, columns: schema, table, totalRows: rows.length };
}
