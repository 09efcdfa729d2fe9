/**
 * Reading a concatenated column (a where chain's per-extent survivors, `ColumnParts`) without making it:
 * a join's output or key encoding touches the rows it needs in each part, where concatenating would copy
 * every selected row of every part first (and merge their string dictionaries through a Map).
 */
import { bytesPerRow, gatherColumn, readCell } from './builders.js';
import { isValid, newValidity, setValid, type Column, type GuidColumn, type NumberColumn, type StringColumn, type TicksColumn, type Validity } from './column.js';
import { reserve } from '../memory.js';
import type { Value } from '../values/value.js';
import { concatSelected, type ColumnParts } from './merge.js';
import { giveRows, takeRows } from './scratch.js';
import { noteSharedIds, pushUnshared, sharedIdsOf, sharedStringCount } from './shared-strings.js';

/** Where each part starts in the concatenation (parts.lengths summed), with the total at the end. */
export function partOffsets(parts: ColumnParts): Int32Array {
  const offsets = new Int32Array(parts.lengths.length + 1);
  for (let p = 0; p < parts.lengths.length; p++) offsets[p + 1] = offsets[p]! + parts.lengths[p]!;
  return offsets;
}

/** The part holding row `r` of the concatenation (offsets from partOffsets; r below the total). */
export function partAt(offsets: Int32Array, r: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= r) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Row `r` of the concatenation read from its part (no concatenated copy): for reading a few rows, such
 * as arg_max(*)'s winning row of each group.
 */
export function partsCellReader(parts: ColumnParts): (r: number) => Value {
  const offsets = partOffsets(parts);
  return (r) => {
    const p = partAt(offsets, r);
    const local = r - offsets[p]!;
    const sel = parts.sels[p];
    return readCell(parts.entries[p]!.column, sel ? sel[local]! : local);
  };
}

/**
 * `gatherColumn(concatenation, idx)` read from the parts: rows `idx` of the concatenation (may repeat, in
 * any order; -1 gives null). Strings, guids, ticks and numbers are read straight from each part's arrays
 * (a part's dictionary codes mapped once each into the new dictionary, which holds only the strings the
 * rows use); other types gather each part's rows and put the pieces in order.
 */
export function gatherParts(parts: ColumnParts, idx: ArrayLike<number>): Column {
  // each row's part and row in it: reused buffers (scratch.ts), read only within this call
  const partBuf = takeRows(idx.length);
  const rowBuf = takeRows(idx.length);
  try {
    return gatherWith(parts, idx, partBuf.subarray(0, idx.length), rowBuf.subarray(0, idx.length));
  } finally {
    giveRows(partBuf);
    giveRows(rowBuf);
  }
}

function gatherWith(parts: ColumnParts, idx: ArrayLike<number>, partOf: Int32Array, rowOf: Int32Array): Column {
  const n = idx.length;
  const offsets = partOffsets(parts);
  const used = new Int32Array(parts.entries.length); // rows read from each part
  let nulls = false;
  // the part of the previous row first: a join side's rows in order, or pairs of one key, stay in one part
  let p = 0;
  for (let i = 0; i < n; i++) {
    const r = idx[i]!;
    if (r < 0) {
      partOf[i] = rowOf[i] = -1;
      nulls = true;
      continue;
    }
    if (r < offsets[p]! || r >= offsets[p + 1]!) p = partAt(offsets, r);
    const local = r - offsets[p]!;
    const sel = parts.sels[p];
    partOf[i] = p;
    rowOf[i] = sel ? sel[local]! : local;
    used[p]!++;
  }
  // the columns of the parts the rows come from (a part's column may still have to be loaded)
  const cols: (Column | undefined)[] = parts.entries.map((e, p) => (used[p] ? e.column : undefined));
  const first = cols.find((c) => c !== undefined) ?? parts.entries[0]!.column;
  reserve(n * bytesPerRow(first.type));
  switch (first.type) {
    case 'string':
    case 'guid':
      return gatherStrings(first.type, cols as (StringColumn | GuidColumn | undefined)[], used, partOf, rowOf, nulls);
    case 'datetime':
    case 'timespan': {
      const hi = new Float64Array(n);
      const lo = new Uint16Array(n);
      for (let i = 0; i < n; i++) {
        const p = partOf[i]!;
        if (p < 0) continue;
        const c = cols[p] as TicksColumn;
        hi[i] = c.hi[rowOf[i]!]!;
        lo[i] = c.lo[rowOf[i]!]!;
      }
      return { type: first.type, length: n, hi, lo, validity: gatherValidity(cols, partOf, rowOf, nulls) };
    }
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      if ((cols as (NumberColumn | undefined)[]).some((c) => c?.big)) break;
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const p = partOf[i]!;
        if (p >= 0) values[i] = (cols[p] as NumberColumn).values[rowOf[i]!]!;
      }
      return { type: first.type, length: n, values, validity: gatherValidity(cols, partOf, rowOf, nulls) };
    }
  }
  return gatherPiecewise(parts, idx, offsets);
}

