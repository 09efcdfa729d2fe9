// Windows events → their Sentinel row and, by the documented mapping (docs/WINDOWS-EVENTS.md), their Defender
// row: cases as data (an event in evtx_dump's shape, the rows expected), every produced column in its table's
// schema, and the provenance (file, record id) on every row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFENDER_TABLES } from '../../src/kql/semantics/catalog.js';
import { defenderRow } from '../../src/ingest/windows/defender.js';
import { fromDump, type WinEvent } from '../../src/ingest/windows/event.js';
import { sentinelRow } from '../../src/ingest/windows/sentinel.js';

const SYSMON = 'Microsoft-Windows-Sysmon';
function ev(provider: string, channel: string, eventId: number, data: Record<string, unknown>, recordId = 100): WinEvent {
  const e = fromDump({ Event: { System: { Provider: { '#attributes': { Name: provider } }, EventID: eventId, Level: 4, Task: 1, TimeCreated: { '#attributes': { SystemTime: '2025-10-01T10:00:00.1234567Z' } }, EventRecordID: recordId, Channel: channel, Computer: 'WS-01.contoso.local', Execution: { '#attributes': { ProcessID: 4, ThreadID: 8 } } }, EventData: data } });
  assert.notEqual(typeof e, 'string');
  return e as WinEvent;
}
const sysmon = (id: number, data: Record<string, unknown>) => ev(SYSMON, 'Microsoft-Windows-Sysmon/Operational', id, data);
const security = (id: number, data: Record<string, unknown>) => ev('Microsoft-Windows-Security-Auditing', 'Security', id, data);

