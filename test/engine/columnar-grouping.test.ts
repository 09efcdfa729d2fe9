// The columnar building blocks give exactly what the general per-value path gives:
// - ValueIds.encodeColumn (typed arrays) groups cells exactly as valueKey(readCell(...)) does;
// - typedWriter builds the column buildColumn builds from the same values;
// - each typed grouped aggregate (arg_max/arg_min with NaN and null comparison values included) (aggregates/grouped.ts) returns, per group, what core.ts's
//   init/add/result state returns when fed the same rows.
// Inputs hold nulls, empty strings, -0 and 0, NaN, repeated dictionary strings and mixed dynamic values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGGREGATES } from '../../src/engine/aggregates/registry.js';
import { GROUPED_AGGREGATES, groupedAggregate } from '../../src/engine/aggregates/grouped.js';
import { identityRows, PairIds, ValueIds, combineIds } from '../../src/engine/compile/value-ids.js';
import { typedWriter } from '../../src/engine/compile/typed-builder.js';
import { buildColumn, readCell } from '../../src/engine/storage/builders.js';
import type { Column } from '../../src/engine/storage/column.js';
import { valueKey } from '../../src/engine/values/compare.js';
import type { ScalarTypeName, Value } from '../../src/engine/values/value.js';

const N = 400;
/** A deterministic pseudo-random sequence (tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const POOLS: Record<string, Value[]> = {
  string: ['', 'a', 'A', 'b', 'anydesk.exe', 'Ä', '0', 'null'],
  guid: [null, '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'],
  long: [null, 0, -0, 1, -1, 2 ** 40, 7],
  real: [null, 0, -0, 1.5, NaN, -2.25, Infinity, -Infinity, 1],
  int: [null, 0, 3, -3],
  bool: [null, true, false],
  datetime: [null, 17_000_000_000_000_000n, 17_000_000_000_000_001n, 17_000_000_000_010_000n, -5n, 0n],
  timespan: [null, 0n, 36_000_000_000n, -1n, 9_999n],
  dynamic: [null, 1, '1', 'a', '', true, [1, 2], [2, 1], { a: 1 }, { a: 1 }, [], {}, 1.5, [null]],
};

function columnOf(type: ScalarTypeName, seed: number): { col: Column; values: Value[] } {
  const next = rng(seed);
  const pool = POOLS[type]!;
  const values = Array.from({ length: N }, () => pool[Math.floor(next() * pool.length)]!);
  const col = buildColumn(type, values);
  // a dictionary that repeats a string (merged extents can): codes must still group by text
  if (col.type === 'string') {
    col.dict.push(...col.dict);
    for (let i = 0; i < N; i += 3) col.codes[i] = col.codes[i]! + col.dict.length / 2;
  }
  return { col, values };
}

const TYPES = Object.keys(POOLS) as ScalarTypeName[];

test('ValueIds.encodeColumn partitions rows exactly as valueKey does', () => {
  for (const type of TYPES) {
    const { col } = columnOf(type, 11);
    const rows = Int32Array.from({ length: N / 2 }, (_, i) => (i * 7) % N);
    const ids = new ValueIds();
    const out = new Int32Array(rows.length);
    const isNull = new Uint8Array(rows.length);
    ids.encodeColumn(col, rows, out, isNull);
    const generic = new ValueIds();
    const byKey = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) {
      const v = readCell(col, rows[i]!);
      const k = valueKey(v);
      if (!byKey.has(k)) byKey.set(k, byKey.size);
      assert.equal(out[i], byKey.get(k), `${type} row ${rows[i]}: first-seen id`);
      assert.equal(generic.ofValue(v), out[i], `${type}: ofValue agrees`);
      assert.equal(isNull[i] === 1, v === null, `${type}: null flag`);
      assert.equal(valueKey(ids.values[out[i]!]!), k, `${type}: the id's value`);
    }
  }
});

test('combineIds and PairIds give first-seen dense ids of pairs', () => {
  const next = rng(5);
  for (const [sa, sb] of [[3, 4], [2000, 3000]]) {
    const a = Int32Array.from({ length: 5000 }, () => Math.floor(next() * sa!));
    const b = Int32Array.from({ length: 5000 }, () => Math.floor(next() * sb!));
    const { ids, size } = combineIds(a, sa!, b, sb!);
    const seen = new Map<string, number>();
    const pairs = new PairIds(4);
    for (let i = 0; i < a.length; i++) {
      const k = `${a[i]},${b[i]}`;
      if (!seen.has(k)) seen.set(k, seen.size);
      assert.equal(ids[i], seen.get(k));
      assert.equal(pairs.idOf(a[i]!, b[i]!), seen.get(k));
    }
    assert.equal(size, seen.size);
    assert.equal(pairs.find(sa! + 1, 0), -1);
  }
  assert.deepEqual([...identityRows(4)], [0, 1, 2, 3]);
});

test('typedWriter builds the column buildColumn builds', () => {
  const mixed: Value[] = [null, 1, -0, NaN, 'x', '', true, false, 5n, [1, 'a'], { k: null }];
  for (const type of TYPES) {
    const values = [...POOLS[type]!, ...mixed];
    const w = typedWriter(type, values.length);
    values.forEach((v, i) => w.set(i, v));
    const got = w.finish();
    const want = buildColumn(type, values);
    for (let i = 0; i < values.length; i++) assert.deepEqual(readCell(got, i), readCell(want, i), `${type} row ${i} (${String(values[i])})`);
    assert.deepEqual(got, want, type);
  }
});

/** Per-group results through core.ts's states, fed row by row with readCell values (the general path). */
function generalResults(name: string, args: Column[], consts: Value[], gids: Int32Array, groups: number): (Value | Value[])[] {
  const impl = AGGREGATES.get(name)!;
  const states = Array.from({ length: groups }, () => impl.create(args.map((a) => a.type), consts));
  for (let i = 0; i < gids.length; i++) states[gids[i]!]!.add(args.map((a, k) => (consts[k] !== null ? consts[k]! : readCell(a, i))));
  return states.map((s) => s.result());
}

