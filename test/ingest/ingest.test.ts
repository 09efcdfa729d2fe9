import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { ingestPaths, readQuarantine, Workspace, generateDemo } from '../../src/ingest/index.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/corpus.js';
import { scratchArea } from '../helpers/workspace-contents.js';

const { root, fresh, file } = scratchArea('kqlite-ingest-');

const NET = (ts: string, dev: string, url: string, rid: number | string) => ({ Timestamp: ts, DeviceId: `id-${dev}`, DeviceName: dev, ActionType: 'ConnectionSuccess', RemoteUrl: url, RemotePort: 443, ReportId: rid });

test('Defender streaming API: Event Hubs messages and storage blobs; the table comes from category', async () => {
  const ws = fresh();
  const rec = (p: object, cat = 'AdvancedHunting-DeviceNetworkEvents') => ({ time: '2026-01-01T00:00:01Z', tenantId: 't', category: cat, properties: p });
  const hub = file('hub.json', JSON.stringify({ records: [rec(NET('2026-01-01T00:00:00.1234567Z', 'a', 'server.action1.com', 1)), rec({ ...NET('2026-01-01T00:00:01Z', 'b', 'x.com', 2), AdditionalFields: '{"k":1}' }), rec('oops' as unknown as object)] }) + '\n');
  const blob = file('blob.json', [rec(NET('2026-01-02T00:00:00Z', 'c', 'y.com', 3)), rec({ ...NET('2026-01-02T00:00:00Z', 'd', 'y.com', 'not-a-number') })].map((r) => JSON.stringify(r)).join('\n') + '\n{"truncated": \n');
  const r = await ingestPaths(ws, [hub, blob]);
  assert.deepEqual(r.files.map((f) => f.format), ['defender-stream', 'defender-stream']);
  assert.equal(r.read, 6);
  assert.equal(r.loaded, 3);
  assert.equal(r.quarantined, 3);
  assert.equal(r.read, r.loaded + r.quarantined);
  const q = readQuarantine(ws);
  assert.deepEqual(q.map((x) => x['reason']).sort(), ["'properties' is a string that is not JSON", 'column ReportId: not-a-number is not a number (long)', 'invalid JSON: Unexpected end of JSON input']);
  assert.ok(q.every((x) => x['file'] && (x['line'] !== undefined || x['offset'] !== undefined)));
  const t = runQuery('DeviceNetworkEvents | order by ReportId asc | project Timestamp, ReportId, AdditionalFields', { source: ws });
  assert.deepEqual(toJsonResult(t.tables[0]!.table).rows, [['2026-01-01T00:00:00.1234567Z', 1, ''], ['2026-01-01T00:00:01.0000000Z', 2, '{"k":1}'], ['2026-01-02T00:00:00.0000000Z', 3, '']]);
  assert.equal(ws.tables()[0]!.quarantined, 2);
});

test('the documented advanced-hunting tables (alerts, cloud apps, ...) are coerced by their shipped schema, not inferred', async () => {
  const ws = fresh();
  const rec = (p: object, cat: string) => ({ time: '2026-01-01T00:00:01Z', tenantId: 't', category: cat, properties: p });
  const alerts = file('alerts.json', [
    rec({ Timestamp: '2026-01-01T00:00:00Z', AlertId: 'da1', Title: 'Suspicious RMM', Severity: 'High', ServiceSource: 'Microsoft Defender for Endpoint' }, 'AdvancedHunting-AlertInfo'),
    rec({ Timestamp: 'not a time', AlertId: 'da2' }, 'AdvancedHunting-AlertInfo'),
    rec({ Timestamp: '2026-01-01T00:00:00Z', AlertId: 'da1', EntityType: 'File', FileSize: '2048', ApplicationId: 11161 }, 'AdvancedHunting-AlertEvidence'),
  ].map((r) => JSON.stringify(r)).join('\n') + '\n');
  const cloud = file('CloudAppEvents.csv', 'Timestamp,ActionType,IsAdminOperation,ApplicationId\n2026-01-01T00:00:00Z,FileDownloaded,true,20893\n2026-01-01T00:00:01Z,FileDownloaded,perhaps,20893\n');
  const r = await ingestPaths(ws, [alerts, cloud]);
  assert.deepEqual(r.files.flatMap((f) => f.inferredTables), []);
  assert.deepEqual([r.read, r.loaded, r.quarantined], [5, 3, 2]);
  assert.deepEqual(readQuarantine(ws).map((x) => x['reason']).sort(), ['column IsAdminOperation: perhaps is not a bool', 'column Timestamp: not a time is not a datetime']);
  assert.deepEqual(ws.schema('AlertEvidence')!.columns.find((c) => c.name === 'FileSize')!.type, 'long');
  const q = runQuery('AlertInfo | join kind=inner AlertEvidence on AlertId | project Title, FileSize, ApplicationId, t = gettype(Timestamp)', { source: ws });
  assert.deepEqual(toJsonResult(q.tables[0]!.table).rows, [['Suspicious RMM', 2048, 11161, 'datetime']]);
  const c = runQuery('CloudAppEvents | project IsAdminOperation, ApplicationId, b = gettype(IsAdminOperation), i = gettype(ApplicationId)', { source: ws });
  assert.deepEqual(toJsonResult(c.tables[0]!.table).rows, [[true, 20893, 'bool', 'int']]);
});

