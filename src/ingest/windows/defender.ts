/**
 * Windows events → Defender XDR advanced-hunting rows, by one documented mapping (docs/WINDOWS-EVENTS.md), so
 * Defender content (the RMM pack, imported Defender rules, Sigma rules converted for Defender tables) runs on
 * event logs. Sysmon: 1 → DeviceProcessEvents, 3 → DeviceNetworkEvents, 7 → DeviceImageLoadEvents,
 * 2/11/23/26 → DeviceFileEvents, 12/13/14 → DeviceRegistryEvents, 6/8/10/17/18/22 → DeviceEvents. Security:
 * 4688 → DeviceProcessEvents, 4624/4625 → DeviceLogonEvents. Field choices follow what pySigma's Microsoft
 * XDR pipeline assumes (Image → FolderPath with the file name, TargetObject's hive spelled out as Defender
 * spells it), so a converted Sigma rule matches the row its Sysmon event became. Where Sysmon has a field
 * Defender has no column for, it goes into AdditionalFields (JSON text) when the table has that column (the
 * whole event is in WindowsEvent in any case). Every row keeps ReportId =
 * EventRecordID plus SourceFile and SourceRecordId.
 */
import { createHash } from 'node:crypto';
import type { WinEvent } from './event.js';
import { provenance } from './sentinel.js';

type Row = Record<string, unknown>;
export interface Mapped { table: string; row: Row }

const SYSMON = 'microsoft-windows-sysmon';
const deviceIds = new Map<string, string>();

/** Defender's DeviceId is 40 hex digits; a log has only the computer name, so its SHA-1 (lower-cased) stands in. */
export function deviceIdOf(computer: string): string {
  const k = computer.toLowerCase();
  let id = deviceIds.get(k);
  if (!id) {
    id = createHash('sha1').update(k).digest('hex');
    if (deviceIds.size > 10_000) deviceIds.clear();
    deviceIds.set(k, id);
  }
  return id;
}

const s = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
/** A number from decimal or 0x-hex text; null when there is none. */
export function numberOf(v: unknown): number | null {
  const t = s(v).trim();
  if (!t || t === '-') return null;
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^-?\d+$/.test(t) ? Number(t) : NaN;
  return Number.isFinite(n) ? n : null;
}

