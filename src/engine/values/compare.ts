/** Ordering of runtime values for sort, min/max, top and comparisons. Nulls compare as smallest. */
import type { Value } from './value.js';
import { jsonText } from './json.js';

export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    // a number against a big long: JavaScript compares a number and a bigint exactly
    if (Number.isNaN(a)) return -1;
    if (Number.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const x = jsonText(a);
  const y = jsonText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Equality as `==` sees it (numbers across int/long/real, exact strings, deep JSON). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === null || b === null) return false;
  if (typeof a === 'object' || typeof b === 'object') return jsonText(a) === jsonText(b);
  // a number and a bigint (a big long) are equal exactly when they are the same integer
  // eslint-disable-next-line eqeqeq
  if (typeof a === 'bigint' || typeof b === 'bigint') return typeof a === typeof b ? a === b : (typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint') && a == b;
  return a === b;
}

/** A key for hashing groups/joins/distinct: distinguishes types, treats equal numbers alike. */
export function valueKey(v: Value): string {
  if (v === null) return '\u0000n';
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return 'n' + String(v);
    case 'bigint':
      return 't' + v.toString();
    case 'boolean':
      return v ? 'b1' : 'b0';
    default:
      return 'j' + jsonText(v);
  }
}
