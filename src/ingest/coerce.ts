/**
 * Coercing exported values to a column type. Real exports disagree with themselves: numbers arrive as
 * strings, `dynamic` as nested JSON or as JSON inside a string, datetimes with 0 to 7 fractional digits,
 * missing values as "" or null. Anything that cannot be coerced is an error naming the column and value,
 * and the record goes to quarantine (never a silent null).
 */
import type { Value } from '../engine/values/value.js';
import { parseDatetimeText, parseTimespanText, type ScalarTypeName } from '../kql/syntax/index.js';
import { jsonNestsDeeper, MAX_NESTING } from '../common/nesting.js';

export class CoercionError extends Error {}

const short = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
};

export function coerce(v: unknown, type: ScalarTypeName, column: string): Value {
  if (v === undefined || v === null) return null;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'datetime': {
      if (v === '') return null;
      if (typeof v === 'string') {
        const t = parseDatetimeText(v);
        if (t !== undefined) return t;
      }
      throw new CoercionError(`column ${column}: ${short(v)} is not a datetime`);
    }
    case 'timespan': {
      if (v === '') return null;
      if (typeof v === 'string') {
        const t = parseTimespanText(v);
        if (t !== undefined) return t;
      }
      throw new CoercionError(`column ${column}: ${short(v)} is not a timespan`);
    }
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      if (v === '') return null;
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : NaN;
      if (Number.isNaN(n)) throw new CoercionError(`column ${column}: ${short(v)} is not a number (${type})`);
      if ((type === 'int' || type === 'long') && !Number.isInteger(n)) throw new CoercionError(`column ${column}: ${short(v)} is not a whole number (${type})`);
      return n;
    }
    case 'bool': {
      if (v === '') return null;
      if (typeof v === 'boolean') return v;
      if (v === 1 || v === '1' || (typeof v === 'string' && v.toLowerCase() === 'true')) return true;
      if (v === 0 || v === '0' || (typeof v === 'string' && v.toLowerCase() === 'false')) return false;
      throw new CoercionError(`column ${column}: ${short(v)} is not a bool`);
    }
    case 'guid':
      if (v === '') return null;
      if (typeof v === 'string' && /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v.trim())) return v.trim().toLowerCase();
      throw new CoercionError(`column ${column}: ${short(v)} is not a guid`);
    case 'dynamic': {
      if (typeof v === 'string') {
        const s = v.trim();
        if (s === '') return null;
        if (s[0] === '{' || s[0] === '[') {
          if (jsonNestsDeeper(s)) throw new CoercionError(`column ${column}: JSON nested deeper than ${MAX_NESTING} levels`);
          try {
            return JSON.parse(s) as Value;
          } catch {
            return v; // a string that merely starts with a bracket stays a string value
          }
        }
        return v;
      }
      return v as Value;
    }
  }
  return v as Value;
}

/** The type an unknown column gets from the first non-empty value seen. */
export function inferType(v: unknown): ScalarTypeName {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
  if (v !== null && typeof v === 'object') return 'dynamic';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/.test(v)) return 'datetime';
  return 'string';
}
