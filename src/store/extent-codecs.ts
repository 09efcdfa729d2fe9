/**
 * The narrow column buffers of formats 3-5 (extent-format.ts) and their widening back into the in-memory
 * layout (src/engine/storage/column.ts). Most columns hold far fewer distinct bits than their in-memory
 * arrays: dictionary codes below the dictionary's size, ports and ids in a few thousand, a day of timestamps
 * within 2^32 milliseconds of each other, sub-millisecond ticks all 0. So integers are stored "frame of
 * reference": `base` (in meta.json) plus unsigned offsets, none at all when every value is `base`, or as the
 * steps between neighbours the same way when those pack smaller (a Timestamp in time order, serial ids,
 * codes of distinct values: steps of 1, nothing stored). Format 5 bit-packs the offsets in frames of 128
 * values, each frame at its own width (bit-frames.ts); formats 3-4 (still read) gave every offset of a
 * column the same 0-4 bytes. Numbers that are not integers are Float32 when every one survives the round
 * trip, else Float64 as in memory. Widening is one loop per buffer.
 * Every encoding is exact: a value that cannot be narrowed without change (-0, NaN, beyond ±2^53) keeps the
 * column in its in-memory form.
 */
import type { Postings } from '../engine/storage/postings.js';
import { FRAME, frameLayout, packFrames, unpackFrameSums, unpackFrames, type FrameLayout } from './bit-frames.js';

export type BufferRef = [offset: number, length: number];
/** Appends a buffer to data.bin (8-byte aligned) and gives where it went. */
export type Put = (a: ArrayBufferView) => BufferRef;

export type Width = 0 | 1 | 2 | 3 | 4;
/** Integers as `base + offset`, the offsets unsigned little-endian of `width` bytes at `at` (absent when 0).
 * `nulls`: the value null rows hold in memory, when it is not `base` (null rows store offset 0).
 * `from` (delta mode): each value is the previous one (`from` before the first) plus `base + offset`, for
 * columns whose neighbouring values are closer than their extremes (a time-ordered Timestamp, serial ids).
 * `frames` (format 5): the offsets at `at` are bit-packed in frames of that many values (bit-frames.ts) and
 * `width` says nothing. */
export interface Packed { at?: BufferRef; width: Width; base?: number; nulls?: number; from?: number; frames?: number }

/** A number column's values: packed integers, Float32, or (neither given) Float64 as in memory. */
export interface PackedNumbers { ints?: Packed; f32?: BufferRef }

const isNull = (validity: Uint8Array | undefined, i: number) => validity !== undefined && (validity[i >> 3]! & (1 << (i & 7))) === 0;

/**
 * Packs `a[0..n)` (null rows aside) when every value is a safe integer other than -0 and they span less than
 * 2^32; null rows must all hold one finite value. Undefined when they cannot be packed exactly.
 */
export function packInts(a: ArrayLike<number>, n: number, validity: Uint8Array | undefined, put: Put): Packed | undefined {
  let min = Infinity;
  let max = -Infinity;
  let nulls: number | undefined;
  if (!validity) {
    // (no null rows: one test per value, no call; -0 is the one zero whose reciprocal is negative)
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      if (!Number.isSafeInteger(v) || (v === 0 && 1 / v < 0)) return undefined;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      if ((validity[i >> 3]! & (1 << (i & 7))) === 0) {
        if (nulls === undefined) nulls = v;
        else if (!Object.is(v, nulls)) return undefined;
        continue;
      }
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) return undefined;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (nulls !== undefined && (!Number.isFinite(nulls) || Object.is(nulls, -0))) return undefined;
  if (min > max) min = max = nulls ?? 0; // no valid value
  if (max - min >= 2 ** 32) return undefined;
  // steps between neighbours only without nulls, whose rows have no step
  const p = packOffsets(a, n, min, max - min, nulls === undefined ? undefined : validity, put);
  if (nulls !== undefined && nulls !== min) p.nulls = nulls;
  return p;
}

/**
 * Values known to lie in [base, base + range] (null rows, given `validity`, as offset 0): none stored when
 * they are all `base`, else bit-packed frames (bit-frames.ts) of their offsets from `base` or, without
 * `validity` and when those pack smaller, of the steps between neighbours (see Packed.from): a time-ordered
 * Timestamp, serial ids, the codes of distinct values in order of first appearance.
 */
