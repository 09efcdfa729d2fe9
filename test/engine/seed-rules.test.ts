// The three seed rules (Action1, mRemoteNG, TacticalRMM network connections) over hand-built rows with
// matches, decoys (term edges, case, `notaction1.com`), and rows on and outside the 5-day window.
// The same rows run once as a stored table and once as a `datatable`: the results must be identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runQuery, MemorySource } from '../../src/engine/index.js';
import { tableFromRows, readCell } from '../../src/engine/storage/builders.js';
import { formatDatetime } from '../../src/engine/values/ticks.js';
import { parseDatetimeText } from '../../src/kql/syntax/index.js';
import type { ScalarTypeName } from '../../src/kql/syntax/index.js';
import type { Table } from '../../src/engine/storage/column.js';

interface Fixture {
  now: string;
  columns: [string, ScalarTypeName][];
  rows: (string | number)[][];
  expected: Record<string, unknown[][]>;
}
const fx = JSON.parse(readFileSync('test/engine/seed-rules.json', 'utf8')) as Fixture;
const now = parseDatetimeText(fx.now)!;

function seedQuery(file: string): string {
  const text = readFileSync(`../shared/seeds/${file}`, 'utf8');
  const body = text.slice(text.indexOf('\nKQL Query\n') + 11, text.indexOf('\nAnalytic Rule Definition'));
  return body.slice(0, body.search(/\nid: /) >= 0 ? body.search(/\nid: /) : undefined).trim();
}

const schema = fx.columns.map(([name, type]) => ({ name, type }));
const values = fx.rows.map((r) => Object.fromEntries(fx.columns.map(([n, t], i) => [n, t === 'datetime' ? parseDatetimeText(String(r[i]))! : r[i]!])));
const source = new MemorySource(new Map([['DeviceNetworkEvents', { schema: { name: 'DeviceNetworkEvents', columns: schema }, extents: [tableFromRows(schema, values)] }]]));

const datatableLet = `let DeviceNetworkEvents = datatable(${fx.columns.map(([n, t]) => `${n}:${t}`).join(', ')})[\n${fx.rows
  .map((r) => r.map((v, i) => (fx.columns[i]![1] === 'datetime' ? `datetime(${v})` : typeof v === 'number' ? String(v) : JSON.stringify(v))).join(', '))
  .join(',\n')}];\n`;

function rowsOf(t: Table): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < t.length; i++) {
    out.push(t.columns.map((c) => {
      const v = readCell(c.column, i);
      if (typeof v === 'bigint') return formatDatetime(v);
      if (Array.isArray(v)) return [...v].sort((a, b) => Number(a) - Number(b));
      return v;
    }));
  }
  return out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

for (const [file, expected] of Object.entries(fx.expected)) {
  test(`seed rule ${file} finds exactly the planted groups`, () => {
    const q = seedQuery(file);
    const stored = runQuery(q, { source, now });
    assert.ok(stored.ok, JSON.stringify(stored.diagnostics));
    const t = stored.tables[0]!;
    assert.deepEqual(t.columns.map((c) => c.name), ['DeviceId', 'DeviceName', 'RemoteUrl', 'FirstSeen', 'LastSeen', 'Report', 'Count']);
    const got = rowsOf(t.table).map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6]]);
    assert.deepEqual(got, expected);
    const inline = runQuery(datatableLet + q, { now });
    assert.ok(inline.ok, JSON.stringify(inline.diagnostics));
    assert.deepEqual(rowsOf(inline.tables[0]!.table), rowsOf(t.table));
  });
}

test('now() is the reference time passed in: the same rows hunted a month later find nothing', () => {
  const r = runQuery(seedQuery('000_9d92655b09ae6f89.txt'), { source, now: now + 30n * 864_000_000_000n });
  assert.ok(r.ok);
  assert.equal(r.tables[0]!.table.length, 0);
});

test('7 fractional digits survive load, compute and output', () => {
  const r = runQuery('DeviceNetworkEvents | where ReportId == 11 | project Timestamp, Later = Timestamp + 1tick', { source, now });
  assert.ok(r.ok);
  assert.deepEqual(rowsOf(r.tables[0]!.table), [['2024-05-09T12:00:00.1234567Z', '2024-05-09T12:00:00.1234568Z']]);
});

test('parse pulls typed fields out of a command line; parse-where drops rows that do not match', () => {
  const q = `datatable(CommandLine:string)[
    "AnyDesk.exe --install C:\\\\ProgramData\\\\AnyDesk --start-with-win --silent port=7070",
    "notepad.exe readme.txt"]
  | parse-where CommandLine with * "--install " InstallDir " " * "port=" Port:long`;
  const r = runQuery(q, { now });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const t = r.tables[0]!;
  assert.deepEqual(t.columns.map((c) => `${c.name}:${c.type}`), ['CommandLine:string', 'InstallDir:string', 'Port:long']);
  assert.deepEqual(rowsOf(t.table).map((row) => row.slice(1)), [['C:\\ProgramData\\AnyDesk', 7070]]);
});
