/**
 * Defender XDR's built-in advanced-hunting functions that kqlite runs: FileProfile() (an enrichment
 * function, `T | invoke FileProfile(x, y)`) and SeenBy() (`DeviceInfo | invoke SeenBy()`: the devices that
 * discovered each device, a dynamic column SeenBy). Its output columns and types follow Microsoft's reference page
 * (defender-xdr/advanced-hunting-fileprofile-function.md); they are facts, the descriptions kqlite's own.
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
