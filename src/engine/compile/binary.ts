/**
 * Binary operators, `in`/`has_any` lists and `between`, with Kusto's semantics (three-valued logic, long
 * division truncating toward zero, tick arithmetic). Fast paths: a string operator whose left side is a
 * dictionary-encoded column and whose right side is constant is evaluated once per DISTINCT string, then
 * rows are selected by dictionary code; datetime comparisons against a constant read the tick arrays.
 */
import type { BetweenExpr, BinaryExpr, Expr, InExpr, ScalarTypeName } from '../../kql/syntax/ast.js';
import { readCell } from '../storage/builders.js';
import { isValid, type Column } from '../storage/column.js';
import { compareValues, valuesEqual } from '../values/compare.js';
import { has, hasListTest, hasPrefix, hasSuffix } from '../values/terms.js';
import { splitTicks } from '../values/ticks.js';
import { QueryError, type Value } from '../values/value.js';
import { addLong, divLong, modLong, mulLong, subLong, wrapInt, type Long } from '../values/long.js';
import { regexTest } from '../functions/regex.js';
import type { Compiled } from './env.js';
import { columnReader, compileExpr, constant, type CompileScope } from './expr.js';
import { valueToString } from '../values/format.js';
import { columnOf, type Relation } from './relation.js';
import { tickBetween } from './tick-between.js';

type StringTest = (s: string, needle: string) => boolean;

const lower = (s: string) => s.toLowerCase();

/** String operators as (haystack, needle) tests; negated forms are derived. */
const STRING_TESTS: Record<string, StringTest> = {
  has: (a, b) => has(a, b),
  has_cs: (a, b) => has(a, b, true),
  hasprefix: (a, b) => hasPrefix(a, b),
  hasprefix_cs: (a, b) => hasPrefix(a, b, true),
  hassuffix: (a, b) => hasSuffix(a, b),
  hassuffix_cs: (a, b) => hasSuffix(a, b, true),
  contains: (a, b) => lower(a).includes(lower(b)),
  contains_cs: (a, b) => a.includes(b),
  containscs: (a, b) => a.includes(b),
  startswith: (a, b) => lower(a).startsWith(lower(b)),
  startswith_cs: (a, b) => a.startsWith(b),
  endswith: (a, b) => lower(a).endsWith(lower(b)),
  endswith_cs: (a, b) => a.endsWith(b),
  '=~': (a, b) => lower(a) === lower(b),
  'matches regex': (a, b) => regexTest(b, a),
  like: (a, b) => likeTest(a, b, false),
  likecs: (a, b) => likeTest(a, b, true),
};

function likeTest(a: string, pattern: string, cs: boolean): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', cs ? 's' : 'is');
  return re.test(a);
}

function stringTestFor(op: string): { test: StringTest; negate: boolean } | undefined {
  if (op === '!~') return { test: STRING_TESTS['=~']!, negate: true };
  if (op === 'notlike') return { test: STRING_TESTS['like']!, negate: true };
  if (op === 'notlikecs') return { test: STRING_TESTS['likecs']!, negate: true };
  if (op === 'notcontains') return { test: STRING_TESTS['contains']!, negate: true };
  if (op === 'notcontainscs') return { test: STRING_TESTS['contains_cs']!, negate: true };
  const neg = op.startsWith('!');
  const t = STRING_TESTS[neg ? op.slice(1) : op];
  return t ? { test: t, negate: neg } : undefined;
}

/**
 * Lower-cased dictionary strings, made once per dictionary and shared by every case-insensitive test of it: a
 * hunt of thousands of rules tests one column's strings thousands of times, and lower-casing each string for
 * each test was most of the work.
 */
const LOWERED = new WeakMap<string[], string[]>();

/** Case-insensitive operators on lower-cased text (the needle lower-cased once). */
const LOWER_TESTS: Record<string, (low: string, needle: string) => boolean> = {
  contains: (a, b) => a.includes(b),
  startswith: (a, b) => a.startsWith(b),
  endswith: (a, b) => a.endsWith(b),
  '=~': (a, b) => a === b,
};

