// The forms Defender / Sentinel / Log Analytics exports really arrive in, beyond plain UTF-8 NDJSON: UTF-16
// files (PowerShell 5 writes them), byte order marks, the portal's CSV (`TimeGenerated [UTC]`, US dates),
// the advanced-hunting API's {Schema, Results} response, missing values written as the text "null", a record
// too large to read among good ones. Each file is read by the columnar path and by the generic record path,
// which must agree; what is kept and what is set aside (with its reason) is checked exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { ingestPaths, readQuarantine, type Workspace } from '../../src/ingest/index.js';
import { CsvSplitter } from '../../src/ingest/csv-splitter.js';
import { splitJsonValues, type JsonValue } from '../../src/ingest/splitters.js';
import { Utf16ToUtf8, utf16Of } from '../../src/ingest/text-encoding.js';
import { scratchArea } from '../helpers/workspace-contents.js';

const { fresh, file } = scratchArea('kqlite-export-forms-');

const ROW = (i: number, more: object = {}) => ({ Timestamp: `2024-05-01T10:00:0${i}Z`, DeviceName: `h${i}`, ActionType: 'ProcessCreated', ProcessId: 100 + i, ReportId: i, ...more });
const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\r\n') + '\r\n';
const utf16le = (text: string, bom = true) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => Buffer.from(utf16le(text).swap16());

function rows(ws: Workspace, query: string): unknown[][] {
  return toJsonResult(runQuery(query, { source: ws }).tables[0]!.table).rows;
}

