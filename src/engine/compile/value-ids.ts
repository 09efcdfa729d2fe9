/**
 * Dense integer ids for values, so grouping, joining and distinct counting hash small integers instead of
 * building a string key per row. Two values get the same id exactly when `valueKey` (values/compare.ts)
 * gives them the same key: numbers by value (0 and -0 alike, every NaN alike), strings by text, ticks
 * (datetime and timespan) by their tick count, booleans, null, and arrays/bags by their JSON text.
 *
 * Columns are encoded from their typed arrays (a dictionary string is looked up once per code, ticks by
 * their hi/lo halves) and composite keys are combined pairwise (`PairIds`), so no row builds a string or
 * an array. Ids are handed out in order of first appearance, which keeps groups in first-seen order.
 */
import { isValid, readNumber, type Column } from '../storage/column.js';
import { jsonText } from '../values/json.js';
import { joinTicks, splitTicks } from '../values/ticks.js';
import type { Value } from '../values/value.js';
import { charge } from '../memory.js';
import { sharedIdsOf, sharedStringCount } from '../storage/shared-strings.js';

/** A frozen encoder's ids for one column's rows, as arrays (ValueIds.keyLookup). */
export type KeyLookup =
  | { kind: 'codes'; codes: Int32Array; memo: Int32Array; validity: Uint8Array | undefined }
  | { kind: 'ints'; values: Float64Array; min: number; ids: Int32Array; validity: Uint8Array | undefined };

export class ValueIds {
  /** The first value seen for each id (what a group key shows). */
  readonly values: Value[] = [];
  private readonly numbers = new NumberSlots();
  private readonly strings = new Map<string, number>();
  /** Ticks with lo = 0 by hi (milliseconds); others by hi, then lo. */
  private readonly wholeTicks = new NumberSlots();
  private readonly partTicks = new Map<number, Map<number, number>>();
  private readonly json = new Map<string, number>();
  private readonly bools = [-1, -1];
  private nullId = -1;
  /**
   * Set when the ids are complete (a join's build side is encoded): a value never seen gets -1 and no id,
   * so probing a large side neither grows the tables nor hands out ids that can never match.
   */
  frozen = false;
  /** `numbers` as a direct table once frozen (null: they do not fit one; undefined: not tried yet). */
  private directNumbers: { min: number; ids: Int32Array } | null | undefined;

  get size(): number {
    return this.values.length;
  }

  /** The id of null, or -1 when no null was seen. */
  get nullIdIfSeen(): number {
    return this.nullId;
  }

  private add(v: Value): number {
    this.values.push(v);
    // distinct keys are what a group-by or join index grows with: about 80 bytes each (value, map entry)
    if ((this.values.length & 0xffff) === 0) charge(0x10000 * 80);
    return this.values.length - 1;
  }

  ofNull(): number {
    if (this.nullId < 0 && !this.frozen) this.nullId = this.add(null);
    return this.nullId;
  }

  ofNumber(n: number): number {
    let id = this.numbers.get(n);
    if (id < 0 && !this.frozen) this.numbers.set(n, (id = this.add(n)));
    return id;
  }

  /**
   * For a frozen encoder with few strings: a bit per string signature (length and three characters), so
   * probing a large side's strings (a table's 40,000 addresses against 200 IOCs) rejects most of them
   * without hashing them into the Map. null: not useful (many strings), undefined: not made yet.
   */
  private stringFilter: Uint8Array | null | undefined;

  private static signature(s: string): number {
    const n = s.length;
    if (n === 0) return 0;
    return (Math.imul(n, 0x9e3779b1) ^ Math.imul(s.charCodeAt(n - 1), 0x85ebca77) ^ Math.imul(s.charCodeAt(n >> 1), 0xc2b2ae3d) ^ Math.imul(s.charCodeAt(0), 0x27d4eb2f)) >>> 16;
  }

  private makeStringFilter(): Uint8Array | null {
    if (this.strings.size > 4096) return null;
    const bits = new Uint8Array(8192); // 65,536 signatures
    for (const k of this.strings.keys()) {
      const h = ValueIds.signature(k);
      bits[h >> 3]! |= 1 << (h & 7);
    }
    return bits;
  }

