/**
 * Values for `declare query_parameters(...)` supplied by the caller (Kusto's REST `properties.Parameters`):
 * strings arrive as they are, longs as numbers or digits, every other type as a KQL literal in text
 * (`datetime(2024-01-01)`, `dynamic([1,2])`, `2h`). A value is read as one literal of the declared type and
 * nothing else, so a parameter can never smuggle query text in.
 */
import { parse, type Expr, type ScalarTypeName } from '../kql/syntax/index.js';
import { literalValue } from './compile/expr.js';
import { QueryError, type Value } from './values/value.js';

export type QueryParameterValues = Readonly<Record<string, unknown>>;

function literalOf(text: string): Expr | undefined {
  const { script, diagnostics } = parse(`print ${text}`);
  if (diagnostics.some((d) => d.severity === 'error') || script.statements.length !== 1) return undefined;
  const st = script.statements[0]!;
  if (st.kind !== 'QueryStatement' || st.expr.kind !== 'PrintExpr' || st.expr.columns.length !== 1) return undefined;
  const c = st.expr.columns[0]!;
  if (c.names.length) return undefined;
  return c.expr;
}

function negated(e: Expr): { lit: Expr; negative: boolean } {
  if (e.kind === 'UnaryExpr' && e.op === '-') return { lit: e.operand, negative: true };
  return { lit: e, negative: false };
}

/** The value of parameter `name` of `type` from what the caller sent; a QueryError when it is not one. */
export function queryParameterValue(name: string, type: ScalarTypeName, given: unknown): Value {
  const bad = () => new QueryError(`query parameter '${name}' is declared ${type}, and ${JSON.stringify(given)?.slice(0, 100)} is not a ${type} literal`, 'KQL4010');
  if (given === null) return null;
  if (type === 'string') {
    if (typeof given !== 'string') throw bad();
    return given;
  }
  if ((type === 'long' || type === 'int' || type === 'real') && typeof given === 'number') {
    if (type !== 'real' && !Number.isInteger(given)) throw bad();
    return given;
  }
  if (type === 'bool' && typeof given === 'boolean') return given;
  if (typeof given !== 'string') throw bad();
  const e = literalOf(given);
  if (!e) throw bad();
  const { lit, negative } = negated(e);
  if (lit.kind !== 'Literal') throw bad();
  const numeric = type === 'long' || type === 'int' || type === 'real' || type === 'decimal';
  const fits = lit.type === type || (numeric && (lit.type === 'long' || lit.type === 'int' || lit.type === 'real' || lit.type === 'decimal'));
  if (!fits || (negative && !numeric && type !== 'timespan')) throw bad();
  const v = literalValue(lit);
  if (!negative || v === null) return v;
  if (typeof v === 'number') return -v;
  if (typeof v === 'bigint') return -v;
  throw bad();
}
