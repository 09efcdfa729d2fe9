/**
 * Index lookups for `where`: before a predicate runs row by row, its `and`/`or` structure is searched for
 * tests of a dictionary-encoded column against constants (`has`, `has_any`, `in~`, `==`, `startswith`, ...
 * any operator whose other side is constant). Such a test depends on the column's string alone, so it is
 * evaluated once per distinct string (at one row holding it) and the column's row index (postings.ts)
 * gives the rows of the strings that pass. On a large dictionary a `has`/`has_any`/`has_all` first asks the
 * term index (term-index.ts) which strings hold the needle's terms, and tests those alone. Those rows are a superset of the rows the whole predicate
 * accepts (`and` intersects, `or` unites), and the predicate then runs on them alone, so the result is the
 * same as a full scan; when the lookup would not skip most rows, the scan runs as before.
 */
import type { BinaryExpr, Expr, InExpr, NameRef } from '../../kql/syntax/ast.js';
import { walk } from '../../kql/syntax/index.js';
import type { Relation } from '../compile/relation.js';
import { columnOf } from '../compile/relation.js';
import { hasPostings, postingsMade, postingsOf } from '../storage/postings.js';
import { hasCandidates } from '../storage/term-index.js';
import { compileOn, type OpContext } from './context.js';

/** Below this many distinct strings, testing each one is as cheap as a term lookup. */
const TERM_LOOKUP_MIN_DICT = 1024;

/** A lookup is worth it while it keeps at most this share of the column's rows. */
const MAX_SHARE = 0.25;

/**
 * An `and`'s right side builds no row index when its left side already kept fewer than this share of the
 * rows: the predicate then runs on those few rows, cheaper than a pass over the whole column to index it
 * (a hunting rule's `RemoteUrl has 'x' and CompanyName has 'y' and ...` indexes the first column only).
 */
const FEW_SHARE = 1 / 32;

/** Physical rows of `rel`, in its order, that may satisfy `predicate`; undefined when no index helps. */
export function indexedRows(predicate: Expr, rel: Relation, cx: OpContext): Int32Array | undefined {
  const width = physicalWidth(predicate, rel);
  if (width === 0) return undefined;
  const cand = probe(predicate, rel, cx, Math.floor(width * MAX_SHARE), true, width);
  if (!cand) return undefined;
  return restrict(rel, cand, width);
}

/** The columns' length, read from a column the predicate reads anyway (a stored table's columns are read
 * on first access: asking the first one would read a column the query may not need). */
function physicalWidth(predicate: Expr, rel: Relation): number {
  if (!rel.sel) return rel.length;
  let name: string | undefined;
  walk(predicate, (n) => {
    if (name === undefined && (n as Expr).kind === 'NameRef' && columnOf(rel, (n as NameRef).name)) name = (n as NameRef).name;
    return name === undefined;
  });
  return (name !== undefined ? columnOf(rel, name) : rel.columns[0]?.column)?.length ?? 0;
}

/**
 * Candidate rows of an and/or tree of leaf tests. The left spine of `and`/`or` nodes (a predicate may chain
 * thousands) is walked in a loop, bottom-up, exactly as the recursion `probe(left); probe(right)` would:
 * every left operand gets the node's own limit, an `and`'s right operand the left's count, an `or` stops
 * at a left side with no index answer. `build`: whether a column with no row index yet may have one built
 * (not for an `and`'s right side once the left kept under FEW_SHARE of the `width` rows).
 */
function probe(e: Expr, rel: Relation, cx: OpContext, limit: number, build: boolean, width: number): Int32Array | undefined {
  const chain: BinaryExpr[] = [];
  let x = e;
  for (;;) {
    while (x.kind === 'ParenExpr') x = x.expr;
    if (x.kind !== 'BinaryExpr' || (x.op !== 'and' && x.op !== 'or')) break;
    chain.push(x);
    x = x.left;
  }
  let acc = leaf(x, rel, cx, limit, build);
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i]!;
    if (node.op === 'and') {
      const b = probe(node.right, rel, cx, acc ? acc.length : limit, build && !(acc && acc.length < width * FEW_SHARE), width);
      acc = acc && b ? intersect(acc, b) : (acc ?? b);
    } else if (acc) {
      const b = probe(node.right, rel, cx, limit - acc.length, build, width);
      acc = b ? union(acc, b) : undefined;
    }
  }
  return acc;
}

/**
 * Rows whose string passes a column-vs-constants test, or undefined (not such a test, too many rows, or
 * `build` false and the column's row index not made yet).
 */
