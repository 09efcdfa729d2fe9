/**
 * JSON text in and out, keeping integers beyond ±2^53 exact (as bigint, Kusto's int64), so
 * `parse_json('{"id": 9007199254740993}')` and `dynamic(9007199254740993)` give back the same digits.
 *
 * Reading: native JSON.parse unless the text holds a run of 16 or more digits (the only way to write an
 * unsafe integer), then lossless-json with the numbers read exactly. Writing: native JSON.stringify unless
 * the value holds a bigint, then lossless-json (which writes a bigint as its digits).
 */
import type * as LosslessJson from 'lossless-json';
import { lazyPackage } from '../../common/lazy-package.js';
import { jsonNestsDeeper } from '../../common/nesting.js';
import type { DynamicValue, Value } from './value.js';
import { longOf, MAX_LONG, MIN_LONG } from './long.js';

const losslessJson = lazyPackage<typeof LosslessJson>('lossless-json');

const LONG_DIGITS = /\d{16}/;

/** A JSON number's text as a value: integers that fit int64 exactly, everything else as a float64. */
function numberOfText(s: string): number | bigint {
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return n;
    const b = BigInt(s);
    return b >= MIN_LONG && b <= MAX_LONG ? longOf(b) : n;
  }
  return Number(s);
}

/** Parses JSON text (throws SyntaxError as JSON.parse does). */
export function parseJson(text: string): DynamicValue {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text) as DynamicValue;
  return losslessJson().parse(text, null, numberOfText) as DynamicValue;
}

/**
 * parse_json/todynamic of a value: text that is not JSON stays the text, and so does JSON nested deeper
 * than MAX_NESTING (every later step, comparing, formatting, must be able to walk a value); anything but
 * text is returned as it is.
 */
export function parseJsonValue(v: Value): Value {
  if (typeof v !== 'string' || jsonNestsDeeper(v)) return v;
  try {
    return parseJson(v);
  } catch {
    return v;
  }
}

function holdsBigint(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(holdsBigint);
  for (const k in v as Record<string, unknown>) if (holdsBigint((v as Record<string, unknown>)[k])) return true;
  return false;
}

/** JSON text of a value; a bigint is written as its exact digits. */
export function jsonText(v: unknown): string {
  if (typeof v === 'object' && v !== null && holdsBigint(v)) return losslessJson().stringify(v) ?? 'null';
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v);
}
