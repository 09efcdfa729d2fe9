// The shipped Defender XDR schemas: the 10 device tables exactly as defender-xdr.json has them, the documented
// advanced-hunting tables of defender-xdr-hunting.json built from the docs by scripts/build-defender-schemas.ts,
// and queries over them binding with the documented column types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkQuery, defaultCatalog, DEFENDER_TABLES, WINDOWS_EVENT_TABLES } from '../../../src/kql/semantics/index.js';
import { normaliseTypeName } from '../../../src/kql/syntax/type-names.js';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDeviceAdditions, buildTables, parseSchemaPage } from '../../../scripts/build-defender-schemas.js';

type SchemaJson = { table: string; columns: { name: string; type: string; description?: string }[] }[];
const readJson = <T>(rel: string): T => JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as T;
const DEVICE = readJson<SchemaJson>('../../../src/kql/semantics/schemas/defender-xdr.json');
const HUNTING = readJson<SchemaJson>('../../../src/kql/semantics/schemas/defender-xdr-hunting.json');
const ADDITIONS = readJson<SchemaJson>('../../../src/kql/semantics/schemas/defender-xdr-device-additions.json');
const NOTES = readJson<{ shared: Record<string, string>; tables: Record<string, Record<string, string>> }>('../../../scripts/defender-schemas/column-notes.json');

test('the 10 device tables are shipped as extracted plus their pages\' later columns, the documented tables after them, no name twice', () => {
  assert.equal(DEVICE.length, 10);
  const byName = new Map(DEFENDER_TABLES.map((t) => [t.name, t]));
  assert.equal(byName.size, DEFENDER_TABLES.length);
  // then Sentinel's Windows event tables (SecurityEvent, WindowsEvent, Event), where Windows event logs land
  assert.equal(DEFENDER_TABLES.length, 10 + HUNTING.length + WINDOWS_EVENT_TABLES.length);
  assert.deepEqual(DEFENDER_TABLES.slice(-WINDOWS_EVENT_TABLES.length).map((t) => t.name), ['SecurityEvent', 'WindowsEvent', 'Event']);
  for (const t of DEVICE) {
    const shipped = byName.get(t.table)!;
    const added = ADDITIONS.find((a) => a.table === t.table)?.columns ?? [];
    const expected = [...t.columns, ...added];
    assert.deepEqual(shipped.columns.map((c) => [c.name, c.type, c.description]), expected.map((c) => [c.name, normaliseTypeName(c.type), c.description]), t.table);
    // an addition never repeats a column of the extract, not even in other capitals
    assert.equal(new Set(expected.map((c) => c.name.toLowerCase())).size, expected.length, t.table);
  }
  assert.deepEqual(DEFENDER_TABLES.slice(0, 10).map((t) => t.name), DEVICE.map((t) => t.table));
});

test('the documented advanced-hunting tables the brief and the hunting corpus need are all there', () => {
  const names = new Set(HUNTING.map((t) => t.table));
  for (const n of [
    'AlertInfo', 'AlertEvidence', 'BehaviorInfo', 'BehaviorEntities', 'CloudAppEvents', 'EmailEvents', 'EmailAttachmentInfo', 'EmailUrlInfo',
    'EmailPostDeliveryEvents', 'UrlClickEvents', 'MessageEvents', 'IdentityInfo', 'IdentityLogonEvents', 'IdentityQueryEvents', 'IdentityDirectoryEvents',
    'AADSignInEventsBeta', 'EntraIdSignInEvents', 'OAuthAppInfo', 'DeviceTvmSoftwareInventory', 'DeviceTvmSoftwareVulnerabilities',
    'DeviceTvmSoftwareVulnerabilitiesKB', 'DeviceTvmSecureConfigurationAssessment', 'DeviceTvmSecureConfigurationAssessmentKB', 'DeviceTvmInfoGathering',
    'DeviceTvmInfoGatheringKB', 'DeviceTvmCertificateInfo', 'DeviceTvmBrowserExtensions', 'DeviceTvmBrowserExtensionsKB', 'DeviceTvmHardwareFirmware',
    'DeviceBaselineComplianceProfiles', 'ExposureGraphNodes', 'ExposureGraphEdges',
  ]) assert.ok(names.has(n), n);
});

test('every column has a Kusto type and a note; the notes are the ones of column-notes.json', () => {
  for (const t of HUNTING) {
    assert.ok(t.columns.length > 0, t.table);
    assert.equal(new Set(t.columns.map((c) => c.name)).size, t.columns.length, t.table);
    for (const c of t.columns) {
      assert.equal(normaliseTypeName(c.type), c.type, `${t.table}.${c.name}: ${c.type}`);
      // a column without a kqlite note ships without a description (the 20 tables added from a partial read)
      assert.equal(c.description, NOTES.tables[t.table]![c.name] ?? NOTES.shared[c.name], `${t.table}.${c.name}`);
      if (c.description !== undefined) assert.ok(c.description.length <= 100, `${t.table}.${c.name}`);
    }
  }
  assert.deepEqual(HUNTING.map((t) => t.table), Object.keys(NOTES.tables));
});