function leaf(e: Expr, rel: Relation, cx: OpContext, limit: number, build: boolean): Int32Array | undefined {
  if ((e.kind !== 'BinaryExpr' && e.kind !== 'InExpr') || e.left.kind !== 'NameRef') return undefined;
  const col = columnOf(rel, e.left.name);
  if (!col || (col.type !== 'string' && col.type !== 'guid')) return undefined;
  // building an index costs a pass over the whole column: not for a few selected rows of a big one
  if (!hasPostings(col) && rel.sel && rel.sel.length < col.length / 8) return undefined;
  // an index offered but not made yet (a workspace extent builds it from the codes) costs that pass too
  if (!build && !postingsMade(col)) return undefined;
  const others = e.kind === 'BinaryExpr' ? [e.right] : e.right;
  // constant other side only (a sub-query list is left to the scan: compiling it here would run it twice)
  if (others.some((x) => cx.rt.bound.schemaOf(x) || !compileOn(cx, rel, x).constant)) return undefined;
  const test = compileOn(cx, rel, e).eval;
  const { offsets, rows } = postingsOf(col);
  const matched: number[] = [];
  let total = 0;
  const codes = termLookup(e, col.dict, rel, cx);
  const count = codes ? codes.length : col.dict.length;
  for (let k = 0; k < count; k++) {
    const c = codes ? codes[k]! : k;
    const from = offsets[c]!;
    const to = offsets[c + 1]!;
    if (from === to || test(rows[from]!) !== true) continue;
    total += to - from;
    if (total > limit) return undefined;
    matched.push(c);
  }
  const out = new Int32Array(total);
  let n = 0;
  for (const c of matched) {
    out.set(rows.subarray(offsets[c]!, offsets[c + 1]!), n);
    n += offsets[c + 1]! - offsets[c]!;
  }
  return matched.length > 1 ? out.sort() : out;
}

/** Large dictionaries: the codes a case-insensitive has/has_any/has_all can match, from the term index. */
function termLookup(e: BinaryExpr | InExpr, dict: string[], rel: Relation, cx: OpContext): number[] | undefined {
  if (dict.length < TERM_LOOKUP_MIN_DICT) return undefined;
  const op = e.kind === 'BinaryExpr' ? e.op : e.op;
  if (op !== 'has' && op !== 'has_any' && op !== 'has_all') return undefined;
  const needles: string[] = [];
  for (const x of e.kind === 'BinaryExpr' ? [e.right] : e.right) {
    const v = compileOn(cx, rel, x).eval(0);
    if (typeof v === 'string') needles.push(v);
    else if (Array.isArray(v) && v.every((i) => typeof i === 'string')) needles.push(...(v as string[]));
    else return undefined;
  }
  if (!needles.length) return undefined;
  if (op === 'has_all' || op === 'has') {
    // every needle must match: the smallest candidate list of any needle bounds them all
    let best: number[] | undefined;
    for (const n of needles) {
      const c = hasCandidates(dict, n);
      if (c && (!best || c.length < best.length)) best = c;
    }
    return best;
  }
  const all = new Set<number>();
  for (const n of needles) {
    const c = hasCandidates(dict, n);
    if (!c) return undefined;
    for (const x of c) all.add(x);
  }
  return [...all].sort((a, b) => a - b);
}

function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0, j = 0, n = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else { out[n++] = a[i]!; i++; j++; }
  }
  return out.subarray(0, n);
}

function union(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0, j = 0, n = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out[n++] = a[i++]!;
    else if (i >= a.length || b[j]! < a[i]!) out[n++] = b[j++]!;
    else { out[n++] = a[i]!; i++; j++; }
  }
  return out.subarray(0, n);
}

const sortedSel = new WeakMap<Int32Array, boolean>();

/** The candidate rows that are also in the relation's selection, in the selection's order. */
function restrict(rel: Relation, cand: Int32Array, width: number): Int32Array {
  const sel = rel.sel;
  if (!sel) return cand;
  let sorted = sortedSel.get(sel);
  if (sorted === undefined) {
    sorted = true;
    for (let i = 1; i < sel.length && sorted; i++) if (sel[i]! <= sel[i - 1]!) sorted = false;
    sortedSel.set(sel, sorted);
  }
  if (sorted) {
    // binary search per candidate: the candidates are few, the selection may be long
    const out = new Int32Array(cand.length);
    let n = 0;
    let lo = 0;
    for (const r of cand) {
      let hi = sel.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sel[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      if (lo < sel.length && sel[lo] === r) out[n++] = r;
    }
    return out.subarray(0, n);
  }
  const mark = new Uint8Array(width);
  for (const r of cand) mark[r] = 1;
  const out = new Int32Array(sel.length);
  let n = 0;
  for (const r of sel) if (mark[r]) out[n++] = r;
  return out.subarray(0, n);
}