const CASES: { name: string; event: WinEvent; table: string; expect: Record<string, unknown> }[] = [
  { name: 'Sysmon 1', event: sysmon(1, { Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c whoami', User: 'CONTOSO\\alice', ParentImage: 'C:\\Windows\\explorer.exe', ParentUser: 'CONTOSO\\alice', ParentProcessId: 900, ProcessId: 4242, LogonId: '0x3e7', IntegrityLevel: 'High', Hashes: 'SHA1=AA,MD5=BB,SHA256=CC,IMPHASH=DD', OriginalFileName: 'Cmd.Exe', CurrentDirectory: 'C:\\' }), table: 'DeviceProcessEvents',
    expect: { ActionType: 'ProcessCreated', FileName: 'cmd.exe', FolderPath: 'C:\\Windows\\System32\\cmd.exe', ProcessCommandLine: 'cmd /c whoami', AccountDomain: 'CONTOSO', AccountName: 'alice', ProcessId: 4242, LogonId: 999, ProcessIntegrityLevel: 'High', SHA1: 'aa', MD5: 'bb', SHA256: 'cc', ProcessVersionInfoOriginalFileName: 'Cmd.Exe', InitiatingProcessFolderPath: 'C:\\Windows\\explorer.exe', InitiatingProcessFileName: 'explorer.exe', InitiatingProcessId: 900, DeviceName: 'WS-01.contoso.local', ReportId: 100 } },
  { name: 'Sysmon 3 outbound', event: sysmon(3, { Image: 'C:\\x\\a.exe', Initiated: 'true', SourceIp: '10.0.0.5', SourcePort: '50000', DestinationIp: '1.2.3.4', DestinationPort: '443', DestinationHostname: '-', Protocol: 'tcp', User: 'NT AUTHORITY\\SYSTEM' }), table: 'DeviceNetworkEvents',
    expect: { ActionType: 'ConnectionSuccess', RemoteIP: '1.2.3.4', RemotePort: 443, RemoteUrl: '', LocalIP: '10.0.0.5', LocalPort: 50000, Protocol: 'Tcp', InitiatingProcessFileName: 'a.exe', InitiatingProcessAccountDomain: 'NT AUTHORITY', InitiatingProcessAccountName: 'SYSTEM' } },
  { name: 'Sysmon 3 inbound', event: sysmon(3, { Image: 'C:\\x\\svc.exe', Initiated: 'false', DestinationIp: '10.0.0.5', DestinationPort: 3389, SourceIp: '10.9.9.9' }), table: 'DeviceNetworkEvents', expect: { ActionType: 'InboundConnectionAccepted', RemoteIP: '10.0.0.5', RemotePort: 3389 } },
  { name: 'Sysmon 7', event: sysmon(7, { Image: 'C:\\x\\a.exe', ImageLoaded: 'C:\\Windows\\System32\\dbghelp.dll', Hashes: 'SHA256=EE' }), table: 'DeviceImageLoadEvents', expect: { ActionType: 'ImageLoaded', FileName: 'dbghelp.dll', FolderPath: 'C:\\Windows\\System32\\dbghelp.dll', SHA256: 'ee', InitiatingProcessFolderPath: 'C:\\x\\a.exe' } },
  { name: 'Sysmon 11', event: sysmon(11, { Image: 'C:\\x\\a.exe', TargetFilename: 'C:\\Users\\a\\evil.ps1', User: 'CONTOSO\\bob' }), table: 'DeviceFileEvents', expect: { ActionType: 'FileCreated', FileName: 'evil.ps1', FolderPath: 'C:\\Users\\a\\evil.ps1', RequestAccountName: 'bob', RequestAccountDomain: 'CONTOSO' } },
  { name: 'Sysmon 23', event: sysmon(23, { Image: 'C:\\x\\a.exe', TargetFilename: 'C:\\t\\f.txt', Hashes: 'MD5=AB' }), table: 'DeviceFileEvents', expect: { ActionType: 'FileDeleted', MD5: 'ab' } },
  { name: 'Sysmon 12 CreateKey', event: sysmon(12, { EventType: 'CreateKey', TargetObject: 'HKLM\\SOFTWARE\\Evil', Image: 'C:\\x\\a.exe' }), table: 'DeviceRegistryEvents', expect: { ActionType: 'RegistryKeyCreated', RegistryKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Evil', RegistryValueName: '' } },
  { name: 'Sysmon 12 DeleteValue', event: sysmon(12, { EventType: 'DeleteValue', TargetObject: 'HKU\\S-1-5-21-1\\Software\\Run\\x' }), table: 'DeviceRegistryEvents', expect: { ActionType: 'RegistryValueDeleted', RegistryKey: 'HKEY_USERS\\S-1-5-21-1\\Software\\Run', RegistryValueName: 'x' } },
  { name: 'Sysmon 13', event: sysmon(13, { EventType: 'SetValue', TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\S\\Start', Details: 'DWORD (0x00000002)' }), table: 'DeviceRegistryEvents', expect: { ActionType: 'RegistryValueSet', RegistryKey: 'HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\S', RegistryValueName: 'Start', RegistryValueData: 'DWORD (0x00000002)', RegistryValueType: 'Dword' } },
  { name: 'Sysmon 14', event: sysmon(14, { EventType: 'RenameKey', TargetObject: 'HKLM\\SOFTWARE\\A', NewName: 'HKLM\\SOFTWARE\\B' }), table: 'DeviceRegistryEvents', expect: { ActionType: 'RegistryKeyRenamed', PreviousRegistryKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\A', RegistryKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\B' } },
  { name: 'Sysmon 22', event: sysmon(22, { Image: 'C:\\x\\a.exe', QueryName: 'evil.example', QueryResults: '::ffff:1.2.3.4;', QueryStatus: '0' }), table: 'DeviceEvents', expect: { ActionType: 'DnsQueryResponse', AdditionalFields: JSON.stringify({ DnsQueryString: 'evil.example', DnsQueryResult: '::ffff:1.2.3.4;', DnsQueryStatus: '0' }) } },
  { name: 'Sysmon 10', event: sysmon(10, { SourceImage: 'C:\\x\\dump.exe', TargetImage: 'C:\\Windows\\System32\\lsass.exe', SourceProcessId: 5, TargetProcessId: 600, GrantedAccess: '0x1010' }), table: 'DeviceEvents', expect: { ActionType: 'OpenProcessApiCall', InitiatingProcessFileName: 'dump.exe', FileName: 'lsass.exe', ProcessId: 600 } },
  { name: 'Security 4688', event: security(4688, { NewProcessName: 'C:\\Windows\\System32\\whoami.exe', NewProcessId: '0x1a2b', ProcessId: '0x100', CommandLine: 'whoami /all', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe', SubjectUserName: 'alice', SubjectDomainName: 'CONTOSO', TargetUserName: '-', MandatoryLabel: 'S-1-16-12288', TokenElevationType: '%%1937' }), table: 'DeviceProcessEvents',
    expect: { FolderPath: 'C:\\Windows\\System32\\whoami.exe', ProcessId: 0x1a2b, InitiatingProcessId: 0x100, ProcessCommandLine: 'whoami /all', InitiatingProcessFileName: 'cmd.exe', AccountName: 'alice', AccountDomain: 'CONTOSO', ProcessIntegrityLevel: 'High', ProcessTokenElevation: 'Full' } },
  { name: 'Security 4624', event: security(4624, { TargetUserName: 'bob', TargetDomainName: 'CONTOSO', LogonType: '10', IpAddress: '10.1.1.1', IpPort: '51515', AuthenticationPackageName: 'Negotiate', TargetLogonId: '0x10' }), table: 'DeviceLogonEvents', expect: { ActionType: 'LogonSuccess', LogonType: 'RemoteInteractive', AccountName: 'bob', RemoteIP: '10.1.1.1', RemotePort: 51515, Protocol: 'Negotiate', LogonId: 16 } },
  { name: 'Security 4625', event: security(4625, { TargetUserName: 'bob', LogonType: 3, Status: '0xc000006d', SubStatus: '0xc000006a', IpAddress: '-' }), table: 'DeviceLogonEvents', expect: { ActionType: 'LogonFailed', LogonType: 'Network', FailureReason: '0xc000006d / 0xc000006a', RemoteIP: '' } },
];

const SCHEMAS = new Map(DEFENDER_TABLES.map((t) => [t.name!, new Set(t.columns.map((c) => c.name))]));
const PROVENANCE = ['SourceFile', 'SourceRecordId'];

for (const c of CASES) {
  test(`${c.name} → ${c.table}`, () => {
    const d = defenderRow(c.event, 'C:\\logs\\Sysmon.evtx');
    assert.ok(d, 'mapped');
    assert.equal(d.table, c.table);
    for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(d.row[k], v, k);
    assert.deepEqual([d.row['SourceFile'], d.row['SourceRecordId'], d.row['ReportId'], d.row['Timestamp']], ['C:\\logs\\Sysmon.evtx', 100, 100, '2025-10-01T10:00:00.1234567Z']);
    assert.match(String(d.row['DeviceId']), /^[0-9a-f]{40}$/);
    const cols = SCHEMAS.get(c.table)!;
    for (const k of Object.keys(d.row)) assert.ok(cols.has(k) || PROVENANCE.includes(k), `${k} is a column of ${c.table}`);
  });
}

test('events without a Defender mapping stay in their Sentinel table only', () => {
  const svc = ev('Service Control Manager', 'System', 7045, { ServiceName: 'evil', ImagePath: 'C:\\evil.exe' });
  assert.equal(defenderRow(svc, 'f'), undefined);
  const s = sentinelRow(svc, 'f');
  assert.equal(s.table, 'WindowsEvent');
  assert.deepEqual(s.row['EventData'], { ServiceName: 'evil', ImagePath: 'C:\\evil.exe' });
  assert.deepEqual([s.row['EventID'], s.row['Channel'], s.row['Provider'], s.row['EventRecordId'], s.row['EventLevelName'], s.row['SourceRecordId']], [7045, 'System', 'Service Control Manager', '100', 'Information', 100]);
  // Sysmon's numbers are text in EventData, as the event's XML has them
  assert.deepEqual(sentinelRow(CASES[0]!.event, 'f').row['EventData'], { ...(CASES[0]!.event.data as object), ProcessId: '4242', ParentProcessId: '900' });
});

test('Security events land in SecurityEvent: event data in its columns of the same name and as EventData XML', () => {
  const s = sentinelRow(security(4624, { TargetUserName: 'bob', TargetDomainName: 'CONTOSO', LogonType: '3', IpAddress: '10.1.1.1', TaskName: 'a&b' }), 'f');
  assert.equal(s.table, 'SecurityEvent');
  assert.deepEqual([s.row['TargetUserName'], s.row['LogonType'], s.row['IpAddress'], s.row['Account'], s.row['AccountType'], s.row['EventSourceName']], ['bob', 3, '10.1.1.1', 'CONTOSO\\bob', 'User', 'Microsoft-Windows-Security-Auditing']);
  assert.equal(s.row['EventData'], '<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="TargetUserName">bob</Data><Data Name="TargetDomainName">CONTOSO</Data><Data Name="LogonType">3</Data><Data Name="IpAddress">10.1.1.1</Data><Data Name="TaskName">a&amp;b</Data></EventData>');
  const cols = SCHEMAS.get('SecurityEvent')!;
  for (const k of Object.keys(s.row)) assert.ok(cols.has(k) || PROVENANCE.includes(k), k);
});
