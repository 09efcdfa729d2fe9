/**
 * Coercing exported values to a column type. Real exports disagree with themselves: numbers arrive as
 * strings, `dynamic` as nested JSON or as JSON inside a string, datetimes with 0 to 7 fractional digits,
 * missing values as "", null or the text "null" (what Python/PowerShell/SQL exports write for a missing value;
 * in a column that is not a string it cannot mean anything else). Anything that cannot be coerced is an error naming the column and value,
 * and the record goes to quarantine (never a silent null).
 */
import type { Value } from '../engine/values/value.js';
import { longOf, MAX_INT, MAX_LONG, MIN_INT, MIN_LONG, parseLongText, type Long } from '../engine/values/long.js';
import { jsonText, parseJson } from '../engine/values/json.js';
import { parseDatetimeText, parseTimespanText, type ScalarTypeName } from '../kql/syntax/index.js';
import { jsonNestsDeeper, MAX_NESTING } from '../common/nesting.js';

export class CoercionError extends Error {}

const short = (v: unknown) => {
  const s = typeof v === 'string' ? v : jsonText(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
};

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * An int (int32) or long (int64) cell, exactly: integer text is read digit for digit (never through a
 * float), a bigint (an exact JSON reader's or Parquet's INT64) as it is. A value that is not whole, or does
 * not fit the type (1e300 in an int), is an error: the record goes to quarantine with that reason.
 */
function coerceInteger(v: unknown, type: 'int' | 'long', column: string): Value {
  if (v === '') return null;
  let n: Long | undefined;
  if (typeof v === 'bigint') n = v >= MIN_LONG && v <= MAX_LONG ? longOf(v) : undefined;
  else if (typeof v === 'boolean') n = v ? 1 : 0;
  else if (typeof v === 'number' || (typeof v === 'string' && NUMBER_TEXT.test(v))) {
    const exact = typeof v === 'string' ? parseLongText(v) : undefined;
    if (exact !== undefined) n = exact;
    else {
      const x = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(x)) throw new CoercionError(`column ${column}: ${short(v)} is not a number (${type})`);
      if (!Number.isInteger(x)) throw new CoercionError(`column ${column}: ${short(v)} is not a whole number (${type})`);
      n = x >= -9223372036854775808 && x < 9223372036854775808 ? longOf(BigInt(x)) : undefined;
    }
  } else throw new CoercionError(`column ${column}: ${short(v)} is not a number (${type})`);
  if (n === undefined || (type === 'int' && (n < MIN_INT || n > MAX_INT))) {
    throw new CoercionError(`column ${column}: ${short(v)} is out of range for ${type} (${type === 'int' ? `${MIN_INT} to ${MAX_INT}` : `${MIN_LONG} to ${MAX_LONG}`})`);
  }
  return n;
}

/** The Azure portal's CSV export form (US English, as Log Analytics writes a `TimeGenerated [UTC]` column):
 * `5/1/2024, 10:00:01.123 AM` (month first, then the comma and the 12-hour clock that mark that form; seconds
 * and fraction optional), read as UTC. KQL's own datetime text (parseDatetimeText) is tried first. */
const PORTAL_DATETIME = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4}), +(\d{1,2}):(\d\d)(?::(\d\d)(\.\d{1,7})?)? *([AP]M)\s*$/i;

function portalDatetime(v: string): Value | undefined {
  const m = PORTAL_DATETIME.exec(v);
  if (!m) return undefined;
  let hour = Number(m[4]);
  if (hour < 1 || hour > 12) return undefined;
  hour = (hour % 12) + (m[8]!.toUpperCase() === 'PM' ? 12 : 0);
  const pad = (x: string | number) => String(x).padStart(2, '0');
  return parseDatetimeText(`${m[3]}-${pad(m[1]!)}-${pad(m[2]!)}T${pad(hour)}:${m[5]}:${m[6] ?? '00'}${m[7] ?? ''}Z`);
}

/** The text an export writes for a missing value in a typed column: `null` in any case, blanks around it allowed. */
export function isNullText(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 8 && v.trim().toLowerCase() === 'null';
}

export function coerce(v: unknown, type: ScalarTypeName, column: string): Value {
  if (v === undefined || v === null) return null;
  if (type !== 'string' && type !== 'dynamic' && isNullText(v)) return null;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'object' ? jsonText(v) : String(v);
    case 'datetime': {
      if (v === '') return null;
      if (typeof v === 'string') {
        const t = parseDatetimeText(v) ?? portalDatetime(v);
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
      return coerceInteger(v, type, column);
    case 'real':
    case 'decimal': {
      if (v === '') return null;
      const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && NUMBER_TEXT.test(v) ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : NaN;
      if (Number.isNaN(n)) throw new CoercionError(`column ${column}: ${short(v)} is not a number (${type})`);
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
            return parseJson(s) as Value;
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
  if (typeof v === 'bigint') return 'long';
  if (v !== null && typeof v === 'object') return 'dynamic';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/.test(v)) return 'datetime';
  return 'string';
}
