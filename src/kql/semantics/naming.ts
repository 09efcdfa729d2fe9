/**
 * How Kusto names result columns that the query does not name: `count_`, `sum_x`, `max_Timestamp`,
 * `print_0`, `Column1`, a column reference keeps its name, `bin(Timestamp, 1h)` keeps `Timestamp`,
 * `d.x` becomes `d_x`, and a clash gets a numeric suffix (`x1`).
 */
import type { ColumnAssignment, Expr } from '../syntax/ast.js';
import { lookupAggregate } from './signatures/index.js';
import type { ColumnSchema } from './types.js';

/** The name an expression gives its column when unnamed, or undefined when Kusto falls back to ColumnN. */
export function implicitName(e: Expr): string | undefined {
  switch (e.kind) {
    case 'NameRef':
      return e.name;
    case 'ParenExpr':
      return implicitName(e.expr);
    case 'MemberExpr': {
      const base = implicitName(e.target);
      return base === undefined ? undefined : `${base}_${e.name.name}`;
    }
    case 'IndexExpr': {
      const base = implicitName(e.target);
      const idx = e.index.kind === 'Literal' && typeof e.index.value === 'string' ? e.index.value : undefined;
      return base !== undefined && idx !== undefined ? `${base}_${idx}` : undefined;
    }
    case 'CallExpr': {
      const fn = e.name.name.toLowerCase();
      const first = e.args[0];
      let firstName = first && first.kind !== 'NamedArg' ? implicitName(first) : undefined;
      if (NAME_FORWARDING.has(fn)) return firstName;
      if ((fn === 'percentile_tdigest' || fn === 'dcount_hll') && firstName !== undefined) return `${fn}_${firstName}`;
      const agg = lookupAggregate(fn);
      if (agg?.namePrefix) {
        if (agg.namePrefix === '-') return firstName;
        // an aggregate over a conversion of a column is named by the column (buildschema(todynamic(tostring(x))) → schema_x)
        if (firstName === undefined && first && first.kind === 'CallExpr') firstName = convertedColumnName(first);
        if (fn === 'countif' || (fn === 'count' && firstName === undefined)) return agg.namePrefix;
        if (fn === 'percentile' || fn === 'percentilew') {
          const p = e.args[fn === 'percentile' ? 1 : 2];
          const pv = p && p.kind === 'Literal' ? String(p.value).replace('.', '_') : '';
          return `${agg.namePrefix}${firstName ?? ''}_${pv}`;
        }
        if (fn.startsWith('covariance')) {
          // covariance(x, y) → covariance_x_y
          const second = e.args[1] && e.args[1].kind !== 'NamedArg' ? implicitName(e.args[1]) : undefined;
          return `${agg.namePrefix}${firstName ?? ''}_${second ?? ''}`;
        }
        return `${agg.namePrefix}${firstName ?? ''}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Functions whose result keeps the name of the column they are applied to (`tostring(X)`, `todynamic(X)`,
 * `split(X, ',')`, `bin(T, 1h)`, `round(x)` are all named by their first argument): Kusto.Language's
 * functions with the first-argument result-name rule.
 */
const NAME_FORWARDING = new Set([
  'split', 'tostring', 'tohex', 'todynamic', 'toobject', 'tolong', 'toint', 'toreal', 'todouble', 'todatetime', 'totimespan',
  'totime', 'tobool', 'toboolean', 'todecimal', 'toguid', 'parse_csv', 'parsejson', 'parse_json', 'parse_xml', 'format_datetime',
  'format_timespan', 'startofday', 'bin', 'floor', 'bin_at', 'bin_auto', 'binary_and', 'binary_or', 'binary_xor', 'binary_not',
  'binary_shift_right', 'binary_shift_left', 'bitset_count_ones', 'series_fir', 'series_outliers', 'series_iir',
  'series_fill_backward', 'series_fill_forward', 'series_fill_const', 'series_fill_linear', 'round', 'ceiling', 'pow', 'sqrt',
  'log', 'log2', 'log10', 'exp', 'exp2', 'exp10', 'cos', 'sin', 'tan', 'acos', 'asin', 'atan', 'atan2', 'abs', 'rand', 'gamma',
  'loggamma', 'erf', 'erfc', 'format_bytes',
]);

/**
 * The columns mv-expand / mv-apply items write: the item's name, else its implicit name (`todynamic(X)`
 * expands X in place), else Column1, Column2, ... skipping names the input already has. The binder and
 * the engine both name items with this, so they cannot disagree.
 */
export function mvItemNames(items: readonly { name?: { name: string }; expr: Expr }[], inputNames: readonly string[]): string[] {
  const taken = new Set(inputNames);
  let n = 0;
  return items.map((it) => {
    const name = it.name?.name ?? implicitName(it.expr);
    if (name !== undefined) return name;
    let fallback: string;
    do fallback = `Column${++n}`;
    while (taken.has(fallback));
    taken.add(fallback);
    return fallback;
  });
}

const CONVERSIONS = new Set(['tostring', 'todynamic', 'parse_json', 'toobject', 'tolong', 'toint', 'toreal', 'todouble', 'todecimal', 'tobool', 'toboolean', 'todatetime', 'totimespan', 'toguid']);

/** The column a chain of conversion calls applies to (`todynamic(tostring(x))` → x), if any. */
function convertedColumnName(e: Expr): string | undefined {
  if (e.kind !== 'CallExpr' || !CONVERSIONS.has(e.name.name.toLowerCase())) return undefined;
  const arg = e.args[0];
  if (!arg || arg.kind === 'NamedArg') return undefined;
  return arg.kind === 'CallExpr' ? convertedColumnName(arg) : implicitName(arg);
}

/** Adds a column, replacing one of the same name (extend semantics). */
export function upsertColumn(cols: ColumnSchema[], col: ColumnSchema): void {
  const i = cols.findIndex((c) => c.name === col.name);
  if (i >= 0) cols[i] = col;
  else cols.push(col);
}

/** A unique name: `x`, then `x1`, `x2` ... (how Kusto de-duplicates result columns). */
export function uniqueName(cols: readonly ColumnSchema[], name: string): string {
  if (!cols.some((c) => c.name === name)) return name;
  for (let i = 1; ; i++) if (!cols.some((c) => c.name === `${name}${i}`)) return `${name}${i}`;
}

/** Names for an assignment list: explicit names, implicit names, or `prefix` + counter (Column1, print_0). */
export function assignmentName(a: ColumnAssignment, fallback: () => string): string {
  return a.names[0]?.name ?? implicitName(a.expr) ?? fallback();
}
