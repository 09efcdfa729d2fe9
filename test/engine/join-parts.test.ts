// Joins over where chains that run extent by extent read the chain's per-extent parts directly: keys are
// encoded part by part (each part's dictionary codes looked up once) and output columns gathered from the
// parts (storage/parts.ts gatherParts), never concatenated. The side that gives key ids is frozen before
// the other side is encoded (an unknown key gets -1), and a frozen side's integer keys are looked up in a
// direct table. Every case here is checked against a nested-loop join written the row-by-row way over
// the same filtered rows, and gatherParts against gatherColumn of the concatenated column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { buildColumn, gatherColumn, readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import type { Table } from '../../src/engine/storage/column.js';
import { concatSelected, type ColumnParts } from '../../src/engine/storage/merge.js';
import { gatherParts } from '../../src/engine/storage/parts.js';
import { valueKey } from '../../src/engine/values/compare.js';
import type { ScalarTypeName, Value } from '../../src/engine/values/value.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const COLUMNS: { name: string; type: ScalarTypeName }[] = [
  { name: 'Id', type: 'long' }, { name: 'Dev', type: 'string' }, { name: 'Pid', type: 'long' }, { name: 'Wide', type: 'long' },
  { name: 'R', type: 'real' }, { name: 'G', type: 'guid' }, { name: 'Ts', type: 'datetime' }, { name: 'Keep', type: 'bool' },
];
const DEVS = ['', 'dev-a', 'dev-b', 'DEV-A', 'dev-c', 'Ä'];
const GUIDS = [null, '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'];

function rowsOf(from: number, count: number, salt: number): Record<string, Value>[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      Id: i,
      Dev: DEVS[(i * 7 + salt) % DEVS.length]!,
      // small integer range (the direct table), nulls
      Pid: i % 13 === 0 ? null : 1000 + ((i * 31 + salt) % 40),
      // a range too wide for a direct table, and one beyond 2^53
      Wide: i % 17 === 0 ? 2n ** 60n : ((i * 7919) % 50) * 1e12,
      R: [0, -0, NaN, 1.5, null, 3, 1000][(i + salt) % 7]!,
      G: GUIDS[(i * 5 + salt) % GUIDS.length]!,
      Ts: i % 9 === 0 ? null : 17_000_000_000_000_000n + BigInt((i * 37) % 20) * 10_000n + BigInt(i % 2),
      Keep: (i * 11 + salt) % 5 !== 0,
    };
  });
}

const schema = (name: string): TableSchema => ({ name, columns: COLUMNS });
const P_ROWS = [rowsOf(0, 70, 1), rowsOf(70, 55, 1), rowsOf(125, 60, 1)];
const N_ROWS = [rowsOf(500, 120, 2), rowsOf(620, 90, 2), rowsOf(710, 150, 2), rowsOf(860, 40, 2)];
const toExtents = (parts: Record<string, Value>[][]): Table[] => parts.map((p) => tableFromRows(COLUMNS, p));
const source = new MemorySource(new Map([
  ['P', { schema: schema('P'), extents: toExtents(P_ROWS) }],
  ['N', { schema: schema('N'), extents: toExtents(N_ROWS) }],
  // the same rows in one extent: a where chain over it has no parts (the general path)
  ['N1', { schema: schema('N1'), extents: toExtents([N_ROWS.flat()]) }],
]));

function run(q: string): Value[][] {
  const r = runQuery(q, { source, now: 17_000_000_000_000_000n });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => readCell(c.column, i)));
}

/** The nested-loop join of (left, right) rows: keys by valueKey, null keys never match, innerunique keeps a key's first left row. */
function reference(kind: string, left: Record<string, Value>[], right: Record<string, Value>[], lk: string[], rk: string[]): [Value, Value][] {
  const key = (r: Record<string, Value>, ks: string[]) => ks.map((k) => valueKey(r[k]!)).join('\u0001');
  const hasNull = (r: Record<string, Value>, ks: string[]) => ks.some((k) => r[k] === null);
  const out: [Value, Value][] = [];
  const seen = new Set<string>();
  const hit = new Set<number>();
  const rightKeys = right.map((r) => (hasNull(r, rk) ? undefined : key(r, rk)));
  for (const l of left) {
    const lkey = key(l, lk);
    if (kind === 'innerunique') {
      if (seen.has(lkey)) continue;
      seen.add(lkey);
    }
    // every right row compared with every left row (no index: the reference must not share the engine's ideas)
    const matches = hasNull(l, lk) ? [] : rightKeys.flatMap((k, j) => (k === lkey ? [j] : []));
    if (kind === 'leftanti') {
      if (!matches.length) out.push([l.Id!, null]);
    } else if (kind === 'leftsemi') {
      if (matches.length) out.push([l.Id!, null]);
    } else {
      for (const j of matches) {
        out.push([l.Id!, right[j]!.Id!]);
        hit.add(j);
      }
      if (!matches.length && (kind === 'leftouter' || kind === 'fullouter')) out.push([l.Id!, null]);
    }
  }
  if (kind === 'rightsemi' || kind === 'rightanti') out.length = 0;
  if (kind === 'fullouter' || kind === 'rightouter') right.forEach((r, j) => { if (!hit.has(j)) out.push([null, r.Id!]); });
  if (kind === 'rightsemi' || kind === 'rightanti') right.forEach((r, j) => { if (hit.has(j) === (kind === 'rightsemi')) out.push([null, r.Id!]); });
  return out;
}

