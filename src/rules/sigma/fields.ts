/**
 * Sigma fields → table columns, as data (docs/SIGMA.md is written from these tables by
 * scripts/build-sigma-doc.ts). The Defender tables follow pySigma's Microsoft XDR pipeline
 * (pySigma-backend-kusto, sigma/pipelines/microsoftxdr/mappings.py): its per-table mappings, then its generic
 * ones, then any column of the table by its own name. Where that pipeline is lossy against Defender data kqlite
 * differs, each difference noted in DEVIATIONS. A field with no column is refused for the Defender table (the
 * rule then runs on the Sysmon events in WindowsEvent, where every Sysmon field is in EventData).
 */
import { DEFENDER_TABLES } from '../../kql/semantics/catalog.js';
import type { Target } from './logsources.js';

/** How a field's values are compared: as they are, or through one of these rewrites. */
export type FieldKind =
  | 'plain'
  /** "DOMAIN\user": the name and domain columns (`domain`) together. */
  | 'account'
  /** Sysmon's TargetObject: Defender's key and value name joined, hive abbreviations spelled out. */
  | 'registryPath'
  /** Sysmon's "ALGO=hash,..." list: each value tests the column of its algorithm. */
  | 'hashes'
  /** Sysmon's registry EventType: Defender's ActionType names. */
  | 'registryEventType'
  /** A full path compared by its file name only (the column holds the name). */
  | 'fileName'
  /** Sysmon's Initiated (true/false): the connection's direction, which Defender keeps in ActionType. */
  | 'initiated';

export interface FieldRef {
  /** The KQL expression of the field's value. */
  expr: string;
  type: 'string' | 'number' | 'bool' | 'datetime' | 'dynamic';
  kind: FieldKind;
  /** For 'account': the domain column beside `expr` (the name column). */
  domain?: string;
  /** A column the query computes first (`| extend name = expr`), which `expr` names. */
  extend?: { name: string; expr: string };
}

type Spec = string | { column: string; kind: FieldKind; domain?: string };

/** pySigma's Microsoft XDR per-table mappings (Sysmon field → column), with kqlite's rewrites named. */
export const DEFENDER_FIELDS: Record<string, Record<string, Spec>> = {
  DeviceProcessEvents: {
    ProcessId: 'ProcessId', Image: 'FolderPath', FileVersion: 'ProcessVersionInfoProductVersion', Description: 'ProcessVersionInfoFileDescription',
    Product: 'ProcessVersionInfoProductName', Company: 'ProcessVersionInfoCompanyName', OriginalFileName: 'ProcessVersionInfoOriginalFileName',
    CommandLine: 'ProcessCommandLine', User: { column: 'AccountName', kind: 'account', domain: 'AccountDomain' }, LogonId: 'LogonId',
    IntegrityLevel: 'ProcessIntegrityLevel', sha1: 'SHA1', sha256: 'SHA256', md5: 'MD5', Hashes: { column: '', kind: 'hashes' },
    ParentProcessId: 'InitiatingProcessId', ParentImage: 'InitiatingProcessFolderPath', ParentCommandLine: 'InitiatingProcessCommandLine',
    ParentUser: { column: 'InitiatingProcessAccountName', kind: 'account', domain: 'InitiatingProcessAccountDomain' },
    GrandParentImage: { column: 'InitiatingProcessParentFileName', kind: 'fileName' },
  },
  DeviceImageLoadEvents: {
    ProcessId: 'InitiatingProcessId', Image: 'InitiatingProcessFolderPath', ImageLoaded: 'FolderPath', sha1: 'SHA1', sha256: 'SHA256', md5: 'MD5',
    Hashes: { column: '', kind: 'hashes' }, User: { column: 'InitiatingProcessAccountName', kind: 'account', domain: 'InitiatingProcessAccountDomain' },
  },
  DeviceFileEvents: {
    ProcessId: 'InitiatingProcessId', Image: 'InitiatingProcessFolderPath', TargetFilename: 'FolderPath',
    User: { column: 'RequestAccountName', kind: 'account', domain: 'RequestAccountDomain' }, sha1: 'SHA1', sha256: 'SHA256', md5: 'MD5',
    Hashes: { column: '', kind: 'hashes' }, ObjectName: 'FolderPath', IntegrityLevel: 'InitiatingProcessIntegrityLevel',
  },
  DeviceNetworkEvents: {
    ProcessId: 'InitiatingProcessId', Image: 'InitiatingProcessFolderPath', User: { column: 'InitiatingProcessAccountName', kind: 'account', domain: 'InitiatingProcessAccountDomain' },
    Protocol: 'Protocol', SourceIp: 'LocalIP', SourceHostname: 'DeviceName', SourcePort: 'LocalPort', DestinationIp: 'RemoteIP',
    DestinationHostname: 'RemoteUrl', DestinationPort: 'RemotePort', Initiated: { column: 'ActionType', kind: 'initiated' },
  },
  DeviceRegistryEvents: {
    EventType: { column: 'ActionType', kind: 'registryEventType' }, ProcessId: 'InitiatingProcessId', Image: 'InitiatingProcessFolderPath',
    TargetObject: { column: 'RegistryKey', kind: 'registryPath' }, Details: 'RegistryValueData',
    User: { column: 'InitiatingProcessAccountName', kind: 'account', domain: 'InitiatingProcessAccountDomain' }, ObjectName: { column: 'RegistryKey', kind: 'registryPath' },
  },
};

