// A `where` right after an inner join whose conjunct is `x between (y .. c)` (x, y tick columns of the two
// sides, c constant) is tested by the join on each candidate pair (operators/join-window.ts); the join's
// output then lets a `where` that keeps few pairs gather the other columns for those alone (Relation.narrow);
// `x between (y .. c)` over one relation compares hi/lo halves (compile/tick-between.ts); and a `where` with a
// time bound runs the bound first, then each other conjunct on the rows left (`C in (few numbers)` in one
// loop). Each is checked against a nested-loop reference written with BigInts, and against the same query
// written so that no fast path applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import type { Table } from '../../src/engine/storage/column.js';
import { valueKey } from '../../src/engine/values/compare.js';
import type { ScalarTypeName, Value } from '../../src/engine/values/value.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const COLUMNS: { name: string; type: ScalarTypeName }[] = [
  { name: 'Id', type: 'long' }, { name: 'Dev', type: 'string' }, { name: 'Ts', type: 'datetime' },
  { name: 'Dur', type: 'timespan' }, { name: 'Port', type: 'long' }, { name: 'R', type: 'real' },
];
const BASE = 17_000_000_000_000_000n;
const SEC = 10_000_000n;

function rowsOf(from: number, count: number, salt: number): Record<string, Value>[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    // seconds apart with sub-millisecond ticks (the carry of lo + span.lo past 9,999), some nulls
    const ts = i % 11 === 0 ? null : BASE + BigInt((i * 7 + salt) % 40) * SEC + BigInt((i * 4_999 + salt) % 10_000) + BigInt(i % 3) * 10_000n;
    return {
      Id: i,
      Dev: ['a', 'b', 'c', ''][(i * 3 + salt) % 4]!,
      Ts: ts,
      Dur: i % 13 === 0 ? null : BigInt((i * 13 + salt) % 30) * SEC + BigInt(i % 7) * 1_234n,
      Port: i % 17 === 0 ? null : [80, 443, 8080, 0, 22, 53][(i + salt) % 6]!,
      R: [0, -0, NaN, 1.5, null, 3][(i + salt) % 6]!,
    };
  });
}

const P_ROWS = [rowsOf(0, 60, 1), rowsOf(60, 45, 1)];
const N_ROWS = [rowsOf(500, 80, 2), rowsOf(580, 70, 2), rowsOf(650, 90, 2)];
const schema = (name: string): TableSchema => ({ name, columns: COLUMNS });
const toExtents = (parts: Record<string, Value>[][]): Table[] => parts.map((p) => tableFromRows(COLUMNS, p));
const source = new MemorySource(new Map([
  ['P', { schema: schema('P'), extents: toExtents(P_ROWS) }],
  ['N', { schema: schema('N'), extents: toExtents(N_ROWS) }],
  // one extent each: a where over it leaves a selection, whose physical rows the join's pairs hold
  ['P1', { schema: schema('P1'), extents: toExtents([P_ROWS.flat()]) }],
  ['N1', { schema: schema('N1'), extents: toExtents([N_ROWS.flat()]) }],
]));

function run(q: string): Value[][] {
  const r = runQuery(q, { source, now: BASE + 100n * SEC });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => readCell(c.column, i)));
}
const sorted = (rows: Value[][]) => rows.map((r) => r.map(valueKey).join('|')).sort();

type Row = Record<string, Value>;
const within = (x: Value, lo: Value, hi: Value) => typeof x === 'bigint' && typeof lo === 'bigint' && typeof hi === 'bigint' && x >= lo && x <= hi;

/** Pairs (left Id, right Id) of an inner/innerunique join on Dev whose rows pass `keep`, nested loops. */
function reference(kind: string, left: Row[], right: Row[], keep: (l: Row, r: Row) => boolean): Value[][] {
  const out: Value[][] = [];
  const seen = new Set<Value>();
  for (const l of left) {
    if (kind === 'innerunique') {
      if (seen.has(l.Dev!)) continue;
      seen.add(l.Dev!);
    }
    for (const r of right) if (r.Dev === l.Dev && keep(l, r)) out.push([l.Id!, r.Id!]);
  }
  return out;
}