const KINDS = ['innerunique', 'inner', 'leftouter', 'fullouter', 'rightouter', 'leftsemi', 'leftanti', 'rightsemi', 'rightanti'];
const KEYS: [string[], string[]][] = [[['Dev'], ['Dev']], [['Pid'], ['Pid']], [['Dev', 'Pid'], ['Dev', 'Pid']], [['Wide'], ['Wide']], [['Pid'], ['R']], [['R'], ['Pid']], [['G', 'Dev'], ['G', 'Dev']], [['Ts'], ['Ts']], [['Dev', 'Ts', 'Pid'], ['Dev', 'Ts', 'Pid']],
  // a dictionary key then an integer key (the inlined pair probe) against a real column: 0/-0, 1.5, NaN, null
  [['Dev', 'Pid'], ['Dev', 'R']], [['Dev', 'R'], ['Dev', 'Pid']]];
const sorted = (rows: Value[][]) => rows.map((r) => r.map(valueKey).join('|')).sort();

test('joins of where chains over several extents (keys and output read from the parts) equal the nested-loop reference', () => {
  const pKept = P_ROWS.flat().filter((r) => r.Keep === true);
  const nKept = N_ROWS.flat().filter((r) => r.Keep === true);
  // both orientations: the left side much smaller (it makes the ids, the right side probes) and larger
  const sides: [string, Record<string, Value>[], string, Record<string, Value>[]][] = [
    ['P | where Keep and Id < 25', pKept.filter((r) => (r.Id as number) < 25), 'N | where Keep', nKept],
    ['N | where Keep', nKept, 'P | where Keep', pKept],
    ['P | where Keep', pKept, 'N | where Keep', nKept],
    // the side that only looks its keys up keeps just the rows whose key is known when the kind drops its
    // unmatched rows (read from the parts); N1 is one extent (no parts: every row encoded, then skipped)
    ['P | where Keep and Id < 25', pKept.filter((r) => (r.Id as number) < 25), 'N1 | where Keep', nKept],
    ['N1 | where Keep', nKept, 'P | where Keep', pKept],
  ];
  for (const [lq, lrows, rq, rrows] of sides) {
    for (const [lk, rk] of KEYS) {
      for (const kind of KINDS) {
        const on = lk.map((k, i) => (k === rk[i] ? k : `$left.${k} == $right.${rk[i]}`)).join(', ');
        const q = `${lq} | join kind=${kind} (${rq} | project-rename RId = Id) on ${on} | project ${kind === 'leftsemi' || kind === 'leftanti' ? 'Id, Nothing = long(null)' : kind.startsWith('right') && kind !== 'rightouter' ? 'Nothing = long(null), RId' : 'Id, RId'}`;
        const want = reference(kind, lrows, rrows, lk, rk);
        assert.deepEqual(sorted(run(q)), sorted(want), q);
      }
    }
  }
});

test('join output columns gathered from the parts carry every column type', () => {
  const q = 'P | where Keep | join kind=leftouter (N | where Keep) on Dev, Pid | project Id, Dev, Pid, Wide, R, G, Ts, Keep, Id1, Dev1, Pid1, Wide1, R1, G1, Ts1, Keep1';
  const pKept = P_ROWS.flat().filter((r) => r.Keep === true);
  const nKept = N_ROWS.flat().filter((r) => r.Keep === true);
  const byId = new Map(nKept.map((r) => [r.Id as number, r]));
  const names = COLUMNS.map((c) => c.name);
  const want = reference('leftouter', pKept, nKept, ['Dev', 'Pid'], ['Dev', 'Pid']).map(([l, r]) => {
    const left = pKept.find((x) => x.Id === l)!;
    const right = r === null ? undefined : byId.get(r as number);
    // an unmatched right side is null, but a string column gives '' (KQL has no null string)
    return [...names.map((n) => left[n]!), ...names.map((n) => (right ? right[n]! : n === 'Dev' ? '' : null))];
  });
  assert.deepEqual(sorted(run(q)), sorted(want));
});

