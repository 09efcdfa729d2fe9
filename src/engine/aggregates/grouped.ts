/**
 * Aggregates over grouped rows, column-at-a-time: once `summarize` has a dense group id per row, the common
 * aggregates update typed state per group id (counts and sums in Float64Arrays, dcount/make_set as a
 * (group, value id) pair set, min/max on the number, tick or dictionary arrays) from their argument columns,
 * with no Value or state object per row. Each one gives exactly what core.ts's per-group state would
 * (test/engine/grouped-summarize.test.ts runs both); anything else returns undefined and `summarize` falls
 * back to the init/add/result states.
 */
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { isValid, readNumber, type Column } from '../storage/column.js';
import { longOf } from '../values/long.js';
import { readCell } from '../storage/builders.js';
import { valueToDynamic } from '../values/format.js';
import { joinTicks } from '../values/ticks.js';
import type { DynamicValue, Value } from '../values/value.js';
import { identityRows, PairIds, ValueIds } from '../compile/value-ids.js';
import { giveRows, takeRows } from '../storage/scratch.js';

export interface GroupedAggregate {
  /** Logical row i (of the argument columns) belongs to group gids[i]; `groups` groups in all. */
  run(gids: Int32Array, groups: number): void;
  result(g: number): Value | Value[];
}

const isNumberType = (t: ScalarTypeName) => t === 'int' || t === 'long' || t === 'real' || t === 'decimal';

/** True at row i when the if-predicate column holds `true` (a missing predicate is always true). */
function passes(pred: Column | undefined): (i: number) => boolean {
  if (!pred) return () => true;
  if (pred.type !== 'bool') throw new Error('predicate column must be bool');
  const { values, validity } = pred;
  return validity ? (i) => values[i] === 1 && isValid(validity, i) : (i) => values[i] === 1;
}

/** The aggregates `groupedAggregate` may have a typed implementation for. */
export const GROUPED_AGGREGATES: ReadonlySet<string> = new Set(['count', 'countif', 'dcount', 'dcountif', 'sum', 'sumif', 'avg', 'avgif', 'min', 'minif', 'max', 'maxif', 'make_set', 'make_set_if', 'make_list', 'make_list_if', 'arg_max', 'arg_min']);

/**
 * A typed implementation of aggregate `name` over dense argument columns (one per argument, aligned with
 * the grouped rows), or undefined when there is none for these argument types. `consts` are the constant
 * argument values (make_set's cap); `rowValues(i)` gives every argument's value at row i (arg_max/arg_min
 * read their outputs only at each group's chosen row).
 */
export function groupedAggregate(name: string, args: Column[], consts: Value[], rowValues?: (i: number) => Value[]): GroupedAggregate | undefined {
  const withIf = name.endsWith('if') || name.endsWith('_if');
  const predIndex = name === 'countif' ? 0 : withIf ? 1 : -1;
  const pred = predIndex >= 0 ? args[predIndex] : undefined;
  if (pred && pred.type !== 'bool') return undefined;
  const x = args[0];
  switch (name) {
    case 'count':
    case 'countif':
      return counter(pred);
    case 'dcount':
    case 'dcountif':
      return x ? distinctCounter(x, pred) : undefined;
    case 'sum':
    case 'sumif':
      return x && isNumberType(x.type) ? summer(x, pred, false) : undefined;
    case 'avg':
    case 'avgif':
      return x && isNumberType(x.type) ? summer(x, pred, true) : undefined;
    case 'min':
    case 'minif':
      return x ? extreme(x, pred, -1) : undefined;
    case 'max':
    case 'maxif':
      return x ? extreme(x, pred, 1) : undefined;
    case 'arg_max':
    case 'arg_min':
      return x && rowValues ? argExtreme(x, name === 'arg_max' ? 1 : -1, rowValues) : undefined;
    case 'make_set':
    case 'make_set_if':
    case 'make_list':
    case 'make_list_if': {
      // a dynamic argument's arrays are expanded by make_set: that stays with core.ts
      if (!x || x.type === 'dynamic') return undefined;
      const max = Number(consts[withIf ? 2 : 1] ?? 1_048_576);
      return collector(x, pred, name.startsWith('make_set'), max);
    }
    default:
      return undefined;
  }
}

function counter(pred: Column | undefined): GroupedAggregate {
  let counts = new Float64Array(0);
  return {
    run(gids, groups) {
      counts = new Float64Array(groups);
      const ok = passes(pred);
      for (let i = 0; i < gids.length; i++) if (ok(i)) counts[gids[i]!]!++;
    },
    result: (g) => counts[g]!,
  };
}

