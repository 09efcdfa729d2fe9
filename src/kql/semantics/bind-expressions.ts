/**
 * Binding scalar expressions: names → columns / lets / parameters, calls → signatures, and a type for
 * every expression. Tabular expressions met inside scalar ones (`toscalar(T | ...)`, `x in (T | ...)`) go
 * to bindTabular.
 */
import type { BinaryExpr, CallExpr, Expr, FunctionDecl, NameRef, ScalarTypeName } from '../syntax/ast.js';
import { Binder, findColumn, Scope, type Row } from './binder.js';
import { bindTabular, isTabular } from './bind-tabular.js';
import { bindGraphCall, bindGraphMember, bindGraphVariable } from './bind-graph.js';
import { SEMANTIC } from './codes.js';
import { checkArgumentTypes } from './argument-types.js';
import { checkBetweenTypes, checkInTypes, checkOperandTypes } from './operand-types.js';
import { lookupAggregate, lookupFunction, type FunctionSignature } from './signatures/index.js';
import { nearestName } from './suggest.js';
import { arithmeticResult, isNumeric, promoteNumeric } from './types.js';

const BOOL_OPS = new Set(['and', 'or', '==', '!=', '<>', '<', '<=', '>', '>=', '=~', '!~', 'matches regex']);

export function bindExpr(b: Binder, e: Expr, scope: Scope, row: Row | undefined): ScalarTypeName {
  if (e.kind === 'BinaryExpr' && e.left.kind === 'BinaryExpr') return bindBinaryChain(b, e, scope, row);
  const t = bindExprInner(b, e, scope, row);
  b.types.set(e, t);
  if (inheritsGuess(b, e)) b.guessed.add(e);
  return t;
}

/** A parenthesised, negated or arithmetic expression over a guessed type is a guess too. */
function inheritsGuess(b: Binder, e: Expr): boolean {
  switch (e.kind) {
    case 'ParenExpr':
      return b.guessed.has(e.expr);
    case 'UnaryExpr':
      return b.guessed.has(e.operand);
    case 'BinaryExpr':
      return b.guessed.has(e.left) || b.guessed.has(e.right);
    default:
      return false;
  }
}

/**
 * A left-leaning chain of binary operators (`1+1+1+…`, `a and b and c …`, as long as Kusto takes them)
 * bound bottom-up in a loop instead of one recursion per operator, in the same order (left before right).
 */
function bindBinaryChain(b: Binder, top: BinaryExpr, scope: Scope, row: Row | undefined): ScalarTypeName {
  const chain: BinaryExpr[] = [];
  let x: Expr = top;
  while (x.kind === 'BinaryExpr') {
    chain.push(x);
    x = x.left;
  }
  let t = bindExpr(b, x, scope, row);
  for (let i = chain.length - 1; i >= 0; i--) {
    const e = chain[i]!;
    t = bindBinary(b, e, t, bindExpr(b, e.right, scope, row));
    b.types.set(e, t);
    if (inheritsGuess(b, e)) b.guessed.add(e);
  }
  return t;
}

function bindBinary(b: Binder, e: BinaryExpr, l: ScalarTypeName, r: ScalarTypeName): ScalarTypeName {
  if (BOOL_OPS.has(e.op) || /^!?[a-z_]+$/.test(e.op)) {
    checkOperandTypes(b, e, l, r);
    return 'bool';
  }
  const res = arithmeticResult(e.op, l, r);
  // a type computed from a dynamic operand is what Kusto.Language declares, not what the value will be
  if (l === 'dynamic' || r === 'dynamic') b.guessed.add(e);
  if (res === undefined) {
    if (l === 'string' || r === 'string' || l === 'bool' || r === 'bool' || l === 'guid' || r === 'guid') {
      b.error(SEMANTIC.typeMismatch, `operator '${e.op}' cannot be applied to ${l} and ${r}`, e.opSpan);
    }
    return 'dynamic';
  }
  return res;
}