for (const columnar of [true, false]) {
  const how = columnar ? 'columnar path' : 'record path';

  test(`UTF-16 (LE/BE, with and without a byte order mark) and UTF-8 with a mark read as their text (${how})`, async () => {
    const ws = fresh();
    const text = ndjson([ROW(1, { ProcessCommandLine: 'cmd /c "é→😀"' }), ROW(2)]);
    const files = [
      file('DeviceProcessEvents_le.json', utf16le(text)),
      file('DeviceProcessEvents_le_nobom.json', utf16le(text.replace(/h1/, 'h3').replace(/h2/, 'h4'), false)),
      file('DeviceProcessEvents_be.csv', utf16be('\ufeffTimestamp,DeviceName,ProcessId\r\n2024-05-01T10:00:05Z,h5,"5"\r\n')),
      file('DeviceProcessEvents_bom_array.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify([ROW(6), ROW(7)], null, 2))])),
    ];
    const r = await ingestPaths(ws, files, { workers: 1, columnar });
    assert.deepEqual(r.files.map((f) => [f.read, f.loaded, f.quarantined]), [[2, 2, 0], [2, 2, 0], [1, 1, 0], [2, 2, 0]]);
    assert.deepEqual(r.files.map((f) => (f.notes ?? []).filter((n) => /UTF-16|UTF-8/.test(n))), [['read as UTF-16LE text (transcoded to UTF-8)'], ['read as UTF-16LE text (transcoded to UTF-8)'], ['read as UTF-16BE text (transcoded to UTF-8)'], []]);
    assert.deepEqual(rows(ws, 'DeviceProcessEvents | order by DeviceName asc | project DeviceName, ProcessId, ProcessCommandLine'), [
      ['h1', 101, 'cmd /c "é→😀"'], ['h2', 102, ''], ['h3', 101, 'cmd /c "é→😀"'], ['h4', 102, ''], ['h5', 5, ''], ['h6', 106, ''], ['h7', 107, ''],
    ]);
  });

  test(`missing values written as "null" are nulls in typed columns, text in string columns; "" is null too (${how})`, async () => {
    const ws = fresh();
    const json = file('DeviceProcessEvents_nulls.json', ndjson([
      ROW(1, { ProcessId: 'null', ProcessCreationTime: 'NULL', FileSize: ' null ' }),
      ROW(2, { ProcessId: '', ProcessCreationTime: '', ProcessCommandLine: 'null' }),
      ROW(3, { ProcessId: 'nul' }),
    ]));
    const csv = file('DeviceProcessEvents_nulls.csv', 'Timestamp,DeviceName,ProcessId,ProcessCreationTime,ProcessCommandLine\n2024-05-01T10:00:04Z,h4,null,Null,null\n2024-05-01T10:00:05Z,h5,,,\n2024-05-01T10:00:06Z,h6,none,,\n');
    const r = await ingestPaths(ws, [json, csv], { workers: 1, columnar });
    assert.deepEqual([r.read, r.loaded, r.quarantined], [6, 4, 2]);
    assert.deepEqual(readQuarantine(ws).map((q) => `${q['line']}: ${q['reason']}`).sort(), ['3: column ProcessId: nul is not a number (long)', '4: column ProcessId: none is not a number (long)']);
    assert.deepEqual(rows(ws, 'DeviceProcessEvents | order by DeviceName asc | project DeviceName, ProcessId, ProcessCreationTime, FileSize, ProcessCommandLine'), [
      ['h1', null, null, null, ''], ['h2', null, null, null, 'null'], ['h4', null, null, null, 'null'], ['h5', null, null, null, ''],
    ]);
  });

  test(`the Azure portal's CSV export: "TimeGenerated [UTC]" names TimeGenerated, its US dates read as UTC (${how})`, async () => {
    const ws = fresh();
    const csv = file('SecurityEvent_portal.csv', [
      '\ufeffTimeGenerated [UTC],Computer,EventID,Activity,TimeCreated [Local Time]',
      '"5/1/2024, 10:00:01.123 AM",h1,4624,"4624 - An account was successfully logged on.","5/1/2024, 12:00:01.123 PM"',
      '"12/31/2024, 12:00:00 AM",h2,4625,x,y',
      '"12/31/2024, 12:59:59.1234567 PM",h3,4688,x,y',
      '"13/1/2024, 10:00:01 AM",h4,4688,x,y',
    ].join('\r\n') + '\r\n');
    const r = await ingestPaths(ws, [csv], { workers: 1, columnar });
    assert.deepEqual(readQuarantine(ws).map((q) => `${q['line']}: ${q['reason']}`), ['5: column TimeGenerated: 13/1/2024, 10:00:01 AM is not a datetime']);
    assert.deepEqual(rows(ws, 'SecurityEvent | order by Computer asc | project TimeGenerated, Computer, EventID, ["TimeCreated [Local Time]"]'), [
      ['2024-05-01T10:00:01.1230000Z', 'h1', 4624, '5/1/2024, 12:00:01.123 PM'], ['2024-12-31T00:00:00.0000000Z', 'h2', 4625, 'y'], ['2024-12-31T12:59:59.1234567Z', 'h3', 4688, 'y'],
    ]);
    assert.deepEqual([r.read, r.loaded, r.quarantined], [4, 3, 1]);
  });

  test(`timestamps in every ISO form exports use: Z, offsets, 0-9 fraction digits, no zone, a space for T (${how})`, async () => {
    const ws = fresh();
    const forms: [string, string][] = [
      ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.0000000Z'],
      ['2024-05-01T10:00:00.1234567Z', '2024-05-01T10:00:00.1234567Z'],
      ['2024-05-01T10:00:00.123456789Z', '2024-05-01T10:00:00.1234567Z'],
      ['2024-05-01T10:00:00.5+05:30', '2024-05-01T04:30:00.5000000Z'],
      ['2024-05-01T10:00:00-07:00', '2024-05-01T17:00:00.0000000Z'],
      ['2024-05-01T10:00:00.000+0000', '2024-05-01T10:00:00.0000000Z'],
      ['2024-05-01T10:00:00', '2024-05-01T10:00:00.0000000Z'],
      ['2024-05-01 10:00:00.12', '2024-05-01T10:00:00.1200000Z'],
      ['2024-05-01T10:00Z', '2024-05-01T10:00:00.0000000Z'],
    ];
    const json = file('DeviceProcessEvents_times.json', ndjson(forms.map(([t], i) => ({ ...ROW(0), Timestamp: t, ReportId: i }))));
    const csv = file('DeviceProcessEvents_times.csv', 'Timestamp,ReportId\n' + forms.map(([t], i) => `${t},${i + 100}`).join('\n') + '\n');
    const r = await ingestPaths(ws, [json, csv], { workers: 1, columnar });
    assert.deepEqual([r.read, r.loaded, r.quarantined], [forms.length * 2, forms.length * 2, 0]);
    const got = rows(ws, 'DeviceProcessEvents | order by ReportId asc | project Timestamp');
    assert.deepEqual(got, [...forms, ...forms].map(([, want]) => [want]));
  });

  test(`the advanced-hunting API response {Schema, Results} gives its Results as records, pretty-printed or on one line (${how})`, async () => {
    const ws = fresh();
    const schema = [{ Name: 'Timestamp', Type: 'DateTime' }, { Name: 'DeviceName', Type: 'String' }];
    const pretty = file('DeviceProcessEvents_api.json', JSON.stringify({ Schema: schema, Results: [ROW(1), ROW(2)] }, null, 2));
    const line = file('DeviceProcessEvents_graph.json', JSON.stringify({ '@odata.context': 'x', schema, results: [ROW(3), 7] }) + '\n');
    // "Results" without a Schema before it is an ordinary column of one record
    const plain = file('DeviceProcessEvents_plain.json', JSON.stringify([{ ...ROW(4), Results: [1, 2] }]));
    const r = await ingestPaths(ws, [pretty, line, plain], { workers: 1, columnar });
    assert.deepEqual(r.files.map((f) => [f.read, f.loaded, f.quarantined]), [[2, 2, 0], [2, 1, 1], [1, 1, 0]]);
    assert.deepEqual(readQuarantine(ws).map((q) => q['reason']), ['record is not a JSON object']);
    assert.deepEqual(rows(ws, 'DeviceProcessEvents | order by DeviceName asc | project DeviceName, ReportId, Results'), [['h1', 1, null], ['h2', 2, null], ['h3', 3, null], ['h4', 4, [1, 2]]]);
  });
}

test("Log Analytics' own export name (query_data.csv): each row goes to the table its Type column names", async () => {
  const ws = fresh();
  const csv = file('query_data.csv', [
    '\ufeffTenantId,SourceSystem,TimeGenerated [UTC],Computer,EventID,Type,_ResourceId',
    't1,OpsManager,"5/1/2024, 10:00:01.123 AM",h1,4624,SecurityEvent,/subscriptions/x',
    't1,OpsManager,"5/1/2024, 10:00:02.000 PM",h2,7045,WindowsEvent,/subscriptions/x',
    't1,OpsManager,"5/1/2024, 10:00:03.000 PM",h3,1,,/subscriptions/x',
  ].join('\r\n') + '\r\n');
  const r = await ingestPaths(ws, [csv], { workers: 1 });
  assert.deepEqual([r.read, r.loaded, r.quarantined], [3, 2, 1]);
  assert.deepEqual(readQuarantine(ws).map((q) => `${q['line']}: ${q['reason']}`), ['4: the record names no table (no Defender category, no Sentinel Type) unlike the records before it']);
  assert.deepEqual(rows(ws, 'SecurityEvent | project TimeGenerated, Computer, EventID, _ResourceId'), [['2024-05-01T10:00:01.1230000Z', 'h1', 4624, '/subscriptions/x']]);
  assert.deepEqual(rows(ws, 'WindowsEvent | project TimeGenerated, Computer, EventID'), [['2024-05-01T22:00:02.0000000Z', 'h2', 7045]]);
});

test('empty files load nothing and are no error; an empty EVTX is reported as too short to be one', async () => {
  const ws = fresh();
  const files = ['DeviceProcessEvents_empty.json', 'DeviceProcessEvents_empty.csv', 'DeviceProcessEvents_empty.json.gz', 'events_empty.xml', 'empty.evtx'];
  const paths = files.map((f) => file(f, f.endsWith('.gz') ? gzipSync('') : ''));
  const r = await ingestPaths(ws, paths, { workers: 1, force: true });
  assert.deepEqual(r.files.map((f) => [f.file.split('/').pop(), f.read, f.loaded, f.quarantined, f.refused ?? '']), [
    ['DeviceProcessEvents_empty.json', 0, 0, 0, ''], ['DeviceProcessEvents_empty.csv', 0, 0, 0, ''], ['DeviceProcessEvents_empty.json.gz', 0, 0, 0, ''], ['events_empty.xml', 0, 0, 0, ''], ['empty.evtx', 1, 0, 1, ''],
  ]);
  assert.deepEqual(readQuarantine(ws).map((q) => q['reason']), ['the file is 0 bytes, shorter than an EVTX file header (4096); nothing can be read']);
});

async function values(text: string | Buffer, size: number, max?: number): Promise<JsonValue[]> {
  const b = Buffer.isBuffer(text) ? text : Buffer.from(text);
  async function* chunks() {
    for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
  }
  const out: JsonValue[] = [];
  for await (const batch of splitJsonValues(chunks(), max)) out.push(...batch);
  return out;
}

test('a JSON record over the size limit is reported and skipped; the records after it are read, at every chunk size', async () => {
  // the limit bounds what is carried from chunk to chunk (a record inside one 1 MiB chunk is never over it)
  const big = JSON.stringify({ a: 'x'.repeat(2000), b: [{ c: '}]' }] });
  const text = `\ufeff[${JSON.stringify({ n: 1 })},${big},${JSON.stringify({ n: 2 })}]\n{"records":[${big},{"n":3}]}`;
  for (const size of [1, 3, 64, 1000]) {
    const got = await values(text, size, 1024);
    assert.deepEqual(got, [
      { text: '{"n":1}', offset: 0 },
      { offset: 1, problem: 'JSON record larger than 1 KiB, not read' },
      { text: '{"n":2}', offset: 2 },
      { offset: 3, problem: 'JSON record larger than 1 KiB, not read' },
      { text: '{"n":3}', offset: 4 },
    ], `chunks of ${size}`);
  }
  const cut = await values(`[{"n":1},${big.slice(0, 1500)}`, 7, 1024);
  assert.deepEqual(cut, [{ text: '{"n":1}', offset: 0 }, { offset: 1, problem: 'JSON record larger than 1 KiB, not read; truncated: the file ends inside it' }]);
});

test('a CSV record over the size limit is reported and skipped by its quotes; the records after it are read, at every chunk size', () => {
  const big = `"${'x'.repeat(1500)},""quoted""\nsecond line"`;
  const text = `a,b\n1,ok\n2,${big}\n3,after\n4,"also ""fine"""\n`;
  for (const size of [1, 7, 64, 700, 1 << 20]) {
    const got: string[] = [];
    const sink = {
      record: (buf: Buffer, s: Int32Array, e: Int32Array, n: number, line: number) => void got.push(`${line}: ${Array.from({ length: n }, (_, j) => buf.toString('utf8', s[j]!, e[j]!)).join('|')}`),
      problem: (line: number, m: string) => void got.push(`${line}! ${m}`),
    };
    const sp = new CsvSplitter(0x2c, sink, 1024);
    const b = Buffer.from(text);
    for (let i = 0; i < b.length; i += size) sp.push(Buffer.from(b.subarray(i, i + size)));
    sp.end();
    // a record inside one chunk is never over the limit (the limit bounds what is carried between chunks)
    const skipped = size === 1 << 20 ? [`3: 2|${'x'.repeat(1500)},"quoted"\nsecond line`] : ['3! CSV record larger than 1 KiB, not read'];
    assert.deepEqual(got, ['1: a|b', '2: 1|ok', ...skipped, '5: 3|after', '6: 4|also "fine"'], `chunks of ${size}`);
  }
  const problems: string[] = [];
  const open = new CsvSplitter(0x2c, { record: () => {}, problem: (line, m) => void problems.push(`${line}! ${m}`) }, 1024);
  open.push(Buffer.from(`a\n"${'y'.repeat(3000)}\nz\n`));
  open.end();
  assert.deepEqual(problems, ['2! CSV record larger than 1 KiB: a quoted field is not closed before the end of the file (the rest of the file is that record)']);
});

test('UTF-16 is told by its mark or by zero bytes beside ASCII; a character split across chunks survives', () => {
  assert.equal(utf16Of(Buffer.from([0xff, 0xfe])), 'utf-16le');
  assert.equal(utf16Of(Buffer.from([0xfe, 0xff])), 'utf-16be');
  assert.equal(utf16Of(Buffer.from('{"', 'utf16le')), 'utf-16le');
  assert.equal(utf16Of(Buffer.from('ElfFile\0')), undefined);
  assert.equal(utf16Of(Buffer.from('{"a":1}')), undefined);
  const text = '[{"x":"😀é"}]\n';
  for (const size of [1, 2, 3, 5]) {
    const b = utf16le(text);
    const t = new Utf16ToUtf8();
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; i += size) out.push(...t.push([b.subarray(i, i + size)]));
    out.push(...t.end([]));
    assert.equal(Buffer.concat(out).toString('utf8'), text, `chunks of ${size}`);
  }
  assert.deepEqual(new Utf16ToUtf8().end([]), [], 'an empty file');
  const plain = new Utf16ToUtf8();
  assert.deepEqual(Buffer.concat([...plain.push([Buffer.from('ab')]), ...plain.end([Buffer.from('c')])]).toString(), 'abc');
});
