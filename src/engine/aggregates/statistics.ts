/**
 * Distribution and sketch aggregates: percentile(s)(w)(_array), tdigest/tdigest_merge, hll/hll_if/hll_merge,
 * covariance(p)(if), variancepif, binary_all_and/or/xor, make_list/make_set_with_nulls, buildschema.
 */
import { valueKey } from '../values/compare.js';
import { valueToDynamic } from '../values/format.js';
import type { DynamicValue, ScalarTypeName, Value } from '../values/value.js';
import { QueryError } from '../values/value.js';
import { Digest } from './digest.js';
import { Hll } from './hll.js';
import type { AggregateFunction, AggState } from './types.js';

const agg = (name: string, minArgs: number, maxArgs: number, create: AggregateFunction['create'], extra: Partial<AggregateFunction> = {}): AggregateFunction => ({ name, minArgs, maxArgs, create, ...extra });

/** The percentages of a percentiles call: constant numbers, or one constant dynamic array of them. */
function percentages(consts: Value[], from: number, name: string): number[] {
  const raw = consts.slice(from);
  const list = raw.length === 1 && Array.isArray(raw[0]) ? (raw[0] as DynamicValue[]) : raw;
  return list.map((p) => {
    if (typeof p !== 'number' || p < 0 || p > 100) throw new QueryError(`${name}: percentiles must be constant numbers between 0 and 100`);
    return p;
  });
}

/**
 * percentile(x, p), percentiles(x, p...), percentilew(x, w, p), percentilesw(x, w, p...) and their _array
 * forms. `weighted`: the second argument is an integer weight; `array`: one dynamic column of the results.
 */
function percentilesOf(weighted: boolean, array: boolean, name: string): AggregateFunction['create'] {
  return (types, consts) => {
    const ps = percentages(consts, weighted ? 2 : 1, name);
    const digest = new Digest(types[0]!);
    return {
      add: (args) => digest.add(args[0]!, weighted ? (typeof args[1] === 'number' ? args[1] : 0) : 1),
      result: () => {
        const values = ps.map((p) => digest.percentile(p));
        if (array) return digest.count ? values.map((v) => valueToDynamic(v, types[0]!)) : null;
        return values.length === 1 && (name === 'percentile' || name === 'percentilew') ? values[0]! : values;
      },
    };
  };
}

function tdigestOf(): AggregateFunction['create'] {
  return (types) => {
    const digest = new Digest(types[0]!);
    return {
      add: ([v, w]) => digest.add(v!, w === undefined ? 1 : typeof w === 'number' ? w : 0),
      result: () => (digest.count ? digest.toDynamic() : null),
    };
  };
}

function tdigestMerge(): AggState {
  let merged: Digest | null = null;
  return {
    add: ([v]) => {
      const d = Digest.fromDynamic(v!);
      if (!d) return;
      if (merged) merged.merge(d);
      else merged = d;
    },
    result: () => (merged ? merged.toDynamic() : null),
  };
}

function hllOf(withIf: boolean): AggregateFunction['create'] {
  return (_types, consts) => {
    const sketch = Hll.forAccuracy(consts[withIf ? 2 : 1] ?? null);
    let any = false;
    return {
      add: ([v, c]) => {
        if (withIf && c !== true) return;
        any = true;
        sketch.add(v!);
      },
      result: () => (any ? sketch.toDynamic() : null),
    };
  };
}

function hllMerge(): AggState {
  let merged: Hll | null = null;
  return {
    add: (args) => {
      for (const v of args) {
        const h = Hll.fromDynamic(v);
        if (h) merged = merged ? merged.merge(h) : h;
      }
    },
    result: () => (merged ? merged.toDynamic() : null),
  };
}

/** covariance(x, y): Σ(x−x̄)(y−ȳ) / (n−1), or / n for the population form; pairs with a null are skipped. */
function covariance(population: boolean, withIf: boolean): AggregateFunction['create'] {
  return () => {
    let n = 0, mx = 0, my = 0, c = 0;
    return {
      add: ([x, y, cond]) => {
        if (withIf && cond !== true) return;
        if (typeof x !== 'number' || typeof y !== 'number') return;
        n++;
        const dx = x - mx;
        mx += dx / n;
        my += (y - my) / n;
        c += dx * (y - my);
      },
      result: () => {
        const d = population ? n : n - 1;
        return d > 0 ? c / d : n ? 0 : null;
      },
    };
  };
}

function populationVarianceIf(): AggState {
  let n = 0, mean = 0, m2 = 0;
  return {
    add: ([v, c]) => {
      if (c !== true || typeof v !== 'number') return;
      n++;
      const d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
    },
    result: () => (n ? m2 / n : 0),
  };
}

/** binary_all_and/or/xor over 64-bit integers. */
function bitwiseAll(op: 'and' | 'or' | 'xor'): AggregateFunction['create'] {
  return () => {
    let acc: bigint | null = null;
    return {
      add: ([v]) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) return;
        const x = BigInt.asIntN(64, BigInt(Math.trunc(v)));
        acc = acc === null ? x : BigInt.asIntN(64, op === 'and' ? acc & x : op === 'or' ? acc | x : acc ^ x);
      },
      result: () => (acc === null ? null : Number(acc)),
    };
  };
}