test('CSV, JSON array, NDJSON, gzip and Sentinel exports; table from file name, record, or --table; refusal otherwise', async () => {
  const ws = fresh();
  const csv = file('DeviceNetworkEvents.csv', 'Timestamp,DeviceId,DeviceName,RemoteUrl,RemotePort,ReportId\n2026-01-01T00:00:00Z,i1,"host, one",a.com,443,1\n2026-01-01T00:00:01Z,i2,h2,b.com,,2\nbroken,row\n');
  const arr = file('DeviceProcessEvents_export.json', JSON.stringify([{ Timestamp: '2026-01-01T00:00:00Z', DeviceName: 'h', FileName: 'AnyDesk.exe', ProcessId: '42' }, { Timestamp: 'yesterday', DeviceName: 'h' }]));
  const gz = file('DeviceInfo.ndjson.gz', gzipSync(JSON.stringify({ Timestamp: '2026-01-01T00:00:00Z', DeviceName: 'h', OSPlatform: 'Windows11', Extra: 'kept' }) + '\n'));
  const sentinel = file('export.jsonl', JSON.stringify({ TimeGenerated: '2026-01-01T00:00:00Z', Type: 'SecurityEvent', Computer: 'dc1', EventID: 4624 }) + '\n');
  const unknown = file('rows.json', JSON.stringify([{ a: 1 }]));
  const r = await ingestPaths(ws, [csv, arr, gz, sentinel, unknown]);
  const by = Object.fromEntries(r.files.map((f) => [f.file.split('/').pop(), f]));
  assert.deepEqual([by['DeviceNetworkEvents.csv']!.read, by['DeviceNetworkEvents.csv']!.loaded, by['DeviceNetworkEvents.csv']!.quarantined], [3, 2, 1]);
  assert.deepEqual([by['DeviceProcessEvents_export.json']!.loaded, by['DeviceProcessEvents_export.json']!.quarantined], [1, 1]);
  assert.deepEqual(by['DeviceInfo.ndjson.gz']!.extraColumns, { DeviceInfo: ['Extra'] });
  // SecurityEvent is one of Sentinel's Windows event tables, whose schema kqlite ships: coerced, not inferred
  assert.deepEqual(by['export.jsonl']!.inferredTables, []);
  assert.match(by['rows.json']!.refused!, /cannot tell which table/);
  assert.equal(r.refusedFiles, 1);
  const q = runQuery('DeviceNetworkEvents | project DeviceName, RemotePort | order by DeviceName asc', { source: ws });
  assert.deepEqual(toJsonResult(q.tables[0]!.table).rows, [['h2', null], ['host, one', 443]]);
  assert.deepEqual(toJsonResult(runQuery('DeviceInfo | project Extra', { source: ws }).tables[0]!.table).rows, [['kept']]);
  assert.deepEqual(toJsonResult(runQuery('SecurityEvent | project Computer, EventID', { source: ws }).tables[0]!.table).rows, [['dc1', 4624]]);
  // forcing the table makes the refused file load
  const forced = await ingestPaths(ws, [unknown], { table: 'Custom' });
  assert.equal(forced.loaded, 1);
  // the same content again is skipped unless forced
  const again = await ingestPaths(ws, [csv]);
  assert.equal(again.skippedFiles, 1);
  assert.equal((await ingestPaths(ws, [csv], { force: true })).loaded, 2);
});