/** A test of dictionary code c on its lower-cased string, the lower-cased forms kept with the dictionary. */
function loweredDictionaryTest(dict: string[], test: (low: string) => boolean): (c: number) => boolean {
  let low = LOWERED.get(dict);
  if (!low) LOWERED.set(dict, (low = []));
  const memo = low;
  return (c) => test(memo[c] ??= dict[c]!.toLowerCase());
}

/** Per-dictionary-code match table (each code tested once) over a test of the code. */
function dictionaryCodePredicate(dict: string[], codes: Int32Array, test: (c: number) => boolean): (r: number) => boolean {
  const memo = new Int8Array(dict.length);
  return (r) => {
    const c = codes[r]!;
    if (c >= memo.length) return test(c);
    let m = memo[c]!;
    if (m === 0) {
      m = test(c) ? 1 : 2;
      memo[c] = m;
    }
    return m === 1;
  };
}

/** A per-dictionary-code match table, built lazily (each distinct string tested once). */
function dictionaryPredicate(dict: string[], codes: Int32Array, test: (s: string) => boolean): (r: number) => boolean {
  const memo = new Int8Array(dict.length); // 0 unknown, 1 true, 2 false
  return (r) => {
    const c = codes[r]!;
    // a dictionary that grew after compiling (scan's working columns): strings past the memo are tested directly
    if (c >= memo.length) return test(dict[c]!);
    let m = memo[c]!;
    if (m === 0) {
      m = test(dict[c]!) ? 1 : 2;
      memo[c] = m;
    }
    return m === 1;
  };
}

