// The columnar CSV path (csv-splitter.ts, csv-columns.ts, coerce-bytes.ts) against the generic record path
// (csv-parse records, coerce.ts), and parallel ingest (worker threads) against sequential ingest.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { ingestPaths, Workspace, type IngestOptions } from '../../src/ingest/index.js';
import { CsvSplitter } from '../../src/ingest/csv-splitter.js';
import { datetimeFromBytes, integerFromBytes, parsed } from '../../src/ingest/coerce-bytes.js';
import { joinTicks } from '../../src/engine/values/ticks.js';
import { parseDatetimeText } from '../../src/kql/syntax/index.js';
import { contents, ledgerOf, leftovers, quarantineOf, scratchArea } from '../helpers/workspace-contents.js';

const { root, fresh, file } = scratchArea('kqlite-columnar-');

const quarantine = (ws: Workspace) => quarantineOf(ws);

const HEADER = 'Timestamp,DeviceName,RemotePort,ReportId,IsInitiatingProcessRemoteSession,InitiatingProcessCommandLine,AdditionalFields,MyExtra,MyWhen';
const tricky = [
  '\ufeff' + HEADER,
  '2026-01-01T00:00:00Z,host1,443,1,true,"cmd.exe /c ""echo, hi""",{},x,2026-02-01T00:00:00Z',
  '2026-01-01T00:00:00.1234567Z,"two\nlines",80,2,False,,"{""a"":1}",,2026-02-01 10:00:00',
  '2026-01-01 00:00:01,host3,,3,,plain,"[1,2]",y,', // empty port and bool: nulls
  'not a date,host4,443,4,true,x,,z,2026-02-01T00:00:00Z', // quarantined: bad datetime in a known column
  '2026-02-30T00:00:00Z,host5,443,5,true,x,,z,', // Feb 30: quarantined too
  '2026-01-01T00:00:02Z,host6,44.5,6,true,x,,z,', // 44.5 is not an int
  '2026-01-01T00:00:03Z,host7,+443,7,1,x,,z,',
  '2026-01-01T00:00:04Z,host8, 443 ,8,0,x,,z,', // blanks around a number: coerce.ts accepts them
  'only,three,fields',
  '',
  '2026-01-01T00:00:05.5Z,hôst-ü-✓,8080,9,TRUE,"a\r\nb",,z,widened now', // MyWhen meets text: widens to string
  '2026-01-01T00:00:06Z,host10,1e3,10,true,"",,"",2026-03-01T00:00:00Z',
  '2026-01-01T00:00:07Z,host11,443,123456789012345678,true,x,,z,', // beyond 15 digits: the generic reading
  '1/2/2026 10:00,host12,443,12,true,x,,z,',
];

for (const [name, eol, gz] of [['lf', '\n', false], ['crlf', '\r\n', false], ['gz', '\n', true]] as const) {
  test(`columnar CSV equals the generic record path (${name}): quotes, newlines in fields, BOM, empty cells, extra columns, widening, bad datetimes by line`, async () => {
    const text = tricky.join(eol) + eol;
    const p = file(`DeviceNetworkEvents_tricky_${name}.csv${gz ? '.gz' : ''}`, gz ? gzipSync(text) : text);
    const results = [];
    for (const columnar of [true, false]) {
      const ws = fresh();
      const r = await ingestPaths(ws, [p], { columnar });
      results.push({ report: { ...r.files[0], file: '' }, tables: contents(ws), quarantine: quarantine(ws) });
    }
    assert.deepEqual(results[0], results[1]);
    const f = results[0]!.report;
    assert.deepEqual([f.read, f.loaded, f.quarantined], [13, 9, 4]);
    // lines: the BOM'd header is 1, the quoted newline in record 2 pushes the later ones down by one
    assert.deepEqual(results[0]!.quarantine.map((q) => q['line']), [6, 7, 8, 11]);
    assert.deepEqual(f.extraColumns, { DeviceNetworkEvents: ['MyExtra', 'MyWhen'] });
    const schema = results[0]!.tables['DeviceNetworkEvents']!.schema as { columns: { name: string; type: string }[] };
    assert.equal(schema.columns.find((c) => c.name === 'MyWhen')!.type, 'string');
  });
}

