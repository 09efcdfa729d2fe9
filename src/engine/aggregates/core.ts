/**
 * Core aggregates (init/add/result). dcount is exact here (a Set of value keys): within any documented
 * estimation error by construction; large-cardinality sketches can replace it without changing callers.
 */
import { addLong, type Long } from '../values/long.js';
import { compareValues, valueKey } from '../values/compare.js';
import { valueToDynamic } from '../values/format.js';
import type { DynamicValue, ScalarTypeName, Value } from '../values/value.js';
import type { AggregateFunction, AggState } from './types.js';
import { setOwn } from '../../common/own-keys.js';

const agg = (name: string, minArgs: number, maxArgs: number, create: AggregateFunction['create'], multi = false): AggregateFunction => ({ name, minArgs, maxArgs, create, multi });

function counting(pred: (args: Value[]) => boolean): AggregateFunction['create'] {
  return () => {
    let n = 0;
    return { add: (a) => { if (pred(a)) n++; }, result: () => n };
  };
}

function summing(withIf: boolean): AggregateFunction['create'] {
  return (types) => {
    let sum = 0;
    let ticks = 0n;
    let any = false;
    // integers add exactly (int64, wrapping): a float sum is exact only while it stays within ±2^53
    const integer = types[0] === 'long' || types[0] === 'int';
    let exact: Long = 0;
    return {
      add: ([v, c]) => {
        if (withIf && c !== true) return;
        if (integer && (typeof v === 'number' || typeof v === 'bigint')) exact = addLong(exact, v);
        else if (typeof v === 'number') { sum += v; any = true; } else if (typeof v === 'bigint') { ticks += v; any = true; }
      },
      result: () => (types[0] === 'timespan' || types[0] === 'datetime' ? (any ? ticks : null) : integer ? exact : sum),
    };
  };
}

function averaging(withIf: boolean): AggregateFunction['create'] {
  return (types) => {
    let sum = 0;
    let n = 0;
    // the mean of timespans (datetimes) is a timespan (datetime) in ticks, as Kusto.Language types it; of none null
    // (summed exactly: datetime ticks are past 2^53)
    const ticks = types[0] === 'timespan' || types[0] === 'datetime';
    let tickSum = 0n;
    return {
      add: ([v, c]) => {
        if (withIf && c !== true) return;
        if (ticks && typeof v === 'bigint') { tickSum += v; n++; } else if (typeof v === 'number' || typeof v === 'bigint') { sum += Number(v); n++; }
      },
      result: () => (ticks ? (n ? roundedQuotient(tickSum, BigInt(n)) : null) : n ? sum / n : NaN), // no values: 0/0, as the reference shows for an empty table
    };
  };
}

/** a / b rounded half away from zero (b > 0). */
function roundedQuotient(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a - q * b;
  return 2n * (r < 0n ? -r : r) >= b ? q + (a < 0n ? -1n : 1n) : q;
}

function extreme(sign: 1 | -1, withIf: boolean): AggregateFunction['create'] {
  return () => {
    let best: Value = null;
    return {
      add: ([v, c]) => {
        if (withIf && c !== true) return;
        if (v === null || (typeof v === 'number' && Number.isNaN(v))) return;
        if (best === null || compareValues(v, best) * sign > 0) best = v;
      },
      result: () => best,
    };
  };
}

function collecting(set: boolean, withIf: boolean): AggregateFunction['create'] {
  return (types, consts) => {
    const max = Number(consts[withIf ? 2 : 1] ?? 1_048_576);
    const out: DynamicValue[] = [];
    const seen = new Set<string>();
    return {
      add: ([v, c]) => {
        if (withIf && c !== true) return;
        if (v === null || out.length >= max) return;
        if (set) {
          // make_set of an array column is the set of the arrays' elements
          for (const x of Array.isArray(v) ? (v as DynamicValue[]) : [v]) {
            if (x === null || out.length >= max) continue;
            const k = valueKey(x as Value);
            if (seen.has(k)) continue;
            seen.add(k);
            out.push(valueToDynamic(x as Value, types[0]!));
          }
          return;
        }
        // make_list of an array column is likewise the list of the arrays' elements
        if (Array.isArray(v)) {
          for (const x of v as DynamicValue[]) if (out.length < max) out.push(x);
          return;
        }
        out.push(valueToDynamic(v, types[0]!));
      },
      result: () => out,
    };
  };
}

function argExtreme(sign: 1 | -1): AggregateFunction['create'] {
  return () => {
    let best: Value = null;
    let row: Value[] | undefined;
    return {
      add: (args) => {
        const v = args[0]!;
        if (v === null) {
          if (!row) row = args.slice();
          return;
        }
        if (best === null || compareValues(v, best) * sign > 0) {
          best = v;
          row = args.slice();
        }
      },
      result: () => row ?? [],
    };
  };
}