function asString(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * `* has "x"` (and search/find's bare terms): true when any column of the row passes the string test;
 * string columns are tested once per distinct string, other columns on their text.
 */
function anyColumn(st: { test: StringTest; negate: boolean }, right: Compiled, s: CompileScope): Compiled {
  const cols = s.rel.columns.slice(0, s.rowColumns ?? s.rel.columns.length).map((c) => c.column);
  const needleOf = right.eval;
  const constantNeedle = right.constant ? asString(right.eval(0)) : undefined;
  const tests = cols.map((col): ((r: number, needle: string) => boolean) => {
    if (col.type === 'string' && constantNeedle !== undefined) {
      const pred = dictionaryPredicate(col.dict, col.codes, (x) => st.test(x, constantNeedle));
      return (r) => pred(r);
    }
    const read = columnReader(col);
    return (r, needle) => {
      const v = read(r);
      return v !== null && st.test(col.type === 'dynamic' || col.type === 'string' ? asString(v) : valueToString(v, col.type), needle);
    };
  });
  return {
    type: 'bool',
    eval: (r) => {
      const needle = constantNeedle ?? asString(needleOf(r));
      let hit = false;
      for (let k = 0; k < tests.length && !hit; k++) hit = tests[k]!(r, needle);
      return st.negate ? !hit : hit;
    },
  };
}

export function compileBinary(e: BinaryExpr, s: CompileScope, type: ScalarTypeName): Compiled {
  const op = e.op;
  if (op === 'and' || op === 'or') {
    const l = compileExpr(e.left, s).eval;
    const r = compileExpr(e.right, s).eval;
    if (op === 'and') return { type: 'bool', eval: (i) => { const a = l(i); if (a === false) return false; const b = r(i); if (b === false) return false; return a === null || b === null ? null : true; } };
    return { type: 'bool', eval: (i) => { const a = l(i); if (a === true) return true; const b = r(i); if (b === true) return true; return a === null || b === null ? null : false; } };
  }
  const st = stringTestFor(op);
  if (st && e.left.kind === 'StarExpr') return anyColumn(st, compileExpr(e.right, s), s);
  if (st) {
    const right = compileExpr(e.right, s);
    const leftCol = e.left.kind === 'NameRef' ? columnOf(s.rel, e.left.name) : undefined;
    if (right.constant && leftCol && leftCol.type === 'string') {
      const needle = asString(right.eval(0));
      const base = op === '!~' ? '=~' : op === 'notcontains' ? 'contains' : op.startsWith('!') ? op.slice(1) : op;
      const lowerTest = LOWER_TESTS[base];
      if (lowerTest) {
        const n = needle.toLowerCase();
        const pred = dictionaryCodePredicate(leftCol.dict, leftCol.codes, loweredDictionaryTest(leftCol.dict, (low) => lowerTest(low, n)));
        return { type: 'bool', eval: st.negate ? (r) => !pred(r) : pred };
      }
      const pred = dictionaryPredicate(leftCol.dict, leftCol.codes, (x) => st.test(x, needle));
      return { type: 'bool', eval: st.negate ? (r) => !pred(r) : pred };
    }
    const left = compileExpr(e.left, s);
    const l = left.eval;
    const r = right.eval;
    return { type: 'bool', eval: (i) => { const res = st.test(asString(l(i)), asString(r(i))); return st.negate ? !res : res; } };
  }
  const left = compileExpr(e.left, s);
  const right = compileExpr(e.right, s);
  const fast = tickComparison(e, s, left, right);
  if (fast) return fast;
  const l = left.eval;
  const r = right.eval;
  const cmp = comparison(op);
  if (cmp) {
    // string == / != on a dictionary column against a constant: once per distinct string
    const leftCol = e.left.kind === 'NameRef' ? columnOf(s.rel, e.left.name) : undefined;
    if ((op === '==' || op === '!=' || op === '<>') && right.constant && leftCol?.type === 'string') {
      const v = right.eval(0);
      if (v === null) return constant('bool', op !== '==');
      const needle = asString(v);
      const pred = dictionaryPredicate(leftCol.dict, leftCol.codes, (x) => x === needle);
      return { type: 'bool', eval: op === '==' ? pred : (i) => !pred(i) };
    }
    return { type: 'bool', eval: (i) => cmp(l(i), r(i)) };
  }
  const lt = left.type;
  const rtp = right.type;
  const longFast = type === 'long' && lt === 'long' && rtp === 'long' ? longFastPath(op, l, r) : undefined;
  const res: Compiled = { type, eval: longFast ?? ((i) => arithmetic(op, l(i), r(i), lt, rtp, type)) };
  if (left.constant && right.constant) return constant(type, res.eval(0));
  return res;
}

const SAFE = 9007199254740991;

/**
 * long + - * / % long, the common case: plain float arithmetic while both operands are numbers (safe integers)
 * and the result stays within ±2^53; anything else takes the exact path (values/long.ts).
 */
function longFastPath(op: string, l: (i: number) => Value, r: (i: number) => Value): ((i: number) => Value) | undefined {
  const exact = (a: Value, b: Value): Value => (a === null || b === null ? null : integerArithmetic(op, a as Long, b as Long));
  switch (op) {
    case '+':
      return (i) => { const a = l(i), b = r(i); if (typeof a === 'number' && typeof b === 'number') { const x = a + b; if (x <= SAFE && x >= -SAFE) return x; } return exact(a, b); };
    case '-':
      return (i) => { const a = l(i), b = r(i); if (typeof a === 'number' && typeof b === 'number') { const x = a - b; if (x <= SAFE && x >= -SAFE) return x; } return exact(a, b); };
    case '*':
      return (i) => { const a = l(i), b = r(i); if (typeof a === 'number' && typeof b === 'number') { const x = a * b; if (x <= SAFE && x >= -SAFE) return x === 0 ? 0 : x; } return exact(a, b); };
    case '/':
      return (i) => { const a = l(i), b = r(i); if (typeof a === 'number' && typeof b === 'number') return b === 0 ? null : Math.trunc(a / b) || 0; return exact(a, b); };
    case '%':
      return (i) => { const a = l(i), b = r(i); if (typeof a === 'number' && typeof b === 'number') { if (b === 0) return null; const m = a % b; return m < 0 ? m + Math.abs(b) : m || 0; } return exact(a, b); };
    default:
      return undefined;
  }
}

/**
 * A left-leaning chain of binary operators (`x+x+…+x`, `a and b and …`; Kusto takes thousands): the bottom
 * operator compiles as usual (with its fast paths), the ones above become steps applied in a loop, so
 * neither compiling nor evaluating a row recurses once per operator. Each step is exactly what
 * compileBinary's general path computes for that operator; constant arithmetic still folds.
 */
export function compileBinaryChain(top: BinaryExpr, s: CompileScope): Compiled {
  const chain: BinaryExpr[] = [];
  let x: Expr = top;
  // an aggregate's result column may stand for an inner node (summarize's substitutes): the chain ends there
  while (x.kind === 'BinaryExpr' && (x === top || !s.substitute?.has(x))) {
    chain.push(x);
    x = x.left;
  }
  const bottom = chain.pop()!;
  let acc = compileBinary(bottom, s, s.rt.bound.typeOf(bottom) ?? 'dynamic');
  const steps: ((a: Value, row: number) => Value)[] = [];
  let type = acc.type;
  for (let i = chain.length - 1; i >= 0; i--) {
    const e = chain[i]!;
    const right = compileExpr(e.right, s);
    const out = s.rt.bound.typeOf(e) ?? 'dynamic';
    const step = binaryStep(e.op, type, right, out);
    if (!steps.length && acc.constant && right.constant && step.folds) acc = constant(step.type, step.apply(acc.eval(0), 0));
    else steps.push(step.apply);
    type = step.type;
  }
  if (!steps.length) return acc;
  const base = acc.eval;
  const n = steps.length;
  return {
    type,
    eval: (row) => {
      let v = base(row);
      for (let k = 0; k < n; k++) v = steps[k]!(v, row);
      return v;
    },
  };
}

/** Operator `op` applied to an already computed left value `a` and `right` at the row. */
function binaryStep(op: string, leftType: ScalarTypeName, right: Compiled, type: ScalarTypeName): { type: ScalarTypeName; folds: boolean; apply: (a: Value, row: number) => Value } {
  const r = right.eval;
  if (op === 'and') return { type: 'bool', folds: false, apply: (a, i) => { if (a === false) return false; const b = r(i); if (b === false) return false; return a === null || b === null ? null : true; } };
  if (op === 'or') return { type: 'bool', folds: false, apply: (a, i) => { if (a === true) return true; const b = r(i); if (b === true) return true; return a === null || b === null ? null : false; } };
  const st = stringTestFor(op);
  if (st) return { type: 'bool', folds: false, apply: (a, i) => { const res = st.test(asString(a), asString(r(i))); return st.negate ? !res : res; } };
  const cmp = comparison(op);
  if (cmp) return { type: 'bool', folds: false, apply: (a, i) => cmp(a, r(i)) };
  const rtp = right.type;
  return { type, folds: true, apply: (a, i) => arithmetic(op, a, r(i), leftType, rtp, type) };
}

function comparison(op: string): ((a: Value, b: Value) => Value) | undefined {
  switch (op) {
    // Kusto (null-values page): a null is never equal to a value, so `null != 5` holds and `5 == null`
    // does not; comparing two nulls gives null.
    case '==':
      return (a, b) => (a === null && b === null ? null : a === null || b === null ? false : valuesEqual(a, b));
    case '!=':
    case '<>':
      return (a, b) => (a === null && b === null ? null : a === null || b === null ? true : !valuesEqual(a, b));
    case '<':
      return (a, b) => (a === null || b === null ? null : compareValues(a, b) < 0);
    case '<=':
      return (a, b) => (a === null || b === null ? null : compareValues(a, b) <= 0);
    case '>':
      return (a, b) => (a === null || b === null ? null : compareValues(a, b) > 0);
    case '>=':
      return (a, b) => (a === null || b === null ? null : compareValues(a, b) >= 0);
    default:
      return undefined;
  }
}

/** `Timestamp > const` and friends straight on the hi/lo tick arrays (no BigInt per row). */
function tickComparison(e: BinaryExpr, s: CompileScope, left: Compiled, right: Compiled): Compiled | undefined {
  if (!right.constant || e.left.kind !== 'NameRef') return undefined;
  const col = columnOf(s.rel, e.left.name);
  if (!col || (col.type !== 'datetime' && col.type !== 'timespan')) return undefined;
  const v = right.eval(0);
  if (typeof v !== 'bigint') return undefined;
  const { hi: chi, lo: clo } = splitTicks(v);
  const { hi, lo, validity } = col;
  const cmpAt = (r: number) => (hi[r]! < chi ? -1 : hi[r]! > chi ? 1 : lo[r]! - clo);
  const wrap = (f: (c: number) => boolean): Compiled => ({ type: 'bool', eval: validity ? (r) => (isValid(validity, r) ? f(cmpAt(r)) : null) : (r) => f(cmpAt(r)) });
  switch (e.op) {
    case '>': return wrap((c) => c > 0);
    case '>=': return wrap((c) => c >= 0);
    case '<': return wrap((c) => c < 0);
    case '<=': return wrap((c) => c <= 0);
    case '==': return { type: 'bool', eval: validity ? (r) => isValid(validity, r) && cmpAt(r) === 0 : (r) => cmpAt(r) === 0 };
    case '!=': return { type: 'bool', eval: validity ? (r) => !isValid(validity, r) || cmpAt(r) !== 0 : (r) => cmpAt(r) !== 0 };
    default: return undefined;
  }
}

const INTEGER = new Set<ScalarTypeName>(['int', 'long']);

const TICKS = new Set<ScalarTypeName>(['datetime', 'timespan']);
/** 0001-01-01T00:00:00 and 9999-12-31T23:59:59.9999999 in ticks from 1970 (.NET's DateTime range) */
const MIN_DATETIME = -621_355_968_000_000_000n;
const MAX_DATETIME = 2_534_023_007_999_999_999n;

export function arithmetic(op: string, a: Value, b: Value, ta: ScalarTypeName, tb: ScalarTypeName, tr: ScalarTypeName): Value {
  if (a === null || b === null) return null;
  if ((ta === 'dynamic' || tb === 'dynamic') && tr !== 'dynamic') return dynamicArithmetic(op, a, b, ta, tb, tr);
  if (TICKS.has(ta) || TICKS.has(tb)) {
    const t = tickArithmetic(op, typeof a === 'bigint' && !TICKS.has(ta) ? Number(a) : a, typeof b === 'bigint' && !TICKS.has(tb) ? Number(b) : b);
    // a datetime exists from 0001-01-01 to 9999-12-31 (datetime.md); arithmetic that leaves that range is null
    return tr === 'datetime' && typeof t === 'bigint' && (t < MIN_DATETIME || t > MAX_DATETIME) ? null : t;
  }
  // int and long operands with an integer result: exact int64 (int32 for int), wrapping as .NET does
  if (INTEGER.has(tr) && INTEGER.has(ta) && INTEGER.has(tb) && (typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    const r = integerArithmetic(op, a, b);
    return tr === 'int' ? wrapInt(r) : r;
  }
  // a big long meets a real: real arithmetic
  if (typeof a === 'bigint') a = Number(a);
  if (typeof b === 'bigint') b = Number(b);
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
      if (INTEGER.has(ta) && INTEGER.has(tb) && INTEGER.has(tr)) return b === 0 ? null : Math.trunc(a / b);
      return a / b;
    case '%': {
      // Kusto's modulo is never negative: -14 % 12 == 10, 14 % -12 == 2
      if (b === 0) return INTEGER.has(tr) ? null : NaN;
      const m = a % b;
      return m < 0 ? m + Math.abs(b) : m;
    }
    default:
      throw new QueryError(`operator '${op}' is not supported`);
  }
}

function integerArithmetic(op: string, a: Long, b: Long): Long | null {
  switch (op) {
    case '+': return addLong(a, b);
    case '-': return subLong(a, b);
    case '*': return mulLong(a, b);
    case '/': return divLong(a, b);
    case '%': return modLong(a, b);
    default:
      throw new QueryError(`operator '${op}' is not supported`);
  }
}

function tickArithmetic(op: string, a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '/': return Number(a) / Number(b);
      case '%': return b === 0n ? null : a % b;
      default: return null;
    }
  }
  if (typeof a === 'bigint' && typeof b === 'number') {
    if (op === '*') return BigInt(Math.round(Number(a) * b));
    if (op === '/') return b === 0 ? null : BigInt(Math.round(Number(a) / b));
    return null;
  }
  if (typeof a === 'number' && typeof b === 'bigint' && op === '*') return BigInt(Math.round(a * Number(b)));
  return null;
}

