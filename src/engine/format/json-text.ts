/**
 * JSON text with 64-bit integers exact: a bigint prints all its digits (JSON.stringify refuses bigints, and a
 * JSON number cannot hold a long beyond 2^53); non-finite reals as the strings Kusto writes ("NaN",
 * "Infinity", "-Infinity"); integers of 1e21 and more without an exponent.
 */
const MAX_DEPTH = 512;

/** JSON text of any JSON-like value; bigints print as exact integers. */
export function jsonText(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? numberText(v) : JSON.stringify(Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
    case 'object': {
      if (depth > MAX_DEPTH) throw new RangeError(`a value nested more than ${MAX_DEPTH} deep cannot be sent`);
      if (Array.isArray(v)) return '[' + v.map((x) => jsonText(x, depth + 1)).join(',') + ']';
      const parts: string[] = [];
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) parts.push(JSON.stringify(k) + ':' + jsonText(x, depth + 1));
      return '{' + parts.join(',') + '}';
    }
    default:
      return 'null';
  }
}

/** Integers print without exponent (1e21 → 1000000000000000000000) as Kusto's writer does. */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return JSON.stringify(n);
}

