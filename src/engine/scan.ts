/**
 * Table scans, and the `where` operators right above them. The Timestamp bounds those wheres imply
 * (`between`, `>`, `>=`, `<`, `<=`, `==` against a constant, `ago()`/`now()` included) are handed to the
 * source so it can skip whole extents; the wheres still run over every row that is left, so pruning never
 * changes a result. The chain runs extent by extent (no merge of the table first: only the rows that pass
 * are copied, and each extent's columns are read only as the predicates ask for them), unless a predicate
 * sees across rows (prev/next/row_number ...) or holds a sub-query; then it runs over the merged extents.
 * A hunt may pass a shared cache: rules whose scan + where chain is the same (same predicate text, same
 * values for the names it uses) then share one pass.
 */
import type { Expr, MakeSeriesOp, PipeExpr, WhereOp } from '../kql/syntax/ast.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { conjuncts, walk } from '../kql/syntax/index.js';
import type { Env, Runtime } from './compile/env.js';
import { compileExpr } from './compile/expr.js';
import { extentFacts, type Relation } from './compile/relation.js';
import { checkLimits } from './compile/env.js';
import { timeThenIndexed, where } from './operators/where.js';
import type { TimeRange } from './source.js';
import type { Table } from './storage/column.js';
import { concatSelected, lazyColumn, mergeExtents } from './storage/merge.js';
import { QueryError, UnknownTableError } from './values/value.js';

const TIME_COLUMN = 'Timestamp';
const NO_ROWS: Relation = { columns: [], length: 1 };
/** Functions whose value at a row depends on other rows: a where using them cannot run extent by extent. */
const ACROSS_ROWS = /^(row_number|row_cumsum|row_rank_min|row_rank_dense|row_rank|row_window_session|prev|next)$/;
/** Per-extent results of where-chain prefixes, beside a hunt's shared cache (which holds whole relations). */
const partsCaches = new WeakMap<Map<string, Relation>, Map<string, Relation[]>>();

/** A stored table as one relation, with extents outside `range` left out by the source. */
export function scanTable(rt: Runtime, name: string, range?: TimeRange): Relation {
  const schema = rt.source?.schema(name);
  if (!rt.source || !schema) throw new UnknownTableError(name);
  const extents = rt.source.scan(name, range);
  const merged = mergeExtents(schema, extents);
  rt.stats.rowsScanned += merged.length;
  // schema names over the merged columns, without reading them (a merged column is made on first read)
  // several extents: each column also names its parts (the extents' columns), which a join reads directly
  // instead of merging the whole table (scan.ts concatParts does the same for a where chain's survivors)
  const columns = extents.length > 1
    ? schema.columns.map((c, i) => lazyColumn(c.name, () => merged.columns[i]!.column, { type: c.type, entries: extents.map((t) => t.columns[i]!), sels: extents.map(() => undefined), lengths: extents.map((t) => t.length) }))
    : merged.columns.every((c, i) => c.name === schema.columns[i]?.name) ? merged.columns : schema.columns.map((c, i) => lazyColumn(c.name, () => merged.columns[i]!.column));
  return { columns, length: merged.length, ...extentFacts(extents) };
}

/** An extent as a relation with the schema's column names (columns still read on first access). */
function extentRelation(schema: TableSchema, t: Table): Relation {
  const named = t.columns.every((c, i) => c.name === schema.columns[i]?.name);
  return { columns: named ? t.columns : schema.columns.map((c, i) => lazyColumn(c.name, () => t.columns[i]!.column)), length: t.length, ...extentFacts([t]) };
}

/** Per-extent relations back to back: one relation whose columns copy the selected rows on first read. */
function concatParts(schema: TableSchema, parts: Relation[]): Relation {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const p of parts) length += p.length;
  if (!parts.length) return extentRelation(schema, mergeExtents(schema, []));
  return {
    columns: schema.columns.map((c, i) => lazyColumn(c.name, () => concatSelected(parts.map((p) => p.columns[i]!.column), parts.map((p) => p.sel), length), { type: c.type, entries: parts.map((p) => p.columns[i]!), sels: parts.map((p) => p.sel), lengths: parts.map((p) => p.length) })),
    length,
    ingestion: () => concatSelected(parts.map((p) => p.ingestion!()), parts.map((p) => p.sel), length),
    extents: () => concatSelected(parts.map((p) => p.extents!()), parts.map((p) => p.sel), length),
  };
}

