// What converted Sigma rules match, run over real rows: Sysmon and Security events written as EVTX, ingested,
// then each rule's KQL run on the workspace. Cases as data: a rule's logsource and detection, and the record
// ids it must match (on the Defender table, and on WindowsEvent when a field sends it there).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { ingestPaths } from '../../src/ingest/ingest.js';
import { Workspace } from '../../src/store/workspace.js';
import { convertSigma, parseSigma } from '../../src/rules/index.js';
import { filetimeOf, str, u32, writeEvtx, type WEvent, type WValue } from '../helpers/evtx-writer.js';

const T0 = Date.UTC(2025, 9, 1, 10);
const sys = { provider: 'Microsoft-Windows-Sysmon', providerGuid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9', channel: 'Microsoft-Windows-Sysmon/Operational', computer: 'ws-01.contoso.local', userSid: 'S-1-5-18' };
let id = 0;
function proc(cmd: string, extra: Record<string, string> = {}): WEvent {
  const data: [string, WValue][] = Object.entries({ Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: cmd, User: 'CONTOSO\\alice', ParentImage: 'C:\\Windows\\explorer.exe', IntegrityLevel: 'Medium', Hashes: 'SHA1=AA11,MD5=BB22,SHA256=CC33,IMPHASH=DD44', ...extra }).map(([k, v]) => [k, str(v)]);
  data.push(['LogonId', { t: 'hex64', v: 0x3e7n }], ['ProcessId', u32(4000 + id)]);
  return { ...sys, eventId: 1, version: 5, time: filetimeOf(T0 + ++id * 1000), recordId: id, data };
}
function reg(target: string, details = 'DWORD (0x00000001)', type = 'SetValue'): WEvent {
  return { ...sys, eventId: type === 'SetValue' ? 13 : 12, time: filetimeOf(T0 + ++id * 1000), recordId: id, data: [['EventType', str(type)], ['Image', str('C:\\Windows\\regedit.exe')], ['TargetObject', str(target)], ['Details', str(details)], ['User', str('CONTOSO\\alice')]] };
}
function net(dst: string, port: number, initiated: string): WEvent {
  return { ...sys, eventId: 3, time: filetimeOf(T0 + ++id * 1000), recordId: id, data: [['Image', str('C:\\x\\a.exe')], ['Initiated', str(initiated)], ['SourceIp', str('10.0.0.5')], ['DestinationIp', str(dst)], ['DestinationPort', u32(port)], ['Protocol', str('tcp')], ['User', str('NT AUTHORITY\\SYSTEM')]] };
}
const sec = (eventId: number, data: Record<string, string>): WEvent => ({ provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security', computer: 'dc-01', eventId, time: filetimeOf(T0 + ++id * 1000), recordId: id, data: Object.entries(data).map(([k, v]) => [k, str(v)]) });

const EVENTS: WEvent[] = [
  proc('cmd.exe /c WHOAMI /all'), // 1 (and the Security 4688 of record 19 is a process creation too)
  proc('powershell -enc SQBFAFgA'), // 2
  proc('powershell /enc SQBFAFgA'), // 3
  proc('powershell \u2013enc SQBFAFgA'), // 4
  proc('powershell -encoded x'), // 5
  proc('tool.exe b-a'), // 6
  proc('tool.exe a-b'), // 7
  proc('tool.exe ab'), // 8
  proc('x http://evil/?q=aW52b2tlLW1pbWlrYXR6 y'), // 9: base64 of invoke-mimikatz
  proc('net user', { User: 'NT AUTHORITY\\SYSTEM' }), // 10
  proc('net user', { User: 'CONTOSO\\bob' }), // 11
  proc('rundll32.exe x', { ParentImage: 'C:\\Users\\a\\AppData\\Local\\Temp\\x.exe', CurrentDirectory: 'C:\\Temp\\' }), // 12
  reg('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater', 'C:\\Users\\Public\\u.exe'), // 13
  reg('HKU\\S-1-5-21-1\\Software\\Classes\\CLSID\\{X}\\TreatAs', '{Y}'), // 14
  reg('HKLM\\SYSTEM\\CurrentControlSet\\Services\\Svc', '', 'CreateKey'), // 15
  net('1.2.3.4', 4444, 'true'), // 16
  net('10.1.2.3', 3389, 'false'), // 17
  net('192.168.7.9', 445, 'true'), // 18
  sec(4688, { NewProcessName: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami', SubjectUserName: 'alice', TargetUserName: 'alice', TaskName: '\\Microsoft\\Windows\\Defrag' }), // 19
  sec(4698, { SubjectUserName: 'bob', TaskName: '\\Evil\\Task' }), // 20
];

const CASES: { name: string; logsource: string; detection: string; table?: string; matches: number[] }[] = [
  { name: 'case-insensitive contains', logsource: 'category: process_creation', detection: "sel:\n  CommandLine|contains: 'whoami'\ncondition: sel", table: 'DeviceProcessEvents', matches: [1, 19] },
  { name: 'cased contains', logsource: 'category: process_creation', detection: "sel:\n  CommandLine|contains|cased: 'whoami'\ncondition: sel", matches: [19] },
  { name: 'windash: -, /, en dash', logsource: 'category: process_creation', detection: "sel:\n  CommandLine|contains|windash: ' -enc '\ncondition: sel", matches: [2, 3, 4] },
  { name: 'a wildcard inside is exact (not two contains)', logsource: 'category: process_creation', detection: "sel:\n  CommandLine|endswith: ' a*b'\ncondition: sel", matches: [7, 8] },
  { name: '? is one character', logsource: 'category: process_creation', detection: "sel:\n  CommandLine: 'tool.exe ?-?'\ncondition: sel", matches: [6, 7] },
  { name: 'base64offset|contains', logsource: 'category: process_creation', detection: "sel:\n  CommandLine|base64offset|contains: 'invoke-mimikatz'\ncondition: sel", matches: [9] },
  { name: 'all: every value', logsource: 'category: process_creation', detection: "sel:\n  CommandLine|contains|all:\n    - 'powershell'\n    - 'encoded'\ncondition: sel", matches: [5] },
  { name: 'user: domain and name, any modifier', logsource: 'category: process_creation', detection: "sel:\n  User|contains: 'AUTHORI'\ncondition: sel", matches: [10] },
  { name: 'user: exact DOMAIN\\user', logsource: 'category: process_creation', detection: "sel:\n  User: 'contoso\\bob'\ncondition: sel", matches: [11] },
  { name: 'not, 1 of x*', logsource: 'category: process_creation', detection: "sel_a:\n  CommandLine|startswith: 'net '\nsel_b:\n  CommandLine|startswith: 'rundll32'\nfilter:\n  User|endswith: '\\bob'\ncondition: 1 of sel_* and not filter", matches: [10, 12] },
  { name: 'hashes split to columns', logsource: 'category: process_creation', detection: "sel:\n  Hashes|contains: 'SHA256=CC33'\ncondition: sel", table: 'DeviceProcessEvents', matches: EVENTS.filter((e) => e.eventId === 1).map((e) => e.recordId) },
  { name: 'IMPHASH has no Defender column: runs on WindowsEvent', logsource: 'category: process_creation', detection: "sel:\n  Hashes|contains: 'IMPHASH=DD44'\n  CommandLine|contains: 'whoami'\ncondition: sel", table: 'WindowsEvent', matches: [1] },
  { name: 'CurrentDirectory has no Defender column: runs on WindowsEvent', logsource: 'category: process_creation', detection: "sel:\n  CurrentDirectory: 'C:\\Temp\\'\ncondition: sel", table: 'WindowsEvent', matches: [12] },
  { name: 'LogonId hex against a long column', logsource: 'category: process_creation', detection: "sel:\n  LogonId: '0x3e7'\n  CommandLine|contains: 'whoami'\ncondition: sel", table: 'DeviceProcessEvents', matches: [1] },
  { name: 'registry path with value name and hive', logsource: 'category: registry_set', detection: "sel:\n  TargetObject|startswith: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\'\n  Details|endswith: '.exe'\ncondition: sel", table: 'DeviceRegistryEvents', matches: [13] },
  { name: 'registry contains of an abbreviated hive', logsource: 'category: registry_set', detection: "sel:\n  TargetObject|contains: 'HKU\\'\ncondition: sel", matches: [14] },
  { name: 'registry_set is RegistryValueSet only', logsource: 'category: registry_set', detection: "sel:\n  TargetObject|contains: 'CurrentControlSet'\ncondition: sel", matches: [] },
  { name: 'registry_event CreateKey', logsource: 'category: registry_event', detection: "sel:\n  EventType: CreateKey\n  TargetObject|endswith: '\\Services\\Svc'\ncondition: sel", matches: [15] },
  { name: 'network: port number and Initiated', logsource: 'category: network_connection', detection: "sel:\n  DestinationPort:\n    - 4444\n    - 3389\n  Initiated: 'true'\ncondition: sel", table: 'DeviceNetworkEvents', matches: [16] },
  { name: 'network: cidr', logsource: 'category: network_connection', detection: "sel:\n  DestinationIp|cidr:\n    - '10.0.0.0/8'\n    - '192.168.0.0/16'\ncondition: sel", matches: [17, 18] },
  { name: 'regex with i flag', logsource: 'category: process_creation', detection: "sel:\n  CommandLine|re|i: '^TOOL\\.exe [ab]-'\ncondition: sel", matches: [6, 7] },
  { name: 'null and exists', logsource: 'category: process_creation', detection: "sel:\n  CommandLine|contains: 'net user'\nfilter:\n  ParentCommandLine: null\ncondition: sel and not filter", matches: [] },
  { name: 'fieldref', logsource: 'service: security', detection: "sel:\n  EventID: 4688\n  SubjectUserName|fieldref: TargetUserName\ncondition: sel", table: 'SecurityEvent', matches: [19] },
  { name: 'SecurityEvent: a field without a column is read from EventData', logsource: 'service: security', detection: "sel:\n  EventID: 4698\n  TaskName|startswith: '\\Evil'\ncondition: sel", matches: [20] },
  { name: 'Sysmon service', logsource: 'service: sysmon', detection: "sel:\n  EventID: 3\n  DestinationPort: 445\ncondition: sel", table: 'WindowsEvent', matches: [18] },
];

let ws: Workspace;
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kqlite-sigma-sem-'));
  writeFileSync(join(dir, 'events.evtx'), writeEvtx(EVENTS));
  ws = Workspace.open(join(dir, 'ws'), { create: true });
  const r = await ingestPaths(ws, [join(dir, 'events.evtx')], { workers: 1 });
  assert.deepEqual([r.read, r.quarantined], [EVENTS.length, 0]);
});

for (const c of CASES) {
  test(`sigma: ${c.name}`, () => {
    const yaml = `title: t\nid: 00000000-0000-4000-8000-${String(CASES.indexOf(c)).padStart(12, '0')}\nlogsource:\n  product: windows\n  ${c.logsource}\ndetection:\n${c.detection.replace(/^/gm, '  ')}\n`;
    const p = parseSigma(yaml);
    assert.ok(p.ok, JSON.stringify(p));
    const conv = convertSigma(p.rule);
    assert.equal(conv.notRunnable, undefined, conv.notRunnable);
    if (c.table) assert.equal(conv.target!.table, c.table, conv.query);
    const r = runQuery(`${conv.query}\n| project SourceRecordId`, { source: ws });
    assert.ok(r.ok, `${conv.query}\n${JSON.stringify(r.diagnostics)}`);
    const got = toJsonResult(r.tables[0]!.table).rows.map((x) => Number(x[0])).sort((a, b) => a - b);
    assert.deepEqual(got, c.matches, conv.query);
  });
}
