/**
 * Compiles scalar expressions ONCE per operator into closures over the relation's columns. Names resolve to
 * column readers (typed-array access), let values to constants, calls to the function registry. Binary
 * operators and the dictionary/tick fast paths are in binary.ts.
 */
import type { CallExpr, Expr, Literal, ScalarTypeName } from '../../kql/syntax/ast.js';
import { lookupFunction } from '../../kql/semantics/index.js';
import { readCell } from '../storage/builders.js';
import { isValid, readNumber, type Column } from '../storage/column.js';
import { joinTicks } from '../values/ticks.js';
import { intOf, longOf, negLong } from '../values/long.js';
import { valueToDynamic } from '../values/format.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import { SCALAR_FUNCTIONS } from '../functions/registry.js';
import { compileBetween, compileBinary, compileBinaryChain, compileIn } from './binary.js';
import { Env, type Compiled, type Runtime } from './env.js';
import { columnOf, type Relation } from './relation.js';
import { enterFunction } from './user-function.js';
import { compileRowFunction, ROW_FUNCTIONS } from './row-functions.js';
import { compileToscalar } from './toscalar.js';
import { refusedFunctionMessage } from '../functions/refused.js';
import { indexInto, member } from '../values/json-path.js';
import { compileJsonPath } from './json-access.js';

export interface CompileScope {
  rt: Runtime;
  env: Env;
  rel: Relation;
  /** Sub-expressions already computed into a column of `rel` (summarize's aggregate results). */
  substitute?: Map<Expr, string>;
  /** extend: how many of `rel`'s columns are the operator's input row (pack_all() packs those, not earlier assignments). */
  rowColumns?: number;
  /** Compiles the expressions this scope gives their own meaning (graph-match's `v.prop`, all/any/map). */
  override?: (e: Expr, s: CompileScope) => Compiled | undefined;
}

export function constant(type: ScalarTypeName, value: Value): Compiled {
  return { type, eval: () => value, constant: true };
}

export function literalValue(e: Literal): Value {
  if (e.value === null) return null;
  switch (e.type) {
    case 'int':
    case 'real':
    case 'decimal':
      return typeof e.value === 'number' ? e.value : Number(e.value);
    case 'long':
      // exact: a literal beyond ±2^53 is a bigint (values/long.ts)
      return typeof e.value === 'bigint' ? longOf(e.value) : (e.value as number);
    default:
      return e.value as Value;
  }
}

/** A reader closure for a column, by its storage layout. */
export function columnReader(col: Column): (row: number) => Value {
  switch (col.type) {
    case 'string': {
      const { dict, codes } = col;
      return (r) => dict[codes[r]!]!;
    }
    case 'datetime':
    case 'timespan': {
      const { hi, lo, validity } = col;
      if (!validity) return (r) => joinTicks(hi[r]!, lo[r]!);
      return (r) => (isValid(validity, r) ? joinTicks(hi[r]!, lo[r]!) : null);
    }
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      const { values, validity } = col;
      // a long column may hold, or (scan's working columns) come to hold, values beyond ±2^53: read exactly
      if (col.type === 'long') {
        if (!validity) return (r) => (col.big === undefined ? values[r]! : readNumber(col, r));
        return (r) => (isValid(validity, r) ? (col.big === undefined ? values[r]! : readNumber(col, r)) : null);
      }
      if (!validity) return (r) => values[r]!;
      return (r) => (isValid(validity, r) ? values[r]! : null);
    }
    default:
      return (r) => readCell(col, r);
  }
}

