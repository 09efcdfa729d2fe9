/**
 * `join` (every kind; `innerunique` by default: the left side de-duplicated on the key, keeping its first
 * row) and `lookup`. Keys: `on a, b` (same name both sides) or `$left.x == $right.y`. Hash join on dense
 * key ids (no string per row): the right side is indexed by key id, the left side probes, and the output
 * columns are gathered by two index vectors.
 */
import type { Expr, JoinOp, LookupOp } from '../../kql/syntax/ast.js';
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { joinRightNames } from '../../kql/semantics/naming.js';
import { gatherColumn } from '../storage/builders.js';
import { isValid, type Column } from '../storage/column.js';
import { gatherParts } from '../storage/parts.js';
import { QueryError } from '../values/value.js';
import { lazyColumn } from '../storage/merge.js';
import { identityRows, PairIds, ValueIds } from '../compile/value-ids.js';
import { entryOf, type Relation } from '../compile/relation.js';
import { encodeKey } from '../compile/vector.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { reserve } from '../memory.js';
import { scope, type OpContext } from './context.js';
import { pairWindow, type JoinSource, type PairTest } from './join-window.js';

/** A module-level copy: under tsx (benchmarks, tests) each read of an imported binding is a getter call, and
 * the row loops read it per row. */
const CHECK_MASK = LIMIT_CHECK_MASK;

