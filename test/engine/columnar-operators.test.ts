// summarize, join, extend and mv-expand on their columnar paths give what the general per-row path gives:
// - summarize and join are checked against a reference written here the row-by-row way (group keys and
//   join keys compared by valueKey, aggregates through core.ts's init/add/result states, nested-loop join
//   — both with the left side larger and with it smaller, where the right side only probes the left's ids —
//   with the innerunique and null-key rules);
// - extend/mv-expand on one dictionary column (evaluated once per distinct string) are checked against the
//   same expression made to read a second column (evaluated row by row).
// The table has nulls, empty strings, -0 and NaN, mixed dynamic values, and two extents (merged columns).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { AGGREGATES } from '../../src/engine/aggregates/registry.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import type { Table } from '../../src/engine/storage/column.js';
import { valueKey } from '../../src/engine/values/compare.js';
import { binTicks } from '../../src/engine/values/ticks.js';
import type { ScalarTypeName, Value } from '../../src/engine/values/value.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const SCHEMA: TableSchema = {
  name: 'T',
  columns: [
    { name: 'S', type: 'string' }, { name: 'G', type: 'guid' }, { name: 'N', type: 'long' }, { name: 'R', type: 'real' },
    { name: 'B', type: 'bool' }, { name: 'Ts', type: 'datetime' }, { name: 'D', type: 'dynamic' }, { name: 'Cmd', type: 'string' },
  ],
};
const HOUR = 36_000_000_000n;
const STRINGS = ['', 'a', 'A', 'b', 'anydesk.exe', 'Ä'];
const GUIDS = [null, '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'];
const DYN: Value[] = [null, 1, '1', 'a', '', true, [1, 2], { a: 1 }, [], 1.5];
const CMDS = ['', 'cmd.exe /c whoami', 'powershell -enc  AAA', 'a b a', 'x'];

function makeRows(from: number, count: number): Record<string, Value>[] {
  const rows: Record<string, Value>[] = [];
  for (let i = from; i < from + count; i++) {
    rows.push({
      S: STRINGS[(i * 7) % STRINGS.length]!,
      G: GUIDS[(i * 5) % GUIDS.length]!,
      N: i % 11 === 0 ? null : (i * 3) % 7,
      R: [0, -0, NaN, 1.5, null, -2][(i * 13) % 6]!,
      B: [true, false, null][i % 3]!,
      Ts: i % 9 === 0 ? null : 17_000_000_000_000_000n + BigInt((i * 7919) % 100) * 6_000_000_000n + BigInt(i % 3),
      D: DYN[(i * 3) % DYN.length]!,
      Cmd: CMDS[(i * 11) % CMDS.length]!,
    });
  }
  return rows;
}
const ALL_ROWS = [...makeRows(0, 150), ...makeRows(150, 90)];
const extents: Table[] = [tableFromRows(SCHEMA.columns, ALL_ROWS.slice(0, 150)), tableFromRows(SCHEMA.columns, ALL_ROWS.slice(150))];
const source = new MemorySource(new Map([['T', { schema: SCHEMA, extents }], ['U', { schema: { ...SCHEMA, name: 'U' }, extents: [tableFromRows(SCHEMA.columns, makeRows(40, 60))] }]]));
const U_ROWS = makeRows(40, 60);

function run(q: string): { names: string[]; types: ScalarTypeName[]; rows: Value[][] } {
  const r = runQuery(q, { source, now: 17_000_000_000_000_000n });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  return {
    names: t.columns.map((c) => c.name),
    types: t.columns.map((c) => c.column.type),
    rows: Array.from({ length: t.length }, (_, i) => t.columns.map((c) => readCell(c.column, i))),
  };
}

/** Cells compared by valueKey (NaN equals NaN, types distinguished). */
const cellKey = (v: Value) => valueKey(v);
const rowsKey = (rows: Value[][]) => rows.map((r) => r.map(cellKey).join('\u0002'));

