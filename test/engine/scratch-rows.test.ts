// Reused row buffers (storage/scratch.ts): a where's kept rows, a group-by's key ids and dcount's value ids
// are written into buffers shared between queries. A taken buffer must be its taker's alone (a query run
// while another is mid-way, as a subquery in a predicate is, takes another), and nothing a query returns may
// be a view of one (a later query would overwrite it). Checked against plain JavaScript over the same rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { readCell, tableFromRows } from '../../src/engine/storage/builders.js';
import { giveRows, keepRows, takeRows } from '../../src/engine/storage/scratch.js';
import type { ScalarTypeName, Value } from '../../src/engine/values/value.js';

const COLUMNS: { name: string; type: ScalarTypeName }[] = [{ name: 'Id', type: 'long' }, { name: 'Dev', type: 'string' }, { name: 'Port', type: 'long' }, { name: 'Opt', type: 'long' }];
const rows = (from: number, n: number) => Array.from({ length: n }, (_, k) => ({ Id: from + k, Dev: `d${(from + k) % 7}`, Port: [80, 443, 8080, 53][(from + k) % 4]!, Opt: (from + k) % 6 === 0 ? null : ((from + k) * 13) % 40 }));
const all = [rows(0, 300), rows(300, 250), rows(550, 400)];
const source = new MemorySource(new Map([['T', { schema: { name: 'T', columns: COLUMNS }, extents: all.map((p) => tableFromRows(COLUMNS, p)) }]]));
const flat = all.flat();

function run(q: string): Value[][] {
  const r = runQuery(q, { source, now: 0n });
  assert.ok(r.ok, `${q}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  const t = r.tables[0]!.table;
  return Array.from({ length: t.length }, (_, i) => t.columns.map((c) => readCell(c.column, i)));
}

test('a taken buffer is not handed out again until given back; kept rows are a copy', () => {
  const a = takeRows(5000);
  const b = takeRows(5000);
  assert.notEqual(a.buffer, b.buffer);
  a.fill(7);
  const kept = keepRows(a, 10);
  assert.deepEqual(Array.from(kept), new Array(10).fill(7));
  const again = takeRows(100);
  again.fill(-1);
  assert.deepEqual(Array.from(kept), new Array(10).fill(7), 'the kept rows do not share the buffer');
  giveRows(again);
  giveRows(b);
});

test('wheres, group-bys and dcounts with subqueries in their predicates equal plain JavaScript, and earlier results stay intact', () => {
  const byDev = (xs: typeof flat) => {
    const m = new Map<string, { n: number; ports: Set<number> }>();
    for (const r of xs) {
      const g = m.get(r.Dev) ?? { n: 0, ports: new Set() };
      g.n++;
      g.ports.add(r.Port);
      m.set(r.Dev, g);
    }
    return [...m].map(([d, g]) => [d, g.n, g.ports.size]).sort();
  };
  const first = run('T | where Port in (80, 8080) and Id % 3 != 0 | summarize n=count(), p=dcount(Port) by Dev');
  assert.deepEqual(first.sort(), byDev(flat.filter((r) => (r.Port === 80 || r.Port === 8080) && r.Id % 3 !== 0)));
  // a where whose predicate holds a subquery (run while the outer where's rows are being written)
  const nested = run('T | where Id > toscalar(T | where Port == 443 | summarize max(Id) - 200) and Port != toscalar(T | where Dev == "d3" | summarize min(Port)) | summarize n=count(), p=dcount(Port) by Dev');
  const cut = Math.max(...flat.filter((r) => r.Port === 443).map((r) => r.Id)) - 200;
  const minPort = Math.min(...flat.filter((r) => r.Dev === 'd3').map((r) => r.Port));
  assert.deepEqual(nested.sort(), byDev(flat.filter((r) => r.Id > cut && r.Port !== minPort)));
  // dcount of a where chain's columns (read part by part, as group keys are), nulls not counted
  const counted = run('T | where Id % 4 != 1 | summarize o=dcount(Opt), d=dcount(Dev), b=dcount(bin(Id, 100)) by Port');
  const kept = flat.filter((r) => r.Id % 4 !== 1);
  const want = [...new Set(kept.map((r) => r.Port))].map((p) => {
    const g = kept.filter((r) => r.Port === p);
    return [p, new Set(g.filter((r) => r.Opt !== null).map((r) => r.Opt)).size, new Set(g.map((r) => r.Dev)).size, new Set(g.map((r) => Math.floor(r.Id / 100))).size];
  });
  assert.deepEqual(counted.sort(), want.sort());
  // aggregates fed row by row read a where chain's column through a reader compiled on first use
  const perRow = run('T | where Id % 4 != 1 | summarize a=take_any(Dev), v=variance(Port) by Dev');
  const wantRow = [...new Set(kept.map((r) => r.Dev))].map((d) => {
    const xs = kept.filter((r) => r.Dev === d).map((r) => r.Port);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return [d, d, (xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)).toFixed(6)];
  });
  assert.deepEqual(perRow.map((r) => [r[0], r[1], (r[2] as number).toFixed(6)]).sort(), wantRow.sort());
  const keep = run('T | where Id % 5 == 0 | project Id');
  for (let i = 0; i < 3; i++) run('T | where Id % 2 == 1 | summarize count() by Dev, Port');
  assert.deepEqual(keep.map((r) => r[0]), flat.filter((r) => r.Id % 5 === 0).map((r) => r.Id));
});