/** make_list_with_nulls / make_set_with_nulls: like make_list/make_set, nulls kept as JSON null. */
function withNulls(set: boolean): AggregateFunction['create'] {
  return (types, consts) => {
    const max = Number(consts[1] ?? 1_048_576);
    const out: DynamicValue[] = [];
    const seen = new Set<string>();
    return {
      add: ([v]) => {
        if (out.length >= max) return;
        if (set) {
          const k = valueKey(v!);
          if (seen.has(k)) return;
          seen.add(k);
        }
        out.push(v === null ? null : valueToDynamic(v!, types[0]!));
      },
      result: () => out,
    };
  };
}

type Schema = string | string[] | { [k: string]: Schema } | Schema[];

/** The type name buildschema reports for a JSON leaf. */
function leafType(v: DynamicValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'double';
  return 'null';
}

/** The schema of one value: bags by key, arrays as {`indexer`: the schema of their elements}. */
function shapeOf(v: DynamicValue): Schema | undefined {
  if (v === null) return undefined;
  if (Array.isArray(v)) return { '`indexer`': v.reduce<Schema | undefined>((s, x) => mergeSchemas(s, shapeOf(x)), undefined) ?? [] };
  if (typeof v === 'object') {
    const out: Record<string, Schema> = {};
    for (const [k, x] of Object.entries(v)) out[k] = shapeOf(x) ?? [];
    return out;
  }
  return leafType(v);
}

const isBag = (s: Schema): s is { [k: string]: Schema } => typeof s === 'object' && !Array.isArray(s);
const isIndexer = (s: Schema) => isBag(s) && '`indexer`' in s;

/** Two schemas united: a leaf type listed once, bags (and arrays) merged key by key, different kinds listed side by side. */
function mergeSchemas(a: Schema | undefined, b: Schema | undefined): Schema | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const kinds: Schema[] = Array.isArray(a) ? [...a] : [a];
  for (const s of Array.isArray(b) ? b : [b]) {
    if (!isBag(s)) {
      if (!kinds.includes(s)) kinds.push(s);
      continue;
    }
    const at = kinds.findIndex((k) => isBag(k) && isIndexer(k) === isIndexer(s));
    if (at < 0) {
      kinds.push(s);
      continue;
    }
    const merged: Record<string, Schema> = { ...(kinds[at] as Record<string, Schema>) };
    for (const [k, x] of Object.entries(s)) merged[k] = mergeSchemas(merged[k], x) ?? [];
    kinds[at] = merged;
  }
  return kinds.length === 1 ? kinds[0]! : kinds;
}

function buildSchema(types: ScalarTypeName[]): AggState {
  let schema: Schema | undefined;
  return {
    add: ([v]) => {
      if (v === null) return;
      schema = mergeSchemas(schema, shapeOf((typeof v === 'object' ? v : valueToDynamic(v!, types[0]!)) as DynamicValue));
    },
    result: () => (schema === undefined ? null : (schema as DynamicValue)),
  };
}

const percentileCount = (skip: number) => (argCount: number) => argCount - skip;

export const STATISTICS_AGGREGATES: AggregateFunction[] = [
  agg('percentile', 2, 2, percentilesOf(false, false, 'percentile')),
  agg('percentiles', 2, 64, percentilesOf(false, false, 'percentiles'), { multi: true, width: percentileCount(1) }),
  agg('percentiles_array', 2, 64, percentilesOf(false, true, 'percentiles_array')),
  agg('percentilew', 3, 3, percentilesOf(true, false, 'percentilew')),
  agg('percentilesw', 3, 64, percentilesOf(true, false, 'percentilesw'), { multi: true, width: percentileCount(2) }),
  agg('percentilesw_array', 3, 64, percentilesOf(true, true, 'percentilesw_array')),
  agg('tdigest', 1, 2, tdigestOf()),
  agg('tdigest_merge', 1, 64, () => tdigestMerge()),
  agg('hll', 1, 2, hllOf(false)),
  agg('hll_if', 2, 3, hllOf(true)),
  agg('hll_merge', 1, 64, () => hllMerge()),
  agg('covariance', 2, 2, covariance(false, false)),
  agg('covarianceif', 3, 3, covariance(false, true)),
  agg('covariancep', 2, 2, covariance(true, false)),
  agg('covariancepif', 3, 3, covariance(true, true)),
  agg('variancepif', 2, 2, () => populationVarianceIf()),
  agg('binary_all_and', 1, 1, bitwiseAll('and')),
  agg('binary_all_or', 1, 1, bitwiseAll('or')),
  agg('binary_all_xor', 1, 1, bitwiseAll('xor')),
  agg('make_list_with_nulls', 1, 2, withNulls(false)),
  agg('make_set_with_nulls', 1, 2, withNulls(true)),
  agg('buildschema', 1, 1, (types) => buildSchema(types)),
];