export function compileExpr(e: Expr, s: CompileScope): Compiled {
  const type = s.rt.bound.typeOf(e) ?? 'dynamic';
  if (s.override) {
    const c = s.override(e, s);
    if (c) return c;
  }
  const sub = s.substitute?.get(e);
  if (sub !== undefined) {
    const col = columnOf(s.rel, sub)!;
    return { type: col.type, eval: columnReader(col) };
  }
  switch (e.kind) {
    case 'Literal':
      return constant(e.type, literalValue(e));
    case 'ParenExpr':
      return compileExpr(e.expr, s);
    case 'NameRef': {
      const col = columnOf(s.rel, e.name);
      if (col) return { type: col.type, eval: columnReader(col) };
      const entry = s.env.lookup(e.name);
      if (entry?.kind === 'scalar') return constant(entry.type, entry.value);
      if (entry?.kind === 'compiled') return entry.compiled;
      if (entry?.kind === 'tabular') {
        // a tabular let used as a scalar: its single value (like toscalar)
        return constant(type, firstCell(entry.get()));
      }
      // a function without parameters may be named without parentheses (`let f = () { rand() }; print f`)
      if (entry?.kind === 'function' && entry.decl.parameters.every((p) => p.default)) {
        return compileExpr(entry.decl.body.result, { ...s, env: enterFunction(entry.decl, entry.env, [], s) });
      }
      throw new QueryError(`unknown name '${e.name}'`);
    }
    case 'UnaryExpr': {
      const x = compileExpr(e.operand, s);
      if (e.op === '+') return x;
      const f = x.eval;
      const t = x.type;
      return { type: x.type, eval: (r) => negate(f(r), t), constant: x.constant };
    }
    case 'BinaryExpr':
      // long chains compile in a loop (compileBinaryChain); short ones keep the nested closures V8 inlines
      if (!s.override && chainLength(e, s) > LONG_CHAIN) return compileBinaryChain(e, s);
      return compileBinary(e, s, type);
    case 'InExpr':
      return compileIn(e, s);
    case 'BetweenExpr':
      return compileBetween(e, s);
    case 'CallExpr':
      return compileCall(e, s, type);
    case 'TypeExpr':
      // typeof(T) as an argument (extract_json, ...): the type's name
      return constant('string', e.type ?? 'dynamic');
    case 'MemberExpr': {
      const path = compileJsonPath(e, s);
      if (path) return path;
      const target = compileExpr(e.target, s);
      const key = e.name.name;
      const f = target.eval;
      return { type: 'dynamic', eval: (r) => member(f(r), key) };
    }
    case 'IndexExpr': {
      const path = compileJsonPath(e, s);
      if (path) return path;
      const target = compileExpr(e.target, s);
      const index = compileExpr(e.index, s);
      const f = target.eval;
      const g = index.eval;
      return { type: 'dynamic', eval: (r) => indexInto(f(r), g(r)) };
    }
    case 'ListExpr': {
      const items = e.items.map((i) => compileExpr(i, s));
      return { type: 'dynamic', eval: (r) => items.map((i) => toDynamic(i.eval(r), i.type)) };
    }
    default: {
      // A tabular expression in scalar position: its first cell (Kusto's implicit toscalar).
      const rel = s.rt.evalTabular(e, s.env);
      return constant(type, firstCell(rel));
    }
  }
}

/** Operators in a chain past which compiling and evaluating it recursively would risk the stack. */
const LONG_CHAIN = 32;

/** How many binary operators lean left from `e` (stops counting past LONG_CHAIN); substituted nodes end a chain. */
function chainLength(e: Expr, s: CompileScope): number {
  let n = 0;
  while (e.kind === 'BinaryExpr' && n <= LONG_CHAIN && !s.substitute?.has(e)) {
    n++;
    e = e.left;
  }
  return n;
}

export function firstCell(rel: Relation): Value {
  if (rel.length === 0 || rel.columns.length === 0) return null;
  const row = rel.sel ? rel.sel[0]! : 0;
  return readCell(rel.columns[0]!.column, row);
}

function negate(v: Value, type: ScalarTypeName): Value {
  if (typeof v === 'number') return type === 'int' ? intOf(-v) : -v;
  if (typeof v === 'bigint') return type === 'long' ? negLong(v) : -v;
  return null;
}

/** A runtime value as it sits inside a dynamic (ticks become ISO strings / timespan text by their callers). */
export function toDynamic(v: Value, type: ScalarTypeName): DynamicValue {
  return valueToDynamic(v, type);
}