test('Timestamp is a datetime wherever the documentation lists it; the inventory and KB tables have none', () => {
  const withTimestamp = HUNTING.filter((t) => t.columns.some((c) => c.name === 'Timestamp'));
  for (const t of withTimestamp) assert.equal(t.columns.find((c) => c.name === 'Timestamp')!.type, 'datetime', t.table);
  assert.deepEqual(HUNTING.filter((t) => !withTimestamp.includes(t)).map((t) => t.table).sort(), [
    'DeviceBaselineComplianceAssessment', 'DeviceBaselineComplianceAssessmentKB', 'DeviceBaselineComplianceProfiles', 'DeviceTvmBrowserExtensions', 'DeviceTvmBrowserExtensionsKB', 'DeviceTvmCertificateInfo', 'DeviceTvmHardwareFirmware',
    'DeviceTvmInfoGatheringKB', 'DeviceTvmSecureConfigurationAssessmentKB', 'DeviceTvmSoftwareEvidenceBeta', 'DeviceTvmSoftwareInventory', 'DeviceTvmSoftwareVulnerabilities',
    'DeviceTvmSoftwareVulnerabilitiesKB', 'ExposureGraphEdges', 'ExposureGraphNodes',
  ]);
  assert.equal(withTimestamp.length, 38);
});

test('a query over AlertInfo and AlertEvidence binds with the documented column types', () => {
  const r = checkQuery(`AlertInfo
| where Severity == "High" and Timestamp > ago(1d)
| join kind=inner (AlertEvidence | where EntityType == "File") on AlertId
| project Timestamp, AlertId, Title, Category, FileSize, ApplicationId, ServiceSource`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.bound.resultSchemas[0]!.columns.map((c) => `${c.name}:${c.type}`), [
    'Timestamp:datetime', 'AlertId:string', 'Title:string', 'Category:string', 'FileSize:long', 'ApplicationId:int', 'ServiceSource:string',
  ]);
});

test('the documented types reach expressions: bool, dynamic, real, int columns of the new tables', () => {
  const r = checkQuery(`CloudAppEvents | extend a = IsAdminOperation, o = ActivityObjects, p = IsAnonymousProxy | project a, o, p, ApplicationId, RawEventData`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.bound.resultSchemas[0]!.columns.map((c) => c.type), ['bool', 'dynamic', 'bool', 'int', 'dynamic']);
  const tvm = checkQuery('DeviceTvmSecureConfigurationAssessment | project ConfigurationImpact, IsCompliant, Context');
  assert.deepEqual(tvm.bound.resultSchemas[0]!.columns.map((c) => c.type), ['real', 'bool', 'dynamic']);
  const oauth = checkQuery('OAuthAppInfo | project ConsentedUsersCount, RiskScore');
  assert.deepEqual(oauth.bound.resultSchemas[0]!.columns.map((c) => c.type), ['int', 'int']);
});

test('a misspelt column of a new table is an error with a did-you-mean from that table', () => {
  const d = checkQuery('IdentityInfo | where JobTitel == "x"').diagnostics;
  assert.equal(d.length, 1);
  assert.equal(d[0]!.message, "unknown column or variable 'JobTitel'; did you mean 'JobTitle'?");
  assert.ok(defaultCatalog().tables.has('IdentityInfo'));
});

test('schema page parsing: footnote marks, unquoted and doc-only type spellings, pipes inside descriptions', () => {
  const page = [
    '# Sample', '', 'Intro text | with a pipe.', '',
    '|Column name|Data type|Description|', '|---|---|---|',
    '| `Timestamp` [*](#note) | `datetime` | when |',
    '| `Count`* | `integer` | how many |',
    '| `Flag` (Preview) | boolean | yes or no |',
    '| `Query` | `string` | text with `a | b` inside |',
    '', '| Other | Table |', '|---|---|', '| `NotAColumn` | `string` |',
  ].join('\n');
  assert.deepEqual(parseSchemaPage(page), {
    columns: [{ name: 'Timestamp', type: 'datetime' }, { name: 'Count', type: 'int' }, { name: 'Flag', type: 'bool' }, { name: 'Query', type: 'string' }],
    problems: [],
  });
  assert.deepEqual(parseSchemaPage('| Column name | Data type | Description |\n|--|--|--|\n| `X` | `varchar` | ? |').problems, ["X: unknown type 'varchar'"]);
  assert.deepEqual(parseSchemaPage('no table here').problems, ['no "| Column name | Data type |" table']);
});

