/**
 * Values as Kusto's REST API writes them, straight to JSON text (not through JSON.stringify, which cannot
 * write a 64-bit integer exactly): long/int as exact integer literals (a bigint prints all its digits),
 * real as a number or "NaN"/"Infinity"/"-Infinity", decimal as a string (its digits survive any client),
 * datetime as ISO 8601 with 7 fractional digits and Z, timespan as [-][d.]hh:mm:ss.fffffff, guid and string
 * as strings, dynamic as the JSON value itself (v2) or its JSON text (v1, whose cells are scalars).
 */
import type { Column, Table } from '../../engine/storage/column.js';
import { readCell } from '../../engine/storage/builders.js';
import { formatDatetime, formatTimespan } from '../../engine/values/ticks.js';
import type { ScalarTypeName, Value } from '../../engine/values/value.js';
import { jsonText } from '../../engine/values/json.js';

export { jsonText };

/** One cell of a column of `type`, as JSON text. */
export function cellJson(v: Value, type: ScalarTypeName, dynamicAsText = false): string {
  if (v === null) return 'null';
  switch (type) {
    case 'datetime':
      return JSON.stringify(formatDatetime(v as bigint));
    case 'timespan':
      return JSON.stringify(formatTimespan(v as bigint));
    case 'decimal':
      return JSON.stringify(String(v));
    case 'int':
    case 'long':
      return typeof v === 'bigint' ? v.toString() : jsonText(v);
    case 'real':
      return typeof v === 'number' && !Number.isFinite(v) ? JSON.stringify(Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : jsonText(v);
    case 'bool':
      return v === true || v === 1 ? 'true' : 'false';
    case 'dynamic':
      return dynamicAsText ? JSON.stringify(jsonText(v)) : jsonText(v);
    default:
      return jsonText(v);
  }
}

/** The rows of a table as a JSON array of arrays, in text. */
export function rowsJson(t: Table, dynamicAsText = false): string {
  const cols = t.columns.map((c) => c.column);
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) out.push('[' + cols.map((c: Column) => cellJson(readCell(c, i), c.type, dynamicAsText)).join(',') + ']');
  return '[' + out.join(',') + ']';
}

/** The .NET type name v1 responses carry beside each column's KQL type. */
export const DOTNET_TYPE: Record<ScalarTypeName, string> = {
  bool: 'Boolean', int: 'Int32', long: 'Int64', real: 'Double', decimal: 'Decimal', string: 'String',
  datetime: 'DateTime', timespan: 'TimeSpan', guid: 'Guid', dynamic: 'Object',
};

/** Column type names as `.show ... schema as json` writes them. */
export const SYSTEM_TYPE: Record<ScalarTypeName, string> = {
  bool: 'System.SByte', int: 'System.Int32', long: 'System.Int64', real: 'System.Double', decimal: 'System.Data.SqlTypes.SqlDecimal',
  string: 'System.String', datetime: 'System.DateTime', timespan: 'System.TimeSpan', guid: 'System.Guid', dynamic: 'System.Object',
};
