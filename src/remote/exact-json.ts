/**
 * JSON as remote engines send it, with 64-bit integers kept exact: a long beyond 2^53 becomes a bigint
 * instead of a rounded number. Text without any 16-digit run cannot hold such a number, so it takes
 * JSON.parse's fast path.
 */
import type * as LosslessJson from 'lossless-json';
import { lazyPackage } from '../common/lazy-package.js';

const losslessJson = lazyPackage<typeof LosslessJson>('lossless-json');

const LONG_DIGITS = /\d{16}/;

function numberOf(text: string): number | bigint {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return Number(text);
}

export function parseExactJson(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  return losslessJson().parse(text, null, numberOf);
}
