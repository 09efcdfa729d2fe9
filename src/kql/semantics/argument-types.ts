/**
 * Argument type checks from Kusto.Language's own signatures (signatures/kusto-parameters.json, built by
 * scripts/build-kusto-symbols.ts): an argument whose type no signature of the function accepts at that
 * position is an error, as Kusto reports it (`todynamic(1)`, `ago("1d")`, `array_length("a")`).
 *
 * Never a false error: an argument is checked only when its type is certain. kqlite types what it cannot
 * know as dynamic, so a dynamic argument counts only when it surely is one (a dynamic literal, a member or
 * element of a dynamic value, a built-in that returns dynamic); a type computed from a dynamic argument
 * (`abs(d)`, `iff(c, d, 1)`) is a guess (Binder.guessed) and is not checked. Positions are only matched when
 * a signature has at most one optional or repeated parameter, and a position is an error only when every
 * signature that takes that many arguments rejects the type.
 */
import type { CallExpr, Expr, ScalarTypeName } from '../syntax/ast.js';
import type { Binder } from './binder.js';
import { SEMANTIC } from './codes.js';
import { lookupFunction } from './signatures/index.js';
import kustoParameters from './signatures/kusto-parameters.json' with { type: 'json' };

/** [accepted types ('|'-joined, '*' any), min, max occurrences] of one parameter. */
type Param = [string, number, number];
type Table = Record<string, Param[][]>;

/**
 * Where the documentation shows a call Kusto.Language rejects, the documented use wins (the engine runs it):
 * `count(x)` (summarize operator page: counts the rows, as count()) and make_timespan with fractional seconds
 * (`make_timespan(1, 12, 30, 55.123)`, make_timespan page).
 */
const DOCUMENTED_LENIENCY = new Set(['count', 'make_timespan']);

export function checkArgumentTypes(b: Binder, e: CallExpr, aggregate: boolean, types: ScalarTypeName[]): void {
  const name = e.name.name;
  if (DOCUMENTED_LENIENCY.has(name) || e.args.some((a) => a.kind === 'NamedArg')) return;
  const table = (aggregate ? kustoParameters.aggregates : kustoParameters.functions) as unknown as Table;
  const signatures = Object.hasOwn(table, name) ? table[name]! : undefined;
  if (!signatures) return;
  const n = e.args.length;
  const layouts: string[][] = [];
  for (const sig of signatures) {
    const layout = positions(sig, n);
    if (layout === undefined) continue;
    if (layout === null) return; // a layout kqlite cannot place arguments in: check nothing
    layouts.push(layout);
  }
  if (!layouts.length) return;
  e.args.forEach((a, i) => {
    const t = certainType(b, a as Expr, types[i]);
    if (!t || layouts.some((l) => l[i] === '*' || l[i]!.split('|').includes(t))) return;
    // a dynamic of unknown shape passes where a string is taken (Kusto.Language: todynamic(d.a) and
    // strlen(d) bind, todynamic(pack(...)), todynamic(dynamic({}).a) and ago(d.a) do not)
    if (t === 'dynamic' && dynamicShape(a as Expr) === 'plain' && layouts.some((l) => l[i]!.split('|').includes('string'))) return;
    const wanted = [...new Set(layouts.flatMap((l) => l[i]!.split('|')))].filter((x) => x !== 'int' || !layouts.some((l) => l[i]!.includes('long')));
    b.error(SEMANTIC.typeMismatch, `${aggregate ? 'aggregate' : 'function'} '${name}' takes ${describe(wanted)} as argument ${i + 1}, not ${t}`, a.span);
  });
}

/** Each argument's accepted types for n arguments; undefined when the signature does not take n; null when ambiguous. */
function positions(sig: Param[], n: number): string[] | undefined | null {
  const min = sig.reduce((s, p) => s + p[1], 0);
  const max = sig.reduce((s, p) => s + p[2], 0);
  if (n < min || n > max) return undefined;
  if (sig.filter((p) => p[1] !== p[2]).length > 1) return null;
  let extra = n - min;
  const out: string[] = [];
  for (const [accepts, lo, hi] of sig) {
    const take = lo + Math.min(extra, hi - lo);
    extra -= take - lo;
    for (let k = 0; k < take; k++) out.push(accepts);
  }
  return out;
}

/** The argument's type when kqlite is sure of it; undefined for a guess. */
function certainType(b: Binder, e: Expr, t: ScalarTypeName | undefined): ScalarTypeName | undefined {
  if (!t || b.guessed.has(e)) return undefined;
  if (t !== 'dynamic') return t;
  return surelyDynamic(e) ? t : undefined;
}

function surelyDynamic(e: Expr): boolean {
  return dynamicShape(e) !== undefined;
}

/**
 * Built-ins whose dynamic result has no known shape in Kusto.Language (parsed JSON, or the type of an
 * argument passed through), probed on it: unlike pack(), split() or parse_url(), which return an array or a
 * bag, their result may be a string.
 */
const PLAIN_DYNAMIC_RESULT = new Set(['parse_json', 'todynamic', 'toobject', 'array_concat', 'array_slice', 'iff', 'iif', 'coalesce', 'column_ifexists', 'case', 'min_of', 'max_of']);

/**
 * How sure kqlite is that an expression is dynamic: 'shaped' when it is a literal, a part of one or a built-in's
 * array or bag; 'plain' when it is dynamic of unknown shape (a member or element of a dynamic value, parsed
 * JSON); undefined when its dynamic type is only kqlite's guess.
 */
function dynamicShape(e: Expr): 'shaped' | 'plain' | undefined {
  switch (e.kind) {
    case 'Literal':
      return e.type === 'dynamic' ? 'shaped' : undefined;
    case 'ParenExpr':
      return dynamicShape(e.expr);
    case 'MemberExpr':
    case 'IndexExpr':
      if (e.target.kind === 'NameRef' && e.target.name.startsWith('$')) return undefined;
      return dynamicShape(e.target) === 'shaped' && rootIsLiteral(e.target) ? 'shaped' : 'plain';
    case 'CallExpr':
      if (lookupFunction(e.name.name)?.returns !== 'dynamic') return undefined;
      return PLAIN_DYNAMIC_RESULT.has(e.name.name) ? 'plain' : 'shaped';
    default:
      return undefined;
  }
}

function rootIsLiteral(e: Expr): boolean {
  if (e.kind === 'MemberExpr' || e.kind === 'IndexExpr') return rootIsLiteral(e.target);
  if (e.kind === 'ParenExpr') return rootIsLiteral(e.expr);
  return e.kind === 'Literal';
}

function describe(types: string[]): string {
  if (types.length === 1) return `a ${types[0]}`;
  return `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
}