const KEYS: Record<string, (r: Record<string, Value>) => Value> = {
  S: (r) => r.S!,
  G: (r) => r.G!,
  N: (r) => r.N!,
  R: (r) => r.R!,
  B: (r) => r.B!,
  Ts: (r) => r.Ts!,
  D: (r) => r.D!,
  'bin(Ts, 1h)': (r) => (r.Ts === null ? null : binTicks(r.Ts as bigint, HOUR)),
  'strlen(S)': (r) => [...(r.S as string)].length,
};
const AGGS: { kql: string; name: string; arg?: (r: Record<string, Value>) => Value[]; type: ScalarTypeName[]; cast?: (v: Value) => Value }[] = [
  { kql: 'count()', name: 'count', type: [] },
  { kql: 'countif(B)', name: 'countif', arg: (r) => [r.B!], type: ['bool'] },
  { kql: 'dcount(S)', name: 'dcount', arg: (r) => [r.S!], type: ['string'] },
  { kql: 'dcount(D)', name: 'dcount', arg: (r) => [r.D!], type: ['dynamic'] },
  { kql: 'dcount(R)', name: 'dcount', arg: (r) => [r.R!], type: ['real'] },
  { kql: 'sum(N)', name: 'sum', arg: (r) => [r.N!], type: ['long'] },
  { kql: 'avg(R)', name: 'avg', arg: (r) => [r.R!], type: ['real'] },
  { kql: 'min(Ts)', name: 'min', arg: (r) => [r.Ts!], type: ['datetime'] },
  { kql: 'max(S)', name: 'max', arg: (r) => [r.S!], type: ['string'] },
  { kql: 'max(R)', name: 'max', arg: (r) => [r.R!], type: ['real'] },
  { kql: 'make_set(N)', name: 'make_set', arg: (r) => [r.N!], type: ['long'] },
  { kql: 'make_set(S)', name: 'make_set', arg: (r) => [r.S!], type: ['string'] },
  { kql: 'make_list_if(Ts, B)', name: 'make_list_if', arg: (r) => [r.Ts!, r.B!], type: ['datetime', 'bool'] },
  { kql: 'arg_max(N, S)', name: 'arg_max', arg: (r) => [r.N!, r.S!], type: ['long', 'string'] },
  { kql: 'arg_min(R, Ts, D)', name: 'arg_min', arg: (r) => [r.R!, r.Ts!, r.D!], type: ['real', 'datetime', 'dynamic'] },
  { kql: 'arg_max(Ts, G)', name: 'arg_max', arg: (r) => [r.Ts!, r.G!], type: ['datetime', 'guid'] },
];

/** summarize the row-by-row way: groups by valueKey in first-seen order, core.ts states per group. */
function referenceSummarize(rows: Record<string, Value>[], keys: string[]): Value[][] {
  const groups = new Map<string, { keys: Value[]; states: ReturnType<NonNullable<ReturnType<typeof AGGREGATES.get>>['create']>[] }>();
  for (const r of rows) {
    const kv = keys.map((k) => KEYS[k]!(r));
    const k = kv.map(valueKey).join('\u0001');
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { keys: kv, states: AGGS.map((a) => AGGREGATES.get(a.name)!.create(a.type, a.type.map(() => null))) }));
    AGGS.forEach((a, i) => g!.states[i]!.add(a.arg ? a.arg(r) : []));
  }
  return [...groups.values()].map((g) => [...g.keys, ...g.states.flatMap((s, i) => (AGGS[i]!.name.startsWith('arg_') ? (s.result() as Value[]) : [s.result() as Value]))]);
}

/** Result cells normalised the way buildColumn stores them (numbers of a long column, ticks). */
function normalise(rows: Value[][], types: ScalarTypeName[]): Value[][] {
  return rows.map((r) => r.map((v, i) => readCell(tableFromRows([{ name: 'x', type: types[i]! }], [{ x: v }]).columns[0]!.column, 0)));
}

test('summarize: typed group keys and aggregates equal the row-by-row reference', () => {
  const keySets = [['S'], ['G'], ['N'], ['R'], ['B'], ['Ts'], ['D'], ['S', 'N'], ['bin(Ts, 1h)'], ['D', 'B', 'S'], ['strlen(S)', 'G'], []];
  for (const keys of keySets) {
    const by = keys.length ? ` by ${keys.map((k, i) => (k.includes('(') ? `k${i} = ${k}` : k)).join(', ')}` : '';
    const q = `T | summarize ${AGGS.map((a, i) => `a${i} = ${a.kql}`).join(', ')}${by}`;
    const got = run(q);
    const want = normalise(referenceSummarize(ALL_ROWS, keys), got.types);
    assert.deepEqual(rowsKey(got.rows), rowsKey(want), q);
  }
});