function distinctCount(withIf: boolean): AggregateFunction['create'] {
  return () => {
    const seen = new Set<string>();
    return { add: ([v, c]) => { if (withIf && c !== true) return; if (v !== null) seen.add(valueKey(v)); }, result: () => seen.size };
  };
}

function takeAny(): AggState {
  let v: Value = null;
  let set = false;
  return { add: ([x]) => { if (!set && x !== null) { v = x!; set = true; } }, result: () => v };
}

/**
 * take_any(a, b, ...) / take_any(*): every argument from one row (the first whose first argument is not
 * null, else the first row), one output column each.
 */
export function takeAnyRow(): AggState {
  let row: Value[] | undefined;
  let found = false;
  return {
    add: (args) => {
      if (found) return;
      if (args[0] !== null) {
        row = args.slice();
        found = true;
      } else row ??= args.slice();
    },
    result: () => row ?? [],
  };
}

/** take_anyif(x, predicate): a non-null x of a row where the predicate holds. */
function takeAnyIf(): AggState {
  let v: Value = null;
  return { add: ([x, c]) => { if (v === null && c === true && x !== null) v = x!; }, result: () => v };
}

function variance(sample: boolean, sqrt: boolean, withIf: boolean): AggregateFunction['create'] {
  return () => {
    let n = 0, mean = 0, m2 = 0;
    return {
      add: ([v, c]) => {
        if (withIf && c !== true) return;
        if (typeof v !== 'number') return;
        n++;
        const d = v - mean;
        mean += d / n;
        m2 += d * (v - mean);
      },
      result: () => {
        const denom = sample ? n - 1 : n;
        if (denom <= 0) return 0; // no values, or one value for the sample forms (the reference shows 0)
        const r = m2 / denom;
        return sqrt ? Math.sqrt(r) : r;
      },
    };
  };
}

/**
 * make_bag(expr [, maxSize]) and make_bag_if: the properties of the group's bags, the first value of a key
 * kept, at most maxSize keys (default 1,048,576; make_dictionary, make_bag's deprecated name, 128 as its
 * reference says).
 */
function makeBag(withIf: boolean, defaultMax = 1_048_576): AggregateFunction['create'] {
  return (_types, consts) => {
    const given = consts[withIf ? 2 : 1];
    const max = given === undefined || given === null ? defaultMax : Number(given);
    const out: Record<string, DynamicValue> = {};
    let keys = 0;
    return {
      add: ([v, c]) => {
        if (withIf && c !== true) return;
        if (!v || typeof v !== 'object' || Array.isArray(v)) return;
        for (const [k, x] of Object.entries(v)) {
          if (Object.hasOwn(out, k)) continue;
          if (keys >= max) return;
          setOwn(out, k, x);
          keys++;
        }
      },
      result: () => out,
    };
  };
}

export const CORE_AGGREGATES: AggregateFunction[] = [
  agg('count', 0, 1, counting(() => true)),
  agg('countif', 1, 1, counting(([c]) => c === true)),
  agg('dcount', 1, 2, distinctCount(false)),
  agg('dcountif', 2, 3, distinctCount(true)),
  // the exact distinct count (dcount estimates)
  agg('count_distinct', 1, 1, distinctCount(false)),
  agg('count_distinctif', 2, 2, distinctCount(true)),
  agg('sum', 1, 1, summing(false)),
  agg('sumif', 2, 2, summing(true)),
  agg('avg', 1, 1, averaging(false)),
  agg('avgif', 2, 2, averaging(true)),
  agg('min', 1, 1, extreme(-1, false)),
  agg('max', 1, 1, extreme(1, false)),
  agg('minif', 2, 2, extreme(-1, true)),
  agg('maxif', 2, 2, extreme(1, true)),
  agg('make_set', 1, 2, collecting(true, false)),
  agg('make_set_if', 2, 3, collecting(true, true)),
  agg('make_list', 1, 2, collecting(false, false)),
  agg('make_list_if', 2, 3, collecting(false, true)),
  agg('make_bag', 1, 2, makeBag(false)),
  agg('make_bag_if', 2, 3, makeBag(true)),
  agg('make_dictionary', 1, 2, makeBag(false, 128)),
  agg('take_any', 1, 64, () => takeAny()),
  agg('take_anyif', 2, 2, () => takeAnyIf()),
  agg('arg_max', 1, 255, argExtreme(1), true),
  agg('arg_min', 1, 255, argExtreme(-1), true),
  agg('stdev', 1, 1, variance(true, true, false)),
  agg('stdevif', 2, 2, variance(true, true, true)),
  agg('stdevp', 1, 1, variance(false, true, false)),
  agg('variance', 1, 1, variance(true, false, false)),
  agg('varianceif', 2, 2, variance(true, false, true)),
  agg('variancep', 1, 1, variance(false, false, false)),
];

export type { ScalarTypeName };