test('a time window after an inner join equals the nested-loop reference (both sides, both kinds, nulls, carries)', () => {
  const p = P_ROWS.flat().filter((r) => r.Port !== 22);
  const cases: { where: string; keep: (l: Row, r: Row) => boolean }[] = [
    { where: 'NT between (PT .. 5s)', keep: (l, r) => within(r.Ts!, l.Ts!, typeof l.Ts === 'bigint' ? l.Ts + 5n * SEC : null) },
    // the left side's column tested against the right side's: x and y on the other sides
    { where: 'PT between (NT .. 3s)', keep: (l, r) => within(l.Ts!, r.Ts!, typeof r.Ts === 'bigint' ? r.Ts + 3n * SEC : null) },
    // a span with sub-millisecond ticks (a carry when lo + span.lo passes 9,999), and another conjunct
    { where: 'NT between (PT .. 2s + 7654tick) and NId > 550', keep: (l, r) => (r.Id as number) > 550 && within(r.Ts!, l.Ts!, typeof l.Ts === 'bigint' ? l.Ts + 2n * SEC + 7654n : null) },
    // an absolute datetime upper bound: no addition
    { where: `NT between (PT .. datetime(2023-11-14 22:13:40))`, keep: (l, r) => within(r.Ts!, l.Ts!, 17_000_000_200_000_000n) },
    // timespans on both sides
    { where: 'ND between (PD .. 10s)', keep: (l, r) => within(r.Dur!, l.Dur!, 10n * SEC) },
    // a negative window: nothing, or the rows at equal times
    { where: 'NT between (PT .. -1s)', keep: (l, r) => within(r.Ts!, l.Ts!, typeof l.Ts === 'bigint' ? l.Ts - SEC : null) },
  ];
  const n = N_ROWS.flat();
  const sides: [string, string, Row[]][] = [
    ['P', 'N', n], ['P', 'N1', n], ['P1', 'N1 | where Port != 53', n.filter((r) => r.Port !== 53)], ['P1', 'N', n],
    // a small left side (it makes the key ids) against a larger right side
    ['P1', 'N1 | where Id > 0', n], ['P', 'N | where Id > 0', n],
  ];
  for (const [left, right, rrows] of sides) {
    for (const kind of ['inner', 'innerunique']) {
      for (const c of cases) {
        const l = left === 'P' ? p : p.filter((r) => (r.Id as number) < 40);
        const q = `${left} | where Port != 22${left === 'P1' ? ' and Id < 40' : ''} | project Dev, PT=Ts, PD=Dur, Id | join kind=${kind} (${right} | project Dev, NT=Ts, ND=Dur, NId=Id) on Dev | where ${c.where} | project Id, NId`;
        const want = reference(kind, l, rrows, c.keep);
        assert.deepEqual(sorted(run(q)), sorted(want), q);
        // the same filter where neither the pair test nor the column-bound between applies
        const general = q.replace(`| where ${c.where}`, `| extend Z = 0 | where ${c.where.replace(/(\w+) between \((\w+) \.\. ([^)]+?)\)/, (_m, x: string, y: string, h: string) => `${x} >= ${y} and ${x} <= ${/datetime/.test(h) ? h : y.endsWith('D') ? h : `${y} + (${h})`}`)}`);
        assert.deepEqual(sorted(run(general)), sorted(want), general);
      }
    }
  }
});