/** `x in (...)`, `!in`, `in~`, `has_any`, `has_all`. The list may hold a sub-query (its first column). */
export function compileIn(e: InExpr, s: CompileScope): Compiled {
  const items: Value[] = [];
  let allConstant = true;
  const dynamicItems: Compiled[] = [];
  for (const x of e.right) {
    if (s.rt.bound.schemaOf(x)) {
      const rel: Relation = s.rt.evalTabular(x, s.env);
      const col = rel.columns[0]?.column;
      if (col) for (let i = 0; i < rel.length; i++) items.push(readCell(col, rel.sel ? rel.sel[i]! : i));
      continue;
    }
    const c = compileExpr(x, s);
    if (!c.constant) {
      allConstant = false;
      dynamicItems.push(c);
      continue;
    }
    const v = c.eval(0);
    if (Array.isArray(v)) items.push(...(v as Value[])); // a dynamic array expands into its elements
    else items.push(v);
  }
  if (!allConstant) throw new QueryError(`'${e.op}' needs constant values in its list`);
  const op = e.op;
  const neg = op.startsWith('!');
  const base = neg ? op.slice(1) : op;
  const left = compileExpr(e.left, s);
  const leftCol = e.left.kind === 'NameRef' ? columnOf(s.rel, e.left.name) : undefined;
  let test: (v: string) => boolean;
  if (base === 'in') {
    if (left.type !== 'string') {
      const numeric = numberColumnIn(leftCol, items, neg);
      if (numeric) return numeric;
      const l = left.eval;
      return { type: 'bool', eval: (r) => { const v = l(r); if (v === null) return neg ? true : false; const hit = items.some((x) => valuesEqual(v, x)); return neg ? !hit : hit; } };
    }
    // (built only for a string left side: the items may be timespans or longs, bigints JSON cannot write)
    const set = new Set(items.filter((v) => v !== null).map((v) => (typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : JSON.stringify(v))));
    test = (v) => set.has(v);
  } else if (base === 'in~') {
    const set = new Set(items.map((v) => asString(v).toLowerCase()));
    test = (v) => set.has(v.toLowerCase());
  } else {
    test = hasListTest(items.map(asString), base.endsWith('_cs'), !base.startsWith('has_any'));
  }
  if (leftCol?.type === 'string') {
    if (base === 'in~') {
      const set = new Set(items.map((v) => asString(v).toLowerCase()));
      const pred = dictionaryCodePredicate(leftCol.dict, leftCol.codes, loweredDictionaryTest(leftCol.dict, (low) => set.has(low)));
      return { type: 'bool', eval: neg ? (r) => !pred(r) : pred };
    }
    const pred = dictionaryPredicate(leftCol.dict, leftCol.codes, test);
    return { type: 'bool', eval: neg ? (r) => !pred(r) : pred };
  }
  const l = left.eval;
  return { type: 'bool', eval: (r) => { const hit = test(asString(l(r))); return neg ? !hit : hit; } };
}

