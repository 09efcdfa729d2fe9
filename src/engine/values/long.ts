/**
 * Exact `long` (int64) and `int` (int32) values.
 *
 * A long Value is a `number` while it is a safe integer (|v| <= 2^53 - 1) and a `bigint` beyond that, never
 * both for one value: most longs are small, so the common case stays plain float64 arithmetic, and a value
 * past 2^53 keeps every digit. Arithmetic takes the fast path when the operands and the float result are
 * safe, the exact path (BigInt) otherwise. Results wrap to 64 bits as .NET's unchecked int64 arithmetic
 * does, which is what Kusto's scalar operators compute; `int` results wrap to 32 bits.
 */
import type { Value } from './value.js';

export type Long = number | bigint;

export const MIN_LONG = -(2n ** 63n);
export const MAX_LONG = 2n ** 63n - 1n;
export const MIN_INT = -2147483648;
export const MAX_INT = 2147483647;

/** The canonical Value of an int64: wrapped to 64 bits, a number when safe. */
export function longOf(b: bigint): Long {
  const w = BigInt.asIntN(64, b);
  return w >= -9007199254740991n && w <= 9007199254740991n ? Number(w) : w;
}

/** A long as a bigint (exact). */
export function bigOf(v: Long): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/** A long as a float64 (what real arithmetic and real-valued functions read). */
export function realOf(v: number | bigint): number {
  return typeof v === 'number' ? v : Number(v);
}

/** A numeric Value (number or big long) as a float64; anything else undefined. */
export function numericOf(v: Value): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

/**
 * A real truncated toward zero into a long (tolong(1.9) is 1): undefined when it is not finite or lies
 * outside int64 (Kusto then returns null).
 */
export function longFromReal(x: number): Long | undefined {
  if (!Number.isFinite(x)) return undefined;
  const t = Math.trunc(x);
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
  // 2^63 is exactly representable; anything at or past it does not fit
  if (t >= 9223372036854775808 || t < -9223372036854775808) return undefined;
  return longOf(BigInt(t));
}

/** An int from a long: int32 wrap, as .NET's unchecked (int) cast of a long does. */
export function intOf(v: Long): number {
  if (typeof v === 'number' && v >= MIN_INT && v <= MAX_INT) return v;
  return Number(BigInt.asIntN(32, bigOf(v)));
}

/**
 * Integer text, exactly: optional sign, decimal digits (or 0x hex); undefined when it is not an integer or
 * does not fit int64. Never goes through a float.
 */
export function parseLongText(s: string): Long | undefined {
  const t = s.trim();
  let b: bigint;
  if (/^[+-]?\d+$/.test(t)) {
    if (t.replace(/^[+-]/, "").length <= 15) return Number(t) || 0;
    b = BigInt(t.startsWith('+') ? t.slice(1) : t);
  } else if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) {
    const neg = t.startsWith('-');
    b = BigInt(t.replace(/^[+-]/, ''));
    if (neg) b = -b;
  } else return undefined;
  if (b < MIN_LONG || b > MAX_LONG) return undefined;
  return longOf(b);
}

const SAFE = 9007199254740991;

/** a + b as int64. */
export function addLong(a: Long, b: Long): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= SAFE && r >= -SAFE) return r;
  }
  return longOf(bigOf(a) + bigOf(b));
}

/** a - b as int64. */
export function subLong(a: Long, b: Long): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= SAFE && r >= -SAFE) return r;
  }
  return longOf(bigOf(a) - bigOf(b));
}

/** a * b as int64. */
export function mulLong(a: Long, b: Long): Long {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (r <= SAFE && r >= -SAFE) return r === 0 ? 0 : r;
  }
  return longOf(bigOf(a) * bigOf(b));
}

/** a / b truncated toward zero; null for a zero divisor. */
export function divLong(a: Long, b: Long): Long | null {
  if (b === 0) return null;
  if (typeof a === 'number' && typeof b === 'number') return Math.trunc(a / b) || 0;
  return longOf(bigOf(a) / bigOf(b));
}

/** Kusto's modulo of integers, never negative (-14 % 12 == 10, 14 % -12 == 2); null for a zero divisor. */
export function modLong(a: Long, b: Long): Long | null {
  if (b === 0) return null;
  if (typeof a === 'number' && typeof b === 'number') {
    const m = a % b;
    return m < 0 ? m + Math.abs(b) : m || 0;
  }
  const bb = bigOf(b);
  const m = bigOf(a) % bb;
  return longOf(m < 0n ? m + (bb < 0n ? -bb : bb) : m);
}

export function negLong(a: Long): Long {
  return typeof a === 'number' ? -a || 0 : longOf(-a);
}

/**
 * floor(v / step) * step for integers (bin() and floor() of a long by a long), exact past 2^53; null when
 * step is not positive. Small operands take float64 arithmetic, exact there.
 */
export function binLong(v: Long, step: Long): Long | null {
  if (typeof v === 'number' && typeof step === 'number' && Math.abs(v) <= 2147483647 && step <= 2147483647) return step > 0 ? Math.floor(v / step) * step : null;
  const b = bigOf(v);
  const s = bigOf(step);
  if (s <= 0n) return null;
  let q = b / s;
  if (b < 0n && q * s !== b) q -= 1n;
  return longOf(q * s);
}

/** The int32 result of an int operation given as an exact long. */
export function wrapInt(v: Long | null): number | null {
  return v === null ? null : intOf(v);
}

/** Exact ordering of two numeric Values (numbers and big longs mix: JS compares number and bigint exactly). */
export function compareNumeric(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