test('a window is not applied to outer joins, negated betweens, or same-side columns', () => {
  const p = P_ROWS.flat();
  const n = N_ROWS.flat();
  // leftouter: a left row whose pairs all fail the window still joins (its pairs exist) and then fails the where;
  // an unmatched left row has null NT, which the where drops too
  const q1 = 'P | project Dev, PT=Ts, Id | join kind=leftouter (N | project Dev, NT=Ts, NId=Id) on Dev | where NT between (PT .. 5s) | project Id, NId';
  assert.deepEqual(sorted(run(q1)), sorted(reference('inner', p, n, (l, r) => within(r.Ts!, l.Ts!, typeof l.Ts === 'bigint' ? l.Ts + 5n * SEC : null))), q1);
  const q2 = 'P | project Dev, PT=Ts, Id | join kind=inner (N | project Dev, NT=Ts, NId=Id) on Dev | where NT !between (PT .. 5s) | project Id, NId';
  const outside = (l: Row, r: Row) => typeof r.Ts === 'bigint' && typeof l.Ts === 'bigint' && !within(r.Ts, l.Ts, l.Ts + 5n * SEC);
  assert.deepEqual(sorted(run(q2)), sorted(reference('inner', p, n, outside)), q2);
  const q3 = 'P | project Dev, PT=Ts, PD=Dur, Id | join kind=inner (N | project Dev, NId=Id) on Dev | where PT between (PT .. 1s) | project Id, NId';
  assert.deepEqual(sorted(run(q3)), sorted(reference('inner', p, n, (l) => l.Ts !== null)), q3);
});

test('columns read after a where over a join are gathered for the kept pairs and equal a full gather', () => {
  const q = 'P | project Dev, PT=Ts, Id, Port | join kind=inner (N | project Dev, NT=Ts, NId=Id, R) on Dev | where NId % 5 == 0 | summarize c=count(), ids=make_set(Id), r=sum(R), t=max(NT) by Dev, Port';
  const general = q.replace('| where', '| extend Z = 0 | where');
  assert.deepEqual(sorted(run(q)), sorted(run(general)));
  assert.ok(run(q).length > 0);
});

test('a where with a time bound runs its other conjuncts on the rows left, as the whole predicate would', () => {
  const all = N_ROWS.flat();
  const from = BASE + 10n * SEC;
  const cases: { q: string; keep: (r: Row) => boolean }[] = [
    { q: `Timestamp > datetime(2023-11-14 22:13:30) and Port in (80, 8080)`, keep: (r) => [80, 8080].includes(r.Port as number) },
    { q: `Port !in (80, 8080) and Timestamp > datetime(2023-11-14 22:13:30)`, keep: (r) => ![80, 8080].includes(r.Port as number) },
    // more items than the direct comparison takes (the Set), and reals with 0, -0, NaN and null
    { q: `Timestamp > datetime(2023-11-14 22:13:30) and Port in (80, 443, 8080, 0, 53)`, keep: (r) => [80, 443, 8080, 0, 53].includes(r.Port as number) },
    { q: `Timestamp > datetime(2023-11-14 22:13:30) and R in (0, real(nan))`, keep: (r) => r.R === 0 },
    { q: `Timestamp > datetime(2023-11-14 22:13:30) and R !in (-0.0)`, keep: (r) => r.R !== 0 },
    { q: `Timestamp > datetime(2023-11-14 22:13:30) and Port in (80) and Id % 2 == 0`, keep: (r) => r.Port === 80 && (r.Id as number) % 2 === 0 },
  ];
  for (const c of cases) {
    const q = `N | project-rename Timestamp = Ts | where ${c.q} | project Id`;
    const want = all.filter((r) => typeof r.Ts === 'bigint' && r.Ts > from && c.keep(r)).map((r) => [r.Id!]);
    assert.deepEqual(sorted(run(q)), sorted(want), q);
    // the same predicate inside iff(): one opaque test, no split
    const general = `N | project-rename Timestamp = Ts | where iff(${c.q}, true, false) | project Id`;
    assert.deepEqual(sorted(run(general)), sorted(want), general);
  }
});