/** `$left.a == $right.b and $left.c == $right.d` is the same as listing the two conditions with a comma. */
function conjuncts(e: Expr): Expr[] {
  if (e.kind === 'ParenExpr') return conjuncts(e.expr);
  return e.kind === 'BinaryExpr' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function keyPairs(on: Expr[]): { left: Expr; right: Expr }[] {
  return on.flatMap(conjuncts).map((k) => {
    if (k.kind === 'NameRef') return { left: k, right: k };
    if (k.kind === 'BinaryExpr' && k.op === '==' && k.left.kind === 'MemberExpr' && k.right.kind === 'MemberExpr') {
      const l = k.left.target.kind === 'NameRef' && k.left.target.name === '$left' ? k.left : k.right;
      const r = l === k.left ? k.right : k.left;
      return { left: { kind: 'NameRef', name: (l as { name: { name: string } }).name.name, span: l.span }, right: { kind: 'NameRef', name: (r as { name: { name: string } }).name.name, span: r.span } };
    }
    throw new QueryError("join keys must be column names or '$left.a == $right.b'", 'KQL4010');
  });
}

/**
 * Join keys as dense ids, both sides sharing the encoders (so equal values get equal ids): each key's
 * values by `ValueIds`, composite keys combined pairwise. Encode the right side first: its keys then have
 * the ids below `size` as it returns, and a left key that is not on the right gets a larger one.
 */
class KeyEncoder {
  private readonly ids: ValueIds[];
  private readonly pairs: PairIds[];
  constructor(private readonly count: number) {
    this.ids = Array.from({ length: count }, () => new ValueIds());
    this.pairs = Array.from({ length: Math.max(0, count - 1) }, () => new PairIds());
  }

  private frozen = false;

  /** From now on a key never seen gets -1 (marked in nullKey: it matches nothing) and no id. */
  freeze(): void {
    this.frozen = true;
    for (const ids of this.ids) ids.frozen = true;
    for (const pairs of this.pairs) pairs.groupByFirst();
  }

  /** Composite key id per logical row, whether any key is null, and how many ids exist so far. */
  encode(rel: Relation, exprs: Expr[], cx: OpContext): { rows: Int32Array; keys: Int32Array; nullKey: Uint8Array; size: number } {
    // no selection: the shared identity rows (only read here and by the pairs below)
    const rows = rel.sel ?? identityRows(rel.length);
    const n = rows.length;
    const nullKey = new Uint8Array(n);
    // no keys (a cross join): every row has id 0
    let keys = this.count === 0 ? new Int32Array(n) : undefined;
    const sc = scope(cx, rel);
    exprs.forEach((e, j) => {
      const out = new Int32Array(n);
      encodeKey(e, sc, rows, !rel.sel, this.ids[j]!, out, nullKey);
      // (a first side's composite keys: the pair table sized for its rows at once, not grown by doubling)
      if (j > 0 && !this.frozen && this.pairs[j - 1]!.size === 0) this.pairs[j - 1] = new PairIds(Math.min(n, 1 << 17));
      if (!keys) keys = out;
      else if (this.frozen) for (let i = 0; i < n; i++) keys[i] = keys[i]! < 0 || out[i]! < 0 ? -1 : this.pairs[j - 1]!.find(keys[i]!, out[i]!);
      else for (let i = 0; i < n; i++) keys[i] = this.pairs[j - 1]!.idOf(keys[i]!, out[i]!);
    });
    if (this.frozen) for (let i = 0; i < n; i++) if (keys![i]! < 0) nullKey[i] = 1;
    return { rows, keys: keys!, nullKey, size: this.size(n) };
  }

  private size(rows: number): number {
    return this.count === 0 ? (rows > 0 ? 1 : 0) : this.count === 1 ? this.ids[0]!.size : this.pairs[this.count - 2]!.size;
  }

  /**
   * `encode` of a frozen encoder for a side whose unmatched rows the join drops, keeping only the rows whose
   * key is known (the rest would be null keys the join skips): each key column is read part by part (a
   * where chain's per-extent parts) into one part-sized buffer, a row whose first key is unknown is not
   * looked at again, and nothing the size of the whole side is made. The IOC join's 5.4M connections
   * against 200 addresses keep 55k rows; a LOLBin join's connections keep those of the processes' devices
   * and ids. Undefined (use `encode`) when a key is not a bare column concatenating parts.
   */
  encodeMatching(rel: Relation, exprs: Expr[]): { rows: Int32Array; keys: Int32Array; nullKey: Uint8Array; size: number } | undefined {
    if (!this.frozen || rel.sel || exprs.length === 0) return undefined;
    const parts = exprs.map((e) => (e.kind === 'NameRef' ? entryOf(rel, e.name)?.parts : undefined));
    const first = parts[0];
    if (!first || parts.some((p) => !p || p.lengths.length !== first.lengths.length || p.lengths.some((l, i) => l !== first.lengths[i]))) return undefined;
    let widest = 0;
    for (const l of first.lengths) widest = Math.max(widest, l);
    // per-part buffers, made only if a part needs encodeColumn
    let outs: Int32Array[] | undefined;
    let isNull: Uint8Array | undefined;
    const rows = new IndexList();
    const keys = new IndexList();
    let at = 0;
    for (let p = 0; p < first.lengths.length; p++) {
      const n = first.lengths[p]!;
      const sels = parts.map((part) => part!.sels[p]);
      // (device id, process id), the commonest composite key: both lookups and the pair scan inlined
      if (exprs.length === 2 && this.matchPairPart(parts[0]!.entries[p]!.column, parts[1]!.entries[p]!.column, sels[0], sels[1], n, at, rows, keys)) {
        at += n;
        continue;
      }
      // each key read through its probe (codes mapped once per part, integers by direct table): no buffers
      const probes = exprs.map((_, j) => this.ids[j]!.probe(parts[j]!.entries[p]!.column, n));
      if (probes.every((f) => f !== undefined)) {
        const probe0 = probes[0]!;
        const sel0 = sels[0];
        for (let i = 0; i < n; i++) {
          let k = probe0(sel0 ? sel0[i]! : i);
          if (k < 0) continue;
          for (let j = 1; j < exprs.length && k >= 0; j++) {
            const sj = sels[j];
            const y = probes[j]!(sj ? sj[i]! : i);
            k = y < 0 ? -1 : this.pairs[j - 1]!.find(k, y);
          }
          if (k < 0) continue;
          rows.push(at + i);
          keys.push(k);
        }
        at += n;
        continue;
      }
      outs ??= exprs.map(() => new Int32Array(widest));
      isNull ??= new Uint8Array(widest);
      isNull.fill(0, 0, n);
      for (let j = 0; j < exprs.length; j++) {
        const part = parts[j]!;
        this.ids[j]!.encodeColumn(part.entries[p]!.column, part.sels[p] ?? identityRows(n), outs[j]!.subarray(0, n), isNull.subarray(0, n));
      }
      const out0 = outs[0]!;
      for (let i = 0; i < n; i++) {
        let k = out0[i]!;
        if (k < 0 || isNull[i]) continue;
        for (let j = 1; j < exprs.length && k >= 0; j++) {
          const y = outs[j]![i]!;
          k = y < 0 ? -1 : this.pairs[j - 1]!.find(k, y);
        }
        if (k < 0) continue;
        rows.push(at + i);
        keys.push(k);
      }
      at += n;
    }
    const kept = rows.finish();
    return { rows: kept, keys: keys.finish(), nullKey: new Uint8Array(kept.length), size: this.size(at) };
  }

  /**
   * encodeMatching's loop over one part for two keys, a dictionary column then an integer column (DeviceId,
   * ProcessId), when the frozen pairs are grouped by their first key: the rows and ids the probes and
   * `PairIds.find` give, with every lookup inlined (no call per row). False (nothing done) when the part is
   * not of that form.
   */
  private matchPairPart(c0: Column, c1: Column, s0: Int32Array | undefined, s1: Int32Array | undefined, n: number, at: number, rows: IndexList, keys: IndexList): boolean {
    const grouped = this.pairs[0]!.grouped();
    if (!grouped || (c0.type !== 'string' && c0.type !== 'guid') || c1.type === 'string' || c1.type === 'guid') return false;
    const a = this.ids[0]!.keyLookup(c0, n);
    if (!a || a.kind !== 'codes' || a.validity) return false;
    const b = this.ids[1]!.keyLookup(c1, n);
    if (!b || b.kind !== 'ints') return false;
    const { codes, memo } = a;
    const { values, validity } = b;
    const { start, ids } = grouped;
    // each pair's second key as its number (the direct table exists, so they are integers, none NaN): a row's
    // value is compared with its first key's few pairs, no table lookup (which missed the cache per row)
    // (a null second key, which a pair may hold, as NaN: it matches no row, as null keys never match)
    const second = (this.secondValues ??= Float64Array.from(grouped.ys, (y) => {
      const v = this.ids[1]!.values[y];
      return typeof v === 'number' ? v : NaN;
    }));
    const maxX = start.length - 2;
    for (let i = 0; i < n; i++) {
      const x = memo[codes[s0 ? s0[i]! : i]!]!;
      // an unknown first key (-1), or one without pairs
      if (x < 0 || x > maxX) continue;
      let m = start[x]!;
      const end = start[x + 1]!;
      if (m === end) continue;
      const r1 = s1 ? s1[i]! : i;
      if (validity && !isValid(validity, r1)) continue;
      // (=== as the ids compare numbers: 0 and -0 alike; NaN matches nothing, and no key is NaN)
      const v = values[r1]!;
      for (; m < end; m++) {
        if (second[m] === v) {
          rows.push(at + i);
          keys.push(ids[m]!);
          break;
        }
      }
    }
    return true;
  }

  /** matchPairPart's second keys by pair, in `PairIds.grouped()` order. */
  private secondValues?: Float64Array;
}

/**
 * A growing list of row indices (pair sides), finished into an Int32Array. Each doubling is reserved
 * against the query's memory budget first, so a join whose output cannot fit ends before allocating it.
 */
class IndexList {
  private data = new Int32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      reserve(this.data.length * 2 * 4);
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
  finish(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The right side's rows by key id: rows of key k are order[start[k] .. start[k + 1]) (logical indices, in order). */
function indexRight(R: { keys: Int32Array; nullKey: Uint8Array }, size: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(size + 1);
  for (let i = 0; i < R.keys.length; i++) if (!R.nullKey[i]) start[R.keys[i]! + 1]!++;
  for (let k = 0; k < size; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, size);
  const order = new Int32Array(start[size]!);
  for (let i = 0; i < R.keys.length; i++) if (!R.nullKey[i]) order[fill[R.keys[i]!]!++] = i;
  return { start, order };
}

function paramOf(op: { parameters: { name: { name: string }; value: Expr }[] }, name: string, dflt: string): string {
  const v = op.parameters.find((p) => p.name.name === name)?.value;
  return (v?.kind === 'NameRef' ? v.name : v?.kind === 'Literal' ? String(v.value) : dflt).toLowerCase();
}

/**
 * The joined columns: the left side's, then the right side's with names made unique (`key1`), as the
 * binder names them; built from the actual inputs, which inside a function may have more columns than
 * its parameter declares. Pair sides of -1 give nulls.
 */
function outputColumns(left: Relation, right: Relation, leftOnly: boolean, rightOnly: boolean): { sources: JoinSource[]; names: { name: string; type: ScalarTypeName }[] } {
  const lcols = leftOnly || !rightOnly ? left.columns : [];
  const rcols = rightOnly || !leftOnly ? right.columns : [];
  const sources = [...lcols.map((c) => ({ side: 0, c })), ...rcols.map((c) => ({ side: 1, c }))];
  const rightNames = joinRightNames(lcols.map((c) => c.name), rcols.map((c) => c.name));
  // a concatenation's type from its parts' description: reading `column` would make the concatenated copy
  const names = sources.map(({ side, c }, i) => ({ name: side === 0 ? c.name : rightNames[i - lcols.length]!, type: c.parts?.type ?? c.column.type }));
  return { sources, names };
}

function assemble(left: Relation, right: Relation, pairs: { left: IndexList; right: IndexList }, leftOnly: boolean, rightOnly: boolean): Relation {
  const { sources, names } = outputColumns(left, right, leftOnly, rightOnly);
  return gathered(sources, names, pairs.left.finish(), pairs.right.finish());
}

/**
 * The join's output rows as index pairs into its inputs; each output column is gathered when first read (a
 * projection after the join reads a few), from a where chain's per-extent parts when it has them
 * (gatherParts). `narrow` gives the relation of some output rows by picking their index pairs, so a `where`
 * after the join (a time window) gathers the other columns only for the pairs it keeps.
 */
function gathered(sources: JoinSource[], names: { name: string }[], leftIdx: Int32Array, rightIdx: Int32Array): Relation {
  const columns = sources.map(({ side, c }, i) => lazyColumn(names[i]!.name, () => (c.parts ? gatherParts(c.parts, side === 0 ? leftIdx : rightIdx) : gatherColumn(c.column, side === 0 ? leftIdx : rightIdx))));
  const rows = (keep: Int32Array): Relation => {
    const l = new Int32Array(keep.length);
    const r = new Int32Array(keep.length);
    for (let i = 0; i < keep.length; i++) {
      l[i] = leftIdx[keep[i]!]!;
      r[i] = rightIdx[keep[i]!]!;
    }
    return gathered(sources, names, l, r);
  };
  return { columns, length: leftIdx.length, narrow: { columns, length: leftIdx.length, rows } };
}

function windowTest(window: Expr, left: Relation, right: Relation, cx: OpContext): PairTest | undefined {
  const { sources, names } = outputColumns(left, right, false, false);
  return pairWindow(window, sources, names, left, right, cx);
}

/**
 * `window`: the predicate of a `where` right after this join (run.ts runs it after the join either way);
 * for an inner join, its time-window conjuncts are tested on each pair before the pair is made (join-window.ts).
 */
export function join(op: JoinOp, left: Relation, right: Relation, cx: OpContext, window?: Expr): Relation {
  const kind = paramOf(op, 'kind', 'innerunique');
  if (!['innerunique', 'inner', 'leftouter', 'rightouter', 'fullouter', 'leftsemi', 'leftanti', 'anti', 'leftantisemi', 'rightsemi', 'rightanti', 'rightantisemi'].includes(kind)) {
    throw new QueryError(`join kind '${kind}' is not supported`, 'KQL4010');
  }
  const keys = keyPairs(op.on);
  const enc = new KeyEncoder(keys.length);
  // When the left side is much smaller (a hunt's few suspicious processes against every connection), keys
  // get ids there and the right side only looks its keys up: a key the left lacks matches nothing either
  // way. Measured: 25% less CPU at 10× the rows, but slower than the usual order at 2× (hence the margin).
  const leftSmaller = left.length * 8 < right.length;
  // the frozen side's rows with an unknown key can be left out when the kind drops that side's unmatched rows
  const keepsUnmatchedLeft = kind === 'leftouter' || kind === 'fullouter' || kind === 'leftanti' || kind === 'anti' || kind === 'leftantisemi';
  const keepsUnmatchedRight = kind === 'rightouter' || kind === 'fullouter' || kind === 'rightanti' || kind === 'rightantisemi';
  let R, L;
  if (leftSmaller) {
    L = enc.encode(left, keys.map((k) => k.left), cx);
    enc.freeze();
    const rightKeys = keys.map((k) => k.right);
    R = (!keepsUnmatchedRight && enc.encodeMatching(right, rightKeys)) || enc.encode(right, rightKeys, cx);
  } else {
    R = enc.encode(right, keys.map((k) => k.right), cx);
    // a left key the right side lacks matches nothing: it gets -1 (no id, no growth of the tables)
    enc.freeze();
    const leftKeys = keys.map((k) => k.left);
    L = (!keepsUnmatchedLeft && enc.encodeMatching(left, leftKeys)) || enc.encode(left, leftKeys, cx);
  }
  // every left id is below rightSize when the left side made the ids (the index then covers all of them)
  const rightSize = leftSmaller ? L.size : R.size;
  const { start, order } = indexRight(R, rightSize);
  const pairs = { left: new IndexList(), right: new IndexList() };
  // limits are checked every 1,024 output pairs and every 1,024 left rows: one key can match millions
  let work = 0;
  const push = (l: number, r: number) => {
    pairs.left.push(l);
    pairs.right.push(r);
    if ((++work & CHECK_MASK) === 0) checkLimits(cx.rt);
  };
  // inner kinds only: a pair the where drops can then simply not be made (outer kinds keep unmatched rows)
  const pass = window && (kind === 'inner' || kind === 'innerunique') ? windowTest(window, left, right, cx) : undefined;
  const rightMatched = new Uint8Array(R.rows.length);
  const seenLeft = kind === 'innerunique' ? new Uint8Array(L.size) : undefined;
  // a left row whose key is null or unknown to the right side matches nothing: only the kinds that keep
  // unmatched left rows look at it
  for (let i = 0; i < L.rows.length; i++) {
    if ((i & CHECK_MASK) === CHECK_MASK) checkLimits(cx.rt);
    if (L.nullKey[i] && !keepsUnmatchedLeft) continue;
    const k = L.keys[i]!;
    if (seenLeft) {
      if (seenLeft[k]) continue;
      seenLeft[k] = 1;
    }
    const from = !L.nullKey[i] && k < rightSize ? start[k]! : 0;
    const to = !L.nullKey[i] && k < rightSize ? start[k + 1]! : 0;
    const matched = to > from;
    switch (kind) {
      case 'leftsemi':
        if (matched) push(L.rows[i]!, -1);
        break;
      case 'leftanti':
      case 'anti':
      case 'leftantisemi':
        if (!matched) push(L.rows[i]!, -1);
        break;
      case 'rightsemi':
      case 'rightanti':
      case 'rightantisemi':
        // a key's right rows are marked once, however many left rows share the key
        if (from < to && !rightMatched[order[from]!]) for (let m = from; m < to; m++) rightMatched[order[m]!] = 1;
        break;
      default:
        if (matched && pass) {
          const l = L.rows[i]!;
          for (let m = from; m < to; m++) {
            const r = R.rows[order[m]!]!;
            if (pass(l, r)) push(l, r);
          }
        } else if (matched) {
          for (let m = from; m < to; m++) {
            push(L.rows[i]!, R.rows[order[m]!]!);
            rightMatched[order[m]!] = 1;
          }
        } else if (kind === 'leftouter' || kind === 'fullouter') push(L.rows[i]!, -1);
    }
  }
  if (kind === 'rightsemi' || kind === 'rightanti' || kind === 'rightantisemi') {
    const want = kind === 'rightsemi' ? 1 : 0;
    for (let m = 0; m < R.rows.length; m++) if (rightMatched[m] === want) push(-1, R.rows[m]!);
    return assemble(left, right, pairs, false, true);
  }
  if (kind === 'rightouter' || kind === 'fullouter') for (let m = 0; m < R.rows.length; m++) if (!rightMatched[m]) push(-1, R.rows[m]!);
  const leftOnly = kind === 'leftsemi' || kind === 'leftanti' || kind === 'anti' || kind === 'leftantisemi';
  return assemble(left, right, pairs, leftOnly, false);
}

export function lookup(op: LookupOp, left: Relation, right: Relation, cx: OpContext): Relation {
  const kind = paramOf(op, 'kind', 'leftouter');
  const keys = keyPairs(op.on);
  const keyNames = new Set(keys.map((k) => (k.right as { name: string }).name));
  const rightKept: Relation = { ...right, columns: right.columns.filter((c) => !keyNames.has(c.name)) };
  const enc = new KeyEncoder(keys.length);
  const R = enc.encode(right, keys.map((k) => k.right), cx);
  const rightSize = R.size;
  const L = enc.encode(left, keys.map((k) => k.left), cx);
  // the first right row of each key
  const first = new Int32Array(rightSize).fill(-1);
  for (let i = 0; i < R.keys.length; i++) if (!R.nullKey[i] && first[R.keys[i]!]! < 0) first[R.keys[i]!] = R.rows[i]!;
  const pairs = { left: new IndexList(), right: new IndexList() };
  // a left row whose key is null or unknown to the right side matches nothing: only the kinds that keep
  // unmatched left rows look at it (most rows of a large side probing a few IOCs end here)
  const keepsUnmatchedLeft = kind === 'leftouter' || kind === 'fullouter' || kind === 'leftanti' || kind === 'anti' || kind === 'leftantisemi';
  for (let i = 0; i < L.rows.length; i++) {
    if ((i & CHECK_MASK) === CHECK_MASK) checkLimits(cx.rt);
    if (L.nullKey[i] && !keepsUnmatchedLeft) continue;
    const k = L.keys[i]!;
    const m = k < rightSize ? first[k]! : -1;
    if (m >= 0) {
      pairs.left.push(L.rows[i]!);
      pairs.right.push(m);
    } else if (kind !== 'inner') {
      pairs.left.push(L.rows[i]!);
      pairs.right.push(-1);
    }
  }
  return assemble(left, rightKept, pairs, false, false);
}