/** pySigma's generic Microsoft XDR mappings: for fields the table's own mapping does not name. */
export const GENERIC_FIELDS: Record<string, Spec> = {
  EventType: 'ActionType', User: { column: 'InitiatingProcessAccountName', kind: 'account', domain: 'InitiatingProcessAccountDomain' },
  CommandLine: 'InitiatingProcessCommandLine', Image: 'InitiatingProcessFolderPath', ProcessName: 'InitiatingProcessFolderPath',
  SourceImage: 'InitiatingProcessFolderPath', ProcessId: 'InitiatingProcessId', md5: 'InitiatingProcessMD5', sha1: 'InitiatingProcessSHA1',
  sha256: 'InitiatingProcessSHA256', ParentProcessId: 'InitiatingProcessParentId', ParentCommandLine: 'InitiatingProcessParentCommandLine',
  Company: 'InitiatingProcessVersionInfoCompanyName', Description: 'InitiatingProcessVersionInfoFileDescription',
  OriginalFileName: 'InitiatingProcessVersionInfoOriginalFileName', Product: 'InitiatingProcessVersionInfoProductName',
  ParentImage: { column: 'InitiatingProcessParentFileName', kind: 'fileName' },
};

/** Fields refused for a Defender table though pySigma maps them, and why. */
export const REFUSED: Record<string, Record<string, string>> = {
  DeviceImageLoadEvents: Object.fromEntries(['FileVersion', 'Description', 'Product', 'Company', 'OriginalFileName'].map((f) => [f, `pySigma maps it to InitiatingProcessVersionInfo*, which describes the process that loads the module, not the module (Sysmon's ${f} is the loaded image's)`])),
};

/** Fields pySigma's pipeline drops for Defender tables (the tables hold one kind of event each). */
export const DROPPED = ['EventID', 'EventCode', 'ObjectType'];

/** Where kqlite and pySigma's Microsoft XDR pipeline differ, and why (listed in docs/SIGMA.md). */
export const DEVIATIONS: string[] = [
  'Categories are narrowed to their ActionTypes (file_event to FileCreated, registry_set to RegistryValueSet, ...); pySigma adds no ActionType condition, so its file_event rules also match deletions.',
  "TargetObject is Defender's RegistryKey and RegistryValueName joined with a backslash (Sysmon's TargetObject names the value too); pySigma compares RegistryKey alone, which holds no value name.",
  "TargetObject values starting HKLM, HKU, HKCR or HKCU have the hive spelled out (HKEY_LOCAL_MACHINE, ...) as Defender writes it; pySigma also rewrites CurrentControlSet to 'CurrentControlSet001', which Sysmon never writes, so kqlite does not.",
  "User fields compare \"DOMAIN\\user\" against the domain and name columns together, exactly for every modifier; pySigma splits only exact values that hold a backslash and compares the rest against the name alone.",
  "Initiated ('true'/'false') becomes the connection's direction in ActionType (InboundConnectionAccepted or not); pySigma drops it, so its rules match both directions.",
  'EventType RenameKey becomes RegistryKeyRenamed (pySigma: RegistryValueSet or RegistryKeyCreated) and DeleteValue RegistryValueDeleted.',
  "image_load's FileVersion, Description, Product, Company and OriginalFileName are refused for DeviceImageLoadEvents (pySigma's columns describe the loading process); such rules run on Sysmon's event 7 in WindowsEvent.",
  "Hashes values of an algorithm Defender has no column for (IMPHASH) make the rule run on Sysmon's events in WindowsEvent; pySigma drops such values, which changes what the rule matches.",
  "ParentImage outside process_creation compares the file name (InitiatingProcessParentFileName) only when the value names a file (ends in '\\name' or is a name); pySigma takes the part after the last backslash of any value, so '\\Temp\\' becomes an empty pattern.",
];

const COLUMNS = new Map(DEFENDER_TABLES.map((t) => [t.name!, new Map(t.columns.map((c) => [c.name, c.type]))]));

function typeOf(t: string | undefined): FieldRef['type'] {
  return t === 'string' || t === 'guid' ? 'string' : t === 'bool' ? 'bool' : t === 'datetime' ? 'datetime' : t === 'dynamic' ? 'dynamic' : 'number';
}

