/**
 * A string column's dictionary looked up by the cell's UTF-8 bytes: the CSV fast path finds a repeated value's
 * code without decoding it to a string (one allocation per distinct value, not per cell — most cells repeat
 * a value). Open addressing over codes with an FNV-1a hash; each code's bytes are kept in an arena. While a
 * column's values all come as unescaped bytes it is the column's only lookup (a miss is a new string); once
 * values come another way (decoded, escaped) the column's string→code Map decides and this one caches bytes.
 */
/** FNV-1a over buf[s, e): what the dictionary hashes by. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;
export function hashBytes(buf: Uint8Array, s: number, e: number): number {
  let h = FNV_OFFSET;
  for (let k = s; k < e; k++) h = Math.imul(h ^ buf[k]!, FNV_PRIME);
  return h;
}

const EMPTY = -1;
const REMOVED = -2;

export class ByteDictionary {
  // small to start with (a small file has dozens of string columns with a value or two each), doubled as needed
  private slots = new Int32Array(16).fill(EMPTY);
  private used = 0;
  /** Per code: its bytes in the arena (length -1: none recorded) and hash. */
  private start = new Int32Array(8);
  private len = new Int32Array(8).fill(-1);
  private hash = new Int32Array(8);
  private arena = new Uint8Array(256);
  private arenaLen = 0;
  private lastHash = 0;
  /** The slot and code of the latest insert, so a rolled-back row can take it back. */
  private lastSlot = -1;
  private lastCode = -1;

  /** The code of buf[s, e), or -1; remembers the hash for a following `insert`. */
  find(buf: Uint8Array, s: number, e: number): number {
    return this.findHashed(buf, s, e, hashBytes(buf, s, e));
  }

  /** `find` when the caller has hashed the bytes already (with hashBytes, or the same FNV-1a as it read them). */
  findHashed(buf: Uint8Array, s: number, e: number, h: number): number {
    this.lastHash = h;
    const mask = this.slots.length - 1;
    const n = e - s;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const c = this.slots[slot]!;
      if (c === EMPTY) return -1;
      if (c < 0 || this.hash[c] !== h || this.len[c] !== n) continue;
      const a = this.arena;
      let k = 0;
      for (let o = this.start[c]!; k < n && a[o + k] === buf[s + k]; k++);
      if (k === n) return c;
    }
  }

  /** Records buf[s, e) as `code`'s bytes, right after a `find` of the same bytes missed. */
  insert(buf: Uint8Array, s: number, e: number, code: number): void {
    if (code >= this.len.length) this.growCodes(code + 1);
    if (this.len[code]! >= 0) return; // another byte form of the same text (invalid UTF-8): stays a miss
    const n = e - s;
    if (this.arenaLen + n > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + n));
      a.set(this.arena.subarray(0, this.arenaLen));
      this.arena = a;
    }
    const a = this.arena;
    for (let k = 0, o = this.arenaLen; k < n; k++) a[o + k] = buf[s + k]!; // no subarray object per insert
    this.start[code] = this.arenaLen;
    this.len[code] = n;
    this.hash[code] = this.lastHash;
    this.arenaLen += n;
    if ((this.used + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    this.lastSlot = this.place(code);
    this.lastCode = code;
    this.used++;
  }

  /** Takes back the latest insert when it recorded `code` (the row that added the code was rolled back). */
  forget(code: number): void {
    if (code !== this.lastCode || this.lastSlot < 0) return;
    this.slots[this.lastSlot] = REMOVED;
    this.arenaLen = this.start[code]!;
    this.len[code] = -1;
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
      if (c >= this.len.length || this.len[c]! < 0 || this.start[c] !== at) return undefined;
      at += this.len[c]!;
      ends[c] = at;
    }
    return { ends, text: this.arena.subarray(0, at) };
  }

  private place(code: number): number {
    const mask = this.slots.length - 1;
    let slot = this.hash[code]! & mask;
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.slots[slot] = code;
    return slot;
  }

  private rehash(size: number): void {
    const old = this.slots;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.used = 0;
    for (const c of old) {
      if (c >= 0) {
        this.place(c);
        this.used++;
      }
    }
    this.lastSlot = -1;
  }

  private growCodes(need: number): void {
    const n = Math.max(need, this.len.length * 2);
    const grow = (a: Int32Array, fill: number) => {
      const b = new Int32Array(n).fill(fill);
      b.set(a);
      return b;
    };
    this.start = grow(this.start, 0);
    this.len = grow(this.len, -1);
    this.hash = grow(this.hash, 0);
  }
}
