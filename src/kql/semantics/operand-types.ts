/**
 * Operand types of the comparison and string operators, as Kusto.Language defines them (probed on it, every
 * scalar type on each side): `and` / `or` take bools; `<` `<=` `>` `>=` order numbers (bool counts as one), dates and timespans but
 * not strings; `between` the same without bool; the `has` family wants a string term on the right; the
 * `contains` family, `=~`, `like` and `matches regex` take strings on both sides; `has_any` / `has_all` a string
 * on the left; `==`, `!=` and `in` take any pair.
 * A pair outside these is an error there (KS106), so it is here.
 *
 * Never a false error: only operands whose type kqlite is sure of are checked (not dynamic, not a type
 * computed from a dynamic value).
 */
import type { BetweenExpr, BinaryExpr, Expr, InExpr, ScalarTypeName } from '../syntax/ast.js';
import type { Binder } from './binder.js';
import { SEMANTIC } from './codes.js';

const ORDERING = new Set(['<', '<=', '>', '>=']);
const NUMERIC = new Set<ScalarTypeName>(['int', 'long', 'real', 'decimal']);
const STRING_BOTH_SIDES = /^!?(contains|startswith|endswith|notcontains|notstartswith|containscs|notcontainscs)(_cs)?$|^(=~|!~|like|notlike|likecs|notlikecs|matches regex)$/;
const HAS_FAMILY = /^!?(has|hasprefix|hassuffix)(_cs)?$/;

function orders(l: ScalarTypeName, r: ScalarTypeName, boolIsNumber: boolean): boolean {
  const num = (t: ScalarTypeName) => NUMERIC.has(t) || (boolIsNumber && t === 'bool');
  return (num(l) && num(r)) || (l === r && (l === 'datetime' || l === 'timespan'));
}

function sure(b: Binder, e: Expr, t: ScalarTypeName): boolean {
  return t !== 'dynamic' && !b.guessed.has(e) && !holdsSyntaxError(e, 3);
}

/** An operand the parser could not read (in part) has no type to judge: its syntax error is the one to report. */
function holdsSyntaxError(e: Expr, depth: number): boolean {
  if (e.kind === 'ErrorExpr') return true;
  if (depth === 0) return false;
  switch (e.kind) {
    case 'BinaryExpr':
      return holdsSyntaxError(e.left, depth - 1) || holdsSyntaxError(e.right, depth - 1);
    case 'InExpr':
      // an empty list is where the parser gave up on one (`x has_all has_any (...)`)
      return e.right.length === 0 || holdsSyntaxError(e.left, depth - 1) || e.right.some((x) => holdsSyntaxError(x, depth - 1));
    case 'ParenExpr':
      return holdsSyntaxError(e.expr, depth - 1);
    default:
      return false;
  }
}

/** Reports a binary operator whose operands' (certain) types Kusto.Language does not define it for. */
export function checkOperandTypes(b: Binder, e: BinaryExpr, l: ScalarTypeName, r: ScalarTypeName): void {
  const lSure = sure(b, e.left, l);
  const rSure = sure(b, e.right, r);
  let ok = true;
  if (e.op === 'and' || e.op === 'or') ok = (!lSure || l === 'bool') && (!rSure || r === 'bool');
  else if (ORDERING.has(e.op)) ok = !(lSure && rSure) || orders(l, r, true);
  else if (HAS_FAMILY.test(e.op)) ok = (!lSure || l === 'string') && (!rSure || r === 'string');
  else if (STRING_BOTH_SIDES.test(e.op)) ok = (!lSure || l === 'string') && (!rSure || r === 'string');
  if (!ok) b.error(SEMANTIC.typeMismatch, `operator '${e.op}' is not defined for ${l} and ${r}`, e.opSpan);
}

/** `x has_any (...)` / `has_all`: the left side is searched as text, so a string or dynamic (any type for `in`). */
export function checkInTypes(b: Binder, e: InExpr, left: ScalarTypeName): void {
  if (/^has_(any|all)/.test(e.op) && sure(b, e.left, left) && left !== 'string') {
    b.error(SEMANTIC.typeMismatch, `operator '${e.op}' takes a string or dynamic on its left, not ${left}`, e.left.span);
  }
}

/** `x between (lo .. hi)`: x and lo must order (numbers, dates or timespans); hi may be a timespan after a date. */
export function checkBetweenTypes(b: Binder, e: BetweenExpr, x: ScalarTypeName, lo: ScalarTypeName): void {
  if (sure(b, e.left, x) && sure(b, e.low, lo) && !orders(x, lo, false)) {
    b.error(SEMANTIC.typeMismatch, `'between' is not defined for ${x} and ${lo}`, e.span);
  }
}
