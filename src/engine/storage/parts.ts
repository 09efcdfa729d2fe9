/**
 * Reading a concatenated column (a where chain's per-extent survivors, `ColumnParts`) without making it:
 * a join's output or key encoding touches the rows it needs in each part, where concatenating would copy
 * every selected row of every part first (and merge their string dictionaries through a Map).
 */
import { gatherColumn } from './builders.js';
import type { Column } from './column.js';
import { concatSelected, type ColumnParts } from './merge.js';

/** Where each part starts in the concatenation (parts.lengths summed), with the total at the end. */
export function partOffsets(parts: ColumnParts): Int32Array {
  const offsets = new Int32Array(parts.lengths.length + 1);
  for (let p = 0; p < parts.lengths.length; p++) offsets[p + 1] = offsets[p]! + parts.lengths[p]!;
  return offsets;
}

/** The part holding row `r` of the concatenation (offsets from partOffsets; r below the total). */
function partAt(offsets: Int32Array, r: number): number {
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
 * `gatherColumn(concatenation, idx)` read from the parts: rows `idx` of the concatenation (may repeat, in
 * any order; -1 gives null). Each part's rows are gathered from the part's own column, the pieces put back
 * to back, and then into `idx`'s order (nothing to do when idx is ascending without nulls).
 */
export function gatherParts(parts: ColumnParts, idx: ArrayLike<number>): Column {
  const k = parts.entries.length;
  const n = idx.length;
  const offsets = partOffsets(parts);
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