  /**
   * Ids given to strings met through shared ids (stored dictionaries: `ofShared`) whose text is not in
   * `strings` yet: while every string comes that way (a group-by or join on device ids, names,
   * addresses) none is hashed into the Map. The first string looked up by text puts them all in (then
   * this is undefined and shared strings go through the Map like any other).
   */
  private unindexed: number[] | undefined = [];

  private indexShared(): void {
    const pending = this.unindexed;
    if (!pending) return;
    this.unindexed = undefined;
    for (const id of pending) this.strings.set(this.values[id] as string, id);
  }

  /** The id of `s`, whose shared id is `g` and not yet in byShared (which it is put in). */
  private ofShared(g: number, s: string): number {
    let id: number;
    if (this.unindexed) {
      // every string seen so far came by shared id, and this one's was not among them: it is new
      if (this.frozen) id = -1;
      else this.unindexed.push((id = this.add(s)));
    } else id = this.ofString(s);
    this.byShared[g] = id;
    return id;
  }

  ofString(s: string): number {
    if (this.unindexed) this.indexShared();
    if (this.frozen) {
      if (this.stringFilter === undefined) this.stringFilter = this.makeStringFilter();
      const f = this.stringFilter;
      if (f) {
        const h = ValueIds.signature(s);
        if ((f[h >> 3]! & (1 << (h & 7))) === 0) return -1;
      }
    }
    let id = this.strings.get(s);
    if (id === undefined) {
      if (this.frozen) return -1;
      this.strings.set(s, (id = this.add(s)));
    }
    return id;
  }

  ofBool(b: boolean): number {
    const k = b ? 1 : 0;
    if (this.bools[k]! < 0 && !this.frozen) this.bools[k] = this.add(b);
    return this.bools[k]!;
  }

  ofTicks(hi: number, lo: number): number {
    if (lo === 0) {
      let id = this.wholeTicks.get(hi);
      if (id < 0 && !this.frozen) this.wholeTicks.set(hi, (id = this.add(joinTicks(hi, 0))));
      return id;
    }
    let m = this.partTicks.get(hi);
    if (!m) {
      if (this.frozen) return -1;
      this.partTicks.set(hi, (m = new Map()));
    }
    let id = m.get(lo);
    if (id === undefined) {
      if (this.frozen) return -1;
      m.set(lo, (id = this.add(joinTicks(hi, lo))));
    }
    return id;
  }

  ofValue(v: Value): number {
    if (v === null) return this.ofNull();
    switch (typeof v) {
      case 'string':
        return this.ofString(v);
      case 'number':
        return this.ofNumber(v);
      case 'bigint': {
        // ticks, or a long beyond ±2^53 (one column never holds both): split like ticks, exactly
        const { hi, lo } = splitTicks(v);
        return this.ofTicks(hi, lo);
      }
      case 'boolean':
        return this.ofBool(v);
      default: {
        const k = jsonText(v);
        let id = this.json.get(k);
        if (id === undefined) {
          if (this.frozen) return -1;
          this.json.set(k, (id = this.add(v)));
        }
        return id;
      }
    }
  }