function packOffsets(a: ArrayLike<number>, n: number, base: number, range: number, validity: Uint8Array | undefined, put: Put): Packed {
  if (range === 0) return base ? { width: 0, base } : { width: 0 };
  const u = offsetsFrom(a, n, base);
  if (validity) {
    for (let i = 0; i < n; i++) if ((validity[i >> 3]! & (1 << (i & 7))) === 0) u[i] = 0;
  } else if (n > 1) {
    // the steps between neighbours: a[i] - a[i-1] is u[i] - u[i-1] (each exact: offsets are below 2^32)
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 1; i < n; i++) {
      const d = u[i]! - u[i - 1]!;
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
    const from = base + u[0]! - lo;
    if (hi - lo < 2 ** 32 && Number.isSafeInteger(from)) {
      if (hi === lo) return { width: 0, base: lo, from };
      const s = new Uint32Array(n);
      for (let i = 1; i < n; i++) s[i] = u[i]! - u[i - 1]! - lo;
      const steps = frameLayout(s, n);
      const offsets = frameLayout(u, n);
      if (steps.words < offsets.words) return { width: 4, frames: FRAME, base: lo, from, at: put(packFrames(s, n, steps)) };
      return packedOffsets(u, n, base, offsets, put);
    }
  }
  return packedOffsets(u, n, base, frameLayout(u, n), put);
}

function packedOffsets(u: Uint32Array, n: number, base: number, layout: FrameLayout, put: Put): Packed {
  const p: Packed = { width: 4, frames: FRAME, at: put(packFrames(u, n, layout)) };
  if (base) p.base = base;
  return p;
}

/** a[i] - base for each i, as Uint32: the one loop over the caller's array type (Float64 or Int32), so the
 * loops after it read one type only and stay monomorphic. */
function offsetsFrom(a: ArrayLike<number>, n: number, base: number): Uint32Array {
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) u[i] = a[i]! - base;
  return u;
}

type Target = Int32Array | Uint16Array | Uint8Array | Float64Array;

/**
 * Widens packed values into a new array of `make` (`buf` holds data.bin's bytes from offset `start`).
 * Null rows get `nulls` back when it was recorded.
 */
export function unpack<T extends Target>(buf: ArrayBuffer, start: number, p: Packed, n: number, make: new (n: number) => T, validity?: Uint8Array): T {
  if (p.frames !== undefined) {
    if (p.frames !== FRAME) throw new Error(`frames of ${p.frames} values (this kqlite reads frames of ${FRAME})`);
    return unpackFramed(buf, start, p, n, make, validity);
  }
  const out = new make(n);
  const base = p.base ?? 0;
  const at = p.at ? p.at[0] - start : 0;
  if (p.width === 0 && p.from === undefined) {
    if (base) out.fill(base);
  } else if (p.width !== 0) {
    // set() converts natively from any width; only an offset (and 3-byte values) need a loop
    const w = p.width;
    out.set(w === 1 ? new Uint8Array(buf, at, n) : w === 2 ? new Uint16Array(buf, at, n) : w === 4 ? new Uint32Array(buf, at, n) : read24(new Uint8Array(buf, at, 3 * n), n));
    if (p.from === undefined) {
      if (base) for (let i = 0; i < n; i++) out[i] += base;
    } else {
      let v = p.from;
      for (let i = 0; i < n; i++) out[i] = v += base + out[i]!;
    }
  } else if (p.from !== undefined) {
    for (let i = 0, v = p.from; i < n; i++) out[i] = v += base;
  }
  restoreNulls(out, p, n, validity);
  return out;
}

/**
 * Format 5's frames widened: the offsets into a Uint32Array, then base and steps added in a loop over one
 * array type (Int32 for codes and lengths, in place; Float64 otherwise), never through `make`'s union, which
 * would make every element access polymorphic.
 */
function unpackFramed<T extends Target>(buf: ArrayBuffer, start: number, p: Packed, n: number, make: new (n: number) => T, validity?: Uint8Array): T {
  const words = new Uint32Array(buf, p.at![0] - start, p.at![1] / 4);
  const base = p.base ?? 0;
  let out: T;
  // steps into Float64 (a Timestamp's milliseconds): summed as they are unpacked, one loop
  if ((make as unknown) === Float64Array && p.from !== undefined) out = unpackFrameSums(words, n, base, p.from) as T;
  else {
    const u = unpackFrames(words, n);
    if ((make as unknown) === Float64Array) out = addFloat64(u, base, p.from) as T;
    else {
      // Int32 in place; narrower targets (sub-millisecond ticks, bools) hold values below 2^16, so the Int32
      // values convert to them natively, with no Float64 copy between
      const ints = addInt32(u, base, p.from);
      out = ((make as unknown) === Int32Array ? ints : new make(n)) as T;
      if (out !== ints) out.set(ints);
    }
  }
  restoreNulls(out, p, n, validity);
  return out;
}

/** `base` + offsets, or running sums of steps from `from`, in place as Int32 (codes, lengths: below 2^31). */
function addInt32(u: Uint32Array, base: number, from: number | undefined): Int32Array {
  const out = new Int32Array(u.buffer, u.byteOffset, u.length);
  const n = out.length;
  // read through `u` (steps may be 2^31 or more), write through `out` (each value is below 2^31)
  if (from !== undefined) for (let i = 0, v = from; i < n; i++) out[i] = v += base + u[i]!;
  else if (base) for (let i = 0; i < n; i++) out[i] = u[i]! + base;
  return out;
}

