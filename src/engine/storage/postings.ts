/**
 * Row index of a dictionary-encoded column: for each dictionary code, the rows holding it (CSR layout:
 * `rows[offsets[c] .. offsets[c + 1]]`, ascending). Together with the dictionary's terms (terms.ts) it is
 * the column's term index: a `has` finds the dictionary strings holding its terms, then their rows, without
 * reading the other rows. Built on first use (two passes over the codes: about what reading and widening a
 * stored one costs, so extent format 5 stores none); extents of formats 1-4 stored it (extent-format.ts)
 * and it is read from them. Kept beside the column (keyed by its codes array), never in it, so
 * the column layout stays as column.ts describes.
 */
import type { GuidColumn, StringColumn } from './column.js';

export interface Postings {
  offsets: Int32Array;
  rows: Int32Array;
}

const byCodes = new WeakMap<Int32Array, Postings>();
/** Indexes made when a lookup first needs one: from the extents' own (merged columns), or read from disk. */
const mergeable = new WeakMap<Int32Array, () => Postings | undefined>();

/** Counting sort of row ids by code. */
export function buildPostings(codes: Int32Array, dictSize: number): Postings {
  const offsets = new Int32Array(dictSize + 1);
  for (let i = 0; i < codes.length; i++) offsets[codes[i]! + 1]!++;
  for (let c = 0; c < dictSize; c++) offsets[c + 1]! += offsets[c]!;
  const next = offsets.slice(0, dictSize);
  const rows = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) rows[next[codes[i]!]!++] = i;
  return { offsets, rows };
}

/** Registers a persisted index for a column (checked for shape: a damaged one is ignored and rebuilt). */
export function attachPostings(col: StringColumn | GuidColumn, p: Postings): void {
  if (p.offsets.length === col.dict.length + 1 && p.rows.length === col.length && p.offsets[col.dict.length] === col.length) byCodes.set(col.codes, p);
}

export function postingsOf(col: StringColumn | GuidColumn): Postings {
  let p = byCodes.get(col.codes);
  if (!p) {
    p = mergeable.get(col.codes)?.() ?? buildPostings(col.codes, col.dict.length);
    mergeable.delete(col.codes);
    byCodes.set(col.codes, p);
  }
  return p;
}

/**
 * Registers a persisted index to be read when a lookup first needs it (a workspace column's index stays on
 * disk until then); checked for shape like attachPostings, a damaged one is rebuilt.
 */
export function postingsLater(col: StringColumn | GuidColumn, load: () => Postings): void {
  mergeable.set(col.codes, () => {
    const p = load();
    return p.offsets.length === col.dict.length + 1 && p.rows.length === col.length && p.offsets[col.dict.length] === col.length ? p : undefined;
  });
}

export function hasPostings(col: StringColumn | GuidColumn): boolean {
  return byCodes.has(col.codes) || mergeable.has(col.codes);
}

/** Whether the column's row index is made already (not only offered: built or read on first use). */
export function postingsMade(col: StringColumn | GuidColumn): boolean {
  return byCodes.has(col.codes);
}

/** A merged column's index, made from its extents' indexes when first needed (if they all have one). */
export function postingsFromExtents(col: StringColumn | GuidColumn, cols: (StringColumn | GuidColumn)[], remaps: Int32Array[]): void {
  if (cols.every(hasPostings)) mergeable.set(col.codes, () => mergePostings(cols, remaps, col.dict.length, col.length));
}

/**
 * The postings of extents concatenated (codes remapped by `remaps[e][localCode]`), when every extent has
 * one; the merged column then needs no rebuild.
 */
export function mergePostings(cols: (StringColumn | GuidColumn)[], remaps: Int32Array[], dictSize: number, length: number): Postings | undefined {
  const parts = cols.map((c) => (hasPostings(c) ? postingsOf(c) : undefined));
  if (parts.some((p) => !p)) return undefined;
  // two codes of one extent with the same string would interleave their rows: then rebuild instead
  for (const r of remaps) {
    const seen = new Uint8Array(dictSize);
    for (const g of r) {
      if (seen[g]) return undefined;
      seen[g] = 1;
    }
  }
  const offsets = new Int32Array(dictSize + 1);
  cols.forEach((c, e) => {
    const p = parts[e]!;
    for (let k = 0; k < c.dict.length; k++) offsets[remaps[e]![k]! + 1]! += p.offsets[k + 1]! - p.offsets[k]!;
  });
  for (let g = 0; g < dictSize; g++) offsets[g + 1]! += offsets[g]!;
  const next = offsets.slice(0, dictSize);
  const rows = new Int32Array(length);
  let base = 0;
  cols.forEach((c, e) => {
    const p = parts[e]!;
    for (let k = 0; k < c.dict.length; k++) {
      const g = remaps[e]![k]!;
      for (let j = p.offsets[k]!; j < p.offsets[k + 1]!; j++) rows[next[g]!++] = p.rows[j]! + base;
    }
    base += c.length;
  });
  return { offsets, rows };
}

export function setPostings(col: StringColumn | GuidColumn, p: Postings): void {
  byCodes.set(col.codes, p);
}