test('the Device* columns the current pages add bind with the page types, beside the extract\'s', () => {
  const r = checkQuery(`DeviceNetworkEvents
| join kind=inner (DeviceFileEvents | project InitiatingProcessUniqueId, FileLogon = LogonID) on InitiatingProcessUniqueId
| join kind=inner (DeviceInfo | project DeviceId, OsBuildRevision, MitigationStatus, IsTransient, OSBuild) on DeviceId
| project InitiatingProcessUniqueId, LogonID, FileLogon, OsBuildRevision, MitigationStatus, IsTransient, OSBuild`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.bound.resultSchemas[0]!.columns.map((c) => `${c.name}:${c.type}`), [
    'InitiatingProcessUniqueId:string', 'LogonID:long', 'FileLogon:long', 'OsBuildRevision:string', 'MitigationStatus:string', 'IsTransient:bool', 'OSBuild:long',
  ]);
  assert.deepEqual(checkQuery('DeviceEvents | project InitiatingProcessUniqueId, LogonId').diagnostics, []);
});

test('build: a Device* page adds the columns the extract lacks, in page order, never a case variant, never removes one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-defender-pages-'));
  try {
    mkdirSync(join(dir, 'defender-xdr'));
    const page = (rows: string[]) => ['| Column name | Data type | Description |', '| --- | --- | --- |', ...rows].join('\n');
    writeFileSync(join(dir, 'defender-xdr', 'advanced-hunting-deviceevents-table.md'), page([
      '| `Timestamp` | `datetime` | t |', '| `NewId` | `string` | n |', '| `logonid` | `long` | a case variant of LogonId |', '| ` Spaced` | `boolean` | back quote then a space |',
    ]));
    const original = [
      { table: 'DeviceEvents', columns: [{ name: 'Timestamp', type: 'datetime' }, { name: 'LogonId', type: 'long' }, { name: 'OnlyInTheExtract', type: 'string' }] },
      { table: 'DeviceInfo', columns: [{ name: 'Timestamp', type: 'datetime' }] },
    ];
    assert.deepEqual(buildDeviceAdditions(dir, original), {
      tables: [{ table: 'DeviceEvents', columns: [{ name: 'NewId', type: 'string' }, { name: 'Spaced', type: 'bool' }] }],
      problems: [`DeviceInfo: no page ${join(dir, 'defender-xdr', 'advanced-hunting-deviceinfo-table.md')}`],
    });
    // --update: a table without a page keeps its committed additions
    const kept = new Map([['DeviceInfo', { table: 'DeviceInfo', columns: [{ name: 'OsBuildRevision', type: 'string' }] }]]);
    assert.deepEqual(buildDeviceAdditions(dir, original, new Map(), kept).tables.map((t) => t.table), ['DeviceEvents', 'DeviceInfo']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build: a documented table keeps the committed columns its page no longer lists; the page\'s new ones follow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-defender-pages-'));
  try {
    mkdirSync(join(dir, 'defender-xdr'));
    writeFileSync(join(dir, 'defender-xdr', 'advanced-hunting-graphapiauditevents-table.md'), [
      '| Column name | Data type | Description |', '| --- | --- | --- |',
      '| `Timestamp` | `string` | documented as a string |', '| `IpAddress` | `string` | other capitals: the committed spelling stays |', '| `TenantId` | `string` | new |',
    ].join('\n'));
    const notes = { shared: {}, tables: { GraphApiAuditEvents: { OldNoted: 'a note for a column only the committed table has' } } };
    const previous = new Map([['GraphApiAuditEvents', { table: 'GraphApiAuditEvents', columns: [
      { name: 'IPAddress', type: 'string' }, { name: 'OldNoted', type: 'string', description: 'a note for a column only the committed table has' }, { name: 'Timestamp', type: 'datetime' },
    ] }]]);
    const { tables, problems } = buildTables(dir, notes, new Set(), new Map(), undefined, previous);
    assert.deepEqual(problems, []);
    assert.deepEqual(tables[0]!.columns.map((c) => `${c.name}:${c.type}`), ['IPAddress:string', 'OldNoted:string', 'Timestamp:datetime', 'TenantId:string']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the hunting-table columns the current pages add are known: RiskLevelDuringSignIn on EntraIdSignInEvents only', () => {
  assert.deepEqual(checkQuery('EntraIdSignInEvents | where RiskLevelDuringSignIn > 10 | project GatewayJA4, TimeGenerated, IsThroughGlobalSecureAccess').diagnostics, []);
  assert.deepEqual(checkQuery('BehaviorEntities | project CloudResourceId; GraphApiAuditEvents | project ReportId, IPAddress').diagnostics, []);
  // on no AADSignInEventsBeta page: still an error there
  assert.deepEqual(checkQuery('AADSignInEventsBeta | project RiskLevelDuringSignIn').diagnostics.map((d) => d.code), ['KQL2001']);
});