  /**
   * Ids of `col`'s rows `rows` (physical indices) into `out`. `isNull[i]` is set for null cells when given
   * (strings are never null).
   */
  encodeColumn(col: Column, rows: ArrayLike<number>, out: Int32Array, isNull?: Uint8Array): void {
    if (col.type === 'datetime' || col.type === 'timespan') return this.encodeTicks(col.hi, col.lo, col.validity, rows, out, isNull);
    const n = rows.length;
    switch (col.type) {
      case 'string':
      case 'guid': {
        const { dict, codes } = col;
        const validity = col.type === 'guid' ? col.validity : undefined;
        const shared = sharedIdsOf(dict);
        if (shared) return this.encodeShared(dict, codes, shared, validity, rows, out, isNull);
        // one lookup per dictionary code: an array memo when the dictionary is not much larger than the rows
        // (-2: not looked up yet; -1 is a value a frozen encoder does not know)
        const memo = dict.length <= 4 * n + 1024 ? new Int32Array(dict.length).fill(-2) : undefined;
        const sparse = memo ? undefined : new Map<number, number>();
        for (let i = 0; i < n; i++) {
          const r = rows[i]!;
          if (validity && !isValid(validity, r)) {
            out[i] = this.ofNull();
            if (isNull) isNull[i] = 1;
            continue;
          }
          const c = codes[r]!;
          let id = memo ? memo[c]! : (sparse!.get(c) ?? -2);
          if (id === -2) {
            id = this.ofString(dict[c]!);
            if (memo) memo[c] = id;
            else sparse!.set(c, id);
          }
          out[i] = id;
        }
        return;
      }
      case 'bool': {
        const { values, validity } = col;
        for (let i = 0; i < n; i++) {
          const r = rows[i]!;
          if (validity && !isValid(validity, r)) {
            out[i] = this.ofNull();
            if (isNull) isNull[i] = 1;
          } else out[i] = this.ofBool(values[r] === 1);
        }
        return;
      }
      case 'dynamic': {
        const { values, validity } = col;
        for (let i = 0; i < n; i++) {
          const r = rows[i]!;
          const v = validity && !isValid(validity, r) ? null : values[r]!;
          out[i] = this.ofValue(v);
          if (v === null && isNull) isNull[i] = 1;
        }
        return;
      }
      case 'int':
      case 'long':
      case 'real':
      case 'decimal': {
        const { values, validity } = col;
        if (this.frozen && !col.big) {
          // probing a frozen side's integer keys (ids, ports): a direct table instead of a hash probe per row
          if (this.directNumbers === undefined) this.directNumbers = this.numbers.direct() ?? null;
          const direct = this.directNumbers;
          if (direct) {
            const { min, ids } = direct;
            const span = ids.length;
            for (let i = 0; i < n; i++) {
              const r = rows[i]!;
              if (validity && !isValid(validity, r)) {
                out[i] = this.ofNull();
                if (isNull) isNull[i] = 1;
                continue;
              }
              const t = values[r]! - min;
              // not an integer, or outside the keys' range (NaN fails every test): never seen, -1
              out[i] = t >= 0 && t < span && Math.floor(t) === t ? ids[t]! : -1;
            }
            return;
          }
        }
        for (let i = 0; i < n; i++) {
          const r = rows[i]!;
          if (validity && !isValid(validity, r)) {
            out[i] = this.ofNull();
            if (isNull) isNull[i] = 1;
          } else out[i] = col.big ? this.ofValue(readNumber(col, r)) : this.ofNumber(values[r]!);
        }
      }
    }
  }
  /**
   * For a frozen encoder probing `n` rows of `col`: the id of a physical row (-1 for a value never seen and
   * for null, which a probing side whose unmatched rows are dropped skips alike), or undefined when the
   * column has no cheaper form than `encodeColumn`. A dictionary column's codes are mapped once each (a
   * join's key per row is then two array reads, no call into the string tables); integers use the direct
   * table.
   */
  probe(col: Column, n: number): ((r: number) => number) | undefined {
    const k = this.keyLookup(col, n);
    if (!k) return undefined;
    if (k.kind === 'codes') {
      const { memo, codes, validity } = k;
      if (validity) return (r) => (isValid(validity, r) ? memo[codes[r]!]! : -1);
      return (r) => memo[codes[r]!]!;
    }
    const { min, ids, values, validity } = k;
    const span = ids.length;
    // not an integer, or outside the keys' range (NaN fails every test): never seen, -1
    return (r) => {
      if (validity && !isValid(validity, r)) return -1;
      const t = values[r]! - min;
      return t >= 0 && t < span && Math.floor(t) === t ? ids[t]! : -1;
    };
  }