function addFloat64(u: Uint32Array, base: number, from: number | undefined): Float64Array {
  const n = u.length;
  const out = new Float64Array(n);
  if (from !== undefined) for (let i = 0, v = from; i < n; i++) out[i] = v += base + u[i]!;
  else if (base) for (let i = 0; i < n; i++) out[i] = base + u[i]!;
  else out.set(u);
  return out;
}

/** Null rows get back the value they held in memory, when it was not the base (Packed.nulls). */
function restoreNulls(out: Target, p: Packed, n: number, validity: Uint8Array | undefined): void {
  if (p.nulls !== undefined && validity) for (let i = 0; i < n; i++) if (isNull(validity, i)) out[i] = p.nulls;
}

function read24(b: Uint8Array, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = b[j]! | (b[j + 1]! << 8) | (b[j + 2]! << 16);
  return out;
}

/** A number column's values in their narrowest exact form; Float64 (`{}`, the caller writes them) otherwise. */
export function packNumbers(values: Float64Array, validity: Uint8Array | undefined, put: Put): PackedNumbers {
  const ints = packInts(values, values.length, validity, put);
  if (ints) return { ints };
  for (let i = 0; i < values.length; i++) if (!Object.is(Math.fround(values[i]!), values[i]!)) return {};
  return { f32: put(new Float32Array(values)) };
}

export function unpackNumbers(buf: ArrayBuffer, start: number, m: PackedNumbers, n: number, validity: Uint8Array | undefined): Float64Array {
  if (m.ints) return unpack(buf, start, m.ints, n, Float64Array, validity);
  return new Float64Array(new Float32Array(buf, m.f32![0] - start, n));
}

/** Dictionary codes (values below `size`), or any non-negative Int32 values below `size`. */
export function packCodes(codes: Int32Array, size: number, put: Put): Packed {
  // a column of distinct values (ids, addresses) has codes 0, 1, 2, ... in row order: steps of 1, no bytes
  return packOffsets(codes, codes.length, 0, Math.max(0, size - 1), undefined, put);
}

/** Widths 4 with no base (format 3-4) are read back as views of the file's bytes, no copy. */
export function unpackCodes(buf: ArrayBuffer, start: number, p: Packed, n: number): Int32Array {
  if (p.width === 4 && !p.base && p.from === undefined && !p.frames) return new Int32Array(buf, p.at![0] - start, n);
  return unpack(buf, start, p, n, Int32Array);
}

/** A dictionary's strings' UTF-16 lengths (short strings: a byte each; all one length, e.g. guids: none) and
 * their number. */
export type PackedLengths = Packed & { count: number };

/** A dictionary's UTF-16 end offsets as the lengths of its strings. */
export function packDictLengths(ends: Int32Array, put: Put): PackedLengths {
  const lengths = new Int32Array(ends.length);
  let max = 0;
  for (let k = 0, from = 0; k < ends.length; k++) {
    lengths[k] = ends[k]! - from;
    from = ends[k]!;
    if (lengths[k]! > max) max = lengths[k]!;
  }
  let min = max;
  for (let k = 0; k < lengths.length; k++) if (lengths[k]! < min) min = lengths[k]!;
  return { ...packOffsets(lengths, lengths.length, min, max - min, undefined, put), count: lengths.length };
}

export const unpackDictLengths = (buf: ArrayBuffer, start: number, p: PackedLengths): Int32Array => unpack(buf, start, p, p.count, Int32Array);

/** Formats 3-4's row index (postings.ts; format 5 stores none, see extent-format.ts) as the count of rows per code and, per code, the gaps between its ascending rows:
 * a code holding many rows has small gaps. A code's first row counts from row 0, or (`chained`, when codes
 * were given in order of first appearance, as an ingest gives them) from the previous code's first row, so
 * a column of distinct values has gaps of 1. */
export interface PackedPostings { counts: Packed; gaps: Packed; codes: number; chained?: boolean }

export function unpackPostings(buf: ArrayBuffer, start: number, m: PackedPostings, rows: number): Postings {
  const counts = unpack(buf, start, m.counts, m.codes, Int32Array);
  const offsets = new Int32Array(m.codes + 1);
  for (let c = 0; c < m.codes; c++) offsets[c + 1] = offsets[c]! + counts[c]!;
  const out = unpack(buf, start, m.gaps, rows, Int32Array);
  for (let c = 0, first = 0; c < m.codes; c++) {
    let row = m.chained ? first : 0;
    const from = offsets[c]!;
    const end = offsets[c + 1]!;
    for (let j = from; j < end; j++) out[j] = row += out[j]!;
    if (m.chained && end > from) first = out[from]!;
  }
  return { offsets, rows: out };
}

/** The byte ranges a packed buffer occupies (none for width 0). */
export const refsOf = (...ps: (Packed | undefined)[]): BufferRef[] => ps.flatMap((p) => (p?.at ? [p.at] : []));