/**
 * `C in (numbers)` on a number column (ports, ids): a Set of the numbers instead of comparing each item
 * per row. A Set matches 0 and -0 as `===` does; NaN, which `===` never matches, is left out of it. Lists
 * with anything but plain numbers (a long beyond 2^53, strings, dynamics) and big-long columns keep the
 * general path.
 */
function numberColumnIn(col: Column | undefined, items: Value[], neg: boolean): Compiled | undefined {
  if (!col || (col.type !== 'int' && col.type !== 'long' && col.type !== 'real') || col.big) return undefined;
  if (!items.every((v) => v === null || typeof v === 'number')) return undefined;
  const set = new Set(items.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v)));
  const { values, validity } = col;
  const eval_ = (r: number) => (validity && !isValid(validity, r) ? neg : set.has(values[r]!) !== neg);
  // a short list (ports) compared directly: `===` matches as the Set does (0 and -0 alike, NaN is not in it)
  const few = [...set];
  if (few.length === 0 || few.length > 4) return { type: 'bool', eval: eval_ };
  const [a, b = a, c = a, d = a] = few as [number, number?, number?, number?];
  const select = (rows: Int32Array, out: Int32Array): number => {
    let k = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (validity && !isValid(validity, r)) {
        if (neg) out[k++] = r;
        continue;
      }
      const v = values[r]!;
      if ((v === a || v === b || v === c || v === d) !== neg) out[k++] = r;
    }
    return k;
  };
  return { type: 'bool', eval: eval_, select };
}