  /**
   * What `probe` reads, as arrays, for a loop that inlines the lookup (a join's composite keys): a
   * dictionary column's ids by code (`memo`), or an integer column's direct table (`ids[v - min]`).
   */
  keyLookup(col: Column, n: number): KeyLookup | undefined {
    if (!this.frozen) return undefined;
    switch (col.type) {
      case 'string':
      case 'guid': {
        const { dict, codes } = col;
        if (dict.length > 4 * n + 1024) return undefined;
        const memo = new Int32Array(dict.length);
        const shared = sharedIdsOf(dict);
        if (shared) {
          this.growByShared();
          const byShared = this.byShared;
          for (let c = 0; c < dict.length; c++) {
            const g = shared[c]!;
            let id = byShared[g]!;
            if (id === -2) id = this.ofShared(g, dict[c]!);
            memo[c] = id;
          }
        } else for (let c = 0; c < dict.length; c++) memo[c] = this.ofString(dict[c]!);
        return { kind: 'codes', codes, memo, validity: col.type === 'guid' ? col.validity : undefined };
      }
      case 'int':
      case 'long':
      case 'real':
      case 'decimal': {
        if (col.big) return undefined;
        if (this.directNumbers === undefined) this.directNumbers = this.numbers.direct() ?? null;
        const direct = this.directNumbers;
        if (!direct) return undefined;
        return { kind: 'ints', values: col.values, min: direct.min, ids: direct.ids, validity: col.validity };
      }
      default:
        return undefined;
    }
  }

  private growByShared(): void {
    if (this.byShared.length < sharedStringCount()) {
      const grown = new Int32Array(Math.max(sharedStringCount(), 2 * this.byShared.length)).fill(-2);
      grown.set(this.byShared);
      this.byShared = grown;
    }
  }

  /**
   * Ids by shared string id (storage/shared-strings.ts) for a stored dictionary: a string is looked up once
   * per query however many extents' dictionaries hold it (-2: not looked up yet; -1: unknown to a frozen
   * encoder, which stays frozen).
   */
  private byShared = new Int32Array(0);

  private encodeShared(dict: readonly string[], codes: Int32Array, shared: Int32Array, validity: Uint8Array | undefined, rows: ArrayLike<number>, out: Int32Array, isNull?: Uint8Array): void {
    this.growByShared();
    const byShared = this.byShared;
    for (let i = 0, n = rows.length; i < n; i++) {
      const r = rows[i]!;
      if (validity && !isValid(validity, r)) {
        out[i] = this.ofNull();
        if (isNull) isNull[i] = 1;
        continue;
      }
      const c = codes[r]!;
      const g = shared[c]!;
      let id = byShared[g]!;
      if (id === -2) id = this.ofShared(g, dict[c]!);
      out[i] = id;
    }
  }

  /** Ids of tick values (`hi`/`lo` halves, see storage/column.ts) at `rows`: encodeColumn for tick columns, and bins computed on the fly. */
  encodeTicks(hi: ArrayLike<number>, lo: ArrayLike<number> | undefined, validity: Uint8Array | undefined, rows: ArrayLike<number>, out: Int32Array, isNull?: Uint8Array): void {
    const n = rows.length;
    // time-ordered data repeats a value row after row (bins above all): remember the last one
    let lastHi = NaN;
    let lastLo = -1;
    let lastId = -1;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      if (validity && !isValid(validity, r)) {
        out[i] = this.ofNull();
        if (isNull) isNull[i] = 1;
        continue;
      }
      const h = hi[r]!;
      const l = lo ? lo[r]! : 0;
      if (h !== lastHi || l !== lastLo) {
        lastHi = h;
        lastLo = l;
        lastId = this.ofTicks(h, l);
      }
      out[i] = lastId;
    }
  }
}

/**
 * number -> id, an open-addressing table on a Float64Array (a Map hashes heap numbers slowly). Keys are
 * compared as `Map` does (SameValueZero): 0 and -0 alike, NaN equal to itself.
 */
class NumberSlots {
  private keys = new Float64Array(64);
  private ids = new Int32Array(64).fill(-1);
  private count = 0;
  private readonly bits = new Float64Array(1);
  private readonly words = new Int32Array(this.bits.buffer);

