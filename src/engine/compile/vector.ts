/**
 * Column-at-a-time evaluation: an expression over the rows of a relation into a new dense column, without
 * a Value[] per row. In order of preference:
 * - a bare column: gathered (typed copy), or the column itself when the rows are all of it in order;
 * - `bin(t, step)` of a datetime/timespan column by a whole number of milliseconds: on the `hi` array;
 * - an expression whose only column is a dictionary string column and that depends on nothing else of the
 *   row (no rand(), window or row functions): evaluated once per distinct string the rows use; a string
 *   result becomes the new column's codes directly;
 * - anything else: the compiled closure per row, written into a typed writer.
 * Every path gives the column the per-row closure would (test/engine/vector-eval.test.ts).
 */
import { unparen } from '../../kql/syntax/index.js';
import type { CallExpr, Expr } from '../../kql/syntax/ast.js';
import { gatherColumn } from '../storage/builders.js';
import type { ColumnParts } from '../storage/merge.js';
import { isValid, newValidity, setValid, type Column, type StringColumn } from '../storage/column.js';
import { checkLimits, LIMIT_CHECK_MASK } from './env.js';
import { compileExpr, type CompileScope } from './expr.js';
import { columnOf, entryOf } from './relation.js';
import { ROW_FUNCTIONS } from './row-functions.js';
import { typedWriter } from './typed-builder.js';
import { identityRows, type ValueIds } from './value-ids.js';
import { jsonColumnOf } from './json-access.js';

// read once: under tsx (the benchmarks, the tests) every read of an imported binding is a getter call, and this one is read per row
const MASK = LIMIT_CHECK_MASK;

/** Calls whose value is not a function of their arguments alone. */
const ROW_DEPENDENT = new Set(['rand', 'new_guid', 'toscalar', 'row_number', 'row_cumsum', 'row_rank_min', 'row_rank_dense', 'row_rank', 'row_window_session', 'prev', 'next', ...ROW_FUNCTIONS]);

/**
 * The columns `e` reads when it is a pure function of them (nothing but literals, lets, columns, operators
 * and built-in scalar calls); undefined when it reads anything else.
 */
export function pureColumnsOf(e: Expr, s: CompileScope): Set<string> | undefined {
  if (s.substitute) return undefined;
  const cols = new Set<string>();
  // an explicit stack, not recursion: an expression may chain thousands of operators
  const stack: Expr[] = [e];
  const pushAll = (xs: readonly Expr[]) => {
    for (const x of xs) stack.push(x);
  };
  while (stack.length) {
    const x = stack.pop()!;
    switch (x.kind) {
      case 'Literal':
      case 'TypeExpr':
        break;
      case 'ParenExpr':
        stack.push(x.expr);
        break;
      case 'NameRef': {
        if (columnOf(s.rel, x.name)) {
          cols.add(x.name);
          break;
        }
        if (s.env.lookup(x.name)?.kind !== 'scalar') return undefined;
        break;
      }
      case 'UnaryExpr':
        stack.push(x.operand);
        break;
      case 'BinaryExpr':
        stack.push(x.right, x.left);
        break;
      case 'InExpr':
        pushAll(x.right);
        stack.push(x.left);
        break;
      case 'BetweenExpr':
        stack.push(x.high, x.low, x.left);
        break;
      case 'MemberExpr':
        stack.push(x.target);
        break;
      case 'IndexExpr':
        stack.push(x.index, x.target);
        break;
      case 'ListExpr':
        pushAll(x.items);
        break;
      case 'CallExpr': {
        const target = s.rt.bound.callOf(x);
        if (target?.kind !== 'scalar' || ROW_DEPENDENT.has(x.name.name.toLowerCase())) return undefined;
        pushAll(x.args.map((a) => (a.kind === 'NamedArg' ? a.value : a)));
        break;
      }
      default:
        return undefined;
    }
  }
  return cols;
}

/** `bin(col, step)` on a tick column by a constant whole-millisecond step: the column and the step in ms. */
function tickBin(e: Expr, s: CompileScope): { col: Column & { type: 'datetime' | 'timespan' }; stepMs: number } | undefined {
  if (e.kind !== 'CallExpr' || e.name.name.toLowerCase() !== 'bin' || e.args.length !== 2) return undefined;
  if (s.rt.bound.callOf(e as CallExpr)?.kind !== 'scalar') return undefined;
  const [a, b] = e.args;
  if (!a || !b || a.kind === 'NamedArg' || b.kind === 'NamedArg') return undefined;
  const x = unparen(a);
  if (x.kind !== 'NameRef') return undefined;
  const col = columnOf(s.rel, x.name);
  if (!col || (col.type !== 'datetime' && col.type !== 'timespan')) return undefined;
  if ((s.rt.bound.typeOf(e) ?? col.type) !== col.type) return undefined;
  const step = compileExpr(b, s);
  if (!step.constant) return undefined;
  const v = step.eval(0);
  if (typeof v !== 'bigint' || v <= 0n || v % 10_000n !== 0n || v / 10_000n > 2n ** 52n) return undefined;
  return { col, stepMs: Number(v / 10_000n) };
}

/**
 * `e` over physical rows `rows` of `s.rel` as a dense column. `all` says `rows` is every physical row in
 * order (a bare column is then returned as it is).
 */
