// invoke FileProfile(x, y): Defender's documented columns added, filled from the FileProfiles table when
// it has the file (joined by SHA1 or SHA256, case-insensitively), null with ProfileAvailability "Missing"
// when it does not, and only the first y rows with a file id looked up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySource, runQuery } from '../../src/engine/index.js';
import { toCsv } from '../../src/engine/format/encode.js';
import { tableFromRows } from '../../src/engine/storage/builders.js';
import { checkQuery, FILE_PROFILE_COLUMNS } from '../../src/kql/semantics/index.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const EVENTS: TableSchema = { name: 'Events', columns: [{ name: 'FileName', type: 'string' }, { name: 'SHA1', type: 'string' }, { name: 'SHA256', type: 'string' }] };
// as an inferred CSV ingest would type it: prevalence long, the datetime and bool as text
const PROFILES: TableSchema = { name: 'FileProfiles', columns: [{ name: 'sha1', type: 'string' }, { name: 'SHA256', type: 'string' }, { name: 'GlobalPrevalence', type: 'long' }, { name: 'GlobalFirstSeen', type: 'string' }, { name: 'IsCertificateValid', type: 'string' }, { name: 'Signer', type: 'string' }] };

function source(withProfiles = true): MemorySource {
  const tables = new Map<string, { schema: TableSchema; extents: ReturnType<typeof tableFromRows>[] }>();
  tables.set('Events', { schema: EVENTS, extents: [tableFromRows(EVENTS.columns, [
    { FileName: 'a.exe', SHA1: 'AA11', SHA256: 'ff01' },
    { FileName: 'b.exe', SHA1: 'bb22', SHA256: 'ff02' },
    { FileName: 'c.exe', SHA1: '', SHA256: 'ff03' },
    { FileName: 'd.exe', SHA1: 'dd44', SHA256: 'ff04' },
  ])] });
  if (withProfiles) tables.set('FileProfiles', { schema: PROFILES, extents: [tableFromRows(PROFILES.columns, [
    { sha1: 'aa11', SHA256: 'FF01', GlobalPrevalence: 3, GlobalFirstSeen: '2021-05-01T00:00:00Z', IsCertificateValid: 'false', Signer: 'Evil' },
    { sha1: 'dd44', SHA256: 'ff04', GlobalPrevalence: 900, GlobalFirstSeen: '2019-01-01T00:00:00Z', IsCertificateValid: 'true', Signer: 'Contoso' },
  ])] });
  return new MemorySource(tables);
}

const csv = (q: string, src = source()) => {
  const r = runQuery(q, { source: src, now: 0n });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return toCsv(r.tables[0]!.table);
};

test('the documented columns, typed; profiles joined by SHA1; rows without a profile are Missing', () => {
  const r = runQuery('Events | invoke FileProfile() | getschema | project ColumnName, ColumnType', { source: source(), now: 0n });
  assert.ok(r.ok);
  const names = toCsv(r.tables[0]!.table).trim().split('\n').slice(1);
  assert.deepEqual(names, ['FileName,string', 'SHA1,string', 'SHA256,string', ...FILE_PROFILE_COLUMNS.filter((c) => !['SHA1', 'SHA256'].includes(c.name)).map((c) => `${c.name},${c.type}`)]);
  assert.equal(csv('Events | invoke FileProfile() | project FileName, GlobalPrevalence, GlobalFirstSeen, IsCertificateValid, Signer, ProfileAvailability'),
    'FileName,GlobalPrevalence,GlobalFirstSeen,IsCertificateValid,Signer,ProfileAvailability\n' +
    'a.exe,3,2021-05-01T00:00:00.0000000Z,false,Evil,Available\nb.exe,,,,,Missing\nc.exe,,,,,\nd.exe,900,2019-01-01T00:00:00.0000000Z,true,Contoso,Available\n');
});

test('FileProfile(SHA256, 2): joined by SHA256, only the first two rows looked up; a low-prevalence filter binds', () => {
  assert.equal(csv('Events | invoke FileProfile(SHA256, 2) | project FileName, GlobalPrevalence, ProfileAvailability'),
    'FileName,GlobalPrevalence,ProfileAvailability\na.exe,3,Available\nb.exe,,Missing\nc.exe,,\nd.exe,,\n');
  assert.equal(csv('Events | invoke FileProfile("SHA1", 500) | where GlobalPrevalence < 15 | project FileName'), 'FileName\na.exe\n');
  assert.deepEqual(checkQuery('DeviceFileEvents | project SHA1 | invoke FileProfile() | where GlobalPrevalence < 15 and IsExecutable').diagnostics.filter((d) => d.severity === 'error'), []);
});

test('no FileProfiles table: every profile column null, ProfileAvailability Missing; bad arguments are KQL4005', () => {
  assert.equal(csv('Events | take 1 | invoke FileProfile() | project GlobalPrevalence, Signer, ProfileAvailability', source(false)), 'GlobalPrevalence,Signer,ProfileAvailability\n,,Missing\n');
  for (const [q, msg] of [['Events | invoke FileProfile(FileName)', /file id column must be one of SHA1, SHA256/], ['Events | invoke FileProfile(SHA1, 0)', /must be 1 to 1000/], ['Events | project FileName | invoke FileProfile()', /no column 'SHA1'/]] as const) {
    const r = runQuery(q, { source: source(), now: 0n });
    assert.equal(r.ok, false, q);
    assert.equal(r.diagnostics[0]!.code, 'KQL4005');
    assert.match(r.diagnostics[0]!.message, msg);
  }
});

test('more than 1000 records asked for (as published queries do): the first 1000 are enriched, with a warning', () => {
  const r = runQuery('Events | invoke FileProfile(SHA1, 10000) | project FileName, ProfileAvailability', { source: source(), now: 0n });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.equal(toCsv(r.tables[0]!.table), 'FileName,ProfileAvailability\na.exe,Available\nb.exe,Missing\nc.exe,\nd.exe,Available\n');
  assert.match(r.warnings.join('\n'), /at most 1000 records are enriched \(10000 asked for\)/);
});

test('a column of the query named after a hash (xSHA256, as published queries write it) is that hash', () => {
  assert.equal(csv('Events | extend xSHA256 = toupper(SHA256) | invoke FileProfile(xSHA256) | project FileName, ProfileAvailability, GlobalPrevalence'), 'FileName,ProfileAvailability,GlobalPrevalence\na.exe,Available,3\nb.exe,Missing,\nc.exe,Missing,\nd.exe,Available,900\n');
});