  private slot(k: number, keys: Float64Array, ids: Int32Array): number {
    this.bits[0] = k;
    const mask = ids.length - 1;
    // both halves of the float64 mixed into every bit of the slot (murmur3's finaliser): integers and
    // whole milliseconds, the commonest keys, have all-zero low halves, and a multiplicative hash read from
    // its low bits sent runs of them into long probe chains
    let h = this.words[0]! ^ Math.imul(this.words[1]!, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h = ((h ^ (h >>> 16)) >>> 0) & mask;
    for (;;) {
      if (ids[h]! < 0 || keys[h] === k) return h;
      h = (h + 1) & mask;
    }
  }

  private static norm(k: number): number {
    return k === 0 ? 0 : k !== k ? NaN : k;
  }

  get(k: number): number {
    k = NumberSlots.norm(k);
    if (k !== k) return this.nanId;
    return this.ids[this.slot(k, this.keys, this.ids)]!;
  }

  private nanId = -1;

  /**
   * The keys as a direct table (id of key k at k - min) when every key is an integer and they span a small
   * range (process ids, ports: a frozen join side's keys), else undefined. Only for a table that no longer
   * grows: it is a copy.
   */
  direct(): { min: number; ids: Int32Array } | undefined {
    if (this.nanId >= 0 || this.count === 0) return undefined;
    const { keys, ids } = this;
    let min = Infinity;
    let max = -Infinity;
    for (let s = 0; s < ids.length; s++) {
      if (ids[s]! < 0) continue;
      const k = keys[s]!;
      if (!Number.isInteger(k)) return undefined;
      if (k < min) min = k;
      if (k > max) max = k;
    }
    const span = max - min + 1;
    if (span > Math.max(1 << 16, 8 * this.count) || span > 1 << 24) return undefined;
    const table = new Int32Array(span).fill(-1);
    for (let s = 0; s < ids.length; s++) if (ids[s]! >= 0) table[keys[s]! - min] = ids[s]!;
    return { min, ids: table };
  }

  set(k: number, id: number): void {
    k = NumberSlots.norm(k);
    if (k !== k) {
      this.nanId = id;
      return;
    }
    const h = this.slot(k, this.keys, this.ids);
    this.keys[h] = k;
    this.ids[h] = id;
    if (++this.count * 2 > this.ids.length) {
      const { keys, ids } = this;
      this.keys = new Float64Array(keys.length * 2);
      this.ids = new Int32Array(ids.length * 2).fill(-1);
      for (let s = 0; s < ids.length; s++) {
        if (ids[s]! < 0) continue;
        const t = this.slot(keys[s]!, this.keys, this.ids);
        this.keys[t] = keys[s]!;
        this.ids[t] = ids[s]!;
      }
    }
  }
}

/** 0, 1, ..., n - 1 (a view of one shared array: read it, never write it). */
export function identityRows(n: number): Int32Array {
  if (sharedIdentity.length < n) {
    sharedIdentity = new Int32Array(Math.max(n, 2 * sharedIdentity.length));
    for (let i = 0; i < sharedIdentity.length; i++) sharedIdentity[i] = i;
  }
  return sharedIdentity.subarray(0, n);
}
let sharedIdentity = new Int32Array(0);

/**
 * Dense ids for pairs of non-negative ints (a composite key built one key at a time, or a (group, value)
 * set for dcount/make_set): an open-addressing hash table whose slots are [x, y, id] triples side by side
 * in one Int32Array, so a probe touches one cache line (three parallel arrays cost three misses per probe
 * once the table outgrows the cache: a join's million-row probe side spent most of its time there).
 */
export class PairIds {
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = PairIds.empty(cap);
    this.mask = cap - 1;
  }

  private static empty(cap: number): Int32Array {
    const slots = new Int32Array(cap * 3);
    for (let s = 2; s < slots.length; s += 3) slots[s] = -1;
    return slots;
  }