export function evaluateVector(e: Expr, s: CompileScope, rows: Int32Array, all: boolean): Column {
  const n = rows.length;
  const x = unparen(e);
  if (!s.substitute && x.kind === 'NameRef') {
    const col = columnOf(s.rel, x.name);
    if (col) return all ? col : gatherColumn(col, rows);
  }
  if (!s.substitute) {
    const bin = tickBin(x, s);
    if (bin) {
      const { col, stepMs } = bin;
      const hi = new Float64Array(n);
      const lo = new Uint16Array(n);
      for (let i = 0; i < n; i++) hi[i] = Math.floor(col.hi[rows[i]!]! / stepMs) * stepMs;
      let validity: Uint8Array | undefined;
      if (col.validity) {
        validity = newValidity(n, true);
        for (let i = 0; i < n; i++) if (!isValid(col.validity, rows[i]!)) setValid(validity, i, false);
      }
      return { type: col.type, length: n, hi, lo, validity };
    }
  }
  // parse_json(C) of a string column: a JSON column, parsed only if read whole (compile/json-access.ts)
  const json = jsonColumnOf(x, s, rows, all);
  if (json) return json;
  const c = compileExpr(e, s);
  const cols = c.constant ? undefined : pureColumnsOf(e, s);
  if (cols && cols.size === 1) {
    const col = columnOf(s.rel, [...cols][0]!)!;
    if (col.type === 'string') return perDictionaryString(col, rows, c.eval, c.type, s);
    // `J.path` of a JSON column (json-access.ts): once per distinct text too
    if (col.type === 'dynamic' && col.jsonText) return perDictionaryString(col.jsonText, rows, c.eval, c.type, s);
  }
  const w = typedWriter(c.type, n);
  const f = c.eval;
  for (let i = 0; i < n; i++) {
    w.set(i, f(rows[i]!));
    if ((i & MASK) === MASK) checkLimits(s.rt);
  }
  return w.finish();
}

/** Evaluates `f` once per distinct dictionary code among `rows` (at the first row holding it). */
function perDictionaryString(col: StringColumn, rows: Int32Array, f: (r: number) => import('../values/value.js').Value, type: Column['type'], s: CompileScope): Column {
  const n = rows.length;
  const { dict, codes } = col;
  // memo: dictionary code -> slot (order of first use); an array when the dictionary is not much larger than the rows
  const memo = dict.length <= 4 * n + 1024 ? new Int32Array(dict.length).fill(-1) : undefined;
  const sparse = memo ? undefined : new Map<number, number>();
  const slots = new Int32Array(n);
  // the first row holding each distinct string, in order of first use (at most one per row)
  const firstRows = new Int32Array(Math.min(n, dict.length));
  let distinctCount = 0;
  for (let i = 0; i < n; i++) {
    const code = codes[rows[i]!]!;
    let slot = memo ? memo[code]! : (sparse!.get(code) ?? -1);
    if (slot < 0) {
      slot = distinctCount++;
      firstRows[slot] = rows[i]!;
      if (memo) memo[code] = slot;
      else sparse!.set(code, slot);
    }
    slots[i] = slot;
    if ((i & MASK) === MASK) checkLimits(s.rt);
  }
  const distinct = typedWriter(type, distinctCount);
  for (let k = 0; k < distinctCount; k++) distinct.set(k, f(firstRows[k]!));
  const d = distinct.finish();
  if (d.type === 'string') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = d.codes[slots[i]!]!;
    return { type: 'string', length: n, dict: d.dict, codes: out };
  }
  const out = gatherColumn(d, slots);
  // a dynamic result remembers its distinct values (mv-expand expands each once)
  if (out.type === 'dynamic' && d.type === 'dynamic') out.perString = { slots, values: d.values };
  return out;
}

/**
 * Value ids (`ids`) of key expression `e` at physical rows `rows` into `out` (and null flags into
 * `isNull`): bare columns and whole-millisecond tick bins straight from their arrays, anything else
 * through `evaluateVector`. Used for group keys (summarize) and join keys.
 */
export function encodeKey(e: Expr, s: CompileScope, rows: Int32Array, all: boolean, ids: ValueIds, out: Int32Array, isNull?: Uint8Array): void {
  const x = unparen(e);
  if (!s.substitute && x.kind === 'NameRef') {
    const entry = entryOf(s.rel, x.name);
    // every row of a concatenation of parts, in order: each part's column encoded where it is (a part's
    // dictionary codes looked up once each), no concatenated copy made
    if (entry?.parts && all && rows.length === partsLength(entry.parts.lengths)) return encodeParts(entry.parts, ids, out, isNull);
    // every row of a column gathered from another (mv-expand's repeated columns): the source at the gather's rows
    if (entry?.gathered && all && rows.length === entry.gathered.rows.length) return ids.encodeColumn(entry.gathered.column, entry.gathered.rows, out, isNull);
    if (entry) return ids.encodeColumn(entry.column, rows, out, isNull);
  }
  const bin = s.substitute ? undefined : tickBin(x, s);
  if (bin) {
    const { col, stepMs } = bin;
    const { hi, validity } = col;
    let last = NaN;
    let lastId = -1;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (validity && !isValid(validity, r)) {
        out[i] = ids.ofNull();
        if (isNull) isNull[i] = 1;
        continue;
      }
      const b = Math.floor(hi[r]! / stepMs) * stepMs;
      if (b !== last) {
        last = b;
        lastId = ids.ofTicks(b, 0);
      }
      out[i] = lastId;
    }
    return;
  }
  ids.encodeColumn(evaluateVector(e, s, rows, all), identityRows(rows.length), out, isNull);
}

function partsLength(lengths: number[]): number {
  let n = 0;
  for (const l of lengths) n += l;
  return n;
}

function encodeParts(parts: ColumnParts, ids: ValueIds, out: Int32Array, isNull?: Uint8Array): void {
  let at = 0;
  parts.entries.forEach((entry, p) => {
    const n = parts.lengths[p]!;
    ids.encodeColumn(entry.column, parts.sels[p] ?? identityRows(n), out.subarray(at, at + n), isNull?.subarray(at, at + n));
    at += n;
  });
}
