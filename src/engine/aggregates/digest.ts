/**
 * The value distribution behind percentile(s)(w), tdigest() and the *_tdigest functions. Values are kept
 * exactly (with their weights) up to EXACT_LIMIT entries, so small groups get true nearest-rank
 * percentiles that are values of the input; past that they are folded into a t-digest of at most about
 * COMPRESSION centroids (merging neighbours while a centroid's weight stays under 4·N·q·(1−q)/COMPRESSION).
 * Datetime/timespan values are ticks: exact as BigInts, and as Numbers once folded.
 */
import { compareValues } from '../values/compare.js';
import type { DynamicValue, ScalarTypeName, Value } from '../values/value.js';

const EXACT_LIMIT = 50_000;
const COMPRESSION = 200;

const isTicks = (t: ScalarTypeName) => t === 'datetime' || t === 'timespan';

export class Digest {
  /** Exact entries while `folded` is false; centroid means (as Numbers) after. */
  private items: Value[] = [];
  private weights: number[] = [];
  private folded = false;
  private total = 0;

  constructor(readonly type: ScalarTypeName) {}

  add(v: Value, weight = 1): void {
    if (v === null || !(weight > 0)) return;
    if (typeof v === 'number' && Number.isNaN(v)) return;
    if (typeof v !== 'number' && typeof v !== 'bigint') return;
    this.items.push(this.folded ? Number(v) : v);
    this.weights.push(weight);
    this.total += weight;
    if (this.items.length > (this.folded ? 4 * COMPRESSION : EXACT_LIMIT)) this.fold();
  }

  merge(other: Digest): void {
    if (other.folded && !this.folded) this.fold();
    for (let i = 0; i < other.items.length; i++) this.add(other.items[i]!, other.weights[i]!);
  }

  get count(): number {
    return this.total;
  }

  /** Entries sorted by value. */
  private sorted(): { items: Value[]; weights: number[] } {
    const order = this.items.map((_, i) => i).sort((a, b) => compareValues(this.items[a]!, this.items[b]!));
    return { items: order.map((i) => this.items[i]!), weights: order.map((i) => this.weights[i]!) };
  }

  private fold(): void {
    const { items, weights } = this.sorted();
    const means: number[] = [];
    const ws: number[] = [];
    let seen = 0;
    for (let i = 0; i < items.length; i++) {
      const x = Number(items[i]);
      const w = weights[i]!;
      const last = means.length - 1;
      const q = (seen + w / 2) / this.total;
      if (last >= 0 && ws[last]! + w <= Math.max(1, (4 * this.total * q * (1 - q)) / COMPRESSION)) {
        means[last] = means[last]! + ((x - means[last]!) * w) / (ws[last]! + w);
        ws[last] = ws[last]! + w;
      } else {
        means.push(x);
        ws.push(w);
      }
      seen += w;
    }
    this.items = means;
    this.weights = ws;
    this.folded = true;
  }

  /** Nearest-rank percentile: the smallest value whose cumulative weight reaches p% of the total. */
  percentile(p: number): Value {
    if (!this.total || Number.isNaN(p)) return null;
    const { items, weights } = this.sorted();
    const want = (Math.min(100, Math.max(0, p)) / 100) * this.total;
    let acc = 0;
    for (let i = 0; i < items.length; i++) {
      acc += weights[i]!;
      if (acc >= want - 1e-9 * this.total) return this.typed(items[i]!);
    }
    return this.typed(items[items.length - 1]!);
  }

  /** The weight of values less than or equal to `v` (rank_tdigest). */
  rank(v: Value): number | null {
    if (v === null) return null;
    let acc = 0;
    for (let i = 0; i < this.items.length; i++) if (compareValues(this.folded ? Number(this.items[i]) : this.items[i]!, typeof v === 'bigint' && this.folded ? Number(v) : v) <= 0) acc += this.weights[i]!;
    return acc;
  }

  private typed(v: Value): Value {
    if (isTicks(this.type)) return typeof v === 'bigint' ? v : BigInt(Math.round(v as number));
    if (this.type === 'int' || this.type === 'long') return typeof v === 'number' && this.folded ? Math.round(v) : v;
    return typeof v === 'bigint' ? Number(v) : v;
  }

  /** The dynamic value a tdigest() column holds: {tdigest: [type, [value, weight]...]}; ticks as text. */
  toDynamic(): DynamicValue {
    const entries: DynamicValue[] = this.items.map((v, i) => [typeof v === 'bigint' ? v.toString() : (v as number), this.weights[i]!]);
    return { tdigest: { type: this.type, folded: this.folded, entries } };
  }

  static fromDynamic(v: Value): Digest | null {
    const d = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, DynamicValue>)['tdigest'] : undefined;
    if (!d || typeof d !== 'object' || Array.isArray(d)) return null;
    const { type, folded, entries } = d as { type?: DynamicValue; folded?: DynamicValue; entries?: DynamicValue };
    if (typeof type !== 'string' || !Array.isArray(entries)) return null;
    const out = new Digest(type as ScalarTypeName);
    out.folded = folded === true;
    for (const e of entries) {
      if (!Array.isArray(e) || typeof e[1] !== 'number') return null;
      const raw = e[0];
      const value = typeof raw === 'string' && isTicks(out.type) && !out.folded ? BigInt(raw) : typeof raw === 'string' ? Number(raw) : raw;
      if (typeof value !== 'number' && typeof value !== 'bigint') return null;
      out.items.push(value);
      out.weights.push(e[1]);
      out.total += e[1];
    }
    return out;
  }
}
