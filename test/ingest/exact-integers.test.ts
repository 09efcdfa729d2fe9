// Integers at ingest: longs beyond 2^53 stay exact through every reader (columnar NDJSON, the JSON record
// path, CSV, Parquet's INT64) and through the extent on disk; an int or long that does not fit its type is
// quarantined with the reason, never rounded or stored as a float.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { runQuery } from '../../src/engine/index.js';
import { readCell } from '../../src/engine/storage/builders.js';
import { ingestPaths, readQuarantine, Workspace } from '../../src/ingest/index.js';
import { scratchArea } from '../helpers/workspace-contents.js';

const { fresh, file } = scratchArea('kqlite-exact-');

const BIG = ['9007199254740993', '-9223372036854775808', '9223372036854775807', '12'];

/** The long column `c` of table `t`, read back exactly (as text), in row order. */
function longs(ws: Workspace, t: string, c: string): string[] {
  const r = runQuery(`${t} | order by Timestamp asc | project ${c}`, { source: ws });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.diagnostics));
  const col = r.tables[0]!.table.columns[0]!.column;
  return Array.from({ length: r.tables[0]!.table.length }, (_, i) => String(readCell(col, i)));
}

const ndjsonLines = BIG.map((v, i) => `{"Timestamp":"2026-01-01T00:00:0${i}Z","DeviceName":"h${i}","ReportId":${v}}`);

for (const columnar of [true, false]) {
  test(`NDJSON: longs beyond 2^53 are exact in a known table's long column (${columnar ? 'columnar' : 'record'} path)`, async () => {
    const ws = fresh();
    const p = file(`DeviceNetworkEvents_${columnar}.ndjson`, ndjsonLines.join('\n') + '\n');
    const r = await ingestPaths(ws, [p], { columnar });
    assert.equal(r.loaded, 4);
    assert.deepEqual(longs(ws, 'DeviceNetworkEvents', 'ReportId'), BIG);
    // the extent on disk keeps them too: a fresh workspace object reads the files again
    assert.deepEqual(longs(Workspace.open(ws.dir), 'DeviceNetworkEvents', 'ReportId'), BIG);
  });
}

test('an inferred column takes big integers as exact longs; JSON documents keep them too', async () => {
  const ws = fresh();
  const doc = file('Custom_doc.json', '[' + BIG.map((v, i) => `{"Timestamp":"2026-01-01T00:00:0${i}Z","Id":${v},"Bag":{"n":${v}}}`).join(',') + ']');
  await ingestPaths(ws, [doc], { table: 'Custom' });
  assert.deepEqual(longs(ws, 'Custom', 'Id'), BIG);
  assert.deepEqual(longs(ws, 'Custom', 'tolong(Bag.n)'), BIG);
});

test('CSV: long text is read digit for digit', async () => {
  const ws = fresh();
  const p = file('DeviceNetworkEvents.csv', 'Timestamp,DeviceName,ReportId\n' + BIG.map((v, i) => `2026-01-01T00:00:0${i}Z,h${i},${v}`).join('\n') + '\n');
  await ingestPaths(ws, [p]);
  assert.deepEqual(longs(ws, 'DeviceNetworkEvents', 'ReportId'), BIG);
});

test('Parquet: INT64 values arrive as bigints and stay exact', async () => {
  const ws = fresh();
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'Timestamp', data: BIG.map((_, i) => `2026-01-01T00:00:0${i}Z`), type: 'STRING' },
      { name: 'ReportId', data: BIG.map((v) => BigInt(v)), type: 'INT64' },
    ],
  });
  await ingestPaths(ws, [file('DeviceNetworkEvents.parquet', Buffer.from(buf))]);
  assert.deepEqual(longs(ws, 'DeviceNetworkEvents', 'ReportId'), BIG);
});

test('an int or long that does not fit its type is quarantined with the reason', async () => {
  const ws = fresh();
  const lines = [
    '{"Timestamp":"2026-01-01T00:00:00Z","DeviceName":"a","RemotePort":1e300}',
    '{"Timestamp":"2026-01-01T00:00:01Z","DeviceName":"b","RemotePort":2147483648}',
    '{"Timestamp":"2026-01-01T00:00:02Z","DeviceName":"c","RemotePort":443,"ReportId":9223372036854775808}',
    '{"Timestamp":"2026-01-01T00:00:03Z","DeviceName":"d","RemotePort":80,"ReportId":7}',
  ];
  for (const columnar of [true, false]) {
    const w = columnar ? ws : fresh();
    const r = await ingestPaths(w, [file(`DeviceNetworkEvents_range_${columnar}.ndjson`, lines.join('\n') + '\n')], { columnar });
    assert.deepEqual([r.read, r.loaded, r.quarantined], [4, 1, 3]);
    assert.deepEqual(readQuarantine(w).map((q) => q['reason']), [
      'column RemotePort: 1e+300 is out of range for int (-2147483648 to 2147483647)',
      'column RemotePort: 2147483648 is out of range for int (-2147483648 to 2147483647)',
      // past int64 the JSON number is a real: the reason shows it as one
      'column ReportId: 9223372036854776000 is out of range for long (-9223372036854775808 to 9223372036854775807)',
    ]);
    assert.deepEqual(longs(w, 'DeviceNetworkEvents', 'RemotePort'), ['80']);
  }
});