/** Whether a where predicate gives the same rows run extent by extent (no cross-row function, no sub-query). */
function perExtent(rt: Runtime, e: Expr): boolean {
  let ok = true;
  walk(e, (n) => {
    const x = n as Expr;
    if (!ok) return false;
    if (x !== e && rt.bound.schemaOf(x)) ok = false;
    else if (x.kind === 'CallExpr' && (ACROSS_ROWS.test(x.name.name) || /^(toscalar|materialize)$/i.test(x.name.name))) ok = false;
    return ok;
  });
  return ok;
}

/** A row-independent datetime/timespan value of `e` in ticks, or undefined when `e` is not one. */
function constantTicks(rt: Runtime, env: Env, e: Expr): { ticks: bigint; type: string } | undefined {
  try {
    const c = compileExpr(e, { rt, env, rel: NO_ROWS });
    if (!c.constant) return undefined;
    const v = c.eval(0);
    return typeof v === 'bigint' && (c.type === 'datetime' || c.type === 'timespan') ? { ticks: v, type: c.type } : undefined;
  } catch (err) {
    if (err instanceof QueryError) return undefined; // it reads a column: not a bound
    throw err;
  }
}

const isTime = (e: Expr): boolean => (e.kind === 'ParenExpr' ? isTime(e.expr) : e.kind === 'NameRef' && e.name === TIME_COLUMN);
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };

/**
 * The inclusive Timestamp range that every row passing all `predicates` lies in (undefined: no bound).
 * Only conjuncts that compare the Timestamp column itself with a constant datetime count.
 */
