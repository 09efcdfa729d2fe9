// A where that only bounds a datetime column by constants takes the tick-array loop (time-range-where.ts);
// it must select exactly what the general per-row predicate selects: bounds inclusive or not, 100 ns ticks at
// the edges, nulls out, a timespan upper bound, lets and now(), after an earlier where's selection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery } from '../../src/engine/index.js';

const NOW = 17_000_000_000_000_000n; // ticks; now() of every query here
const rows = [
  "datetime(2023-11-14 22:13:19.9999999)", "datetime(2023-11-14 22:13:20)", "datetime(2023-11-14 22:13:20.0000001)",
  "datetime(2023-11-10)", "datetime(2023-11-09 23:59:59.9999999)", "datetime(null)", "datetime(2023-11-12 05:00)",
  "datetime(2023-11-14 22:13:20)", "datetime(1970-01-01)", "datetime(2100-01-01)",
].map((t, i) => `${i}, ${t}`).join(', ');
const data = `let T = datatable(id:long, Timestamp:datetime)[${rows}];`;

function ids(where: string): string[] {
  const r = runQuery(`${data} T | where id >= 0 | where ${where} | project id`, { now: NOW });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const t = r.tables[0]!.table;
  const col = t.columns[0]!.column as { values: BigInt64Array | Float64Array };
  return Array.from({ length: t.length }, (_, i) => String(col.values[i]));
}

const filters = [
  'Timestamp between (datetime(2023-11-10) .. datetime(2023-11-14 22:13:20))',
  'Timestamp between (datetime(2023-11-10) .. 2d)',
  'Timestamp > datetime(2023-11-14 22:13:20) or Timestamp < datetime(1971-01-01)',
  'Timestamp > ago(5d)',
  'Timestamp >= ago(5d) and Timestamp < now()',
  'Timestamp <= now() and Timestamp > now(-5d)',
  'ago(5d) < Timestamp and now() >= Timestamp',
  'Timestamp == datetime(2023-11-14 22:13:20)',
  '(Timestamp > datetime(2023-11-10) and Timestamp <= datetime(2023-11-14 22:13:20.0000001))',
];

test('the tick loop selects what the per-row predicate selects', () => {
  for (const f of filters) {
    // `(...) == true` is not a bounds filter, so it runs the general path
    assert.deepEqual(ids(f), ids(`(${f}) == true`), f);
  }
  assert.deepEqual(ids(filters[0]!), ['0', '1', '3', '6', '7'], '100 ns inside the upper bound is in');
  assert.deepEqual(ids('Timestamp > ago(5d)'), ['0', '1', '2', '3', '4', '6', '7', '9'], 'nulls and older rows out');
});

test('lets as bounds, and an empty range', () => {
  const q = (w: string) => runQuery(`${data} let a = datetime(2023-11-12); let b = a + 3d; T | where ${w} | count`, { now: NOW });
  const c = (w: string) => { const r = q(w); assert.ok(r.ok); return String((r.tables[0]!.table.columns[0]!.column as { values: BigInt64Array }).values[0]); };
  assert.equal(c('Timestamp between (a .. b)'), c('(Timestamp between (a .. b)) == true'));
  assert.equal(c('Timestamp between (a .. b)'), '5');
  assert.equal(c('Timestamp > b and Timestamp < a'), '0');
});

test('a time filter followed by an indexed test runs on the index rows alone, with the same result', async () => {
  const { MemorySource } = await import('../../src/engine/index.js');
  const { tableFromRows } = await import('../../src/engine/storage/builders.js');
  const { parseDatetimeText } = await import('../../src/kql/syntax/index.js');
  const columns = [{ name: 'Timestamp', type: 'datetime' as const }, { name: 'RemoteUrl', type: 'string' as const }, { name: 'Id', type: 'long' as const }];
  const day = 864_000_000_000n;
  const start = parseDatetimeText('2026-03-01T00:00:00Z')!;
  // four extents of 500 rows, a day each; the needle on a few rows, some at the window's edges to the tick
  const parts = [0, 1, 2, 3].map((d) => tableFromRows(columns, Array.from({ length: 500 }, (_, i) => {
    const id = d * 500 + i;
    const edge = i === 0 ? 0n : i === 499 ? day - 1n : BigInt(i) * 1_000_000_000n;
    return { Timestamp: i === 250 ? null : start + BigInt(d) * day + edge, RemoteUrl: id % 97 === 0 || i === 0 || i === 499 ? 'https://SERVER.ACTION1.COM/x' : `host-${id % 40}.example.com`, Id: id };
  })));
  const source = new MemorySource(new Map([['T', { schema: { name: 'T', columns }, extents: parts }]]));
  const now = start + 4n * day;
  const run = (q: string) => {
    const r = runQuery(q, { source, now });
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    const t = r.tables[0]!.table;
    return Array.from({ length: t.length }, (_, i) => String((t.columns[0]!.column as { values: BigInt64Array }).values[i]));
  };
  for (const range of ['ago(2d) .. now()', 'datetime(2026-03-02) .. datetime(2026-03-02 23:59:59.9999999)', 'ago(10d) .. ago(3d)']) {
    const paired = run(`T | where Timestamp between (${range}) | where RemoteUrl has 'server.action1.com' | project Id`);
    const plain = run(`T | where (Timestamp between (${range})) == true | where RemoteUrl has 'server.action1.com' | project Id`);
    assert.deepEqual(paired, plain, range);
    assert.ok(paired.length > 0, `${range}: rows found`);
  }
});