function bindExprInner(b: Binder, e: Expr, scope: Scope, row: Row | undefined): ScalarTypeName {
  switch (e.kind) {
    case 'Literal':
      return e.type;
    case 'NameRef':
      return bindNameRef(b, e, scope, row);
    case 'ParenExpr':
      if (isTabular(b, e.expr, scope)) {
        bindTabular(b, e.expr, scope);
        return 'dynamic';
      }
      return bindExpr(b, e.expr, scope, row);
    case 'UnaryExpr':
      return bindExpr(b, e.operand, scope, row);
    case 'BinaryExpr': {
      const l = bindExpr(b, e.left, scope, row);
      return bindBinary(b, e, l, bindExpr(b, e.right, scope, row));
    }
    case 'InExpr':
      checkInTypes(b, e, bindExpr(b, e.left, scope, row));
      for (const item of e.right) {
        if (isTabular(b, item, scope)) bindTabular(b, item, scope);
        else bindExpr(b, item, scope, row);
      }
      return 'bool';
    case 'BetweenExpr': {
      const x = bindExpr(b, e.left, scope, row);
      const lo = bindExpr(b, e.low, scope, row);
      bindExpr(b, e.high, scope, row);
      checkBetweenTypes(b, e, x, lo);
      return 'bool';
    }
    case 'CallExpr':
      return bindCall(b, e, scope, row);
    case 'MemberExpr': {
      const graphType = row?.graph ? bindGraphMember(b, e, row) : undefined;
      if (graphType) return graphType;
      if (e.target.kind === 'NameRef' && (e.target.name === '$left' || e.target.name === '$right') && row) {
        const side = e.target.name === '$left' ? row.left : row.right;
        if (!side) {
          b.error(SEMANTIC.unknownColumn, `${e.target.name} is only available in a join's 'on' clause`, e.target.span);
          return 'dynamic';
        }
        const col = findColumn(side, e.name.name);
        if (!col && !side.open) {
          reportUnknownColumn(b, e.name.name, e.name.span, side.columns.map((c) => c.name));
          return 'dynamic';
        }
        return col?.type ?? 'dynamic';
      }
      const step = e.target.kind === 'NameRef' ? row?.steps?.get(e.target.name) : undefined;
      if (step) {
        const col = findColumn(step, e.name.name);
        if (!col && !step.open) reportUnknownColumn(b, e.name.name, e.name.span, step.columns.map((c) => c.name));
        return col?.type ?? 'dynamic';
      }
      const targetType = bindExpr(b, e.target, scope, row);
      // `x.name` reads a property of a dynamic value; on a string, number or date there is nothing to read
      // (Kusto: the name is unknown). A string column holding JSON needs parse_json() first.
      if (targetType !== 'dynamic') {
        b.error(SEMANTIC.typeMismatch, `'.${e.name.name}' reads a property of a dynamic value, but this is ${targetType}${targetType === 'string' ? ' (parse it with parse_json() first)' : ''}`, e.name.span);
      }
      return 'dynamic';
    }
    case 'IndexExpr': {
      const targetType = bindExpr(b, e.target, scope, row);
      bindExpr(b, e.index, scope, row);
      if (targetType !== 'dynamic') {
        b.error(SEMANTIC.typeMismatch, `the element access operator [] needs a dynamic array or property bag, but this is ${targetType}${targetType === 'string' ? ' (parse it with parse_json() first)' : ''}`, { start: e.target.span.end, end: e.span.end });
      }
      return 'dynamic';
    }
    case 'ListExpr':
      for (const i of e.items) bindExpr(b, i, scope, row);
      return 'dynamic';
    case 'StarExpr':
    case 'ErrorExpr':
    case 'TypeExpr':
      return 'dynamic';
    default:
      // a tabular expression in scalar position (e.g. `let x = toscalar(...)` arguments are handled in bindCall)
      bindTabular(b, e, scope);
      return 'dynamic';
  }
}

