/**
 * Function and aggregate signatures are data: one table per category, parsed once. They are the single
 * source of truth the binder checks calls against and the engine's implementations are tested against.
 *
 * Table line format: `name min max returns [aliases...]`
 *   max: `*` for variadic;
 *   returns: a type name, or a rule: `arg0`/`arg1` (the type of that argument), `num` (numeric promotion of
 *   the arguments), `common` (the common type of the value arguments, for iff/case/coalesce/min_of/max_of),
 *   `typeof` (the type a `typeof(T)` argument names, else dynamic: percentile_tdigest), `typeof-string` (the same,
 *   else string: extract_json, extract).
 *   Aggregates over a value (Kusto.Language's result types): `sum` (numeric promotion; a sum of timespans or
 *   datetimes keeps that type), `mean` (real; a mean of timespans, datetimes or decimals keeps that type), `pct`
 *   (the argument's type, but an int percentile is a long and a decimal one a real).
 *   `bin` (abs, bin, floor, bin_at, bin_auto): a number is binned to at least a long, or to the wider type of the
 *   bin size (`bin(toint(x), 2.5)` is a real); a datetime or timespan stays one.
 * Aggregate tables add a naming prefix: `name min max returns prefix` (e.g. `sum ... sum_` → `sum_x`;
 * `-` means the output takes the argument's own name; `*` means multi-column output (arg_max)).
 */
import type { ScalarTypeName } from '../../syntax/ast.js';

export type ReturnRule = ScalarTypeName | 'arg0' | 'arg1' | 'num' | 'common' | 'typeof' | 'typeof-string' | 'sum' | 'mean' | 'pct' | 'bin';

export interface FunctionSignature {
  name: string;
  minArgs: number;
  maxArgs: number;
  returns: ReturnRule;
  aggregate: boolean;
  /** Aggregates: how an unnamed result column is named. */
  namePrefix?: string;
  category: string;
}

export function parseSignatureTable(category: string, table: string, aggregate = false): FunctionSignature[] {
  const out: FunctionSignature[] = [];
  for (const raw of table.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [name, min, max, returns, ...rest] = line.split(/\s+/);
    const sig: FunctionSignature = {
      name: name!,
      minArgs: Number(min),
      maxArgs: max === '*' ? Infinity : Number(max),
      returns: returns as ReturnRule,
      aggregate,
      category,
    };
    if (aggregate) sig.namePrefix = rest.shift() ?? `${name}_`;
    out.push(sig);
    for (const alias of rest) out.push({ ...sig, name: alias });
  }
  return out;
}
