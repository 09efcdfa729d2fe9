import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { ingestPaths, readQuarantine, Workspace } from '../../src/ingest/index.js';
import { ledgerOf, scratchArea } from '../helpers/workspace-contents.js';

const { root, fresh, file } = scratchArea('kqlite-stream-');
const rows = (ws: Workspace, q: string) => toJsonResult(runQuery(q, { source: ws }).tables[0]!.table).rows;
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

const LINES = 200_000;
const netLine = (i: number) =>
  JSON.stringify({ Timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), DeviceId: `id-${i % 50}`, DeviceName: `host-${i % 50}`, ActionType: 'ConnectionSuccess', RemoteUrl: `r${i % 300}.example.com`, RemotePort: i % 1009 === 0 ? 'x' : 443, ReportId: i });

test('a 200k-line NDJSON.gz streams into several extents with exact counts; bad and truncated lines are quarantined by line', async () => {
  const text: string[] = [];
  const expectBad = new Map<number, RegExp>();
  for (let i = 1; i <= LINES; i++) {
    if (i === LINES) {
      text.push(netLine(i).slice(0, 40)); // the export was cut: no newline, half a record
      expectBad.set(i, /^truncated last line/);
    } else if (i % 997 === 0) {
      text.push(`{"Timestamp": "2026-01-01T00:00:00Z", "ReportId": ${i},`);
      expectBad.set(i, /^invalid JSON/);
    } else {
      text.push(netLine(i));
      if (i % 1009 === 0) expectBad.set(i, /RemotePort: x is not a number/);
    }
  }
  const gz = file('DeviceNetworkEvents-big.ndjson.gz', gzipSync(text.join('\n')));
  const ws = fresh();
  const seen: number[] = [];
  const r = await ingestPaths(ws, [gz], { rowsPerExtent: 50_000, onProgress: (p) => seen.push(p.bytesDone) });
  const f = r.files[0]!;
  const loaded = LINES - expectBad.size;
  assert.deepEqual([f.format, f.read, f.loaded, f.quarantined], ['ndjson', LINES, loaded, expectBad.size]);
  assert.equal(f.extents, Math.ceil(loaded / 50_000));
  assert.equal(ws.tables()[0]!.extents, f.extents);
  assert.ok(f.extents >= 4);
  const q = readQuarantine(ws);
  assert.deepEqual(q.map((e) => e['line']).sort((a, b) => Number(a) - Number(b)), [...expectBad.keys()]);
  for (const e of q) assert.match(String(e['reason']), expectBad.get(Number(e['line']))!, `line ${e['line']}`);
  assert.ok(q.every((e) => e['file'] === gz));
  // every loaded row is there once, whichever extent holds it
  let sum = 0;
  for (let i = 1; i <= LINES; i++) if (!expectBad.has(i)) sum += i;
  assert.deepEqual(rows(ws, 'DeviceNetworkEvents | summarize n = count(), ids = dcount(ReportId, 4), total = sum(ReportId), hosts = dcount(DeviceName)'), [[loaded, loaded, sum, 50]]);
  // progress moved forward to the file's size
  assert.ok(seen.length > 1 && seen.every((b, i) => i === 0 || b >= seen[i - 1]!));
  assert.equal(seen.at(-1), readFileSync(gz).byteLength);
  // the hash taken while streaming is the content's: the same content is skipped, under its name or another
  assert.deepEqual(ledgerOf(ws).map((e) => e.content), [createHash('sha256').update(text.join('\n')).digest('hex')]);
  const copy = join(root, 'copy-of-DeviceNetworkEvents.ndjson.gz');
  copyFileSync(gz, copy);
  const again = await ingestPaths(ws, [gz, copy]);
  assert.deepEqual([again.skippedFiles, again.read, again.loaded], [2, 0, 0]);
  assert.equal(ws.tables()[0]!.rows, loaded);
});