function bindNameRef(b: Binder, e: NameRef, scope: Scope, row: Row | undefined): ScalarTypeName {
  const col = row ? findColumn(row.schema, e.name) : undefined;
  if (col) {
    b.refs.set(e, { kind: 'column', name: col.name, type: col.type });
    return col.type;
  }
  const graphVariable = row?.graph ? bindGraphVariable(b, e.name, e.span, row) : undefined;
  if (graphVariable) return graphVariable;
  const sym = scope.lookup(e.name);
  if (sym?.kind === 'scalar') {
    if (sym.param) b.refs.set(e, { kind: 'parameter', param: sym.param });
    else if (sym.statement) b.refs.set(e, { kind: 'let', statement: sym.statement });
    return sym.type;
  }
  // a function without parameters named without parentheses is called: its value is its body's
  if (sym?.kind === 'function' && sym.decl.parameters.length === 0) return userFunctionScalarType(b, sym.decl, scope);
  if (sym?.kind === 'tabular' || sym?.kind === 'function') return 'dynamic';
  if (row?.schema.open) return 'dynamic';
  if (e.name === '$left' || e.name === '$right') return 'dynamic';
  reportUnknownColumn(b, e.name, e.span, [...(row?.schema.columns.map((c) => c.name) ?? []), ...scope.names()]);
  return 'dynamic';
}

export function reportUnknownColumn(b: Binder, name: string, span: { start: number; end: number }, candidates: string[]): void {
  const suggestion = nearestName(name, candidates);
  b.error(SEMANTIC.unknownColumn, `unknown column or variable '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`, span, suggestion);
}

function bindCall(b: Binder, e: CallExpr, scope: Scope, row: Row | undefined): ScalarTypeName {
  const name = e.name.name;
  const graphType = row?.graph ? bindGraphCall(b, e, scope, row) : undefined;
  if (graphType) return graphType;
  const sym = scope.lookup(name);
  if (sym?.kind === 'tabular') {
    bindArgs(b, e, scope, row);
    return 'dynamic';
  }
  if (sym?.kind === 'function') {
    b.calls.set(e, { kind: 'user', statement: sym.statement });
    bindArgs(b, e, scope, row);
    return userFunctionScalarType(b, sym.decl, scope);
  }
  if (name === 'toscalar' || name === 'materialize') {
    b.calls.set(e, { kind: 'scalar', signature: lookupFunction(name)! });
    const arg = e.args[0];
    if (arg && arg.kind !== 'NamedArg') {
      if (isTabular(b, arg, scope)) {
        const s = bindTabular(b, arg, scope);
        return name === 'toscalar' ? (s.columns[0]?.type ?? 'dynamic') : 'dynamic';
      }
      return bindExpr(b, arg, scope, row);
    }
    return 'dynamic';
  }
  const agg = lookupAggregate(name);
  const fn = lookupFunction(name);
  if (agg && (row?.aggregates || !fn)) {
    if (!row?.aggregates) b.error(SEMANTIC.aggregateOutsideSummarize, `aggregate function '${name}' can only be used in summarize, make-series or top-nested`, e.name.span);
    b.calls.set(e, { kind: 'aggregate', signature: agg });
    const types = bindArgs(b, e, scope, row ? { ...row, aggregates: false } : row);
    checkArity(b, e, agg);
    checkArgumentTypes(b, e, true, types);
    return typeOfCall(b, e, agg, types);
  }
  if (!fn) {
    const candidates = [...scope.names()];
    const suggestion = nearestName(name, candidates);
    b.error(SEMANTIC.unknownFunction, `unknown function '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`, e.name.span, suggestion);
    bindArgs(b, e, scope, row);
    return 'dynamic';
  }
  b.calls.set(e, { kind: 'scalar', signature: fn });
  const types = bindArgs(b, e, scope, row);
  checkArity(b, e, fn);
  checkArgumentTypes(b, e, false, types);
  if (fn.returns === 'typeof' || fn.returns === 'typeof-string') {
    // extract_json(path, json, typeof(T)): the type the typeof() argument names, else string (as Kusto);
    // percentile_tdigest(td, p, typeof(T)): else dynamic
    const t = e.args.find((a) => a.kind === 'TypeExpr');
    return (t?.kind === 'TypeExpr' && t.type) || (fn.returns === 'typeof' ? 'dynamic' : 'string');
  }
  return typeOfCall(b, e, fn, types);
}

