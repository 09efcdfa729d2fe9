/**
 * The workspace's loaded columns, least recently used first out, within a byte budget: repeated hunts
 * reuse what they read, and memory stays bounded however many extents a session touches. A column a query
 * still holds stays alive until the query ends even when evicted here (the cache only stops keeping it).
 */
import { totalmem } from 'node:os';
import type { LoadedColumn } from './extent-format.js';

/** Default budget: a quarter of the machine's memory, at most 2 GiB. */
export const DEFAULT_CACHE_BYTES = Math.min(2 * 1024 ** 3, Math.floor(totalmem() / 4));

export class ColumnCache {
  private readonly entries = new Map<string, LoadedColumn>();
  private total = 0;
  private reads = 0;

  constructor(readonly budget: number) {}

  get bytes(): number {
    return this.total;
  }

  /** How many columns were loaded (read from disk) so far. */
  get loads(): number {
    return this.reads;
  }

  /** The column under `key`, loaded by `load` when absent (and kept, evicting the oldest over budget). */
  get(key: string, load: () => LoadedColumn): LoadedColumn['column'] {
    const hit = this.entries.get(key);
    if (hit) {
      // move to the young end (a Map iterates in insertion order)
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.column;
    }
    const loaded = load();
    this.reads++;
    this.entries.set(key, loaded);
    this.total += loaded.bytes;
    this.evict(key);
    return loaded.column;
  }

  /** Counts bytes read later for a kept column (its row index). */
  grow(key: string, bytes: number): void {
    const e = this.entries.get(key);
    if (!e) return;
    e.bytes += bytes;
    this.total += bytes;
    this.evict(key);
  }

  /** Forgets every column whose key starts with `prefix` (an extent that was dropped). */
  forget(prefix: string): void {
    for (const [k, e] of this.entries) {
      if (!k.startsWith(prefix)) continue;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  private evict(keep: string): void {
    for (const [k, e] of this.entries) {
      if (this.total <= this.budget) break;
      if (k === keep) continue;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }
}