test('a .gz cut in the middle: the records before the cut load, the cut line and the unreadable rest are quarantined', async () => {
  const text = Array.from({ length: 20_000 }, (_, i) => netLine(i + 1)).join('\n') + '\n';
  const whole = gzipSync(text);
  const cut = file('DeviceNetworkEvents-cut.ndjson.gz', whole.subarray(0, Math.floor(whole.byteLength * 0.6)));
  const ws = fresh();
  const r = await ingestPaths(ws, [cut]);
  const f = r.files[0]!;
  assert.equal(f.refused, undefined);
  assert.equal(f.read, f.loaded + f.quarantined);
  assert.ok(f.loaded > 5_000 && f.loaded < 19_000, String(f.loaded));
  const q = readQuarantine(ws);
  const damage = q.find((e) => e['byte'] !== undefined)!;
  assert.match(String(damage['reason']), /compressed stream is damaged at byte \d+ \(unexpected end of file\)/);
  // the rows loaded are exactly lines 1..k (minus line 1009's bad port); the partial line k+1 is quarantined
  const [[count, max]] = rows(ws, 'DeviceNetworkEvents | summarize count(), max(ReportId)') as [[number, number]];
  let expected = 0;
  for (let i = 1; i <= max; i++) if (i % 1009 !== 0) expected++;
  assert.equal(count, expected);
  const lines = q.filter((e) => e['line'] !== undefined).map((e) => e['line']);
  assert.ok(lines.includes(max + 1), `the cut line ${max + 1} is quarantined`);
  assert.equal(q.length, f.quarantined);
  // the ledger holds the hash of the content read, up to where decompression stopped
  assert.deepEqual(ledgerOf(ws).map((e) => e.content), [createHash('sha256').update(gunzipSync(readFileSync(cut), { finishFlush: constants.Z_SYNC_FLUSH })).digest('hex')]);
});

test('a JSON array over several MiB streams record by record; its cut-off last record is quarantined with its index', async () => {
  const records = Array.from({ length: 10_000 }, (_, i) => ({ Timestamp: '2026-01-02T00:00:00Z', DeviceName: `h${i}`, FileName: 'AnyDesk.exe', ProcessCommandLine: `"AnyDesk.exe" --id ${i} ${'x'.repeat(200)}`, ReportId: i }));
  const pretty = JSON.stringify(records, null, 2);
  const p = file('DeviceProcessEvents-array.json', pretty.slice(0, pretty.lastIndexOf('"ReportId"')));
  const ws = fresh();
  const r = await ingestPaths(ws, [p], { rowsPerExtent: 3000 });
  const f = r.files[0]!;
  assert.deepEqual([f.format, f.read, f.loaded, f.quarantined, f.extents], ['json', 10_000, 9_999, 1, 4]);
  const q = readQuarantine(ws);
  assert.deepEqual([q[0]!['offset'], q[0]!['reason']], [9_999, 'truncated: the file ends inside this record']);
  assert.deepEqual(rows(ws, 'DeviceProcessEvents | summarize count(), dcount(DeviceName, 4), max(ReportId)'), [[9_999, 9_999, 9_998]]);
});

for (const [columnar, unclosed] of [[true, 'CSV: a quoted field is not clo'], [false, 'CSV: Quote Not Closed: the par']] as const) {
test(`CSV streams (${columnar ? 'columnar' : 'csv-parse records'}): quarantined rows keep their physical line across quoted newlines and chunks`, async () => {
  const lines = ['Timestamp,DeviceName,RemoteUrl,RemotePort,ReportId'];
  for (let i = 1; i <= 20_000; i++) {
    if (i === 5) lines.push(`2026-01-01T00:00:00Z,"two\nlines",a.com,443,${i}`);
    else if (i === 12_345) lines.push('only,three,fields');
    else lines.push(`2026-01-01T00:00:00Z,host${i},${'u'.repeat(60)}.com,443,${i}`);
  }
  const p = file('DeviceNetworkEvents-stream.csv', lines.join('\n') + '\n2026-01-01T00:00:00Z,"never closed,a.com\n');
  const ws = fresh();
  const r = await ingestPaths(ws, [p], { rowsPerExtent: 7000, columnar });
  const f = r.files[0]!;
  assert.deepEqual([f.read, f.loaded, f.quarantined, f.extents], [20_001, 19_999, 2, 3]);
  const q = readQuarantine(ws).map((e) => [e['line'], String(e['reason']).slice(0, 30)]);
  // header is line 1, record i is on line i+1, plus one for the quoted newline in record 5
  assert.deepEqual(q, [[12_347, 'CSV row has 3 fields, the head'], [20_003, unclosed]]);
  assert.deepEqual(rows(ws, "DeviceNetworkEvents | where ReportId == 5 | project DeviceName"), [['two\nlines']]);
});
}