  private static hash(x: number, y: number, mask: number): number {
    const h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y + 0x7f4a7c15, 0x85ebca77)) >>> 0;
    return (h ^ (h >>> 15)) & mask;
  }

  /** The pair's id; a new pair gets the next id (then `size` grows by one). */
  idOf(x: number, y: number): number {
    const slots = this.slots;
    let h = PairIds.hash(x, y, this.mask);
    for (;;) {
      const at = h * 3;
      const id = slots[at + 2]!;
      if (id < 0) break;
      if (slots[at] === x && slots[at + 1] === y) return id;
      h = (h + 1) & this.mask;
    }
    const id = this.size++;
    this.byFirst = undefined; // grouped before this pair: no longer complete
    slots[h * 3] = x;
    slots[h * 3 + 1] = y;
    slots[h * 3 + 2] = id;
    if (this.size * 2 > this.mask + 1) this.grow();
    return id;
  }

  /**
   * The pairs grouped by x (CSR: x's pairs are at start[x] .. start[x + 1] of ys/ids), made by
   * `groupByFirst` when no x has many pairs: a frozen join side's (device, process id) keys probed by a
   * million rows then scan a few neighbouring ints instead of missing the cache in a large table.
   */
  private byFirst?: { start: Int32Array; ys: Int32Array; ids: Int32Array };

  /** Groups the pairs by x for `find` (none may be added after). Skipped when some x has over 32 pairs. */
  groupByFirst(): void {
    const slots = this.slots;
    let maxX = -1;
    for (let at = 0; at < slots.length; at += 3) if (slots[at + 2]! >= 0 && slots[at]! > maxX) maxX = slots[at]!;
    const start = new Int32Array(maxX + 2);
    for (let at = 0; at < slots.length; at += 3) if (slots[at + 2]! >= 0) start[slots[at]! + 1]!++;
    for (let x = 0; x <= maxX; x++) {
      if (start[x + 1]! > 32) return;
      start[x + 1]! += start[x]!;
    }
    const fill = start.slice(0, maxX + 1);
    const ys = new Int32Array(this.size);
    const ids = new Int32Array(this.size);
    for (let at = 0; at < slots.length; at += 3) {
      if (slots[at + 2]! < 0) continue;
      const m = fill[slots[at]!]!++;
      ys[m] = slots[at + 1]!;
      ids[m] = slots[at + 2]!;
    }
    this.byFirst = { start, ys, ids };
  }

  /** `groupByFirst`'s grouping, when it was made: x's pairs are ys/ids[start[x] .. start[x + 1]). */
  grouped(): { start: Int32Array; ys: Int32Array; ids: Int32Array } | undefined {
    return this.byFirst;
  }

  /** The pair's id, or -1 when it was never added. */
  find(x: number, y: number): number {
    const by = this.byFirst;
    if (by) {
      if (x < 0 || x + 1 >= by.start.length) return -1;
      const { ys } = by;
      for (let m = by.start[x]!, end = by.start[x + 1]!; m < end; m++) if (ys[m] === y) return by.ids[m]!;
      return -1;
    }
    const slots = this.slots;
    let h = PairIds.hash(x, y, this.mask);
    for (;;) {
      const at = h * 3;
      const id = slots[at + 2]!;
      if (id < 0) return -1;
      if (slots[at] === x && slots[at + 1] === y) return id;
      h = (h + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const slots = PairIds.empty(cap);
    this.mask = cap - 1;
    for (let at = 0; at < old.length; at += 3) {
      const id = old[at + 2]!;
      if (id < 0) continue;
      const x = old[at]!;
      const y = old[at + 1]!;
      let h = PairIds.hash(x, y, this.mask);
      while (slots[h * 3 + 2]! >= 0) h = (h + 1) & this.mask;
      slots[h * 3] = x;
      slots[h * 3 + 1] = y;
      slots[h * 3 + 2] = id;
    }
    this.slots = slots;
  }
}

/**
 * Combines two id arrays row by row into one composite id per row, in first-seen order: `acc` (the ids
 * of the keys so far, `accSize` distinct) and `next` (the next key's ids, `nextSize` distinct). A direct
 * table when the product of the sizes is small, else a pair hash.
 */
export function combineIds(acc: Int32Array, accSize: number, next: Int32Array, nextSize: number, into?: Int32Array): { ids: Int32Array; size: number } {
  const n = acc.length;
  // (`into`: an array of n to write the ids to, which may be `acc` itself: each row reads acc[i] first)
  const out = into ?? new Int32Array(n);
  if (accSize * nextSize <= Math.max(4 * n, 1 << 16)) {
    const table = new Int32Array(accSize * nextSize).fill(-1);
    let size = 0;
    for (let i = 0; i < n; i++) {
      const k = acc[i]! * nextSize + next[i]!;
      let id = table[k]!;
      if (id < 0) table[k] = id = size++;
      out[i] = id;
    }
    return { ids: out, size };
  }
  const pairs = new PairIds(Math.min(n, accSize * nextSize));
  for (let i = 0; i < n; i++) out[i] = pairs.idOf(acc[i]!, next[i]!);
  return { ids: out, size: pairs.size };
}