/** `x between (low .. high)`, inclusive; for a datetime x, a timespan high means low + high. */
export function compileBetween(e: BetweenExpr, s: CompileScope): Compiled {
  const fast = tickBetween(e, s);
  if (fast) return fast;
  const x = compileExpr(e.left, s).eval;
  const lo = compileExpr(e.low, s);
  const hiC = compileExpr(e.high, s);
  const hiIsSpan = hiC.type === 'timespan' && lo.type === 'datetime';
  const lf = lo.eval;
  const hf = hiC.eval;
  const neg = e.negated;
  return {
    type: 'bool',
    eval: (r) => {
      const v = x(r);
      const a = lf(r);
      let b = hf(r);
      if (v === null || a === null || b === null) return null;
      if (hiIsSpan && typeof a === 'bigint' && typeof b === 'bigint') b = a + b;
      const inside = compareValues(v, a) >= 0 && compareValues(v, b) <= 0;
      return neg ? !inside : inside;
    },
  };
}

/** The scalar type a dynamic operand's value has (a whole number is a long), or undefined when it is no number. */
function dynamicOperandType(v: Value, t: ScalarTypeName): ScalarTypeName | undefined {
  if (t !== 'dynamic') return t;
  if (typeof v === 'bigint') return 'long';
  return typeof v === 'number' ? (Number.isInteger(v) ? 'long' : 'real') : undefined;
}

