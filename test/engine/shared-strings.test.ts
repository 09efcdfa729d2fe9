// Stored extents' dictionaries get process-wide string ids (storage/shared-strings.ts) so that joins,
// group-bys and merges match one extent's strings with another's by id. Every query here runs twice over
// the same rows: once with the extents' dictionaries marked as stored (the shared-id paths) and once
// unmarked (the Map paths), and the results must be equal; the merges and gathers are compared directly too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { buildColumn, gatherColumn, readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import type { Column, Table } from '../../src/engine/storage/column.js';
import { concatSelected, type ColumnParts } from '../../src/engine/storage/merge.js';
import { gatherParts } from '../../src/engine/storage/parts.js';
import { markStoredDictionary, noteSharedIds, pushUnshared, sharedIdsOf, sharedStringCount } from '../../src/engine/storage/shared-strings.js';
import { identityRows, ValueIds } from '../../src/engine/compile/value-ids.js';
import { valueKey } from '../../src/engine/values/compare.js';
import type { ScalarTypeName, Value } from '../../src/engine/values/value.js';

const COLUMNS: { name: string; type: ScalarTypeName }[] = [
  { name: 'Id', type: 'long' }, { name: 'Dev', type: 'string' }, { name: 'Pid', type: 'long' }, { name: 'G', type: 'guid' },
  { name: 'Name', type: 'string' }, { name: 'Keep', type: 'bool' },
];
const DEVS = ['dev-a', 'dev-b', 'DEV-A', 'dev-c', 'Ä', '', 'dev-d'];
const GUIDS = [null, '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'];

function rowsOf(from: number, count: number, salt: number): Record<string, Value>[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      Id: i,
      // each extent sees the strings in another order, so their codes differ from extent to extent
      Dev: DEVS[(i * (3 + salt) + salt) % DEVS.length]!,
      Pid: 1000 + ((i * 31 + salt) % 40),
      G: GUIDS[(i * 5 + salt) % GUIDS.length]!,
      Name: `n${(i * 13 + salt) % 25}`,
      Keep: (i * 11 + salt) % 5 !== 0,
    };
  });
}

const P = [rowsOf(0, 70, 1), rowsOf(70, 55, 2), rowsOf(125, 60, 3)];
const N = [rowsOf(500, 120, 4), rowsOf(620, 90, 5), rowsOf(710, 150, 6), rowsOf(860, 40, 7)];

function sourceOf(marked: boolean): MemorySource {
  const extents = (parts: Record<string, Value>[][]): Table[] => parts.map((p) => {
    const t = tableFromRows(COLUMNS, p);
    if (marked) for (const c of t.columns) if (c.column.type === 'string' || c.column.type === 'guid') markStoredDictionary(c.column.dict);
    return t;
  });
  return new MemorySource(new Map([
    ['P', { schema: { name: 'P', columns: COLUMNS }, extents: extents(P) }],
    ['N', { schema: { name: 'N', columns: COLUMNS }, extents: extents(N) }],
  ]));
}

function run(source: MemorySource, q: string): string[] {
  const r = runQuery(q, { source, now: 17_000_000_000_000_000n });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => valueKey(readCell(c.column, i))).join('|')).sort();
}

test('queries over extents whose dictionaries have shared ids give what the Map paths give', () => {
  const marked = sourceOf(true);
  const plain = sourceOf(false);
  const queries = [
    'P | where Keep | join kind=inner (N | where Keep) on Dev, Pid | project Id, Id1, Dev, Name1',
    'P | where Keep and Id < 30 | join kind=inner (N | where Keep) on Dev | project Id, Id1, G1',
    'N | where Keep | join kind=leftouter (P | where Keep) on G | project Id, Id1, Dev1',
    'N | where Keep | join kind=leftanti (P | where Keep and Pid < 1010) on Dev, Name | project Id',
    'P | where Keep | join kind=fullouter (N | where Keep) on Name | project Id, Id1',
    'N | where Keep | summarize Rows=count(), Devs=dcount(Dev), Names=make_set(Name), Gs=dcount(G) by Dev, G',
    'N | where Pid > 1005 | summarize arg_max(Id, *) by Name',
    'union P, N | where Keep | summarize count() by Dev, Name',
    'N | summarize count() by Dev',
    'N | where Keep | top-nested 3 of Dev by sum(Pid), top-nested 2 of Name by count()',
    // group-bys and dcounts over a join's gathered columns (their dictionaries keep the shared ids)
    'P | where Keep | join kind=inner (N | where Keep) on Dev, Pid | summarize Names=dcount(Name1), Rows=count() by Dev, G1',
    'P | where Keep and Id < 30 | join kind=leftouter (N | where Keep) on Dev | summarize dcount(Name1), make_set(Dev1) by Name',
  ];
  for (const q of queries) {
    const got = run(marked, q);
    assert.deepEqual(got, run(plain, q), q);
    assert.ok(got.length > 0, `${q}: rows`);
  }
});

