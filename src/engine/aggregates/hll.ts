/**
 * HyperLogLog sketches for hll(), hll_merge() and dcount_hll(). Each value hashes to 53 bits: the top p bits
 * pick a register, the rank of the rest is what the register keeps. Kusto's accuracy levels 0-4 (1.6%, 0.8%,
 * 0.4%, 0.28%, 0.2% error) are p = 12, 14, 16, 17, 18 (error ≈ 1.04/√2^p). Small sketches stay sparse (the
 * distinct hashes themselves), so small counts are exact; larger ones become 2^p registers.
 */
import { valueKey } from '../values/compare.js';
import type { DynamicValue, Value } from '../values/value.js';

const PRECISION_BY_ACCURACY = [12, 14, 16, 17, 18];
const HASH_BITS = 53;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 53-bit hash of a value's canonical key (two multiplicative 32-bit lanes, finalised and combined). */
export function hash53(v: Value): number {
  const s = valueKey(v);
  let a = 0x9e3779b9 ^ s.length;
  let b = 0x7f4a7c15;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ c, 0x1b873593);
    b = (b << 13) | (b >>> 19);
  }
  const x = fmix(a ^ Math.imul(b, 5));
  const y = fmix(b ^ x);
  return x * 2 ** 21 + (y >>> 11);
}

export class Hll {
  private sparse: Set<number> | null = new Set();
  private registers: Uint8Array | null = null;

  constructor(readonly p: number) {}

  static forAccuracy(accuracy: Value): Hll {
    const a = typeof accuracy === 'number' && accuracy >= 0 && accuracy <= 4 ? Math.trunc(accuracy) : 1;
    return new Hll(PRECISION_BY_ACCURACY[a]!);
  }

  add(v: Value): void {
    if (v === null) return;
    this.addHash(hash53(v));
  }

  private addHash(h: number): void {
    if (this.sparse) {
      this.sparse.add(h);
      if (this.sparse.size > 2 ** this.p / 16) this.densify();
      return;
    }
    this.setRegister(h);
  }

  private setRegister(h: number): void {
    const restBits = HASH_BITS - this.p;
    const idx = Math.floor(h / 2 ** restBits);
    const rest = h - idx * 2 ** restBits;
    const rank = rest === 0 ? restBits + 1 : restBits - Math.floor(Math.log2(rest));
    if (rank > this.registers![idx]!) this.registers![idx] = rank;
  }

  private densify(): void {
    this.registers = new Uint8Array(2 ** this.p);
    for (const h of this.sparse!) this.setRegister(h);
    this.sparse = null;
  }

  /** Merges another sketch into this one; a sketch of lower precision lowers this one's. */
  merge(other: Hll): Hll {
    let target: Hll = this;
    if (other.p < this.p) {
      target = new Hll(other.p);
      target.absorb(this);
    }
    target.absorb(other);
    return target;
  }

  private absorb(other: Hll): void {
    if (other.sparse) {
      for (const h of other.sparse) this.addHash(h);
      return;
    }
    if (this.sparse) this.densify();
    const shift = other.p - this.p;
    const regs = other.registers!;
    for (let i = 0; i < regs.length; i++) {
      if (!regs[i]) continue;
      // folding 2^shift registers into one: the index bits dropped become the leading bits of the rest
      const idx = i >>> shift;
      const dropped = i & ((1 << shift) - 1);
      const rank = dropped ? shift - Math.floor(Math.log2(dropped)) : regs[i]! + shift;
      if (rank > this.registers![idx]!) this.registers![idx] = rank;
    }
  }

  estimate(): number {
    if (this.sparse) return this.sparse.size;
    const regs = this.registers!;
    const m = regs.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      sum += 2 ** -regs[i]!;
      if (!regs[i]) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    if (raw <= 2.5 * m && zeros) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }

  /** {hll: {p, sparse: [hashes]}} or {hll: {p, dense: base64 registers}}. */
  toDynamic(): DynamicValue {
    if (this.sparse) return { hll: { p: this.p, sparse: [...this.sparse].sort((a, b) => a - b) } };
    return { hll: { p: this.p, dense: Buffer.from(this.registers!).toString('base64') } };
  }

  static fromDynamic(v: Value): Hll | null {
    const d = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, DynamicValue>)['hll'] : undefined;
    if (!d || typeof d !== 'object' || Array.isArray(d)) return null;
    const { p, sparse, dense } = d as { p?: DynamicValue; sparse?: DynamicValue; dense?: DynamicValue };
    if (typeof p !== 'number' || !PRECISION_BY_ACCURACY.includes(p)) return null;
    const out = new Hll(p);
    if (Array.isArray(sparse)) {
      for (const h of sparse) if (typeof h === 'number' && Number.isSafeInteger(h) && h >= 0 && h < 2 ** HASH_BITS) out.sparse!.add(h);
      return out;
    }
    if (typeof dense !== 'string') return null;
    const regs = Buffer.from(dense, 'base64');
    if (regs.length !== 2 ** p) return null;
    out.sparse = null;
    out.registers = new Uint8Array(regs);
    return out;
  }
}