/**
 * `a op b` with a dynamic operand, into the type the binder declared (Kusto.Language's: the other operand's
 * type decides, `x.n / 2` is a long): the operation runs on the values' own types (a whole number is a long,
 * so long division truncates), then the result is converted to the declared type as tolong/toreal would.
 * A dynamic that holds no number gives null.
 */
function dynamicArithmetic(op: string, a: Value, b: Value, ta: ScalarTypeName, tb: ScalarTypeName, tr: ScalarTypeName): Value {
  const ra = dynamicOperandType(a, ta);
  const rb = dynamicOperandType(b, tb);
  if (!ra || !rb) return null;
  const numeric = !TICKS.has(ra) && !TICKS.has(rb);
  const own = numeric ? (ra === 'real' || rb === 'real' ? 'real' : ra === 'decimal' || rb === 'decimal' ? 'decimal' : 'long') : tr;
  const v = arithmetic(op, a, b, ra, rb, own);
  if (v === null) return null;
  if (TICKS.has(tr)) return typeof v === 'bigint' ? v : null;
  if (INTEGER.has(tr)) {
    if (typeof v === 'bigint') return tr === 'int' ? wrapInt(v) : v;
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    return tr === 'int' ? wrapInt(Math.trunc(v)) : Math.trunc(v);
  }
  return typeof v === 'bigint' ? Number(v) : v;
}
