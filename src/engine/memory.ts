/**
 * A query's memory budget and the accounting that enforces it.
 *
 * What is measured: V8's heap in use plus the off-heap memory of typed arrays (where columns live), as
 * growth since the query started, so the workspace's column cache and earlier queries' leftovers are not
 * the query's. Measuring costs about 0.4 µs, so nothing measures per row: operators `charge` the bytes they
 * build (strings added to a dictionary, output index vectors, aggregate state) and the meter measures each
 * time another `step` bytes have been charged; before one large allocation an operator `reserves` it, so a
 * cross join that would need 80 GB ends before asking for it. Row loops also measure through checkLimits.
 *
 * A second line guards V8 itself: whatever the budget, the query ends before the JavaScript heap reaches
 * its limit, where V8 aborts the whole process (exit 134) and no catch can help.
 *
 * The meter is ambient (one per running query, installed by runScript) so that leaf code that allocates,
 * typed writers and functions like strrep() or range(), can charge it without every caller passing it on.
 * The engine is synchronous, so "the running query" is always well defined.
 */
import type * as V8 from 'node:v8';
import { lazyPackage } from '../common/lazy-package.js';
import { EXECUTION } from './codes.js';
import { QueryError } from './values/value.js';

/** node:v8 (with the stream and heap modules it loads), when a budget is first worked out. */
const v8 = lazyPackage<typeof V8>('node:v8');

const MiB = 1024 * 1024;

/** The share of V8's heap limit a query may grow by when no budget is given. */
const DEFAULT_SHARE = 0.5;
/** The share of the heap limit past which any query ends, whatever its budget (V8 aborts at 100%). */
const HEAP_GUARD_SHARE = 0.9;

export function heapLimitBytes(): number {
  return v8().getHeapStatistics().heap_size_limit;
}

/** The budget a query gets: the requested one clamped to the heap limit, else half of that limit. */
export function memoryBudgetFor(requested?: number): { bytes: number; clamped: boolean } {
  const limit = heapLimitBytes();
  if (requested === undefined || !Number.isFinite(requested) || requested <= 0) return { bytes: Math.floor(limit * DEFAULT_SHARE), clamped: false };
  return requested > limit ? { bytes: limit, clamped: true } : { bytes: Math.floor(requested), clamped: false };
}

export const mib = (bytes: number) => `${Math.round(bytes / MiB).toLocaleString('en-US')} MiB`;

function inUse(): { heap: number; total: number } {
  const h = v8().getHeapStatistics();
  return { heap: h.used_heap_size, total: h.used_heap_size + h.external_memory };
}

export class MemoryMeter {
  /** The operator running now (its KQL word), named when the budget ends the query. */
  operator = 'query';
  private pending = 0;
  private ticks = 0;
  private readonly step: number;
  private readonly baseline: number;
  private readonly heapGuard: number;

  constructor(readonly budget: number) {
    this.step = Math.max(MiB, Math.min(64 * MiB, Math.floor(budget / 16)));
    this.baseline = inUse().total;
    this.heapGuard = heapLimitBytes() * HEAP_GUARD_SHARE;
  }

  /** Bytes just built or about to be held; measured every `step` bytes. Cheap: call per batch, not per row. */
  charge(bytes: number): void {
    this.pending += bytes;
    if (this.pending >= this.step) this.check();
  }

  /**
   * Before allocating `bytes` at once: ends the query first when they would not fit. `onHeap`: the bytes
   * go on V8's heap (strings, arrays of values) rather than into typed arrays.
   */
  reserve(bytes: number, onHeap = false): void {
    if (bytes >= this.step) this.check(bytes, onHeap);
    else this.charge(bytes);
  }

  /**
   * The row loops' periodic check (checkLimits, every 1,024 rows): measures every 8th time (growth that
   * nothing charged, like dynamic values built per row, is caught within 8,192 rows) or when charges are
   * pending, so the loops pay a clock read per 1,024 rows and a heap measurement per 8,192.
   */
  tick(): void {
    if ((++this.ticks & 7) === 0 || this.pending > 0) this.check();
  }

  /** Measures now; `extra` bytes are about to be allocated. */
  check(extra = 0, onHeap = false): void {
    this.pending = 0;
    const now = inUse();
    if (now.total - this.baseline + extra > this.budget) {
      throw new QueryError(
        `'${this.operator}' needed more memory than the query's budget of ${mib(this.budget)}: narrow the query ` +
          `(filter or summarize before it), or raise the budget with --memory-budget (at most ${mib(heapLimitBytes())} in this process)`,
        EXECUTION.memory,
      );
    }
    if (now.heap + (onHeap ? extra : 0) > this.heapGuard) {
      throw new QueryError(`'${this.operator}' needed more memory than this process's heap limit of ${mib(heapLimitBytes())} allows: narrow the query`, EXECUTION.memory);
    }
  }
}

let active: MemoryMeter | undefined;

/** The running query's meter (none outside a query: tests calling functions directly). */
export function currentMeter(): MemoryMeter | undefined {
  return active;
}

/** Runs `f` with `m` as the running query's meter (nested queries restore the outer one). */
export function withMeter<T>(m: MemoryMeter, f: () => T): T {
  const outer = active;
  active = m;
  try {
    return f();
  } finally {
    active = outer;
  }
}

/** Charges the running query, if any (leaf code that does not see the runtime). */
export function charge(bytes: number): void {
  active?.charge(bytes);
}

export function reserve(bytes: number, onHeap = false): void {
  active?.reserve(bytes, onHeap);
}