function compileCall(e: CallExpr, s: CompileScope, type: ScalarTypeName): Compiled {
  const name = e.name.name;
  const target = s.rt.bound.callOf(e);
  const argExprs = e.args.map((a) => (a.kind === 'NamedArg' ? a.value : a));
  if (target?.kind === 'user') {
    const entry = s.env.lookup(name);
    if (entry?.kind !== 'function') throw new QueryError(`'${name}' is not a function here`);
    return compileExpr(entry.decl.body.result, { ...s, env: enterFunction(entry.decl, entry.env, e.args, s) });
  }
  if (name === 'toscalar') return compileToscalar(e, argExprs[0]!, s, type);
  if (name === 'column_names_of') {
    // the column names of a table, as a dynamic array
    const rel = s.rt.evalTabular(argExprs[0]!, s.env);
    return constant('dynamic', rel.columns.map((c) => c.name));
  }
  if (target?.kind === 'aggregate') throw new QueryError(`aggregate '${name}' can only be used in summarize`);
  if (ROW_FUNCTIONS.has(name.toLowerCase())) return compileRowFunction(name.toLowerCase(), e, s);
  const impl = SCALAR_FUNCTIONS.get(name.toLowerCase()) ?? (lookupFunction(name) ? SCALAR_FUNCTIONS.get(lookupFunction(name)!.name.toLowerCase()) : undefined);
  if (!impl) throw new QueryError(refusedFunctionMessage(name), 'KQL4010');
  const args = argExprs.map((a) => (a.kind === 'StarExpr' ? constant('dynamic', null) : compileExpr(a, s)));
  const argTypes = args.map((a) => a.type);
  // a function that is not written for exact longs reads a long beyond ±2^53 as its nearest float
  const evals = args.map((a) => (a.type === 'long' && !LONG_AWARE.has(impl.name) ? asFloat(a.eval) : a.eval));
  const ctx = s.rt.ctx;
  const f = impl.impl;
  if (args.every((a) => a.constant) && !/^(rand|new_guid)$/.test(name)) {
    const v = f(evals.map((g) => g(0)), argTypes, ctx, type);
    return constant(type, v);
  }
  const n = evals.length;
  const buf: Value[] = new Array(n);
  return {
    type,
    eval: (r) => {
      for (let i = 0; i < n; i++) buf[i] = evals[i]!(r);
      return f(buf, argTypes, ctx, type);
    },
  };
}

/** Functions that take a long beyond ±2^53 (a bigint) exactly; every other function is handed its float. */
const LONG_AWARE = new Set([
  'tostring', 'strcat', 'strcat_delim', 'hash', 'hash_xxhash64', 'tolong', 'toint', 'toreal', 'todouble', 'todecimal', 'tohex', 'abs',
  'iff', 'iif', 'case', 'coalesce', 'isnull', 'isnotnull', 'isempty', 'isnotempty', 'min_of', 'max_of', 'pack_array', 'bag_pack', 'pack',
  'binary_and', 'binary_or', 'binary_xor', 'binary_not', 'binary_shift_left', 'binary_shift_right', 'bitset_count_ones', 'todynamic', 'parse_json',
  'bin', 'floor', 'bin_at',
]);

function asFloat(f: (r: number) => Value): (r: number) => Value {
  return (r) => {
    const v = f(r);
    return typeof v === 'bigint' ? Number(v) : v;
  };
}

/** Binds a let inside a function body or script into the environment. */
export function bindLet(name: string, value: Expr | import('../../kql/syntax/ast.js').FunctionDecl, s: CompileScope): void {
  if (value.kind === 'FunctionDecl') {
    s.env.vars.set(name, { kind: 'function', decl: value, env: s.env });
    return;
  }
  if (s.rt.bound.schemaOf(value)) {
    let cached: Relation | undefined;
    // the names before this let: `let T = union * ...` must not find T itself (nor lets declared later)
    const env = s.env.snapshot();
    s.env.vars.set(name, { kind: 'tabular', get: () => (cached ??= s.rt.evalTabular(value, env)) });
    return;
  }
  const c = compileExpr(value, s);
  if (c.constant) s.env.vars.set(name, { kind: 'scalar', value: c.eval(0), type: c.type });
  else s.env.vars.set(name, { kind: 'compiled', compiled: c });
}