test('Parquet files load through hyparquet', async () => {
  const ws = fresh();
  const buf = parquetWriteBuffer({ columnData: [
    { name: 'Timestamp', data: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z'], type: 'STRING' },
    { name: 'DeviceName', data: ['p1', 'p2'], type: 'STRING' },
    { name: 'RemoteUrl', data: ['boot.net.anydesk.com', 'x.org'], type: 'STRING' },
  ] });
  const p = file('DeviceNetworkEvents.parquet', Buffer.from(buf));
  const r = await ingestPaths(ws, [p]);
  assert.equal(r.files[0]!.format, 'parquet');
  assert.equal(r.loaded, 2);
  const q = runQuery("DeviceNetworkEvents | where RemoteUrl has 'anydesk.com' | project DeviceName", { source: ws });
  assert.deepEqual(toJsonResult(q.tables[0]!.table).rows, [['p1']]);
});

test('the real Defender sample rows load with --table, keeping every column', async () => {
  const ws = fresh();
  const sample = join(SHARED, 'samples/OTRF_GoldenSAMLADFSMailAccess_Microsoft365DefenderEvents.jsonl');
  const refused = await ingestPaths(ws, [sample]);
  assert.equal(refused.refusedFiles, 1);
  const r = await ingestPaths(ws, [sample], { table: 'M365DefenderEvents' });
  assert.equal(r.read, 9);
  assert.equal(r.loaded + r.quarantined, 9);
  assert.equal(r.loaded, 9);
  const keys = new Set(readFileSync(sample, 'utf8').trim().split('\n').flatMap((l) => Object.keys(JSON.parse(l))));
  assert.equal(ws.schema('M365DefenderEvents')!.columns.length, keys.size);
});

test('a query over the workspace equals the same query over the rows as datatable; extents survive reload', async () => {
  const demo = generateDemo({ devices: 10, days: 2 });
  const net = demo.tables.find((t) => t.name === 'DeviceNetworkEvents')!;
  const dir = join(root, 'reload');
  const ws = Workspace.open(dir, { create: true });
  ws.append('DeviceNetworkEvents', net.schema, net.table);
  const reopened = Workspace.open(dir);
  const q = 'DeviceNetworkEvents | where RemoteUrl has_any ("anydesk.com", "action1.com") | summarize n=count(), first=min(Timestamp), ids=make_set(ReportId) by DeviceName | order by DeviceName asc';
  const fromDisk = toJsonResult(runQuery(q, { source: reopened }).tables[0]!.table);
  const rows = toJsonResult(net.table).rows.filter((r) => /anydesk\.com|action1\.com/.test(String(r[6])));
  const cols = net.schema.columns.slice(0, 7);
  const dt = `datatable(${cols.map((c) => `${c.name}:${c.type}`).join(', ')}, ReportId:long) [\n${rows.map((r) => [...r.slice(0, 7).map((v, i) => (v === null ? (cols[i]!.type === 'string' ? '""' : `${cols[i]!.type}(null)`) : cols[i]!.type === 'datetime' ? `datetime(${v})` : typeof v === 'string' ? JSON.stringify(v) : String(v))), String(r[net.schema.columns.findIndex((c) => c.name === 'ReportId')])].join(', ')).join(',\n')}\n]`;
  const fromDatatable = toJsonResult(runQuery(q.replace(/^DeviceNetworkEvents/, dt)).tables[0]!.table);
  assert.ok(fromDisk.rows.length >= 3);
  assert.deepEqual(fromDisk, fromDatatable);
});

test('ingest, tables and query --workspace through the CLI', async () => {
  const dir = join(root, 'cli');
  const f = file('DeviceNetworkEvents-cli.ndjson', [JSON.stringify(NET('2026-01-01T00:00:00Z', 'a', 'boot.net.anydesk.com', 1)), '{bad json', JSON.stringify(NET('2026-01-01T00:00:02Z', 'b', 'notanydesk.com', 2))].join('\n'));
  const ing = await runCli(['ingest', f, '--workspace', dir]);
  assert.equal(ing.code, 0, ing.stderr);
  assert.match(ing.stdout, /read 3, loaded 2, quarantined 1/);
  const tables = JSON.parse((await runCli(['tables', '--workspace', dir, '--format', 'json'])).stdout) as { tables: { name: string; rows: number; quarantined: number; minTimestamp: string }[] };
  assert.deepEqual(tables.tables.map((t) => [t.name, t.rows, t.quarantined, t.minTimestamp]), [['DeviceNetworkEvents', 2, 1, '2026-01-01T00:00:00.0000000Z']]);
  const q = await runCli(['query', "DeviceNetworkEvents | where RemoteUrl has 'anydesk.com' | project DeviceName", '--workspace', dir, '--format', 'json']);
  assert.equal(q.code, 0, q.stderr);
  assert.deepEqual(JSON.parse(q.stdout).rows, [['a']]);
  const missing = await runCli(['ingest', join(root, 'nope.json'), '--workspace', dir]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such file or folder/);
});

test('kqlite ingest --threads: the same result on one thread or two; a bad count is refused before reading', async () => {
  const files = ['a', 'b', 'c'].map((x, k) => file(`DeviceNetworkEvents-threads-${x}.ndjson`, Array.from({ length: 300 }, (_, i) => JSON.stringify(NET('2026-01-01T00:00:00Z', `${x}${i % 7}`, `u${i}.example`, k * 1000 + i))).join('\n') + '\n{bad'));
  const outs = [];
  for (const threads of ['1', '2']) {
    const dir = join(root, `threads-${threads}`);
    const r = await runCli(['ingest', ...files, '--workspace', dir, '--threads', threads]);
    assert.equal(r.code, 0, r.stderr);
    const q = await runCli(['query', 'DeviceNetworkEvents | summarize n = count(), ids = dcount(ReportId) by DeviceName | order by DeviceName asc', '--workspace', dir, '--format', 'json']);
    outs.push({ totals: r.stdout.trim().split('\n').at(-1), rows: JSON.parse(q.stdout).rows });
  }
  assert.deepEqual(outs[1], outs[0]);
  assert.equal(outs[0]!.totals, 'read 903, loaded 900, quarantined 3');
  for (const bad of ['0', 'two', '1.5']) {
    const r = await runCli(['ingest', files[0]!, '--workspace', join(root, 'threads-bad'), '--threads', bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--threads must be a whole number/);
  }
});

test('kqlite quarantine shows what ingest set aside, where and why; filters by table and file; JSON in full', async () => {
  const dir = join(root, 'quarantine-cli');
  const net = file('DeviceNetworkEvents-q.ndjson', [JSON.stringify(NET('2026-01-01T00:00:00Z', 'a', 'x.example', 1)), '{bad json', JSON.stringify({ ...NET('not a time', 'b', 'y', 2) })].join('\n'));
  const proc = file('DeviceProcessEvents-q.csv', 'Timestamp,DeviceName\n2026-01-01T00:00:00Z,h\nnever,h2\n');
  assert.equal((await runCli(['ingest', net, proc, '--workspace', dir, '--threads', '1'])).code, 0);
  const all = await runCli(['quarantine', '--workspace', dir]);
  assert.equal(all.code, 0, all.stderr);
  const lines = all.stdout.trim().split('\n');
  assert.match(lines[0]!, /^file\s+where\s+table\s+reason\s+record$/);
  assert.equal(lines.length, 2 + 3);
  assert.ok(lines.some((l) => /DeviceNetworkEvents-q\.ndjson\s+line 2\s+DeviceNetworkEvents\s+.*JSON/i.test(l)), all.stdout);
  assert.ok(lines.some((l) => /DeviceNetworkEvents-q\.ndjson\s+line 3\s+DeviceNetworkEvents\s+column Timestamp: not a time is not a datetime/.test(l)), all.stdout);
  assert.ok(lines.some((l) => /DeviceProcessEvents-q\.csv\s+line 3\s+DeviceProcessEvents\s+column Timestamp: never/.test(l)), all.stdout);
  const one = JSON.parse((await runCli(['quarantine', '--workspace', dir, '--table', 'deviceprocessevents', '--format', 'json'])).stdout) as { total: number; records: Record<string, unknown>[] };
  assert.equal(one.total, 1);
  assert.deepEqual([one.records[0]!['line'], one.records[0]!['table']], [3, 'DeviceProcessEvents']);
  const limited = await runCli(['quarantine', '--workspace', dir, '--file', '.ndjson', '--limit', '1']);
  assert.match(limited.stdout, /showing 1 of 2 quarantined records/);
  const none = await runCli(['quarantine', '--workspace', dir, '--table', 'DeviceInfo']);
  assert.match(none.stdout, /no quarantined records match/);
  assert.notEqual((await runCli(['quarantine', '--workspace', dir, '--limit', '-1'])).code, 0);
});

test('cursor_current() names the workspace data state: empty when empty, greater after each new extent', async () => {
  const ws = fresh();
  const cursorOf = () => {
    const r = runQuery('print c = cursor_current()', { source: ws });
    assert.ok(r.ok);
    return toJsonResult(r.tables[0]!.table).rows[0]![0];
  };
  assert.equal(cursorOf(), '');
  await ingestPaths(ws, [file('cursor1.json', JSON.stringify(NET('2026-01-01T00:00:00Z', 'a', 'x.com', 1)) + '\n')], { table: 'DeviceNetworkEvents' });
  const first = cursorOf() as string;
  assert.ok(first.length > 0);
  await ingestPaths(ws, [file('cursor2.json', JSON.stringify(NET('2026-01-01T00:00:01Z', 'b', 'y.com', 2)) + '\n')], { table: 'DeviceNetworkEvents' });
  assert.ok((cursorOf() as string) > first);
});
