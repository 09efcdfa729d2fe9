/**
 * The runtime value of one cell, by KQL type:
 * bool → boolean; int/long/real/decimal → number; string/guid → string (strings are never null in Kusto:
 * a missing string is ""); datetime/timespan → bigint ticks of 100 ns (datetime counted from
 * 1970-01-01T00:00:00Z); dynamic → a JSON value; null → null.
 * Hot paths avoid Values altogether (they read the typed arrays); Values are for the general path.
 */
import type { DynamicValue, ScalarTypeName } from '../../kql/syntax/ast.js';

export type { DynamicValue, ScalarTypeName };

export type Value = null | boolean | number | bigint | string | DynamicValue;

export interface EvalContext {
  /** `now()` for the whole query, in ticks. */
  now: bigint;
  /** Query properties set by `set name = value;` statements (lower-case names), e.g. query_bin_auto_size. */
  options?: Map<string, Value>;
  /** The data source's cursor (cursor_current()); empty when the source has none. */
  cursor?: string;
}

/** Thrown by a function or operator for a runtime error that ends the query (caught by runQuery). */
export class QueryError extends Error {
  constructor(message: string, readonly code = 'KQL4001') {
    super(message);
  }
}

/** A table reference that names no table: the one failure `union isfuzzy=true` passes over. */
export class UnknownTableError extends QueryError {
  constructor(readonly table: string, message = `unknown table '${table}'`) {
    super(message, 'KQL4006');
  }
}

/** A tabular call to a function nobody defined (an ASIM parser no source provides): union isfuzzy=true passes over it. */
export class UnknownTabularFunctionError extends UnknownTableError {
  constructor(readonly fn: string) {
    super(`${fn}()`, `unknown function '${fn}': no function of that name is defined`);
  }
}