test('a merge, a gather and key ids over marked dictionaries equal those over unmarked copies', () => {
  const gens: Record<'string' | 'guid', (i: number, p: number) => Value> = {
    string: (i, p) => ['', 'a', 'b', 'Ä', `x${(i + p) % 7}`][(i * (p + 1)) % 5]!,
    guid: (i, p) => (i % 4 === 0 ? null : `00000000-0000-0000-0000-00000000000${(i + p) % 3}`),
  };
  for (const type of ['string', 'guid'] as const) {
    const make = () => [40, 25, 33].map((n, p) => buildColumn(type, Array.from({ length: n }, (_, i) => gens[type](i, p))));
    const marked = make();
    const plain = make();
    for (const c of marked) markStoredDictionary((c as { dict: string[] }).dict);
    assert.ok(marked.every((c) => sharedIdsOf((c as { dict: string[] }).dict)), 'marked dictionaries get ids');
    assert.ok(plain.every((c) => !sharedIdsOf((c as { dict: string[] }).dict)), 'unmarked ones do not');
    const sels = [Int32Array.from([0, 3, 4, 9, 17, 39]), undefined, Int32Array.from([32, 1, 1, 5])];
    const lengths = sels.map((s, p) => (s ? s.length : marked[p]!.length));
    const total = lengths.reduce((a, b) => a + b, 0);
    const cells = (c: Column) => Array.from({ length: c.length }, (_, i) => valueKey(readCell(c, i)));
    const mergedM = concatSelected(marked, sels, total);
    const mergedP = concatSelected(plain, sels, total);
    assert.deepEqual(cells(mergedM), cells(mergedP), `${type} concatSelected`);
    // each string once in the merged dictionary
    assert.equal(new Set((mergedM as { dict: string[] }).dict).size, (mergedM as { dict: string[] }).dict.length);
    const idx = Int32Array.from([5, -1, 0, 34, 34, 6, 30, -1, 2]);
    const partsOf = (cols: Column[]): ColumnParts => ({ type, entries: cols.map((column) => ({ column })), sels, lengths });
    assert.deepEqual(cells(gatherParts(partsOf(marked), idx)), cells(gatherColumn(mergedP, idx)), `${type} gatherParts`);
    // ids per row: equal values get equal ids, whichever extent they come from
    const idsOf = (cols: Column[]) => {
      const ids = new ValueIds();
      return cols.flatMap((c) => {
        const out = new Int32Array(c.length);
        ids.encodeColumn(c, identityRows(c.length), out);
        return Array.from(out, (id) => valueKey(ids.values[id]!));
      });
    };
    assert.deepEqual(idsOf(marked), idsOf(plain), `${type} ids`);
  }
});

test('dictionaries of long or many strings get no shared ids', () => {
  const long = Array.from({ length: 10 }, (_, i) => `${'x'.repeat(100)}${i}`);
  markStoredDictionary(long);
  assert.equal(sharedIdsOf(long), undefined);
  const many = Array.from({ length: 70_000 }, (_, i) => `s${i}`);
  markStoredDictionary(many);
  assert.equal(sharedIdsOf(many), undefined);
});

