/**
 * All scalar function implementations by lower-case name. To add one: implement it in a file of this
 * folder (see core.ts), add it to the list below, and make sure its signature exists in
 * kql/semantics/signatures (test/engine/signatures.test.ts checks names and arity agree).
 */
import { CORE_FUNCTIONS } from './core.js';
import { DATETIME_DYNAMIC_FUNCTIONS } from './datetime-dynamic.js';
import { IP_FUNCTIONS } from './ip.js';
import { MATH_STRING_FUNCTIONS } from './math-string.js';
import type { ScalarFunction } from './types.js';

export type { ScalarFunction };

export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map(
  [...CORE_FUNCTIONS, ...MATH_STRING_FUNCTIONS, ...DATETIME_DYNAMIC_FUNCTIONS, ...IP_FUNCTIONS].map((f) => [f.name, f]),
);
