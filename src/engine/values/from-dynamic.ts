/**
 * A dynamic element as a value of a declared type (`mv-expand ... to typeof(T)`, `mv-apply`): numbers
 * from numbers or numeric text, datetimes and timespans from their text forms, text from anything (JSON
 * for non-strings); what does not convert is null.
 */
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { parseDatetimeText, parseTimespanText } from '../../kql/syntax/index.js';
import type { DynamicValue, Value } from './value.js';
import { jsonText } from './json.js';

export function fromDynamic(v: DynamicValue, type: ScalarTypeName): Value {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'long':
    case 'int':
    case 'real':
    case 'decimal': {
      // a big integer (beyond ±2^53, exact from JSON) stays exact as a long
      if (typeof v === 'bigint') return type === 'long' ? v : type === 'int' ? null : Number(v);
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'boolean' ? Number(v) : NaN;
      if (Number.isNaN(n)) return null;
      return type === 'long' || type === 'int' ? Math.trunc(n) : n;
    }
    case 'string':
      return typeof v === 'string' ? v : jsonText(v);
    case 'bool':
      return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : null;
    case 'datetime':
      return typeof v === 'string' ? (parseDatetimeText(v) ?? null) : null;
    case 'timespan':
      return typeof v === 'string' ? (parseTimespanText(v) ?? null) : typeof v === 'number' ? BigInt(Math.round(v)) : null;
    case 'guid':
      return typeof v === 'string' && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(v) ? v.toLowerCase() : null;
    default:
      return v;
  }
}
