/**
 * Functions whose result is several columns when they are a whole column expression of `print`, `extend`
 * or `project`: `print array_sort_asc(a1, a2)` gives `a1_sorted` and `a2_sorted`, `project series_stats(x)`
 * gives `series_stats_x_min` ... `series_stats_x_variance`, and `extend (lo, hi) = f(...)` or `extend lo = f(...)`
 * names the first ones.
 * Used elsewhere (`array_sort_asc(a, b)[1]`) the same call is one dynamic value; the engine evaluates it that
 * way and takes column k from element/key k (engine/operators/multi-column.ts).
 */
import type { Expr } from '../syntax/ast.js';
import type { ScalarTypeName } from '../syntax/ast.js';
import { implicitName } from './naming.js';

export interface ExpandedColumn {
  name: string;
  type: ScalarTypeName;
  /** Where the column's value sits in the call's dynamic result: an array index or a property name. */
  key: number | string;
}

/** series_stats' columns, in the reference's order. */
const SERIES_STATS: [string, ScalarTypeName][] = [
  ['min', 'real'], ['min_idx', 'long'], ['max', 'real'], ['max_idx', 'long'], ['avg', 'real'], ['stdev', 'real'], ['variance', 'real'],
];

/** Functions whose result is a bag of named parts (kql's series_decompose family), in the reference's order. */
const PARTS: Record<string, [string, ScalarTypeName][]> = {
  series_decompose: [['baseline', 'dynamic'], ['seasonal', 'dynamic'], ['trend', 'dynamic'], ['residual', 'dynamic']],
  series_decompose_anomalies: [['ad_flag', 'dynamic'], ['ad_score', 'dynamic'], ['baseline', 'dynamic']],
  series_fit_2lines: [
    ['rsquare', 'real'], ['split_idx', 'long'], ['variance', 'real'], ['rvariance', 'real'], ['line_fit', 'dynamic'],
    ['right_rsquare', 'real'], ['right_slope', 'real'], ['right_interception', 'real'], ['right_variance', 'real'], ['right_rvariance', 'real'],
    ['left_rsquare', 'real'], ['left_slope', 'real'], ['left_interception', 'real'], ['left_variance', 'real'], ['left_rvariance', 'real'],
  ],
  series_fit_line: [['rsquare', 'real'], ['slope', 'real'], ['variance', 'real'], ['rvariance', 'real'], ['interception', 'real'], ['line_fit', 'dynamic']],
  series_fit_poly: [['rsquare', 'real'], ['coefficients', 'dynamic'], ['variance', 'real'], ['rvariance', 'real'], ['poly_fit', 'dynamic']],
  series_fft: [['real', 'dynamic'], ['imag', 'dynamic']],
  series_ifft: [['real', 'dynamic'], ['imag', 'dynamic']],
  series_periods_detect: [['periods', 'dynamic'], ['scores', 'dynamic']],
  series_periods_validate: [['periods', 'dynamic'], ['scores', 'dynamic']],
};

/**
 * The columns an assignment's expression expands into, or undefined for an ordinary single column.
 * `names` are the names written before `=` (none, one, or a parenthesised list).
 */
export function multiColumnResult(e: Expr, names: readonly string[]): ExpandedColumn[] | undefined {
  if (e.kind !== 'CallExpr') return undefined;
  const fn = e.name.name.toLowerCase();
  const args = e.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  let cols: ExpandedColumn[] | undefined;
  if (PARTS[fn] && args[0]) {
    const base = `${fn}_${implicitName(args[0]) ?? ''}`.replace(/_$/, '');
    cols = PARTS[fn]!.map(([k, type]) => ({ name: `${base}_${k}`, type, key: k }));
  } else if (fn === 'series_stats' && args[0]) {
    const base = `series_stats_${implicitName(args[0]) ?? ''}`.replace(/_$/, '');
    cols = SERIES_STATS.map(([k, type]) => ({ name: `${base}_${k}`, type, key: k }));
  } else if (fn === 'array_sort_asc' || fn === 'array_sort_desc') {
    // a trailing bool literal is nulls_last, not an array; one array stays one column
    const last = args[args.length - 1];
    const arrays = last && last.kind === 'Literal' && last.type === 'bool' ? args.slice(0, -1) : args;
    if (arrays.length < 2) return undefined;
    // an array argument without a name of its own: kqlite names it by position (the reference shows only named ones)
    cols = arrays.map((a, i) => ({ name: `${implicitName(a) ?? `array${i + 1}`}_sorted`, type: 'dynamic' as ScalarTypeName, key: i }));
  }
  if (!cols) return undefined;
  // the names written replace the first generated ones and the rest keep theirs, one name too
  // (Kusto.Language: `a = series_stats(s)` is a:real then series_stats_s_min_idx ...; `extend anomalies =
  // series_decompose_anomalies(y)` is the flags column plus its score and baseline columns)
  return cols.map((c, i) => ({ ...c, name: names[i] ?? c.name }));
}