function distinctCounter(x: Column, pred: Column | undefined): GroupedAggregate {
  return distinctCounterOf((ids, vids, isNull) => ids.encodeColumn(x, identityRows(vids.length), vids, isNull), pred);
}

/**
 * dcount given how to encode its argument's rows (ids per row into `vids`, nulls marked in `isNull`): a
 * summarize passes its key encoder (compile/vector.ts encodeKey), which reads a where chain's column part
 * by part instead of concatenating it first.
 */
export function distinctCounterOf(encode: (ids: ValueIds, vids: Int32Array, isNull: Uint8Array) => void, pred: Column | undefined): GroupedAggregate {
  let counts = new Float64Array(0);
  return {
    run(gids, groups) {
      counts = new Float64Array(groups);
      // the value ids and null marks per row in reused buffers (storage/scratch.ts), given back after
      const n = gids.length;
      const vidBuf = takeRows(n);
      const nullBuf = takeRows((n >> 2) + 1);
      try {
        countDistinct(encode, pred, gids, groups, vidBuf.subarray(0, n), new Uint8Array(nullBuf.buffer, nullBuf.byteOffset, n).fill(0), counts);
      } finally {
        giveRows(vidBuf);
        giveRows(nullBuf);
      }
    },
    result: (g) => counts[g]!,
  };
}

/** dcount's distinct values per group into `counts`, with `vids` and `isNull` (zeroed) as working arrays of the rows. */
function countDistinct(encode: (ids: ValueIds, vids: Int32Array, isNull: Uint8Array) => void, pred: Column | undefined, gids: Int32Array, groups: number, vids: Int32Array, isNull: Uint8Array, counts: Float64Array): void {
  const ids = new ValueIds();
  encode(ids, vids, isNull);
  const ok = passes(pred);
  if (groups * ids.size > SMALL_PAIR_BITMAP) {
    // many groups x many values: each group's rows in turn, a value marked with the group that saw it
    const { start, order } = rowsByGroup(gids, groups);
    const stamp = new Int32Array(ids.size).fill(-1);
    for (let g = 0; g < groups; g++) {
      let n = 0;
      for (let m = start[g]!, end = start[g + 1]!; m < end; m++) {
        const i = order[m]!;
        if (isNull[i] || !ok(i) || stamp[vids[i]!] === g) continue;
        stamp[vids[i]!] = g;
        n++;
      }
      counts[g] = n;
    }
    return;
  }
  const seen = pairSet(groups, ids.size, gids.length);
  for (let i = 0; i < gids.length; i++) {
    if (isNull[i] || !ok(i)) continue;
    if (seen(gids[i]!, vids[i]!)) counts[gids[i]!]!++;
  }
}

/**
 * Past this many (group, value) bits a pair bitmap no longer stays in the cache (1 MiB): distinct values
 * are then found group by group (`rowsByGroup`) with one mark per value, instead of a probe per row into
 * a bitmap or pair hash of many megabytes (make_set of addresses by device and process: 76k groups x 40k
 * addresses, a new pair on almost every row).
 */
const SMALL_PAIR_BITMAP = 1 << 23;

/** The rows of each group, in row order (a counting sort): group g's rows are order[start[g] .. start[g + 1]). */
function rowsByGroup(gids: Int32Array, groups: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < gids.length; i++) start[gids[i]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, groups);
  const order = new Int32Array(gids.length);
  for (let i = 0; i < gids.length; i++) order[fill[gids[i]!]!++] = i;
  return { start, order };
}

function summer(x: Column, pred: Column | undefined, average: boolean): GroupedAggregate {
  if (x.type !== 'int' && x.type !== 'long' && x.type !== 'real' && x.type !== 'decimal') throw new Error('number column expected');
  let sums = new Float64Array(0);
  let counts = new Float64Array(0);
  let exact: BigInt64Array | undefined;
  return {
    run(gids, groups) {
      sums = new Float64Array(groups);
      counts = new Float64Array(groups);
      const { values, validity } = x;
      const ok = passes(pred);
      exact = undefined;
      for (let i = 0; i < gids.length; i++) {
        if (!ok(i) || (validity && !isValid(validity, i))) continue;
        const g = gids[i]!;
        sums[g]! += values[i]!;
        counts[g]!++;
      }
      // an integer sum past ±2^53 (or over longs past it) is redone exactly, as int64
      if (!average && (x.type === 'long' || x.type === 'int') && (x.big || sums.some((v) => Math.abs(v) > 9007199254740991))) {
        const big = new BigInt64Array(groups);
        for (let i = 0; i < gids.length; i++) {
          if (!ok(i) || (validity && !isValid(validity, i))) continue;
          big[gids[i]!] = BigInt.asIntN(64, big[gids[i]!]! + (x.big ? x.big[i]! : BigInt(values[i]!)));
        }
        exact = big;
      }
    },
    // core.ts: avg of no values is 0/0; sum of no numbers is 0
    result: (g) => (average ? (counts[g] ? sums[g]! / counts[g]! : NaN) : exact ? longOf(exact[g]!) : sums[g]!),
  };
}