test('columnar CSV equals the generic path for a table without a schema (inferred), and across many extents', async () => {
  const lines = ['When,Who,Count'];
  for (let i = 0; i < 5000; i++) lines.push(`2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,"u${i % 7}, ""q""",${i % 13 === 0 ? 'n/a' : i}`);
  const p = file('custom.csv', lines.join('\n'));
  const results = [];
  for (const columnar of [true, false]) {
    const ws = fresh();
    const opts: IngestOptions = { columnar, table: 'MyCustom', rowsPerExtent: 1234 };
    const r = await ingestPaths(ws, [p], opts);
    results.push({ report: { ...r.files[0], file: '' }, tables: contents(ws), quarantine: quarantine(ws) });
  }
  assert.deepEqual(results[0], results[1]);
  assert.deepEqual([results[0]!.report.loaded, results[0]!.report.extents], [5000, 5]);
});

test('the CSV splitter gives csv-parse\'s records at every chunk size; malformed quoting is reported by line and skipped', () => {
  const text = '\ufeffa,b,c\r\n1,"x,y",""\r\n2,"multi\nline ""q""",z\r\n\r\n3,,\r\n"4",five,"six"';
  const expected = parseCsvSync(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const bytes = Buffer.from(text);
  for (let size = 1; size <= bytes.length; size++) {
    const got: string[][] = [];
    const lines: number[] = [];
    const s = new CsvSplitter(0x2c, {
      record: (buf, starts, ends, k, line) => {
        got.push(Array.from({ length: k }, (_, j) => buf.toString('utf8', starts[j]!, ends[j]!)));
        lines.push(line);
      },
      problem: (line, message) => assert.fail(`line ${line}: ${message}`),
    });
    for (let at = 0; at < bytes.length; at += size) s.push(Buffer.from(bytes.subarray(at, at + size)));
    s.end();
    assert.deepEqual(got, expected, `chunk size ${size}`);
    assert.deepEqual(lines, [1, 2, 3, 6, 7], `chunk size ${size}`);
  }
  const problems: [number, string][] = [];
  const records: number[] = [];
  const s = new CsvSplitter(0x2c, { record: (_b, _s, _e, _k, line) => records.push(line), problem: (line, m) => problems.push([line, m]) });
  s.push(Buffer.from('a,b\n1,x"y\n"2"z,w\n3,"ok\nstill"\n4,"never closed\n'));
  s.end();
  assert.deepEqual(records, [1, 4]);
  assert.deepEqual(problems.map(([l, m]) => [l, m.slice(0, 20)]), [[2, 'CSV: a quote inside '], [3, 'CSV: text after the '], [6, 'CSV: a quoted field ']]);
});

test('datetimes and integers read from bytes equal coerce.ts on the same text', () => {
  const dates = ['2026-01-01T00:00:00Z', '2024-02-29T23:59:59.9999999Z', '2023-02-29T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.123456789Z',
    '1969-12-31T23:59:59.5Z', '2026-01-01 10:00:00', '2026-01-01T10:00:00.z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '1900-02-29T00:00:00Z', '2000-02-29T12:00:00.1z'];
  for (const d of dates) {
    const b = Buffer.from(d);
    const mine = datetimeFromBytes(b, 0, b.length) ? joinTicks(parsed.hi, parsed.lo) : undefined;
    if (mine !== undefined) assert.equal(mine, parseDatetimeText(d), d);
  }
  assert.equal(datetimeFromBytes(Buffer.from('2023-02-29T00:00:00Z'), 0, 20), false);
  for (const t of ['0', '-0', '+12', '123456789012345', '-42', '1234567890123456', '1.5', '', '-', '1e3']) {
    const b = Buffer.from(t);
    if (integerFromBytes(b, 0, b.length)) assert.ok(Object.is(parsed.num, Number(t)), t);
    else assert.ok(t.length > 15 || !/^[-+]?\d+$/.test(t), t);
  }
});

test('parallel ingest (worker threads) equals sequential ingest: rows, schemas, quarantine, ledger, skips and schema-changing files', async () => {
  const rowsOf = (seed: number, count: number, extra = false) => {
    const h = ['Timestamp,DeviceName,RemotePort,ReportId' + (extra ? ',Brand' : '')];
    for (let i = 0; i < count; i++) {
      const bad = i % 97 === 5;
      h.push(`${bad ? 'never' : `2026-01-0${1 + (seed % 9)}T00:00:${String(i % 60).padStart(2, '0')}Z`},"h${seed}-${i % 17}",${443 + (i % 3)},${seed * 100000 + i}${extra ? `,b${i % 5}` : ''}`);
    }
    return h.join('\n') + '\n';
  };
  const dir = join(root, 'many');
  const files = [
    file('many-DeviceNetworkEvents_1.csv', rowsOf(1, 3000)),
    file('many-DeviceNetworkEvents_2.csv', rowsOf(2, 2500, true)), // a new column: loaded alone, in order
    file('many-DeviceProcessEvents_3.csv', rowsOf(3, 2000)),
    file('many-DeviceNetworkEvents_4.csv.gz', gzipSync(rowsOf(4, 2200, true))),
    file('many-DeviceNetworkEvents_5.csv', rowsOf(1, 3000)), // same content as file 1: skipped
    file('many-DeviceProcessEvents_6.ndjson', Array.from({ length: 500 }, (_, i) => JSON.stringify({ Timestamp: '2026-01-05T00:00:00Z', DeviceName: `n${i % 9}`, ReportId: i })).join('\n')),
    file('many-DeviceNetworkEvents_7.csv', rowsOf(7, 100).replace(/\n$/, '\n2026-01-01T00:00:00Z,"never closed\n')),
  ];
  void dir;
  const fixed = files.map((f) => f.replace('many-', ''));
  for (const [i, f] of files.entries()) writeFileSync(fixed[i]!, readFileSync(f));
  const outcomes = [];
  for (const workers of [1, 2]) {
    const ws = fresh();
    const r = await ingestPaths(ws, fixed, { workers, rowsPerExtent: 1000 });
    outcomes.push({
      // extents (and so what is compacted after) may differ between threads: notes are left out
      report: { ...r, notes: undefined, files: r.files.map((f) => ({ ...f, skipped: f.skipped?.replace(/on \S+ /, ''), file: f.file.split('/').pop() })) },
      tables: contents(ws, true),
      quarantine: quarantine(ws).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
      ledger: ledgerOf(ws).map((e) => [e.stored, e.file.split('/').pop(), e.loaded, e.quarantined]).sort(),
      index: [...ws.quarantined()].sort(),
      leftovers: leftovers(ws),
    });
    assert.ok(ledgerOf(ws).length > 0);
  }
  assert.deepEqual(outcomes[1], outcomes[0]);
  const rep = outcomes[0]!.report;
  assert.deepEqual([rep.skippedFiles, rep.refusedFiles, rep.read, rep.loaded + rep.quarantined], [1, 0, rep.read, rep.read]);
  assert.deepEqual(rep.files[1]!.extraColumns, { DeviceNetworkEvents: ['Brand'] });
});

test('NDJSON read on its bytes equals the generic JSON.parse path: escapes, numbers, nested values, wrappers, extra keys, bad lines', async () => {
  const lines = [
    '{"Timestamp":"2026-01-01T00:00:00Z","DeviceName":"h1","RemotePort":443,"ReportId":1,"InitiatingProcessCommandLine":"\\"C:\\\\Program Files\\\\x.exe\\" -a","IsInitiatingProcessRemoteSession":true}',
    '{ "Timestamp" : "2026-01-01T00:00:01.5Z" , "DeviceName" : "h\\u00e9", "RemotePort": "80", "ReportId": -0, "AdditionalFields": {"a": [1, 2]} }',
    '{"Timestamp":"2026-01-01T00:00:02Z","DeviceName":"h3","RemotePort":1.5,"ReportId":3}', // not a whole number: quarantined
    '{"Timestamp":"2026-01-01T00:00:03Z","DeviceName":"h4","RemotePort":1e3,"ReportId":12345678901234567890}', // ReportId past int64: quarantined
    '{"Timestamp":null,"DeviceName":"","RemotePort":null,"ReportId":5,"IsInitiatingProcessRemoteSession":false,"LocalIP":123}',
    '',
    '{"Timestamp":"2026-01-01T00:00:05Z","DeviceName":"h6","ReportId":6,"Brand":"new column"}',
    '{"Timestamp":"2026-01-01T00:00:06Z","DeviceName":"h7","ReportId":7,"Brand":"b7","DeviceName":"repeated key"}',
    '{"category":"AdvancedHunting-DeviceProcessEvents","properties":{"Timestamp":"2026-01-01T00:00:00Z","DeviceName":"wrapped","ReportId":8}}',
    '{"Timestamp":"bad date","DeviceName":"h9","ReportId":9}',
    '{"Timestamp":"2026-01-01T00:00:09Z","DeviceName":"h10","ReportId":010}', // invalid JSON number
    '{"Timestamp":"2026-01-01T00:00:10Z","DeviceName":"h11","ReportId":11',
    '[1,2]',
    '{"Timestamp":"2026-01-01 00:00:11","DeviceName":"tab\there","ReportId":12}', // a raw tab: invalid JSON
    '{"Timestamp":"2026-01-01T00:00:12Z","DeviceName":"h13","ReportId":13}\r',
    '{"Timestamp":"2026-01-01T00:00:14Z","DeviceName":"bad \\x escape \\q","ReportId":15}',
    '{"Timestamp":"2026-01-01T00:00:15Z","DeviceName":"ok \\u00e9 \\/ \\n","ReportId":16}',
    '{"DeviceName":"only a name","ReportId":20}', // absent keys: nulls filled in later (padTo)
    '{"Timestamp":"2026-01-01T00:00:20Z","DeviceName":"h21","RemotePort":"abc","ReportId":21}', // taken back after two cells
    '{"Timestamp":"2026-01-01T00:00:13Z","DeviceName":"cut","ReportId":14',
  ];
  // two different invalid UTF-8 bytes decode to the same text: one dictionary string, not two
  const invalid = [0xff, 0xfe].map((x) => Buffer.concat([Buffer.from('{"DeviceName":"bad '), Buffer.from([x]), Buffer.from('","ReportId":30}\n')]));
  const p = file('DeviceNetworkEvents_tricky.ndjson', Buffer.concat([...invalid, Buffer.from(lines.join('\n'))]));
  const results = [];
  const spaces: Workspace[] = [];
  for (const columnar of [true, false]) {
    const ws = fresh();
    spaces.push(ws);
    const r = await ingestPaths(ws, [p], { columnar });
    results.push({ report: { ...r.files[0], file: '' }, tables: contents(ws), quarantine: quarantine(ws) });
  }
  assert.deepEqual(results[0], results[1]);
  const f = results[0]!.report;
  assert.deepEqual([f.format, f.read, f.loaded, f.quarantined], ['ndjson', 21, 11, 10]);
  const names = spaces[0]!.scan('DeviceNetworkEvents').map((t) => t.columns.find((c) => c.name === 'DeviceName')!.column);
  for (const c of names) if (c.type === 'string') assert.equal(new Set(c.dict).size, c.dict.length, 'no string twice in a dictionary: ' + JSON.stringify(c.dict));
  // the bench's shape at scale, over chunk boundaries
  const big = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ Timestamp: new Date(Date.UTC(2026, 0, 1) + i * 37).toISOString(), DeviceName: `host-${i % 500}`, RemotePort: [443, 80][i % 2], InitiatingProcessCommandLine: `"C:\\App${i % 50}\\a.exe" --s ${i % 1000}`, ReportId: i })).join('\n');
  const pb = file('DeviceNetworkEvents_big.ndjson.gz', gzipSync(big));
  const bigResults = [];
  for (const columnar of [true, false]) {
    const ws = fresh();
    await ingestPaths(ws, [pb], { columnar, rowsPerExtent: 7000 });
    bigResults.push(contents(ws));
  }
  assert.deepEqual(bigResults[0], bigResults[1]);
});
