/**
 * The init/add/result protocol of aggregates. `create` is called once per group; `add` once per row with
 * the argument values; `result` once at the end. Multi-output aggregates (arg_max/arg_min) return a Value[]
 * from `result()` (one per output column) and say so with `multi: true`.
 */
import type { ScalarTypeName, Value } from '../values/value.js';

export interface AggState {
  add(args: Value[]): void;
  result(): Value | Value[];
}

export interface AggregateFunction {
  name: string;
  minArgs: number;
  maxArgs: number;
  multi?: boolean;
  /** Multi-output aggregates: how many columns a call with `argCount` arguments produces (default: argCount). */
  width?: (argCount: number) => number;
  create(argTypes: ScalarTypeName[], constArgs: Value[]): AggState;
}
