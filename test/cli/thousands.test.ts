// thousands() writes integers as toLocaleString('en-US') does, without ICU's start-up cost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thousands } from '../../src/cli/shared.js';

test('thousands() equals toLocaleString(en-US) for integers of every length and sign, and falls back for the rest', () => {
  const values = [0, -0, 1, -1, 12, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -1_234_567, 2_327_791, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1.5, 1234.5678, NaN, Infinity, 2 ** 60];
  for (let d = 1; d <= 16; d++) values.push(Number('9'.repeat(d)), Number('1' + '0'.repeat(d - 1)), -Number('7'.repeat(d)));
  for (const n of values) assert.equal(thousands(n), n.toLocaleString('en-US'), String(n));
});