export function impliedTimeRange(rt: Runtime, env: Env, predicates: Expr[]): TimeRange | undefined {
  let min: bigint | undefined;
  let max: bigint | undefined;
  const atLeast = (t: bigint) => { if (min === undefined || t > min) min = t; };
  const atMost = (t: bigint) => { if (max === undefined || t < max) max = t; };
  for (const p of predicates.flatMap((x) => conjuncts(x))) {
    if (p.kind === 'BetweenExpr' && !p.negated && isTime(p.left)) {
      const lo = constantTicks(rt, env, p.low);
      const hi = constantTicks(rt, env, p.high);
      if (!lo || !hi || lo.type !== 'datetime') continue;
      atLeast(lo.ticks);
      atMost(hi.type === 'timespan' ? lo.ticks + hi.ticks : hi.ticks);
    } else if (p.kind === 'BinaryExpr' && p.op in FLIP) {
      const [op, other] = isTime(p.left) ? [p.op, p.right] : isTime(p.right) ? [FLIP[p.op]!, p.left] : [undefined, undefined];
      if (!op || !other) continue;
      const c = constantTicks(rt, env, other);
      if (!c || c.type !== 'datetime') continue;
      if (op === '>') atLeast(c.ticks + 1n);
      else if (op === '>=') atLeast(c.ticks);
      else if (op === '<') atMost(c.ticks - 1n);
      else if (op === '<=') atMost(c.ticks);
      else { atLeast(c.ticks); atMost(c.ticks); }
    }
  }
  if (min === undefined && max === undefined) return undefined;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/**
 * `Table | where ... | where ...` evaluated with the implied time range pushed into the scan (and with
 * the hunt's shared cache when there is one). Undefined when `e` is not such a chain over a stored table.
 */
/**
 * The Timestamp range outside which `make-series ... on Timestamp from a to b step s` ignores every row
 * (a superset: b + s with `in range`), for the scan below it to skip whole extents; undefined unless the
 * axis is the Timestamp column with constant bounds.
 */
export function makeSeriesRange(rt: Runtime, env: Env, op: MakeSeriesOp): TimeRange | undefined {
  if (!isTime(op.on) || !op.from || !op.to) return undefined;
  const from = constantTicks(rt, env, op.from);
  const to = constantTicks(rt, env, op.to);
  const step = constantTicks(rt, env, op.step);
  if (from?.type !== 'datetime' || to?.type !== 'datetime' || step?.type !== 'timespan' || step.ticks <= 0n) return undefined;
  return { min: from.ticks, max: op.inclusiveEnd ? to.ticks + step.ticks : to.ticks };
}

/**
 * With `extra` (an operator above that ignores rows outside it: makeSeriesRange), that range narrows the
 * one the wheres imply, so only extents are skipped whose rows the operator would ignore anyway.
 */
export function scanWithWheres(rt: Runtime, e: PipeExpr, env: Env, extra?: TimeRange): Relation | undefined {
  const wheres: WhereOp[] = [];
  let cur: Expr = e;
  while (cur.kind === 'PipeExpr' && cur.op.kind === 'WhereOp') {
    wheres.push(cur.op);
    cur = cur.source;
    while (cur.kind === 'ParenExpr') cur = cur.expr;
  }
  wheres.reverse();
  if (cur.kind !== 'NameRef' || env.lookup(cur.name)) return undefined;
  const schema = rt.source?.schema(cur.name);
  if (!schema) return undefined;
  const timed = schema.columns.some((c) => c.name === TIME_COLUMN && c.type === 'datetime');
  const implied = timed ? impliedTimeRange(rt, env, wheres.map((w) => w.predicate)) : undefined;
  const range = timed && extra ? narrowRange(implied, extra) : implied;
  const cache = rt.sharedScans;
  const keys = cache ? chainKeys(rt, env, cur.name, range, wheres) : undefined;
  if (wheres.every((w) => perExtent(rt, w.predicate))) return chainByExtent(rt, env, cur.name, schema, range, wheres, cache, keys);
  let start = 0;
  let rel: Relation | undefined;
  if (cache && keys) {
    for (let k = wheres.length; k >= 0 && !rel; k--) {
      const hit = keys[k] !== undefined ? cache.get(keys[k]!) : undefined;
      if (hit) {
        rel = hit;
        start = k;
      }
    }
  }
  if (!rel) {
    rel = scanTable(rt, cur.name, range);
    if (cache && keys?.[0] !== undefined) cache.set(keys[0], rel);
  }
  for (let k = start; k < wheres.length; k++) {
    checkLimits(rt);
    rel = where(wheres[k]!, rel, { rt, env });
    if (cache && keys?.[k + 1] !== undefined) cache.set(keys[k + 1]!, rel);
  }
  return rel;
}

function narrowRange(a: TimeRange | undefined, b: TimeRange): TimeRange {
  const min = a?.min === undefined ? b.min : b.min === undefined || a.min > b.min ? a.min : b.min;
  const max = a?.max === undefined ? b.max : b.max === undefined || a.max < b.max ? a.max : b.max;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/**
 * The where chain run on each extent in turn, the survivors joined at the end. With a shared cache, each
 * prefix's per-extent results are kept (rules sharing a prefix continue from it) and the whole chain's
 * joined relation too.
 */
function chainByExtent(rt: Runtime, env: Env, table: string, schema: TableSchema, range: TimeRange | undefined, wheres: WhereOp[], cache: Map<string, Relation> | undefined, keys: (string | undefined)[] | undefined): Relation {
  const full = keys?.[wheres.length];
  const done = full !== undefined ? cache?.get(full) : undefined;
  if (done) return done;
  let parts: Relation[] | undefined;
  let partsCache: Map<string, Relation[]> | undefined;
  if (cache) {
    partsCache = partsCaches.get(cache);
    if (!partsCache) partsCaches.set(cache, (partsCache = new Map()));
  }
  let start = 0;
  for (let k = wheres.length; k >= 0 && !parts && partsCache && keys; k--) {
    const hit = keys[k] !== undefined ? partsCache.get(keys[k]!) : undefined;
    if (hit) {
      parts = hit;
      start = k;
    }
  }
  if (!parts) {
    parts = rt.source!.scan(table, range).map((t) => extentRelation(schema, t));
    for (const p of parts) rt.stats.rowsScanned += p.length;
    if (partsCache && keys?.[0] !== undefined) partsCache.set(keys[0], parts);
  }
  for (let k = start; k < wheres.length; k++) {
    const next: Relation[] = [];
    // A time filter followed by an indexed test runs on the index's few rows (timeThenIndexed) rather than
    // on every row of the extent. With a shared cache this holds too: the time filter's own result is kept
    // for other rules only where no part could take that path (then it was computed for every part anyway).
    const pair = k + 1 < wheres.length;
    const firsts: Relation[] = [];
    let paired = false;
    for (const p of parts) {
      checkLimits(rt);
      const both = pair ? timeThenIndexed(wheres[k]!, wheres[k + 1]!, p, { rt, env }) : undefined;
      if (both) paired = true;
      const out = both ?? where(wheres[k]!, p, { rt, env });
      if (both || !pair) {
        if (out.length) next.push(out);
      } else {
        if (out.length) firsts.push(out);
        const two = out.length ? where(wheres[k + 1]!, out, { rt, env }) : out;
        if (two.length) next.push(two);
      }
    }
    parts = next;
    if (pair) {
      if (!paired && partsCache && keys?.[k + 1] !== undefined) partsCache.set(keys[k + 1]!, firsts);
      k++; // both wheres ran on every part
    }
    if (partsCache && keys?.[k + 1] !== undefined) partsCache.set(keys[k + 1]!, parts);
  }
  const rel = concatParts(schema, parts);
  if (cache && full !== undefined) cache.set(full, rel);
  return rel;
}

/**
 * Cache keys for each prefix of the chain: the table, the pushed range, each predicate's text, and the
 * values of the non-column names it reads. A name bound to anything but a scalar ends the keys there
 * (its meaning is not captured by a value).
 */
function chainKeys(rt: Runtime, env: Env, table: string, range: TimeRange | undefined, wheres: WhereOp[]): (string | undefined)[] {
  let key = `${table}|now=${rt.ctx.now}|${range?.min ?? ''}..${range?.max ?? ''}`;
  const keys: (string | undefined)[] = [key];
  const columns = new Set(rt.source!.schema(table)!.columns.map((c) => c.name));
  for (const w of wheres) {
    const names = new Set<string>();
    if (!collectNames(rt, w.predicate, names)) break;
    const values: string[] = [];
    let ok = true;
    for (const n of [...names].sort()) {
      if (columns.has(n)) continue;
      const entry = env.lookup(n);
      if (entry?.kind !== 'scalar') { ok = false; break; }
      values.push(`${n}=${typeof entry.value === 'bigint' ? entry.value.toString() + 'n' : JSON.stringify(entry.value)}`);
    }
    if (!ok) break;
    key += `\n${canonical(w.predicate)}\n${values.join(',')}`;
    keys.push(key);
  }
  return keys;
}

/** An expression's tree without source positions: equal for the same predicate written anywhere. */
function canonical(e: Expr): string {
  return JSON.stringify(e, (k, v: unknown) => (k === 'span' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
}

/** Collects NameRefs of a scalar predicate; false when it holds something a key cannot capture. */
function collectNames(rt: Runtime, e: Expr, out: Set<string>): boolean {
  const walk = (x: Expr): boolean => collectNames(rt, x, out);
  switch (e.kind) {
    case 'Literal':
      return true;
    case 'NameRef':
      out.add(e.name);
      return true;
    case 'ParenExpr':
      return walk(e.expr);
    case 'UnaryExpr':
      return walk(e.operand);
    case 'BinaryExpr':
      return walk(e.left) && walk(e.right);
    case 'BetweenExpr':
      return walk(e.left) && walk(e.low) && walk(e.high);
    case 'InExpr':
      return walk(e.left) && e.right.every((x) => !rt.bound.schemaOf(x) && walk(x));
    case 'CallExpr':
      // function calls are pure apart from rand/new_guid (now()/ago() are fixed for the whole query)
      if (rt.bound.callOf(e)?.kind !== 'scalar' || /^(rand|new_guid|toscalar|materialize)$/i.test(e.name.name)) return false;
      return e.args.every((a) => (a.kind === 'NamedArg' ? walk(a.value) : a.kind !== 'StarExpr' && walk(a)));
    default:
      return false;
  }
}
