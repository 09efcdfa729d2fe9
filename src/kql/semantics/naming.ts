/**
 * How Kusto names result columns that the query does not name: `count_`, `sum_x`, `any_x`, `strlen_x`,
 * `print_0`, `Column1`, a column reference keeps its name, `bin(Timestamp, 1h)`, `tostring(x)` and
 * `startofday(x)` keep the name of their first argument, `d.x` becomes `d_x` and `d[0]` `d_0`, and a clash
 * gets a numeric suffix (`x1`). How each function names its column is Kusto.Language's own fact
 * (signatures/kusto-symbols.json: its ResultNameKind and prefix per function); the binder and the engine
 * both name columns here, so they cannot disagree.
 */
import type { ColumnAssignment, Expr, NamedArg } from '../syntax/ast.js';
import { unparen } from '../syntax/walk.js';
import { lookupAggregate } from './signatures/index.js';
import kustoSymbols from './signatures/kusto-symbols.json' with { type: 'json' };
import type { ColumnSchema } from './types.js';

type NamingEntry = [string, string, string | null, string | null];

/** Kusto.Language's result naming per function and aggregate name (lower case), aggregates winning. */
const KUSTO_NAMING: ReadonlyMap<string, { kind: string; prefix: string | null }> = new Map(
  [...(kustoSymbols.functions as NamingEntry[]), ...(kustoSymbols.aggregates as NamingEntry[])].map(([name, kind, prefix]) => [name.toLowerCase(), { kind, prefix }]),
);

/** The name a call gives its column by Kusto.Language's ResultNameKind, or undefined (then: other rules). */
function kustoCallName(fn: string, args: readonly (Expr | NamedArg)[], argName: (e: Expr) => string | undefined): string | undefined {
  const n = KUSTO_NAMING.get(fn);
  if (!n) return undefined;
  // a named argument names the column too (`toint(Compliant = dcountif(...))` → Compliant, as in Kusto)
  const positional = args;
  const first = positional[0] ? (positional[0].kind === 'NamedArg' ? positional[0].name.name : argName(positional[0])) : undefined;
  const only = positional.length === 1;
  switch (n.kind) {
    case 'first-argument':
      return first;
    case 'only-argument':
      return only ? first : undefined;
    case 'name-and-first-argument':
      return `${fn}_${first ?? ''}`;
    case 'name-and-only-argument':
      return only ? `${fn}_${first ?? ''}` : undefined;
    case 'prefix-and-first-argument':
      return `${n.prefix}_${first ?? ''}`;
    case 'prefix-and-only-argument':
      return only ? `${n.prefix}_${first ?? ''}` : undefined;
    case 'prefix-only':
      return n.prefix ?? undefined;
    case 'first-argument-value-if-column': {
      const a = positional[0];
      return a && a.kind === 'Literal' && typeof a.value === 'string' ? a.value : undefined;
    }
    default:
      return undefined;
  }
}

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
      // d["k"] → d_k, d[0] → d_0 (a negative or computed index names nothing)
      const base = implicitName(e.target);
      const i = e.index;
      const idx = i.kind === 'Literal' && (typeof i.value === 'string' || ((i.type === 'long' || i.type === 'int') && /^\d+$/.test(i.text))) ? (typeof i.value === 'string' ? i.value : i.text) : undefined;
      return base !== undefined && idx !== undefined ? `${base}_${idx}` : undefined;
    }
    case 'CallExpr': {
      const fn = e.name.name.toLowerCase();
      const first = e.args[0];
      let firstName = first && first.kind !== 'NamedArg' ? implicitName(first) : undefined;
      const agg = lookupAggregate(fn);
      // named as Kusto.Language names it, but for what its naming leaves open (arg_max, take_any and the
      // percentiles keep or build their own names, below) and covariance*, whose documented output is
      // covariance_x_y where Kusto.Language says covariance_x
      const kusto = KUSTO_NAMING.get(fn);
      if (kusto && kusto.kind !== 'none' && !fn.startsWith('covariance')) return kustoCallName(fn, e.args, implicitName);
      if (!agg && kusto) return undefined;
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
export function uniqueName(cols: readonly { name: string }[], name: string): string {
  if (!cols.some((c) => c.name === name)) return name;
  for (let i = 1; ; i++) if (!cols.some((c) => c.name === `${name}${i}`)) return `${name}${i}`;
}

/** Names for an assignment list: explicit names, implicit names, or `prefix` + counter (Column1, print_0). */
export function assignmentName(a: ColumnAssignment, fallback: () => string): string {
  return a.names[0]?.name ?? implicitName(a.expr) ?? fallback();
}

/**
 * The input columns a summarize's group keys are: `by a`, `by x = a`, and `by tostring(s)` of a string
 * column. arg_max/arg_min's `*` leaves exactly these out; a key computed from a column (`bin(Timestamp, 1h)`,
 * `tostring(d)` of a dynamic) is a new column, so `*` keeps the input's, suffixed (`Timestamp1`), as
 * Kusto.Language has it. The binder and the engine both ask here.
 */
export function keyColumnsOf(by: readonly ColumnAssignment[], typeOf: (name: string) => string | undefined): Set<string> {
  const out = new Set<string>();
  for (const a of by) {
    const e = unparen(a.expr);
    if (e.kind === 'NameRef') out.add(e.name);
    else if (e.kind === 'CallExpr' && e.name.name === 'tostring' && e.args.length === 1) {
      const x = e.args[0]!;
      if (x.kind === 'NameRef' && typeOf(x.name) === 'string') out.add(x.name);
    }
  }
  return out;
}

/**
 * The input columns mv-apply expands in place: items written as a bare column (`mv-apply x on ...`). A named
 * item (`mv-apply x = x on ...`, `y = x`) leaves its source column in the output beside the subquery's
 * columns, as Kusto.Language has it. The binder and the engine both ask here.
 */
export function mvApplyInPlace(items: readonly { name?: { name: string }; expr: Expr }[]): Set<string> {
  const out = new Set<string>();
  for (const it of items) {
    const e = unparen(it.expr);
    if (!it.name && e.kind === 'NameRef') out.add(e.name);
  }
  return out;
}

/**
 * The right side's column names in a join's (or lookup's) output: a name the left side also has takes the
 * first `name1`, `name2` ... that neither side uses (nor an earlier renamed column), so a right column already
 * called `t1` keeps its name and the right's `t` becomes `t2`, as Kusto.Language names them.
 */
export function joinRightNames(left: readonly string[], right: readonly string[]): string[] {
  const leftNames = new Set(left);
  const taken = new Set([...left, ...right]);
  return right.map((n) => {
    if (!leftNames.has(n)) return n;
    let i = 1;
    while (taken.has(`${n}${i}`)) i++;
    taken.add(`${n}${i}`);
    return `${n}${i}`;
  });
}
