/**
 * A Windows event → the row Sentinel stores it as: the Security channel in SecurityEvent (its event data in
 * the typed columns of the same name, and the whole of it as EventData XML text), every other channel
 * (Sysmon, System, PowerShell, Defender, ...) in WindowsEvent with its event data as a property bag, as the
 * Azure Monitor Agent writes them. The legacy agent's Event table is not written (its event data is XML
 * text; WindowsEvent holds the same events). Every row keeps where it came from: SourceFile and
 * SourceRecordId (the event's EventRecordID).
 */
import { WINDOWS_EVENT_TABLES } from '../../kql/semantics/catalog.js';
import type { WinEvent } from './event.js';

const SECURITY_COLUMNS = new Map((WINDOWS_EVENT_TABLES.find((t) => t.name === 'SecurityEvent')?.columns ?? []).map((c) => [c.name, c.type]));
/** Columns SecurityEvent fills from the event itself, never from event data of the same name. */
const SECURITY_SYSTEM = new Set(['TimeGenerated', 'Computer', 'Channel', 'EventID', 'EventSourceName', 'Task', 'Level', 'EventData', 'Type', 'Account', 'AccountType', 'Activity', 'SourceSystem']);

export const LEVEL_NAMES: Record<number, string> = { 0: 'Information', 1: 'Critical', 2: 'Error', 3: 'Warning', 4: 'Information', 5: 'Verbose' };

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** EventData as the XML text SecurityEvent and Event keep. */
export function eventDataXml(e: WinEvent): string {
  const inner = Object.entries(e.data).map(([k, v]) => `<Data Name="${xmlEscape(k)}">${xmlEscape(text(v))}</Data>`).join('');
  return `<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">${inner}</EventData>`;
}

export interface Provenance {
  SourceFile: string;
  SourceRecordId: number | null;
}

export function provenance(e: WinEvent, file: string): Provenance {
  return { SourceFile: file, SourceRecordId: e.recordId ?? null };
}

/** Sentinel's "DOMAIN\user" for the account an event is about: its target when it has one, else its subject. */
function accountOf(d: Record<string, unknown>): { account?: string; type?: string } {
  const pick = (user: unknown, domain: unknown) => {
    const u = text(user);
    if (!u || u === '-') return undefined;
    const dom = text(domain);
    return dom && dom !== '-' ? `${dom}\\${u}` : u;
  };
  const account = pick(d['TargetUserName'], d['TargetDomainName']) ?? pick(d['SubjectUserName'], d['SubjectDomainName']);
  return account ? { account, type: account.endsWith('$') ? 'Machine' : 'User' } : {};
}

function securityEventRow(e: WinEvent, file: string): Record<string, unknown> {
  const row: Record<string, unknown> = {
    TimeGenerated: e.time, Computer: e.computer, Channel: e.channel, EventID: e.eventId, EventSourceName: e.provider,
    Task: e.task ?? null, Level: e.level === undefined ? null : String(e.level), EventData: eventDataXml(e), Type: 'SecurityEvent',
  };
  const { account, type } = accountOf(e.data);
  if (account) Object.assign(row, { Account: account, AccountType: type });
  for (const [k, v] of Object.entries(e.data)) {
    const type = SECURITY_COLUMNS.get(k);
    if (!type || SECURITY_SYSTEM.has(k)) continue;
    if (type === 'int') {
      const n = Number(text(v));
      row[k] = text(v) !== '' && Number.isInteger(n) ? n : null;
    } else row[k] = text(v);
  }
  return Object.assign(row, provenance(e, file));
}

function windowsEventRow(e: WinEvent, file: string): Record<string, unknown> {
  return {
    TimeGenerated: e.time, Channel: e.channel, Computer: e.computer, Correlation: e.activityId ?? '', EventData: e.data,
    EventID: e.eventId, EventLevel: e.level ?? null, EventLevelName: e.level === undefined ? '' : LEVEL_NAMES[e.level] ?? '',
    EventRecordId: e.recordId === undefined ? '' : String(e.recordId), Keywords: e.keywords ?? '', Opcode: e.opcode === undefined ? '' : String(e.opcode),
    Provider: e.provider, SystemProcessId: e.processId ?? null, SystemThreadId: e.threadId ?? null, SystemUserId: e.userId ?? '',
    Task: e.task ?? null, Type: 'WindowsEvent', Version: e.version ?? null,
    ...provenance(e, file),
  };
}

/** The Sentinel table and row of an event. */
export function sentinelRow(e: WinEvent, file: string): { table: string; row: Record<string, unknown> } {
  return e.channel.toLowerCase() === 'security' ? { table: 'SecurityEvent', row: securityEventRow(e, file) } : { table: 'WindowsEvent', row: windowsEventRow(e, file) };
}