function gatherStrings(type: 'string' | 'guid', cols: (StringColumn | GuidColumn | undefined)[], counts: Int32Array, partOf: Int32Array, rowOf: Int32Array, nulls: boolean): Column {
  const n = partOf.length;
  const dict: string[] = [];
  const index = new Map<string, number>();
  // each part's code -> new code: an array when the part's dictionary is not much larger than the rows
  // read from it, else a Map (a few rows of each of 30 extents with 40,000 addresses each)
  const remaps: (Int32Array | undefined)[] = cols.map((c, p) => (c && c.dict.length <= 4 * counts[p]! + 1024 ? new Int32Array(c.dict.length).fill(-1) : undefined));
  const sparse: (Map<number, number> | undefined)[] = cols.map((c, p) => (c && !remaps[p] ? new Map() : undefined));
  const codes = new Int32Array(n);
  // stored extents' dictionaries: strings matched across parts by shared id (no hashing)
  const shared = cols.map((c) => (c ? sharedIdsOf(c.dict) : undefined));
  if (cols.every((c, p) => !c || shared[p])) return gatherShared(type, cols, shared as Int32Array[], partOf, rowOf, nulls);
  const codeOf = (str: string) => {
    let g = index.get(str);
    if (g === undefined) index.set(str, (g = dict.push(str) - 1));
    return g;
  };
  // a null row of a string column reads as '' (KQL strings are never null); of a guid, as null (validity)
  const empty = nulls ? codeOf('') : -1;
  for (let i = 0; i < n; i++) {
    const p = partOf[i]!;
    if (p < 0) {
      codes[i] = empty;
      continue;
    }
    const c = cols[p]!;
    const code = c.codes[rowOf[i]!]!;
    const remap = remaps[p];
    if (remap) {
      let g = remap[code]!;
      if (g < 0) remap[code] = g = codeOf(c.dict[code]!);
      codes[i] = g;
    } else {
      const m = sparse[p]!;
      let g = m.get(code);
      if (g === undefined) m.set(code, (g = codeOf(c.dict[code]!)));
      codes[i] = g;
    }
  }
  if (!dict.length) dict.push('');
  if (type === 'string') return { type, length: n, dict, codes };
  return { type, length: n, dict, codes, validity: gatherValidity(cols, partOf, rowOf, nulls) };
}

/** gatherStrings when every part read has shared string ids: the new dictionary holds each string once. */
function gatherShared(type: 'string' | 'guid', cols: (StringColumn | GuidColumn | undefined)[], shared: Int32Array[], partOf: Int32Array, rowOf: Int32Array, nulls: boolean): Column {
  const n = partOf.length;
  const dict: string[] = [];
  const byShared = new Int32Array(sharedStringCount()).fill(-1);
  // the new dictionary's shared ids, kept with it: a group-by or dcount over the gathered column (a join's
  // output) then matches its strings by id as it would the stored ones
  const dictIds: number[] = [];
  const codes = new Int32Array(n);
  // a null row of a string column reads as '' (KQL strings are never null); of a guid, as null (validity)
  let empty = -1;
  for (let i = 0; i < n; i++) {
    const p = partOf[i]!;
    if (p < 0) {
      if (empty < 0) empty = pushUnshared(dict, dictIds, '');
      codes[i] = empty;
      continue;
    }
    const c = cols[p]!;
    const code = c.codes[rowOf[i]!]!;
    const s = shared[p]![code]!;
    let g = byShared[s]!;
    if (g < 0) {
      byShared[s] = g = dict.push(c.dict[code]!) - 1;
      dictIds.push(s);
    }
    codes[i] = g;
  }
  if (!dict.length) pushUnshared(dict, dictIds, '');
  noteSharedIds(dict, Int32Array.from(dictIds));
  if (type === 'string') return { type, length: n, dict, codes };
  return { type, length: n, dict, codes, validity: gatherValidity(cols, partOf, rowOf, nulls) };
}

/** The gathered rows' validity: null where idx was -1 or the part's cell is null; undefined when none is. */
function gatherValidity(cols: (Column | undefined)[], partOf: Int32Array, rowOf: Int32Array, nulls: boolean): Validity {
  const n = partOf.length;
  if (!nulls && cols.every((c) => !c || !('validity' in c) || !c.validity)) return undefined;
  const out = newValidity(n, true);
  for (let i = 0; i < n; i++) {
    const p = partOf[i]!;
    if (p < 0) {
      setValid(out, i, false);
      continue;
    }
    const c = cols[p]!;
    const v = 'validity' in c ? c.validity : undefined;
    if (v && !isValid(v, rowOf[i]!)) setValid(out, i, false);
  }
  return out;
}

/** Any type: each part's rows gathered from the part's own column, the pieces back to back, then in idx's order. */
function gatherPiecewise(parts: ColumnParts, idx: ArrayLike<number>, offsets: Int32Array): Column {
  const k = parts.entries.length;
  const n = idx.length;
  const partOf = new Int32Array(n);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const r = idx[i]!;
    const p = r < 0 ? -1 : partAt(offsets, r);
    partOf[i] = p;
    if (p >= 0) counts[p]!++;
  }
  // each part's rows in idx order, then where each output row sits among the pieces put back to back
  const base = new Int32Array(k + 1);
  for (let p = 0; p < k; p++) base[p + 1] = base[p]! + counts[p]!;
  const local = Array.from({ length: k }, (_, p) => new Int32Array(counts[p]!));
  const fill = base.slice(0, k);
  const perm = new Int32Array(n);
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const p = partOf[i]!;
    if (p < 0) {
      perm[i] = -1;
      ordered = false;
      continue;
    }
    const at = fill[p]!++;
    perm[i] = at;
    if (at !== i) ordered = false;
    const row = idx[i]! - offsets[p]!;
    const sel = parts.sels[p];
    local[p]![at - base[p]!] = sel ? sel[row]! : row;
  }
  const used: number[] = [];
  for (let p = 0; p < k; p++) if (counts[p]! > 0) used.push(p);
  // no row from any part (all null): a gather of nulls from the first part's column
  if (!used.length) return gatherColumn(parts.entries[0]!.column, perm);
  const pieces = used.map((p) => gatherColumn(parts.entries[p]!.column, local[p]!));
  const whole = pieces.length === 1 ? pieces[0]! : concatSelected(pieces, pieces.map(() => undefined), base[k]!);
  return ordered ? whole : gatherColumn(whole, perm);
}