test('gatherParts equals gathering from the concatenated column, for every type, in any order, with nulls', () => {
  const gens: Record<string, (i: number) => Value> = {
    string: (i) => ['', 'a', 'b', 'Ä', `x${i % 7}`][i % 5]!,
    guid: (i) => (i % 4 === 0 ? null : `00000000-0000-0000-0000-00000000000${i % 3}`),
    datetime: (i) => (i % 6 === 0 ? null : 17_000_000_000_000_000n + BigInt(i * 12_345)),
    long: (i) => (i % 7 === 0 ? null : i % 11 === 0 ? 2n ** 60n + BigInt(i) : i * 3),
    real: (i) => [0, -0, NaN, 1.5, null][i % 5]!,
    bool: (i) => [true, false, null][i % 3]!,
    dynamic: (i) => [null, 1, 'x', [1, 2], { a: i }][i % 5]!,
  };
  for (const [type, gen] of Object.entries(gens)) {
    const cols = [40, 25, 33].map((n, p) => buildColumn(type as ScalarTypeName, Array.from({ length: n }, (_, i) => gen(i + p * 100))));
    const sels = [Int32Array.from([0, 3, 4, 9, 17, 39]), undefined, Int32Array.from([32, 1, 1, 5])];
    const lengths = sels.map((s, p) => (s ? s.length : cols[p]!.length));
    const total = lengths.reduce((a, b) => a + b, 0);
    const parts: ColumnParts = { type: type as ScalarTypeName, entries: cols.map((column) => ({ column })), sels, lengths };
    const whole = concatSelected(cols, sels, total);
    const orders = [
      Int32Array.from({ length: total }, (_, i) => i),
      Int32Array.from({ length: total }, (_, i) => total - 1 - i),
      Int32Array.from([5, -1, 0, 34, 34, 6, 30, -1, 2]),
      Int32Array.from([-1, -1]),
      Int32Array.from([31, 32, 33, 34]),
      new Int32Array(0),
    ];
    for (const idx of orders) {
      const want = gatherColumn(whole, idx);
      const got = gatherParts(parts, idx);
      assert.equal(got.type, want.type, type);
      assert.deepEqual(Array.from({ length: got.length }, (_, i) => valueKey(readCell(got, i))), Array.from({ length: want.length }, (_, i) => valueKey(readCell(want, i))), `${type} ${Array.from(idx).join(',')}`);
    }
  }
});

test('arg_max(*)/arg_min(*) over a where chain read each winning row from its part, as over copied columns', () => {
  // N1 holds N's rows in one extent: its where chain's columns are the extent's own (no parts)
  for (const agg of ['arg_max(Ts, *)', 'arg_min(Ts, *)', 'arg_max(Pid, *)', 'arg_min(Dev, *)', 'arg_max(Wide, *)', 'arg_max(R, *)']) {
    for (const by of ['Dev', 'G', 'Keep', 'Pid']) {
      const fast = run(`N | where Keep or Pid > 1010 | summarize ${agg} by ${by}`);
      const general = run(`N1 | where Keep or Pid > 1010 | summarize ${agg} by ${by}`);
      assert.deepEqual(sorted(fast), sorted(general), `${agg} by ${by}`);
      assert.ok(fast.length > 1, `${agg} by ${by}: groups`);
    }
  }
});

test('gatherParts of a few rows from parts with large dictionaries (codes mapped through a Map) equals gatherColumn', () => {
  for (const type of ['string', 'guid'] as const) {
    const gen = (i: number, p: number) => (type === 'guid' ? (i % 50 === 0 ? null : `00000000-0000-0000-0000-${String(i + p * 7).padStart(12, '0')}`) : `host-${(i * 7 + p) % 3000}.example`);
    const cols = [4000, 3500].map((n, p) => buildColumn(type, Array.from({ length: n }, (_, i) => gen(i, p))));
    const sels = [undefined, Int32Array.from({ length: 3000 }, (_, i) => 3499 - i)];
    const lengths = [4000, 3000];
    const parts: ColumnParts = { type, entries: cols.map((column) => ({ column })), sels, lengths };
    const whole = concatSelected(cols, sels, 7000);
    const idx = Int32Array.from([0, 6999, 50, -1, 4000, 4001, 100, 100, 3999, 5000, 150]);
    const want = gatherColumn(whole, idx);
    const got = gatherParts(parts, idx);
    assert.deepEqual(Array.from({ length: got.length }, (_, i) => valueKey(readCell(got, i))), Array.from({ length: want.length }, (_, i) => valueKey(readCell(want, i))), type);
  }
});