test('typed grouped aggregates equal core.ts states, group by group', () => {
  const next = rng(23);
  const groups = 13;
  const gids = Int32Array.from({ length: N }, () => Math.floor(next() * groups));
  gids[0] = groups - 1; // some group may see no rows for a predicate: fine, but every group has rows
  const pred = columnOf('bool', 3).col;
  const calls: { name: string; types: ScalarTypeName[] }[] = [];
  for (const t of TYPES) {
    calls.push({ name: 'count', types: [] }, { name: 'countif', types: ['bool'] });
    calls.push({ name: 'dcount', types: [t] }, { name: 'dcountif', types: [t, 'bool'] });
    calls.push({ name: 'min', types: [t] }, { name: 'max', types: [t] }, { name: 'minif', types: [t, 'bool'] }, { name: 'maxif', types: [t, 'bool'] });
    calls.push({ name: 'sum', types: [t] }, { name: 'avg', types: [t] }, { name: 'sumif', types: [t, 'bool'] }, { name: 'avgif', types: [t, 'bool'] });
    calls.push({ name: 'arg_max', types: [t, 'string', 'long'] }, { name: 'arg_min', types: [t, 'datetime'] }, { name: 'arg_max', types: [t] });
    calls.push({ name: 'make_set', types: [t] }, { name: 'make_list', types: [t] }, { name: 'make_set_if', types: [t, 'bool'] }, { name: 'make_list_if', types: [t, 'bool'] });
  }
  let typed = 0;
  for (const { name, types } of calls) {
    assert.ok(GROUPED_AGGREGATES.has(name), name);
    for (const cap of name.startsWith('make_') ? [null, 2] : [null]) {
      const args = types.map((t, k) => (t === 'bool' && k > 0 ? pred : columnOf(t, 7 + k).col));
      const consts: Value[] = args.map(() => null);
      if (cap !== null) {
        args.push(buildColumn('long', Array(N).fill(cap)));
        consts.push(cap);
      }
      const fast = groupedAggregate(name, args, consts, (i) => args.map((a) => readCell(a, i)));
      if (!fast) continue;
      typed++;
      fast.run(gids, groups);
      const want = generalResults(name, args, consts, gids, groups);
      for (let g = 0; g < groups; g++) {
        const got = fast.result(g);
        if (typeof want[g] === 'number' && Number.isNaN(want[g])) assert.ok(Number.isNaN(got), `${name}(${types}) group ${g}`);
        else assert.deepEqual(got, want[g], `${name}(${types}) cap ${cap} group ${g}`);
      }
    }
  }
  assert.ok(typed > 60, `typed implementations exercised: ${typed}`);
});

test('dcount and make_set/make_list over many groups x many values (built group by group) equal core.ts states', () => {
  // 3,000 groups x 3,500 values is past the pair bitmap's 2^23 bits: the group-by-group path
  const next = rng(41);
  const rows = 12_000;
  const groups = 3_000;
  const gids = Int32Array.from({ length: rows }, () => Math.floor(next() * groups));
  const strings = buildColumn('string', Array.from({ length: rows }, () => `v${Math.floor(next() * 3_500)}`));
  const longs = buildColumn('long', Array.from({ length: rows }, (_, i) => (i % 97 === 0 ? null : Math.floor(next() * 3_500))));
  const pred = buildColumn('bool', Array.from({ length: rows }, () => (next() < 0.1 ? null : next() < 0.8)));
  for (const x of [strings, longs]) {
    for (const name of ['dcount', 'dcountif', 'make_set', 'make_list', 'make_set_if', 'make_list_if']) {
      for (const cap of name.startsWith('make_') ? [null, 2] : [null]) {
        const args: Column[] = name.endsWith('if') ? [x, pred] : [x];
        const consts: Value[] = args.map(() => null);
        if (cap !== null) {
          args.push(buildColumn('long', Array(rows).fill(cap)));
          consts.push(cap);
        }
        const fast = groupedAggregate(name, args, consts)!;
        fast.run(gids, groups);
        const want = generalResults(name, args, consts, gids, groups);
        for (let g = 0; g < groups; g++) assert.deepEqual(fast.result(g), want[g], `${name}(${x.type}) cap ${cap} group ${g}`);
      }
    }
  }
});
