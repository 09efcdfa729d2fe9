/** The contract of a scalar function implementation (checked against the binder's signature table by a test). */
import type { EvalContext, ScalarTypeName, Value } from '../values/value.js';

export interface ScalarFunction {
  name: string;
  minArgs: number;
  maxArgs: number;
  /**
   * `args` are the argument values in the runtime representation of `argTypes` (static types from the binder);
   * `resultType` is the binder's type of the call. Returns a value of that type, or null.
   * The `args` array is reused between rows: read it, never keep it.
   */
  impl(args: Value[], argTypes: ScalarTypeName[], ctx: EvalContext, resultType: ScalarTypeName): Value;
}

/** Helper for tables of implementations: `fn('strlen', 1, 1, ([s]) => ...)`. */
export function fn(name: string, minArgs: number, maxArgs: number, impl: ScalarFunction['impl']): ScalarFunction {
  return { name, minArgs, maxArgs, impl };
}