function extreme(x: Column, pred: Column | undefined, sign: 1 | -1): GroupedAggregate | undefined {
  const ok = passes(pred);
  if (x.type === 'long' && x.big) {
    // longs beyond ±2^53: compared exactly
    let best: (number | bigint)[] = [];
    return {
      run(gids, groups) {
        best = new Array<number | bigint>(groups);
        for (let i = 0; i < gids.length; i++) {
          if (!ok(i) || !isValid(x.validity, i)) continue;
          const v = readNumber(x, i);
          const g = gids[i]!;
          const b = best[g];
          if (b === undefined || (sign > 0 ? v > b : v < b)) best[g] = v;
        }
      },
      result: (g) => best[g] ?? null,
    };
  }
  if (x.type === 'int' || x.type === 'long' || x.type === 'real' || x.type === 'decimal') {
    let best = new Float64Array(0);
    let has = new Uint8Array(0);
    return {
      run(gids, groups) {
        best = new Float64Array(groups);
        has = new Uint8Array(groups);
        const { values, validity } = x;
        for (let i = 0; i < gids.length; i++) {
          if (!ok(i) || (validity && !isValid(validity, i))) continue;
          const v = values[i]!;
          if (Number.isNaN(v)) continue;
          const g = gids[i]!;
          if (!has[g] || (sign > 0 ? v > best[g]! : v < best[g]!)) {
            best[g] = v;
            has[g] = 1;
          }
        }
      },
      result: (g) => (has[g] ? best[g]! : null),
    };
  }
  if (x.type === 'datetime' || x.type === 'timespan') {
    let bestHi = new Float64Array(0);
    let bestLo = new Uint16Array(0);
    let has = new Uint8Array(0);
    return {
      run(gids, groups) {
        bestHi = new Float64Array(groups);
        bestLo = new Uint16Array(groups);
        has = new Uint8Array(groups);
        const { hi, lo, validity } = x;
        for (let i = 0; i < gids.length; i++) {
          if (!ok(i) || (validity && !isValid(validity, i))) continue;
          const g = gids[i]!;
          const h = hi[i]!;
          const l = lo[i]!;
          const cmp = !has[g] ? 1 : h !== bestHi[g] ? (h > bestHi[g]! ? 1 : -1) : l === bestLo[g] ? 0 : l > bestLo[g]! ? 1 : -1;
          if (!has[g] || cmp * sign > 0) {
            bestHi[g] = h;
            bestLo[g] = l;
            has[g] = 1;
          }
        }
      },
      result: (g) => (has[g] ? joinTicks(bestHi[g]!, bestLo[g]!) : null),
    };
  }
  if (x.type === 'string') {
    let best = new Int32Array(0);
    return {
      run(gids, groups) {
        best = new Int32Array(groups).fill(-1);
        const { dict, codes } = x;
        for (let i = 0; i < gids.length; i++) {
          if (!ok(i)) continue;
          const g = gids[i]!;
          const c = codes[i]!;
          const b = best[g]!;
          if (b < 0) best[g] = c;
          else if (c !== b && (sign > 0 ? dict[c]! > dict[b]! : dict[c]! < dict[b]!)) best[g] = c;
        }
      },
      result: (g) => (best[g]! >= 0 ? x.dict[best[g]!]! : null),
    };
  }
  return undefined;
}

/**
 * arg_max/arg_min as core.ts does them: the first row whose value beats every earlier one (compareValues
 * order: NaN below every number), or the group's first row while every value so far is null.
 */