/** The call's type; one computed from an argument (arg0, num, common ...) that is dynamic is only a guess. */
function typeOfCall(b: Binder, e: CallExpr, sig: FunctionSignature, types: ScalarTypeName[]): ScalarTypeName {
  const fromArguments = ['arg0', 'arg1', 'num', 'common', 'sum', 'mean', 'pct', 'bin'].includes(sig.returns);
  if (fromArguments && e.args.some((a, i) => types[i] === 'dynamic' || b.guessed.has(a as Expr))) b.guessed.add(e);
  return returnType(sig, types);
}

function bindArgs(b: Binder, e: CallExpr, scope: Scope, row: Row | undefined): ScalarTypeName[] {
  return e.args.map((a) => {
    const x = a.kind === 'NamedArg' ? a.value : a;
    if (x.kind !== 'NameRef' && isTabular(b, x, scope)) {
      bindTabular(b, x, scope);
      return 'dynamic';
    }
    return bindExpr(b, x, scope, row);
  });
}

function checkArity(b: Binder, e: CallExpr, sig: FunctionSignature): void {
  const n = e.args.length;
  if (n < sig.minArgs || n > sig.maxArgs) {
    const want = sig.minArgs === sig.maxArgs ? `${sig.minArgs}` : sig.maxArgs === Infinity ? `at least ${sig.minArgs}` : `${sig.minArgs} to ${sig.maxArgs}`;
    b.error(SEMANTIC.wrongArity, `function '${e.name.name}' expects ${want} argument${want === '1' ? '' : 's'}, got ${n}`, e.span);
  }
}

/** The common type of numbers (iff, case, coalesce, min_of, max_of): decimal is the widest here. */
const COMMON_RANK: Partial<Record<ScalarTypeName, number>> = { int: 1, long: 2, real: 3, decimal: 4 };

export function returnType(sig: FunctionSignature, args: ScalarTypeName[]): ScalarTypeName {
  switch (sig.returns) {
    case 'arg0':
      return args[0] ?? 'dynamic';
    case 'arg1':
      return args[1] ?? 'dynamic';
    case 'num':
      return args.reduce<ScalarTypeName>((acc, t) => (isNumeric(t) ? promoteNumeric(acc, t) : acc), 'long');
    case 'common': {
      // iff(cond, a, b) / case(c1, v1, ..., else): the value positions; coalesce/min_of/max_of: all.
      const values = sig.name === 'iff' || sig.name === 'iif' ? args.slice(1) : sig.name === 'case' ? args.filter((_, i) => i % 2 === 1 || i === args.length - 1) : args;
      // numbers widen to the widest (int < long < real < decimal, as Kusto.Language: coalesce(toint(x), 0) is a long)
      const typed = values.filter((t) => t !== 'dynamic');
      if (typed.length > 1 && typed.every(isNumeric)) return typed.reduce((acc, t) => (COMMON_RANK[t]! > COMMON_RANK[acc]! ? t : acc));
      return typed[0] ?? values[0] ?? 'dynamic';
    }
    case 'sum':
      return args[0] === 'timespan' || args[0] === 'datetime' ? args[0] : returnType({ ...sig, returns: 'num' }, args.slice(0, 1));
    case 'mean':
      return args[0] === 'timespan' || args[0] === 'datetime' || args[0] === 'decimal' ? args[0] : 'real';
    case 'pct':
      return args[0] === 'int' ? 'long' : args[0] === 'decimal' ? 'real' : (args[0] ?? 'dynamic');
    case 'bin': {
      const t = args[0] ?? 'dynamic';
      if (!isNumeric(t)) return t;
      const step = args[1] !== undefined && isNumeric(args[1]) ? [args[1]] : [];
      return (['long', t, ...step] as ScalarTypeName[]).reduce((acc, x) => (COMMON_RANK[x]! > COMMON_RANK[acc]! ? x : acc));
    }
    case 'typeof':
      return 'dynamic';
    case 'typeof-string':
      return 'string';
    default:
      return sig.returns;
  }
}

/** A scalar user function's type: its body's result, bound with its parameters (once per depth). */
function userFunctionScalarType(b: Binder, decl: FunctionDecl, scope: Scope): ScalarTypeName {
  if (isTabular(b, decl.body.result, scope)) return 'dynamic';
  return b.types.get(decl.body.result) ?? 'dynamic';
}