test('summarize over a where selection and over empty input', () => {
  const got = run('T | where N > 2 | summarize c = count(), d = dcount(G), s = make_set(S) by Ts = bin(Ts, 1h)');
  const want = normalise(
    (() => {
      const rows = ALL_ROWS.filter((r) => r.N !== null && (r.N as number) > 2);
      const m = new Map<string, Value[]>();
      for (const r of rows) {
        const k = KEYS['bin(Ts, 1h)']!(r);
        const e = m.get(valueKey(k)) ?? [k, AGGREGATES.get('count')!.create([], []), AGGREGATES.get('dcount')!.create(['guid'], [null]), AGGREGATES.get('make_set')!.create(['string'], [null])];
        m.set(valueKey(k), e);
        (e[1] as unknown as { add(a: Value[]): void }).add([]);
        (e[2] as unknown as { add(a: Value[]): void }).add([r.G!]);
        (e[3] as unknown as { add(a: Value[]): void }).add([r.S!]);
      }
      return [...m.values()].map((e) => [e[0]!, ...e.slice(1).map((s) => (s as unknown as { result(): Value }).result())]);
    })(),
    got.types,
  );
  assert.deepEqual(rowsKey(got.rows), rowsKey(want));
  assert.deepEqual(run('T | where N > 100 | summarize count(), dcount(S), sum(N), avg(R), make_set(S)').rows.map((r) => r.map(cellKey)), [[0, 0, 0, NaN, []].map((v) => valueKey(v as Value))]);
  assert.equal(run('T | where N > 100 | summarize count() by S').rows.length, 0);
});

/** join the nested-loop way: keys by valueKey, a null key never matches, innerunique keeps each left key's first row. */
function referenceJoin(kind: string, left: Record<string, Value>[], right: Record<string, Value>[], lk: string[], rk: string[]): [number, number][] {
  const key = (r: Record<string, Value>, ks: string[]) => ks.map((k) => valueKey(r[k]!)).join('\u0001');
  const hasNull = (r: Record<string, Value>, ks: string[]) => ks.some((k) => r[k] === null);
  const out: [number, number][] = [];
  const seen = new Set<string>();
  const rightHit = new Set<number>();
  left.forEach((l, i) => {
    if (kind === 'innerunique') {
      if (seen.has(key(l, lk))) return;
      seen.add(key(l, lk));
    }
    const matches = hasNull(l, lk) ? [] : right.flatMap((r, j) => (!hasNull(r, rk) && key(r, rk) === key(l, lk) ? [j] : []));
    if (kind === 'leftanti') {
      if (!matches.length) out.push([i, -1]);
    } else if (kind === 'leftsemi') {
      if (matches.length) out.push([i, -1]);
    } else {
      for (const j of matches) {
        out.push([i, j]);
        rightHit.add(j);
      }
      if (!matches.length && (kind === 'leftouter' || kind === 'fullouter')) out.push([i, -1]);
    }
  });
  if (kind === 'fullouter' || kind === 'rightouter') right.forEach((_, j) => { if (!rightHit.has(j)) out.push([-1, j]); });
  return out;
}

test('join: key ids and index vectors equal the nested-loop reference', () => {
  const cases: [string, string[], string[]][] = [[['S'], ['S']], [['G'], ['G']], [['N'], ['N']], [['R'], ['R']], [['D'], ['D']], [['Ts'], ['Ts']], [['S', 'N'], ['S', 'N']], [['N'], ['R']], [['S'], ['Cmd']], [['B', 'G'], ['B', 'G']]].flatMap(([l, r]) =>
    ['innerunique', 'inner', 'leftouter', 'fullouter', 'rightouter', 'leftsemi', 'leftanti'].map((k) => [k, l!, r!] as [string, string[], string[]]),
  );
  for (const [kind, lk, rk] of cases) {
    const on = lk.map((k, i) => (k === rk[i] ? k : `$left.${k} == $right.${rk[i]}`)).join(', ');
    const q = `T | extend Row = row_number() | join kind=${kind} (U | extend RRow = row_number()) on ${on} | project ${kind === 'leftsemi' || kind === 'leftanti' ? 'Row' : 'Row, RRow'}`;
    const got = run(q).rows.map((r) => [r[0] === null ? -1 : (r[0] as number) - 1, r.length > 1 ? (r[1] === null ? -1 : (r[1] as number) - 1) : -1]);
    const want = referenceJoin(kind, ALL_ROWS, U_ROWS, lk, rk);
    const sort = (x: number[][]) => x.map((p) => p.join(',')).sort();
    assert.deepEqual(sort(got), sort(want), q);
  }
});