test('a gathered or merged dictionary of shared strings keeps their ids; one holding a string without an id has none', () => {
  const cells = (c: Column) => Array.from({ length: c.length }, (_, i) => valueKey(readCell(c, i)));
  const marked = [['h-a', 'h-b', 'h-c'], ['h-c', 'h-d', 'h-a']].map((d) => buildColumn('string', [...d, d[0]!]));
  for (const c of marked) markStoredDictionary((c as { dict: string[] }).dict);
  const parts: ColumnParts = { type: 'string', entries: marked.map((column) => ({ column })), sels: [undefined, Int32Array.from([2, 1])], lengths: [4, 2] };
  const idsMatch = (c: Column) => {
    const { dict } = c as { dict: string[] };
    const ids = sharedIdsOf(dict)!;
    assert.ok(ids, 'ids kept');
    // each string's id is the one its stored dictionary gave it
    const byString = new Map<string, number>();
    for (const m of marked) (m as { dict: string[] }).dict.forEach((str, k) => byString.set(str, sharedIdsOf((m as { dict: string[] }).dict)![k]!));
    dict.forEach((str, k) => assert.equal(ids[k], byString.get(str), str));
  };
  idsMatch(gatherParts(parts, Int32Array.from([5, 0, 3, 1, 4])));
  idsMatch(concatSelected(marked, parts.sels, 6));
  // a -1 row reads as '': with the ids only when '' has one (a stored dictionary held it)
  const withNull = gatherParts(parts, Int32Array.from([0, -1]));
  assert.deepEqual(cells(withNull), [valueKey('h-a'), valueKey('')]);
  // a string no stored dictionary holds leaves the dictionary without ids
  const dict: string[] = [];
  const ids: number[] = [];
  pushUnshared(dict, ids, 'h-a');
  pushUnshared(dict, ids, 'never stored anywhere');
  noteSharedIds(dict, Int32Array.from(ids));
  assert.equal(sharedIdsOf(dict), undefined);
  const dict2: string[] = [];
  const ids2: number[] = [];
  pushUnshared(dict2, ids2, 'h-d');
  noteSharedIds(dict2, Int32Array.from(ids2));
  assert.ok(sharedIdsOf(dict2));
});

test('value ids over shared strings (no Map until a string comes by text) agree with the Map path in any order, frozen too', () => {
  const strs = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
  const col = (xs: string[], mark: boolean) => {
    const c = buildColumn('string', xs);
    if (mark) markStoredDictionary((c as { dict: string[] }).dict);
    return c;
  };
  const before = sharedStringCount();
  const a = () => col(['k1', 'k2', 'k1', 'k3'], true);
  const b = () => col(['k3', 'k4', 'k2'], false);
  const c = () => col(['k4', 'k5', 'k1', 'k6'], true);
  const orders: (() => Column)[][] = [[a, b, c], [a, c, b], [b, a, c], [c, a, b]];
  for (const order of orders) {
    const ids = new ValueIds();
    const seen = new Map<string, number>();
    for (const make of order) {
      const column = make();
      const out = new Int32Array(column.length);
      ids.encodeColumn(column, identityRows(column.length), out);
      // equal strings get equal ids and different strings different ones, whichever path they came by
      out.forEach((id, i) => {
        const str = readCell(column, i) as string;
        assert.equal(ids.values[id], str);
        if (seen.has(str)) assert.equal(seen.get(str), id, str);
        seen.set(str, id);
      });
      assert.equal(ids.size, seen.size);
    }
    // frozen: known strings keep their ids by either path, unknown ones get -1 and no id
    ids.frozen = true;
    for (const mark of [true, false]) {
      const probe = col(['k2', 'zz', 'k6', 'k1'], mark);
      const out = new Int32Array(probe.length);
      ids.encodeColumn(probe, identityRows(probe.length), out);
      assert.deepEqual(Array.from(out), [seen.get('k2'), -1, seen.get('k6'), seen.get('k1')]);
      const lookup = ids.keyLookup(probe, probe.length);
      assert.ok(lookup && lookup.kind === 'codes');
      assert.deepEqual(Array.from({ length: probe.length }, (_, i) => lookup.memo[(probe as { codes: Int32Array }).codes[i]!]), Array.from(out));
    }
    assert.equal(ids.size, strs.length);
  }
  // a frozen encoder that only ever saw shared strings rejects an unseen shared one without a Map
  const only = new ValueIds();
  const first = col(['k1', 'k2'], true);
  only.encodeColumn(first, identityRows(2), new Int32Array(2));
  only.frozen = true;
  const out = new Int32Array(3);
  only.encodeColumn(col(['k2', 'k9', 'k1'], true), identityRows(3), out);
  assert.deepEqual(Array.from(out), [1, -1, 0]);
  assert.ok(sharedStringCount() > before);
});
