/**
 * Defender XDR's built-in advanced-hunting functions that kqlite runs: FileProfile() (an enrichment
 * function, `T | invoke FileProfile(x, y)`), SeenBy() (`DeviceInfo | invoke SeenBy()`: the devices that
 * discovered each device, a dynamic column SeenBy), AssignedIPAddresses(x, y) (a table: the IP addresses a
 * device had at a time) and DeviceFromIP() (`T | invoke DeviceFromIP(y)`: the devices that had each IP of T's
 * column IP). Output columns and types follow Microsoft's reference pages (defender-xdr/advanced-hunting-
 * fileprofile-function.md, -assignedipaddresses-function.md, -devicefromip-function.md); they are facts, the
 * descriptions kqlite's own.
 */
import type { ColumnSchema } from './types.js';

/** The columns FileProfile() adds (those the input already has are kept as the input has them). */
export const FILE_PROFILE_COLUMNS: readonly ColumnSchema[] = [
  { name: 'SHA1', type: 'string' },
  { name: 'SHA256', type: 'string' },
  { name: 'MD5', type: 'string' },
  { name: 'FileSize', type: 'int' },
  { name: 'GlobalPrevalence', type: 'int' },
  { name: 'GlobalFirstSeen', type: 'datetime' },
  { name: 'GlobalLastSeen', type: 'datetime' },
  { name: 'Signer', type: 'string' },
  { name: 'Issuer', type: 'string' },
  { name: 'SignerHash', type: 'string' },
  { name: 'IsCertificateValid', type: 'bool' },
  { name: 'IsRootSignerMicrosoft', type: 'bool' },
  { name: 'SignatureState', type: 'string' },
  { name: 'IsExecutable', type: 'bool' },
  { name: 'ThreatName', type: 'string' },
  { name: 'Publisher', type: 'string' },
  { name: 'SoftwareName', type: 'string' },
  { name: 'ProfileAvailability', type: 'string' },
];

/** The workspace table FileProfile() reads profiles from (any of the columns above, joined by SHA1 or SHA256). */
export const FILE_PROFILE_TABLE = 'FileProfiles';

/** The file-id columns FileProfile(x) accepts, and the profile column each joins on. */
export const FILE_PROFILE_IDS: Readonly<Record<string, 'SHA1' | 'SHA256'>> = { SHA1: 'SHA1', SHA256: 'SHA256', InitiatingProcessSHA1: 'SHA1', InitiatingProcessSHA256: 'SHA256' };

/** FileProfile()'s result schema over an input: the input's columns, then the profile columns it lacks. */
export function fileProfileSchema(input: readonly ColumnSchema[]): ColumnSchema[] {
  return [...input, ...FILE_PROFILE_COLUMNS.filter((c) => !input.some((i) => i.name === c.name))];
}

/** The column SeenBy() adds: the onboarded devices that discovered the row's device ({DeviceId, LastEncountered} each). */
export const SEEN_BY_COLUMN: ColumnSchema = { name: 'SeenBy', type: 'dynamic' };

/** The table AssignedIPAddresses() and DeviceFromIP() read: each row one network adapter's report. */
export const NETWORK_INFO_TABLE = 'DeviceNetworkInfo';

/**
 * AssignedIPAddresses(x, y)'s columns, one row per address. The reference page types NetworkAdapterType and
 * ConnectedNetworks `int`, but describes them as the adapter type's name from .NET's NetworkInterfaceType
 * and as JSON arrays of networks: they are DeviceNetworkInfo's NetworkAdapterType (text) and ConnectedNetworks
 * (a JSON array), so kqlite types them string and dynamic.
 */
export const ASSIGNED_IP_COLUMNS: readonly ColumnSchema[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'IPAddress', type: 'string' },
  { name: 'IPType', type: 'string' },
  { name: 'NetworkAdapterType', type: 'string' },
  { name: 'ConnectedNetworks', type: 'dynamic' },
];

/** DeviceFromIP()'s columns: each IP of the input with each device that had it. */
export const DEVICE_FROM_IP_COLUMNS: readonly ColumnSchema[] = [
  { name: 'IP', type: 'string' },
  { name: 'DeviceId', type: 'string' },
];