function argExtreme(x: Column, sign: 1 | -1, rowValues: (i: number) => Value[]): GroupedAggregate | undefined {
  // > 0 when row i beats row b
  let cmp: (i: number, b: number) => number;
  let isNullAt: (i: number) => boolean;
  switch (x.type) {
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      const { values, validity } = x;
      isNullAt = (i) => validity !== undefined && !isValid(validity, i);
      if (x.big) {
        const big = x.big;
        cmp = (i, b) => (big[i]! < big[b]! ? -1 : big[i]! > big[b]! ? 1 : 0);
        break;
      }
      cmp = (i, b) => {
        const v = values[i]!;
        const w = values[b]!;
        if (v !== v) return w !== w ? 0 : -1;
        if (w !== w) return 1;
        return v < w ? -1 : v > w ? 1 : 0;
      };
      break;
    }
    case 'datetime':
    case 'timespan': {
      const { hi, lo, validity } = x;
      isNullAt = (i) => validity !== undefined && !isValid(validity, i);
      cmp = (i, b) => (hi[i] !== hi[b] ? (hi[i]! > hi[b]! ? 1 : -1) : lo[i] === lo[b] ? 0 : lo[i]! > lo[b]! ? 1 : -1);
      break;
    }
    case 'string': {
      const { dict, codes } = x;
      isNullAt = () => false;
      cmp = (i, b) => {
        const v = dict[codes[i]!]!;
        const w = dict[codes[b]!]!;
        return v < w ? -1 : v > w ? 1 : 0;
      };
      break;
    }
    default:
      return undefined;
  }
  let best = new Int32Array(0);
  let valued = new Uint8Array(0);
  return {
    run(gids, groups) {
      best = new Int32Array(groups).fill(-1);
      valued = new Uint8Array(groups);
      for (let i = 0; i < gids.length; i++) {
        const g = gids[i]!;
        if (isNullAt(i)) {
          if (best[g]! < 0) best[g] = i;
          continue;
        }
        if (!valued[g] || cmp(i, best[g]!) * sign > 0) {
          best[g] = i;
          valued[g] = 1;
        }
      }
    },
    result: (g) => (best[g]! >= 0 ? rowValues(best[g]!) : []),
  };
}

function collector(x: Column, pred: Column | undefined, set: boolean, max: number): GroupedAggregate {
  let lists: DynamicValue[][] = [];
  return {
    run(gids, groups) {
      lists = Array.from({ length: groups }, () => []);
      const ok = passes(pred);
      const n = gids.length;
      const isNull = new Uint8Array(n);
      // dedupe on value ids (a dictionary may repeat a string; numbers compare by value)
      const ids = new ValueIds();
      const vids = new Int32Array(n);
      ids.encodeColumn(x, identityRows(n), vids, isNull);
      const read: (i: number) => DynamicValue = x.type === 'string' ? (i) => x.dict[x.codes[i]!]! : (i) => valueToDynamic(readCell(x, i), x.type);
      if (groups * ids.size > SMALL_PAIR_BITMAP) {
        // each group's list built in one go (its rows in order, a value marked with the group that took
        // it): the lists of 76k groups filled row by row, interleaved, missed the cache on every push
        const { start, order } = rowsByGroup(gids, groups);
        const stamp = set ? new Int32Array(ids.size).fill(-1) : undefined;
        for (let g = 0; g < groups; g++) {
          const list = lists[g]!;
          for (let m = start[g]!, end = start[g + 1]!; m < end && list.length < max; m++) {
            const i = order[m]!;
            if (isNull[i] || !ok(i)) continue;
            if (stamp) {
              if (stamp[vids[i]!] === g) continue;
              stamp[vids[i]!] = g;
            }
            list.push(read(i));
          }
        }
        return;
      }
      const seen = set ? pairSet(groups, ids.size, n) : undefined;
      for (let i = 0; i < n; i++) {
        if (isNull[i] || !ok(i)) continue;
        const list = lists[gids[i]!]!;
        if (list.length >= max) continue;
        if (seen && !seen(gids[i]!, vids[i]!)) continue;
        list.push(read(i));
      }
    },
    result: (g) => lists[g] ?? [],
  };
}

/**
 * A set of (group, value id) pairs: `add(g, v)` is true when the pair is new. A bitmap when groups x values
 * is at most 2^26 bits (8 MiB), else a pair hash.
 */
function pairSet(groups: number, values: number, rows: number): (g: number, v: number) => boolean {
  if (groups * values <= 1 << 26) {
    const bits = new Uint8Array((groups * values + 7) >> 3);
    return (g, v) => {
      const k = g * values + v;
      const b = 1 << (k & 7);
      if (bits[k >> 3]! & b) return false;
      bits[k >> 3]! |= b;
      return true;
    };
  }
  const pairs = new PairIds(Math.min(rows, 1 << 20));
  return (g, v) => {
    const before = pairs.size;
    pairs.idOf(g, v);
    return pairs.size !== before;
  };
}