export function fileNameOf(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** "DOMAIN\user" → domain and name (a name without a domain keeps an empty domain). */
export function splitAccount(v: unknown): { domain: string; name: string } {
  const t = s(v);
  const i = t.indexOf('\\');
  return i >= 0 ? { domain: t.slice(0, i), name: t.slice(i + 1) } : { domain: '', name: t };
}

/** Sysmon's "SHA1=...,MD5=...,SHA256=...,IMPHASH=..." → the hash columns (lower case, as Defender writes them). */
export function hashesOf(v: unknown): { SHA1?: string; MD5?: string; SHA256?: string } {
  const out: { SHA1?: string; MD5?: string; SHA256?: string } = {};
  for (const part of s(v).split(',')) {
    const [k, h] = part.split('=');
    const key = k?.trim().toUpperCase();
    if (h && (key === 'SHA1' || key === 'MD5' || key === 'SHA256')) out[key] = h.trim().toLowerCase();
  }
  return out;
}

/** Sysmon abbreviates registry hives (HKLM, HKU, HKCR, HKCU); Defender spells them out. */
const HIVES: [RegExp, string][] = [[/^HKLM(?=\\|$)/i, 'HKEY_LOCAL_MACHINE'], [/^HKU(?=\\|$)/i, 'HKEY_USERS'], [/^HKCR(?=\\|$)/i, 'HKEY_CLASSES_ROOT'], [/^HKCU(?=\\|$)/i, 'HKEY_CURRENT_USER']];
export function expandHive(key: string): string {
  for (const [re, full] of HIVES) if (re.test(key)) return key.replace(re, full);
  return key;
}

const INTEGRITY: Record<string, string> = { 'S-1-16-0': 'Untrusted', 'S-1-16-4096': 'Low', 'S-1-16-8192': 'Medium', 'S-1-16-8448': 'Medium', 'S-1-16-12288': 'High', 'S-1-16-16384': 'System' };
const ELEVATION: Record<string, string> = { '%%1936': 'Default', '%%1937': 'Full', '%%1938': 'Limited' };
const LOGON_TYPES: Record<number, string> = { 2: 'Interactive', 3: 'Network', 4: 'Batch', 5: 'Service', 7: 'Unlock', 8: 'NetworkCleartext', 9: 'NewCredentials', 10: 'RemoteInteractive', 11: 'CachedInteractive' };

function base(e: WinEvent, file: string, actionType: string): Row {
  return { Timestamp: e.time, DeviceId: deviceIdOf(e.computer), DeviceName: e.computer, ActionType: actionType, ReportId: e.recordId ?? null, ...provenance(e, file) };
}

/** The initiating process columns from Sysmon's Image / ProcessId / User. */
function initiating(d: Row): Row {
  const image = s(d['Image']);
  const acct = splitAccount(d['User']);
  return {
    InitiatingProcessFolderPath: image, InitiatingProcessFileName: fileNameOf(image), InitiatingProcessId: numberOf(d['ProcessId']),
    InitiatingProcessAccountDomain: acct.domain, InitiatingProcessAccountName: acct.name,
  };
}

/** Sysmon fields with no Defender column, kept as AdditionalFields JSON. */
function additional(d: Row, used: readonly string[]): string {
  const out: Row = {};
  for (const k in d) if (!used.includes(k)) out[k] = d[k];
  return JSON.stringify(out);
}

function sysmonProcess(e: WinEvent, d: Row, file: string): Mapped {
  const image = s(d['Image']);
  const parent = s(d['ParentImage']);
  const acct = splitAccount(d['User']);
  const pacct = splitAccount(d['ParentUser'] ?? d['User']);
  const used = ['Image', 'ProcessId', 'CommandLine', 'User', 'LogonId', 'IntegrityLevel', 'Hashes', 'FileVersion', 'Description', 'Product', 'Company', 'OriginalFileName', 'ParentImage', 'ParentProcessId', 'ParentCommandLine', 'ParentUser', 'UtcTime'];
  return { table: 'DeviceProcessEvents', row: {
    ...base(e, file, 'ProcessCreated'), FileName: fileNameOf(image), FolderPath: image, ...hashesOf(d['Hashes']),
    ProcessVersionInfoCompanyName: s(d['Company']), ProcessVersionInfoProductName: s(d['Product']), ProcessVersionInfoProductVersion: s(d['FileVersion']),
    ProcessVersionInfoOriginalFileName: s(d['OriginalFileName']), ProcessVersionInfoFileDescription: s(d['Description']),
    ProcessId: numberOf(d['ProcessId']), ProcessCommandLine: s(d['CommandLine']), ProcessIntegrityLevel: s(d['IntegrityLevel']),
    ProcessCreationTime: e.time, AccountDomain: acct.domain, AccountName: acct.name, LogonId: numberOf(d['LogonId']),
    InitiatingProcessAccountDomain: pacct.domain, InitiatingProcessAccountName: pacct.name,
    InitiatingProcessFolderPath: parent, InitiatingProcessFileName: fileNameOf(parent), InitiatingProcessId: numberOf(d['ParentProcessId']),
    InitiatingProcessCommandLine: s(d['ParentCommandLine']), AdditionalFields: additional(d, used),
  } };
}

function sysmonNetwork(e: WinEvent, d: Row, file: string): Mapped {
  const inbound = s(d['Initiated']).toLowerCase() === 'false';
  const host = s(d['DestinationHostname']);
  const used = ['Image', 'ProcessId', 'User', 'Protocol', 'SourceIp', 'SourcePort', 'DestinationIp', 'DestinationPort', 'DestinationHostname'];
  // Sysmon's Source/Destination are the connection's, not the device's: kept as Local/Remote either way (as
  // pySigma's mapping assumes), the direction in ActionType
  return { table: 'DeviceNetworkEvents', row: {
    ...base(e, file, inbound ? 'InboundConnectionAccepted' : 'ConnectionSuccess'), ...initiating(d),
    RemoteIP: s(d['DestinationIp']), RemotePort: numberOf(d['DestinationPort']), RemoteUrl: host === '-' ? '' : host,
    LocalIP: s(d['SourceIp']), LocalPort: numberOf(d['SourcePort']), Protocol: protocolName(s(d['Protocol'])), AdditionalFields: additional(d, used),
  } };
}

const protocolName = (p: string) => (p.toLowerCase() === 'tcp' ? 'Tcp' : p.toLowerCase() === 'udp' ? 'Udp' : p);

function sysmonImageLoad(e: WinEvent, d: Row, file: string): Mapped {
  const dll = s(d['ImageLoaded']);
  // DeviceImageLoadEvents has no AdditionalFields: Sysmon's other fields are in WindowsEvent
  return { table: 'DeviceImageLoadEvents', row: { ...base(e, file, 'ImageLoaded'), ...initiating(d), FileName: fileNameOf(dll), FolderPath: dll, ...hashesOf(d['Hashes']) } };
}

const FILE_ACTIONS: Record<number, string> = { 2: 'FileModified', 11: 'FileCreated', 23: 'FileDeleted', 26: 'FileDeleted' };

function sysmonFile(e: WinEvent, d: Row, file: string): Mapped {
  const target = s(d['TargetFilename']);
  const acct = splitAccount(d['User']);
  const used = ['Image', 'ProcessId', 'User', 'TargetFilename', 'Hashes'];
  return { table: 'DeviceFileEvents', row: {
    ...base(e, file, FILE_ACTIONS[e.eventId]!), ...initiating(d), FileName: fileNameOf(target), FolderPath: target, ...hashesOf(d['Hashes']),
    RequestAccountName: acct.name, RequestAccountDomain: acct.domain, AdditionalFields: additional(d, used),
  } };
}

const REGISTRY_ACTIONS: Record<string, string> = { CreateKey: 'RegistryKeyCreated', DeleteKey: 'RegistryKeyDeleted', DeleteValue: 'RegistryValueDeleted', SetValue: 'RegistryValueSet', RenameKey: 'RegistryKeyRenamed', CreateValue: 'RegistryValueSet' };
/** Sysmon's Details text for a value's type: "DWORD (0x...)", "QWORD (...)", "Binary Data", else a string. */
const valueType = (details: string) => (/^DWORD \(/.test(details) ? 'Dword' : /^QWORD \(/.test(details) ? 'Qword' : details === 'Binary Data' ? 'Binary' : details ? 'String' : '');

/** TargetObject → key and value name: value events end in the value's name; key events are the key. */
function splitTarget(target: string, isValue: boolean): { key: string; value: string } {
  const full = expandHive(target);
  if (!isValue) return { key: full, value: '' };
  const i = full.lastIndexOf('\\');
  return i >= 0 ? { key: full.slice(0, i), value: full.slice(i + 1) } : { key: full, value: '' };
}

function sysmonRegistry(e: WinEvent, d: Row, file: string): Mapped {
  const type = s(d['EventType']);
  const action = REGISTRY_ACTIONS[type] ?? (e.eventId === 13 ? 'RegistryValueSet' : e.eventId === 14 ? 'RegistryKeyRenamed' : 'RegistryKeyCreated');
  const isValue = action.startsWith('RegistryValue');
  const row: Row = { ...base(e, file, action), ...initiating(d) };
  if (e.eventId === 14) {
    Object.assign(row, { PreviousRegistryKey: expandHive(s(d['TargetObject'])), RegistryKey: expandHive(s(d['NewName'])) });
  } else {
    const t = splitTarget(s(d['TargetObject']), isValue);
    const details = s(d['Details']);
    Object.assign(row, { RegistryKey: t.key, RegistryValueName: t.value, RegistryValueData: details, RegistryValueType: isValue ? valueType(details) : '' });
  }
  // DeviceRegistryEvents has no AdditionalFields: Sysmon's other fields are in WindowsEvent
  return { table: 'DeviceRegistryEvents', row };
}

const DEVICE_EVENTS: Record<number, string> = { 6: 'DriverLoad', 8: 'CreateRemoteThreadApiCall', 10: 'OpenProcessApiCall', 17: 'NamedPipeEvent', 18: 'NamedPipeEvent', 22: 'DnsQueryResponse' };

/** Sysmon events Defender records in DeviceEvents, by ActionType; what has no column is in AdditionalFields. */
function sysmonDeviceEvent(e: WinEvent, d: Row, file: string): Mapped {
  const row: Row = { ...base(e, file, DEVICE_EVENTS[e.eventId]!) };
  const image = e.eventId === 8 || e.eventId === 10 ? s(d['SourceImage']) : s(d['Image']);
  const acct = splitAccount(e.eventId === 8 || e.eventId === 10 ? d['SourceUser'] : d['User']);
  Object.assign(row, {
    InitiatingProcessFolderPath: image, InitiatingProcessFileName: fileNameOf(image),
    InitiatingProcessId: numberOf(e.eventId === 8 || e.eventId === 10 ? d['SourceProcessId'] : d['ProcessId']),
    InitiatingProcessAccountDomain: acct.domain, InitiatingProcessAccountName: acct.name,
  });
  if (e.eventId === 8 || e.eventId === 10) {
    const target = s(d['TargetImage']);
    Object.assign(row, { FolderPath: target, FileName: fileNameOf(target), ProcessId: numberOf(d['TargetProcessId']) });
  }
  if (e.eventId === 6) {
    const driver = s(d['ImageLoaded']);
    Object.assign(row, { FolderPath: driver, FileName: fileNameOf(driver), ...hashesOf(d['Hashes']) });
  }
  if (e.eventId === 22) row['AdditionalFields'] = JSON.stringify({ DnsQueryString: s(d['QueryName']), DnsQueryResult: s(d['QueryResults']), DnsQueryStatus: s(d['QueryStatus']) });
  else row['AdditionalFields'] = JSON.stringify(d);
  return { table: 'DeviceEvents', row };
}

function securityProcess(e: WinEvent, d: Row, file: string): Mapped {
  const image = s(d['NewProcessName']);
  const parent = s(d['ParentProcessName']);
  const target = s(d['TargetUserName']);
  const hasTarget = target !== '' && target !== '-';
  return { table: 'DeviceProcessEvents', row: {
    ...base(e, file, 'ProcessCreated'), FileName: fileNameOf(image), FolderPath: image, ProcessId: numberOf(d['NewProcessId']),
    ProcessCommandLine: s(d['CommandLine']), ProcessIntegrityLevel: INTEGRITY[s(d['MandatoryLabel'])] ?? '', ProcessTokenElevation: ELEVATION[s(d['TokenElevationType'])] ?? '',
    ProcessCreationTime: e.time,
    AccountName: hasTarget ? target : s(d['SubjectUserName']), AccountDomain: s(hasTarget ? d['TargetDomainName'] : d['SubjectDomainName']),
    AccountSid: s(hasTarget ? d['TargetUserSid'] : d['SubjectUserSid']), LogonId: numberOf(hasTarget ? d['TargetLogonId'] : d['SubjectLogonId']),
    InitiatingProcessAccountName: s(d['SubjectUserName']), InitiatingProcessAccountDomain: s(d['SubjectDomainName']), InitiatingProcessAccountSid: s(d['SubjectUserSid']),
    InitiatingProcessLogonId: numberOf(d['SubjectLogonId']), InitiatingProcessFolderPath: parent, InitiatingProcessFileName: fileNameOf(parent),
    InitiatingProcessId: numberOf(d['ProcessId']),
  } };
}

function securityLogon(e: WinEvent, d: Row, file: string): Mapped {
  const lt = numberOf(d['LogonType']);
  const proc = s(d['ProcessName']);
  const ip = s(d['IpAddress']);
  const used = ['TargetUserName', 'TargetDomainName', 'TargetUserSid', 'LogonType', 'AuthenticationPackageName', 'TargetLogonId', 'WorkstationName', 'IpAddress', 'IpPort', 'ProcessName', 'ProcessId', 'SubjectUserName', 'SubjectDomainName', 'SubjectUserSid'];
  return { table: 'DeviceLogonEvents', row: {
    ...base(e, file, e.eventId === 4624 ? 'LogonSuccess' : 'LogonFailed'), LogonType: lt === null ? '' : LOGON_TYPES[lt] ?? String(lt),
    AccountName: s(d['TargetUserName']), AccountDomain: s(d['TargetDomainName']), AccountSid: s(d['TargetUserSid']), Protocol: s(d['AuthenticationPackageName']),
    FailureReason: e.eventId === 4625 ? [s(d['Status']), s(d['SubStatus'])].filter((x) => x && x !== '0x0').join(' / ') : '',
    LogonId: numberOf(d['TargetLogonId']), RemoteDeviceName: s(d['WorkstationName']) === '-' ? '' : s(d['WorkstationName']),
    RemoteIP: ip === '-' ? '' : ip, RemotePort: numberOf(d['IpPort']) || null,
    InitiatingProcessFolderPath: proc === '-' ? '' : proc, InitiatingProcessFileName: proc === '-' ? '' : fileNameOf(proc), InitiatingProcessId: numberOf(d['ProcessId']),
    InitiatingProcessAccountName: s(d['SubjectUserName']), InitiatingProcessAccountDomain: s(d['SubjectDomainName']), InitiatingProcessAccountSid: s(d['SubjectUserSid']),
    AdditionalFields: additional(d, used),
  } };
}

/** The Defender row an event maps to, if its provider and event id have a mapping. */
export function defenderRow(e: WinEvent, file: string): Mapped | undefined {
  const d = e.data as Row;
  if (e.provider.toLowerCase() === SYSMON) {
    switch (e.eventId) {
      case 1: return sysmonProcess(e, d, file);
      case 3: return sysmonNetwork(e, d, file);
      case 7: return sysmonImageLoad(e, d, file);
      case 2: case 11: case 23: case 26: return sysmonFile(e, d, file);
      case 12: case 13: case 14: return sysmonRegistry(e, d, file);
      case 6: case 8: case 10: case 17: case 18: case 22: return sysmonDeviceEvent(e, d, file);
    }
    return undefined;
  }
  if (e.channel.toLowerCase() === 'security') {
    if (e.eventId === 4688) return securityProcess(e, d, file);
    if (e.eventId === 4624 || e.eventId === 4625) return securityLogon(e, d, file);
  }
  return undefined;
}
