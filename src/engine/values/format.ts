/** Kusto's text form of values (tostring(), strcat(), dynamic conversion). */
import { formatDatetime, formatTimespan } from './ticks.js';
import type { ScalarTypeName, Value } from './value.js';
import { jsonText } from './json.js';

/** `2015-12-31T23:59:59.12Z`: tostring() trims trailing fractional zeros (and the dot). */
export function datetimeToString(t: bigint): string {
  return formatDatetime(t).replace(/\.?0+Z$/, 'Z');
}

export function realToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

export function valueToString(v: Value, type: ScalarTypeName): string {
  if (v === null) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return realToString(v);
    case 'bigint':
      // a bigint is ticks for datetime/timespan and an exact long (beyond ±2^53) otherwise
      return type === 'timespan' ? formatTimespan(v) : type === 'datetime' ? datetimeToString(v) : v.toString();
    default:
      return jsonText(v);
  }
}

/** A value as it appears inside a dynamic: ticks become their ISO / timespan text. */
export function valueToDynamic(v: Value, type: ScalarTypeName): import('./value.js').DynamicValue {
  if (typeof v === 'bigint' && (type === 'timespan' || type === 'datetime')) return type === 'timespan' ? formatTimespan(v) : formatDatetime(v);
  // a long beyond ±2^53 stays an exact bigint inside the dynamic
  return v as import('./value.js').DynamicValue;
}