/** Sysmon's TargetObject from Defender's key and value name (see DEVIATIONS), computed once per row by an extend. */
export const REGISTRY_PATH = { name: 'TargetObject', expr: "strcat(RegistryKey, iff(isempty(RegistryValueName), '', strcat('\\\\', RegistryValueName)))" };

function defenderField(table: string, field: string): FieldRef | string {
  const cols = COLUMNS.get(table)!;
  const refused = REFUSED[table]?.[field];
  if (refused) return `${field}: ${refused}`;
  const spec = DEFENDER_FIELDS[table]?.[field] ?? (cols.has(field) ? field : GENERIC_FIELDS[field]);
  if (spec === undefined) return `${field} has no column in ${table} (pySigma's Microsoft XDR mapping has none)`;
  const s = typeof spec === 'string' ? { column: spec, kind: 'plain' as FieldKind } : spec;
  if (s.kind === 'hashes') return { expr: '', type: 'string', kind: 'hashes' };
  if (s.kind === 'registryPath') return { expr: REGISTRY_PATH.name, type: 'string', kind: 'registryPath', extend: REGISTRY_PATH };
  if (!cols.has(s.column)) return `${field} maps to ${s.column}, which ${table} does not have`;
  if (s.kind === 'account' && s.domain && !cols.has(s.domain)) return `${field} needs ${s.domain}, which ${table} does not have`;
  return { expr: s.column, type: typeOf(cols.get(s.column)), kind: s.kind, ...(s.domain ? { domain: s.domain } : {}) };
}

/** Windows Defender's event data names have spaces ("Threat Name"); Sigma writes them without ("ThreatName"). */
const DEFENDER_DATA_NAMES = ['Product Name', 'Product Version', 'Detection ID', 'Detection Time', 'Threat ID', 'Threat Name', 'Severity ID', 'Severity Name', 'Category ID', 'Category Name', 'Status Code', 'Status Description', 'Source ID', 'Source Name', 'Process Name', 'Detection User', 'Origin ID', 'Origin Name', 'Execution ID', 'Execution Name', 'Type ID', 'Type Name', 'Pre Execution Status', 'Action ID', 'Action Name', 'Error Code', 'Error Description', 'Post Clean Status', 'Additional Actions ID', 'Additional Actions String', 'Remediation User', 'Security intelligence Version', 'Engine Version', 'Old Value', 'New Value', 'Scan ID', 'Scan Type ID', 'Scan Type Name', 'Scan Parameters ID', 'Scan Parameters Name', 'Scan Resources', 'Feature Name', 'Feature ID', 'Dynamic Signature Type', 'Dynamic Signature Value', 'Signature Version', 'Engine Version'];
const SPACED: Record<string, Record<string, string>> = { windefend: Object.fromEntries(DEFENDER_DATA_NAMES.map((n) => [n.replace(/ /g, ''), n])) };

/** The event's own fields (System), by their Sigma names, in WindowsEvent. */
const WINDOWS_EVENT_SYSTEM: Record<string, [string, FieldRef['type']]> = {
  EventID: ['EventID', 'number'], Provider_Name: ['Provider', 'string'], Channel: ['Channel', 'string'], Computer: ['Computer', 'string'],
  Level: ['EventLevel', 'number'], Version: ['Version', 'number'], Task: ['Task', 'number'], Keywords: ['Keywords', 'string'], EventRecordID: ['EventRecordId', 'string'],
};
const SECURITY_SYSTEM: Record<string, [string, FieldRef['type']]> = {
  EventID: ['EventID', 'number'], Provider_Name: ['EventSourceName', 'string'], Channel: ['Channel', 'string'], Computer: ['Computer', 'string'], Task: ['Task', 'number'],
};

const kqlLiteral = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** How `field` is read in `target`'s table, or why it cannot be. */
export function resolveField(target: Target, field: string): FieldRef | string {
  if (target.kind === 'defender') return defenderField(target.table, field);
  if (target.kind === 'windowsevent') {
    const sys = WINDOWS_EVENT_SYSTEM[field];
    if (sys) return { expr: sys[0], type: sys[1], kind: 'plain' };
    const name = SPACED[target.service ?? '']?.[field] ?? field;
    return { expr: `EventData[${kqlLiteral(name)}]`, type: 'dynamic', kind: 'plain' };
  }
  const sys = SECURITY_SYSTEM[field];
  if (sys) return { expr: sys[0], type: sys[1], kind: 'plain' };
  const cols = COLUMNS.get('SecurityEvent')!;
  if (cols.has(field)) return { expr: field, type: typeOf(cols.get(field)), kind: 'plain' };
  // an event data value SecurityEvent has no column for: read from its EventData XML text
  if (!/^[A-Za-z0-9_]+$/.test(field)) return `${field} is not an event data name that can be read from SecurityEvent's EventData`;
  return { expr: `extract(${kqlLiteral(`<Data Name="${field}">([^<]*)<`)}, 1, EventData)`, type: 'string', kind: 'plain' };
}

