/**
 * A string column's dictionary looked up by the cell's UTF-8 bytes: the CSV fast path finds a repeated value's
 * code without decoding it to a string (one allocation per distinct value, not per cell — most cells repeat
 * a value). Open addressing over codes with an FNV-1a hash; each code's bytes are kept in an arena. While a
 * column's values all come as unescaped bytes it is the column's only lookup (a miss is a new string); once
 * values come another way (decoded, escaped) the column's string→code Map decides and this one caches bytes.
 */
/**
 * The dictionary's hash of buf[s, e): FNV-1a over little-endian 32-bit words (a quarter of the multiplies of
 * a byte-wise FNV), then the bytes after the last whole word, then murmur3's finaliser so the low bits the
 * table indexes by depend on every byte (a word's high byte otherwise reaches only the hash's high bits).
 * The NDJSON scanner computes the same as it reads a string (json-columns.ts), so the two must agree.
 */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;
export function hashBytes(buf: Uint8Array, s: number, e: number): number {
  let h = FNV_OFFSET;
  let k = s;
  for (; k + 4 <= e; k += 4) h = Math.imul(h ^ (buf[k]! | (buf[k + 1]! << 8) | (buf[k + 2]! << 16) | (buf[k + 3]! << 24)), FNV_PRIME);
  for (; k < e; k++) h = Math.imul(h ^ buf[k]!, FNV_PRIME);
  return finishHash(h);
}

/** murmur3's 32-bit finaliser. */
export function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const EMPTY = -1;
const REMOVED = -2;

export class ByteDictionary {
  // small to start with (a small file has dozens of string columns with a value or two each), doubled as needed.
  // Each slot is two ints, [hash, code]: a probe compares the hash from the same cache line as the code, so a
  // miss in a table of a million values costs one cache miss, not three
  private slots = new Int32Array(32).fill(EMPTY);
  private used = 0;
  /** Per code: its bytes in the arena as [start, length] (length -1: none recorded). */
  private span = new Int32Array(16).fill(-1);
  private arena = new Uint8Array(256);
  private arenaView = new DataView(this.arena.buffer);
  /** The buffer last looked up in, and a view of it: values are compared four bytes at a time. */
  private viewOf: Uint8Array | undefined;
  private view: DataView = this.arenaView;
  private arenaLen = 0;
  private lastHash = 0;
  /** The slot and code of the latest insert, so a rolled-back row can take it back. */
  private lastSlot = -1;
  private lastCode = -1;

  /** The code of buf[s, e), or -1; remembers the hash for a following `insert`. */
  find(buf: Uint8Array, s: number, e: number): number {
    return this.findHashed(buf, s, e, hashBytes(buf, s, e));
  }

  /** `find` when the caller has hashed the bytes already (hashBytes, or the scanner's equal reckoning). */
  findHashed(buf: Uint8Array, s: number, e: number, h: number): number {
    this.lastHash = h;
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const n = e - s;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const c = slots[2 * slot + 1]!;
      if (c === EMPTY) return -1;
      if (slots[2 * slot] !== h || c < 0 || this.span[2 * c + 1] !== n) continue;
      if (this.sameBytes(buf, s, n, this.span[2 * c]!)) return c;
    }
  }

  /** Whether buf[s, s + n) equals the arena's bytes at `o`: four bytes at a time, then the rest. */
  private sameBytes(buf: Uint8Array, s: number, n: number, o: number): boolean {
    const a = this.arena;
    let k = 0;
    if (n >= 8) {
      if (buf !== this.viewOf) {
        this.viewOf = buf;
        this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      }
      const bv = this.view, av = this.arenaView;
      for (; k + 4 <= n; k += 4) if (av.getInt32(o + k, true) !== bv.getInt32(s + k, true)) return false;
    }
    for (; k < n; k++) if (a[o + k] !== buf[s + k]) return false;
    return true;
  }

  /** Records buf[s, e) as `code`'s bytes, right after a `find` of the same bytes missed. */
  insert(buf: Uint8Array, s: number, e: number, code: number): void {
    if (2 * code + 1 >= this.span.length) this.growCodes(code + 1);
    if (this.span[2 * code + 1]! >= 0) return; // another byte form of the same text (invalid UTF-8): stays a miss
    const n = e - s;
    if (this.arenaLen + n > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + n));
      a.set(this.arena.subarray(0, this.arenaLen));
      this.arena = a;
      this.arenaView = new DataView(a.buffer);
    }
    const a = this.arena;
    for (let k = 0, o = this.arenaLen; k < n; k++) a[o + k] = buf[s + k]!; // no subarray object per insert
    this.span[2 * code] = this.arenaLen;
    this.span[2 * code + 1] = n;
    this.arenaLen += n;
    if ((this.used + 1) * 4 > this.slots.length) this.rehash(this.slots.length * 2);
    this.lastSlot = this.place(code, this.lastHash);
    this.lastCode = code;
    this.used++;
  }

  /** Takes back the latest insert when it recorded `code` (the row that added the code was rolled back). */
  forget(code: number): void {
    if (code !== this.lastCode || this.lastSlot < 0) return;
    this.slots[2 * this.lastSlot + 1] = REMOVED;
    this.arenaLen = this.span[2 * code]!;
    this.span[2 * code + 1] = -1;
    this.lastSlot = this.lastCode = -1;
  }

  /**
   * Codes 0..n-1 as their bytes back to back with end offsets, when each was recorded once, in code order (so
   * the arena already is that text); else undefined.
   */
  inCodeOrder(n: number): { ends: Int32Array; text: Uint8Array } | undefined {
    const ends = new Int32Array(n);
    let at = 0;
    for (let c = 0; c < n; c++) {
      if (2 * c + 1 >= this.span.length || this.span[2 * c + 1]! < 0 || this.span[2 * c] !== at) return undefined;
      at += this.span[2 * c + 1]!;
      ends[c] = at;
    }
    return { ends, text: this.arena.subarray(0, at) };
  }

  /** Puts `code` in the first free slot of its hash's run; returns the slot. */
  private place(code: number, h: number): number {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = h & mask;
    while (slots[2 * slot + 1] !== EMPTY) slot = (slot + 1) & mask;
    slots[2 * slot] = h;
    slots[2 * slot + 1] = code;
    return slot;
  }

  private rehash(size: number): void {
    const old = this.slots;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.used = 0;
    for (let i = 1; i < old.length; i += 2) {
      const c = old[i]!;
      if (c >= 0) {
        this.place(c, old[i - 1]!);
        this.used++;
      }
    }
    this.lastSlot = -1;
  }

  private growCodes(need: number): void {
    const span = new Int32Array(2 * Math.max(need, this.span.length)).fill(-1);
    span.set(this.span);
    this.span = span;
  }
}