test('Parquet is read one row group at a time', async () => {
  const N = 350;
  const buf = parquetWriteBuffer({ rowGroupSize: 100, columnData: [
    { name: 'Timestamp', data: Array.from({ length: N }, () => '2026-01-01T00:00:00Z'), type: 'STRING' },
    { name: 'DeviceName', data: Array.from({ length: N }, (_, i) => `p${i}`), type: 'STRING' },
    { name: 'ReportId', data: Array.from({ length: N }, (_, i) => i), type: 'INT32' },
  ] });
  const p = file('DeviceNetworkEvents-groups.parquet', Buffer.from(buf));
  const ws = fresh();
  const fractions: number[] = [];
  const r = await ingestPaths(ws, [p], { rowsPerExtent: 100, onProgress: (pr) => fractions.push(pr.bytesDone) });
  assert.deepEqual([r.files[0]!.loaded, r.files[0]!.extents], [N, 4]);
  assert.equal(new Set(fractions).size, 4); // one step per row group
  assert.deepEqual(rows(ws, 'DeviceNetworkEvents | summarize count(), sum(ReportId)'), [[N, (N * (N - 1)) / 2]]);
  assert.equal(ledgerOf(ws)[0]!.content, sha256(p));
});

test('a file that fails part way is undone: its extents dropped, its quarantine discarded, no ledger entry', async () => {
  const ws = fresh();
  // something that is not a table folder stands where DeviceEvents must go: its first extent cannot be written
  mkdirSync(join(ws.dir, 'tables'), { recursive: true });
  writeFileSync(join(ws.dir, 'tables', 'DeviceEvents'), 'not a folder');
  const rec = (table: string, i: number) => JSON.stringify({ category: `AdvancedHunting-${table}`, properties: { Timestamp: '2026-01-01T00:00:00Z', DeviceName: `d${i}`, ReportId: i } });
  const text = [...Array.from({ length: 30 }, (_, i) => rec('DeviceNetworkEvents', i)), '{bad', ...Array.from({ length: 30 }, (_, i) => rec('DeviceEvents', i))].join('\n');
  const p = file('mixed-blob.json', text);
  const r = await ingestPaths(ws, [p], { rowsPerExtent: 10 });
  const f = r.files[0]!;
  assert.match(f.refused!, /nothing of this file was kept/);
  assert.deepEqual([f.read, f.loaded, f.quarantined, f.extents, r.refusedFiles], [0, 0, 0, 0, 1]);
  // the table the file created is gone whole, schema included
  assert.equal(ws.schema('DeviceNetworkEvents'), undefined);
  assert.equal(existsSync(join(ws.dir, 'tables', 'DeviceNetworkEvents')), false);
  assert.deepEqual(readQuarantine(ws), []);
  assert.deepEqual(readdir(join(ws.dir, 'quarantine')), []);
  rmSync(join(ws.dir, 'tables', 'DeviceEvents'));
  const retry = await ingestPaths(ws, [p], { rowsPerExtent: 10 });
  assert.deepEqual([retry.skippedFiles, retry.read, retry.loaded, retry.quarantined], [0, 61, 60, 1]);
});

const readdir = (d: string) => (existsSync(d) ? readdirSync(d) : []);

test('TSV files split on tabs (a comma inside a field stays in it)', async () => {
  const p = file('DeviceNetworkEvents-x.tsv.gz', gzipSync('Timestamp\tDeviceName\tRemoteUrl\n2026-01-01T00:00:00Z\thost, one\ta.com\n'));
  const ws = fresh();
  const r = await ingestPaths(ws, [p]);
  assert.deepEqual([r.files[0]!.format, r.loaded, r.quarantined], ['csv', 1, 0]);
  assert.deepEqual(rows(ws, 'DeviceNetworkEvents | project DeviceName, RemoteUrl'), [['host, one', 'a.com']]);
});