test('join with the smaller side on the left (ids made there, the right side only looks its keys up) equals the reference', () => {
  const cases: [string, string[], string[]][] = [[['S'], ['S']], [['G'], ['G']], [['N'], ['N']], [['D'], ['D']], [['Ts'], ['Ts']], [['S', 'N'], ['S', 'N']], [['N'], ['R']], [['B', 'G'], ['B', 'G']]].flatMap(([l, r]) =>
    ['innerunique', 'inner', 'leftouter', 'fullouter', 'rightouter', 'leftsemi', 'leftanti'].map((k) => [k, l!, r!] as [string, string[], string[]]),
  );
  for (const [kind, lk, rk] of cases) {
    const on = lk.map((k, i) => (k === rk[i] ? k : `$left.${k} == $right.${rk[i]}`)).join(', ');
    // 25 left rows against 240: the left side is under an eighth of the right, so it makes the ids
    const q = `U | extend Row = row_number() | where Row <= 25 | join kind=${kind} (T | extend RRow = row_number()) on ${on} | project ${kind === 'leftsemi' || kind === 'leftanti' ? 'Row' : 'Row, RRow'}`;
    const got = run(q).rows.map((r) => [r[0] === null ? -1 : (r[0] as number) - 1, r.length > 1 ? (r[1] === null ? -1 : (r[1] as number) - 1) : -1]);
    const want = referenceJoin(kind, U_ROWS.slice(0, 25), ALL_ROWS, lk, rk);
    const sort = (x: number[][]) => x.map((p) => p.join(',')).sort();
    assert.deepEqual(sort(got), sort(want), q);
  }
});

test('lookup matches the first right row of each key', () => {
  const got = run('T | extend Row = row_number() | lookup (U | extend RRow = row_number() | summarize RRow = min(RRow) by S, N) on S, N | project Row, RRow');
  const firstOf = new Map<string, number>();
  U_ROWS.forEach((r, j) => { if (r.N !== null && !firstOf.has(valueKey(r.S!) + valueKey(r.N!))) firstOf.set(valueKey(r.S!) + valueKey(r.N!), j + 1); });
  const want = ALL_ROWS.map((r, i) => [i + 1, r.N === null ? null : (firstOf.get(valueKey(r.S!) + valueKey(r.N!)) ?? null)]);
  assert.deepEqual(got.rows.map((r) => r.map(cellKey)).sort(), want.map((r) => r.map(cellKey)).sort());
});

test('extend and mv-expand once per dictionary string equal row-by-row evaluation', () => {
  const pairs: [string, string][] = [
    ['tolower(S)', 'iff(isnull(N) or isnotnull(N), tolower(S), "")'],
    ['strlen(Cmd)', 'iff(isnull(N) or isnotnull(N), strlen(Cmd), 0)'],
    ['split(Cmd, " ")', 'iff(isnull(N) or isnotnull(N), split(Cmd, " "), dynamic(null))'],
    ['S == "a"', 'iff(isnull(N) or isnotnull(N), S == "a", false)'],
    ['bin(Ts, 1h)', 'iff(isnull(N) or isnotnull(N), bin(Ts, 1h), datetime(null))'],
    ['bin(Ts, 1tick)', 'iff(isnull(N) or isnotnull(N), bin(Ts, 1tick), datetime(null))'],
  ];
  for (const [fast, slow] of pairs) {
    for (const pre of ['T', 'T | where N > 1']) {
      const a = run(`${pre} | extend X = ${fast} | project X`);
      const b = run(`${pre} | extend X = ${slow} | project X`);
      assert.deepEqual(a.types, b.types, fast);
      assert.deepEqual(rowsKey(a.rows), rowsKey(b.rows), `${pre} | extend X = ${fast}`);
    }
  }
  for (const pre of ['T', 'T | where N > 1']) {
    const a = run(`${pre} | extend W = split(Cmd, ' ') | mv-expand with_itemindex=I Word = W to typeof(string) | project S, N, I, Word`);
    const b = run(`${pre} | extend W = iff(isnull(N) or isnotnull(N), split(Cmd, ' '), dynamic(null)) | mv-expand with_itemindex=I Word = W to typeof(string) | project S, N, I, Word`);
    assert.deepEqual(rowsKey(a.rows), rowsKey(b.rows), pre);
    const words = ALL_ROWS.filter((r) => pre === 'T' || (r.N !== null && (r.N as number) > 1)).flatMap((r) => (r.Cmd as string).split(' '));
    assert.deepEqual(a.rows.map((r) => r[3]), words);
  }
});
